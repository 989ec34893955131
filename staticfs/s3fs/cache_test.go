package s3fs_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/webstatic/webstatic/staticfs/s3fs"
)

// TestListingCache pins what the listing cache keeps: answers for
// ListTTL, negative ones included, at most MaxDirs directories.
func TestListingCache(t *testing.T) {
	tests := []struct {
		name    string
		ttl     time.Duration
		maxDirs int
		stats   []string // Stat'ed in order, each twice
		lists   int
		kept    int
	}{
		{"hits", 0, 0, []string{"/d0/f", "/d0/g", "/d1/f"}, 2, 2},
		{"negative answers", 0, 0, []string{"/nope/f", "/nope/g", "/d0/nope"}, 2, 2},
		{"MaxDirs", 0, 2, []string{"/d0/f", "/d1/f", "/d2/f", "/d3/f"}, 4, 2},
		{"MaxDirs evicts the least recent", 0, 2, []string{"/d0/f", "/d1/f", "/d0/f", "/d2/f", "/d0/f"}, 3, 2},
		{"negative ListTTL", -1, 0, []string{"/d0/f", "/d0/f"}, 4, 0},
		{"negative MaxDirs", 0, -1, []string{"/d0/f"}, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			for i := range 4 {
				s.put(fmt.Sprintf("d%d/f", i), []byte("f"))
			}
			fsys := s.fs("")
			fsys.ListTTL, fsys.MaxDirs = tt.ttl, tt.maxDirs
			for _, name := range tt.stats {
				fsys.Stat(name)
				fsys.Stat(name)
			}
			if got, _ := s.counter.take(); got.List != tt.lists {
				t.Errorf("%d LISTs, want %d", got.List, tt.lists)
			}
			if got := s3fs.CachedDirs(fsys); got != tt.kept {
				t.Errorf("%d listings kept, want %d", got, tt.kept)
			}
		})
	}
}
