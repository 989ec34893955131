package conn

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type otherKey struct{}

// TestRequestContext checks that a requestContext answers for its Info,
// passes every other key and the cancellation of its parent through, and
// that contexts derived from it start no goroutine to follow the parent.
func TestRequestContext(t *testing.T) {
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), otherKey{}, "parent's"))
	ctx := &requestContext{Context: parent, info: Info{ID: 7, Request: 3}}

	got, ok := FromContext(ctx)
	if diff := cmp.Diff(Info{ID: 7, Request: 3}, got); diff != "" || !ok {
		t.Errorf("FromContext: ok=%v (-want +got):\n%s", ok, diff)
	}
	if v := ctx.Value(otherKey{}); v != "parent's" {
		t.Errorf("Value(otherKey) = %v, want the parent's value", v)
	}

	before := runtime.NumGoroutine()
	const n = 100
	children := make([]context.Context, n)
	for i := range children {
		var stop context.CancelFunc
		children[i], stop = context.WithCancel(ctx)
		defer stop()
	}
	if after := runtime.NumGoroutine(); after >= before+n {
		t.Errorf("%d derived contexts started %d goroutines", n, after-before)
	}

	cancel()
	for i, c := range children {
		select {
		case <-c.Done():
		default:
			t.Fatalf("child %d not canceled with the parent", i)
		}
		if !errors.Is(c.Err(), context.Canceled) {
			t.Fatalf("child %d: Err() = %v", i, c.Err())
		}
	}
}
