package conn

import "testing"

// TestRequestsHistogramObserve pins the bucket of each count at and
// around the bounds, and that an observation does not allocate.
func TestRequestsHistogramObserve(t *testing.T) {
	tests := []struct {
		n      uint64
		bucket int
	}{
		{0, 0}, {1, 1}, {2, 2}, {3, 3}, {5, 3}, {6, 4}, {10, 4}, {11, 5}, {20, 5},
		{50, 6}, {51, 7}, {100, 7}, {101, 8}, {1000, 8}, {1001, 9}, {1 << 40, 9},
	}
	for _, tt := range tests {
		var h requestsHistogram
		h.observe(tt.n)
		var want RequestsHistogram
		want.Buckets[tt.bucket] = 1
		want.Sum = tt.n
		if got := h.snapshot(); got != want {
			t.Errorf("observe(%d) = %+v, want %+v", tt.n, got, want)
		}
	}
	var h requestsHistogram
	if a := testing.AllocsPerRun(100, func() { h.observe(7) }); a != 0 {
		t.Errorf("observe allocates %v times", a)
	}
}
