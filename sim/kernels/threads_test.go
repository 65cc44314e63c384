package kernels

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

func TestThreads(t *testing.T) {
	defer SetThreads(SetThreads(0))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	for _, c := range []struct{ set, want int }{{0, 3}, {-1, 3}, {1, 1}, {2, 2}, {3, 3}, {8, 3}} {
		SetThreads(c.set)
		if got := Threads(); got != c.want {
			t.Errorf("SetThreads(%d) with GOMAXPROCS 3: Threads() = %d, want %d", c.set, got, c.want)
		}
	}
	if prev := SetThreads(5); prev != 8 {
		t.Errorf("SetThreads returned %d, want the previous setting 8", prev)
	}
}

// TestParallel checks that parallel covers [0, n) exactly once, in ranges
// that start at multiples of grain, at most chunksPerThread per goroutine.
func TestParallel(t *testing.T) {
	for _, c := range [][3]int{{1, 6, 2}, {12, 6, 2}, {13, 6, 2}, {100, 6, 3}, {100, 16, 4}, {5, 16, 2}, {819, 16, 2}, {7, 1, 7}} {
		n, grain, threads := c[0], c[1], c[2]
		t.Run(fmt.Sprint(c), func(t *testing.T) {
			seen := make([]atomic.Int32, n)
			var calls atomic.Int32
			parallel(n, grain, threads, func(lo, hi int) {
				calls.Add(1)
				if lo%grain != 0 || lo >= hi {
					t.Errorf("range [%d, %d)", lo, hi)
				}
				for i := lo; i < hi; i++ {
					seen[i].Add(1)
				}
			})
			for i := range seen {
				if s := seen[i].Load(); s != 1 {
					t.Fatalf("index %d done %d times", i, s)
				}
			}
			if c := int(calls.Load()); c > threads*chunksPerThread {
				t.Errorf("%d ranges for %d threads", c, threads)
			}
		})
	}
}
