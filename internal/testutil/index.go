package testutil

import "regexp"

// runTimes matches the cells of the index page that only the served page
// has: the run times (publish.Publisher.RunTimes).
var runTimes = regexp.MustCompile(`<t[hd] class="time">[^<]*</t[hd]>`)

// ServedOnDisk is what the output folder must hold of the file the daemon
// serves at path with body served: the same bytes, but for the run times
// of the index page, which its copy on disk leaves out.
func ServedOnDisk(path, served string) string {
	if path == "index.html" {
		return runTimes.ReplaceAllString(served, "")
	}
	return served
}
