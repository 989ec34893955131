package staticfs

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

func TestETagCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := newETagCache(2)
	var calls int
	get := func(name string) string {
		tag, err := c.get(etagKey{name: name}, func() (string, error) {
			calls++
			return "tag-" + name, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return tag
	}
	for _, name := range []string{"a", "b", "a", "c", "a", "b"} {
		if got := get(name); got != "tag-"+name {
			t.Fatalf("get(%s) = %q", name, got)
		}
	}
	// a, b: 2 misses; a: hit; c: miss, evicts b; a: hit; b: miss.
	if calls != 4 || c.len() != 2 {
		t.Errorf("computed %d times, kept %d; want 4 and 2", calls, c.len())
	}
}

func TestETagCacheComputesOncePerKey(t *testing.T) {
	c := newETagCache(16)
	var calls atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	tags := make([]string, 32)
	for i := range tags {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tags[i], _ = c.get(etagKey{name: "big"}, func() (string, error) {
				calls.Add(1)
				<-release
				return "h", nil
			})
		}()
	}
	close(release)
	wg.Wait()
	for i, tag := range tags {
		if tag != "h" {
			t.Fatalf("request %d got %q", i, tag)
		}
	}
	// Late callers find the entry, early ones the computation in flight.
	if n := calls.Load(); n != 1 {
		t.Errorf("computed %d times for 32 concurrent requests", n)
	}
}

func TestETagCacheKeepsNoErrors(t *testing.T) {
	c := newETagCache(4)
	if _, err := c.get(etagKey{name: "x"}, func() (string, error) { return "", fmt.Errorf("read failed") }); err == nil {
		t.Fatal("error lost")
	}
	if c.len() != 0 {
		t.Errorf("a failed computation was cached")
	}
}
