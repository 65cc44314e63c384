package class

import (
	"fmt"
	"testing"
	"time"
)

// TestLimiter steps a hand-held clock: a burst, then one token per
// 1/PerSecond, and separate keys never share a bucket.
func TestLimiter(t *testing.T) {
	l := newLimiter(Rate{PerSecond: 2, Burst: 3})
	now := t0
	for i := range 3 {
		if ok, _ := l.allow("a", now); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	ok, wait := l.allow("a", now)
	if ok || wait != 500*time.Millisecond {
		t.Errorf("fourth at once: %v, wait %v; want refused, 500ms", ok, wait)
	}
	if ok, _ := l.allow("b", now); !ok {
		t.Error("another key shares a's bucket")
	}
	now = now.Add(499 * time.Millisecond)
	if ok, _ := l.allow("a", now); ok {
		t.Error("a token before 500 ms")
	}
	now = now.Add(time.Millisecond)
	if ok, _ := l.allow("a", now); !ok {
		t.Error("no token after 500 ms")
	}
	now = now.Add(time.Hour) // refills to the burst, not beyond
	for i := range 4 {
		if ok, _ := l.allow("a", now); ok != (i < 3) {
			t.Errorf("after an hour, request %d: %v", i, ok)
		}
	}
}

// TestLimiterSweeps: idle full buckets are dropped once there are many.
func TestLimiterSweeps(t *testing.T) {
	l := newLimiter(Rate{PerSecond: 1, Burst: 1})
	for i := range 2000 {
		l.allow(fmt.Sprint(i), t0)
	}
	l.allow("late", t0.Add(time.Minute))
	if n := len(l.buckets); n != 1 {
		t.Errorf("%d buckets after the sweep, want 1", n)
	}
}
