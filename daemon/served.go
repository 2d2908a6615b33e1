package daemon

import "context"

// rememberServed gives the server what it served before this process,
// so that the files whose bytes did not change keep their Last-Modified.
// Without it (a store that cannot be read) every file is taken to be new.
func (d *Daemon) rememberServed(ctx context.Context) {
	files, err := d.store.ServedFiles(ctx)
	if err != nil {
		d.logger.Warn("every file is served as changed now", "error", err)
		return
	}
	d.srv.Remember(files)
}

// recordServed saves the hash and Last-Modified of the files whose bytes
// changed (paths) and, after a full Update, forgets the files no longer
// served. A failure costs readers one download after the next restart;
// serving goes on.
func (d *Daemon) recordServed(ctx context.Context, paths []string, full bool) {
	err := d.store.SaveServedFiles(ctx, d.srv.Served(paths))
	if err == nil && full {
		files := d.srv.Files()
		served := make([]string, len(files))
		for i, f := range files {
			served[i] = f.Path
		}
		err = d.store.ForgetServedExcept(ctx, served)
	}
	if err != nil {
		d.logger.Warn("could not record what is served; after a restart, readers download it again", "error", err)
	}
}
