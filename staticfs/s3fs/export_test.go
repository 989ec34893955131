package s3fs

import "time"

// SetClock sets the clock the listing cache reads, before first use.
func SetClock(f *Fs, now func() time.Time) { f.now = now }

// SetMaxKeys sets the page size of LISTs, before first use.
func SetMaxKeys(f *Fs, n int32) { f.maxKeys = n }

// CachedDirs returns the number of listings the cache keeps.
func CachedDirs(f *Fs) int { return f.state().dirs.len() }
