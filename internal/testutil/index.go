package testutil

import "regexp"

// liveCells matches the cells of the status page that only the served
// page has: the run times and counts (publish.Publisher.RunTimes), which
// the default theme marks class="live".
var liveCells = regexp.MustCompile(`\n?<t[hd] [^>]*class="live">[^<]*</t[hd]>`)

// ServedOnDisk is what the output folder must hold of the file the daemon
// serves at path with body served: the same bytes, but for the live
// cells of the status page, which its copy on disk leaves out.
func ServedOnDisk(path, served string) string {
	if path == "status.html" {
		return liveCells.ReplaceAllString(served, "")
	}
	return served
}
