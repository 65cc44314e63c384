package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Threading. A kernel set may split a large product across goroutines by
// rows (or columns) of dst. Each element of dst is then still summed by one
// goroutine in one order, so the result is bitwise the same for any number
// of goroutines. SetThreads bounds the number; the default follows
// runtime.GOMAXPROCS.

// threadSetting is SetThreads' argument: ≤ 0 follows GOMAXPROCS.
var threadSetting atomic.Int64

// SetThreads sets how many goroutines one product may use: n ≥ 1 at most n
// (1 turns threading off, for example to run two independent jobs on two
// cores), n ≤ 0 runtime.GOMAXPROCS(0), the default. It returns the previous
// setting. It is safe to call at any time, also while products run.
func SetThreads(n int) int { return int(threadSetting.Swap(int64(n))) }

// Threads returns how many goroutines a large product uses now: SetThreads'
// bound, and never more than runtime.GOMAXPROCS(0).
func Threads() int {
	p := runtime.GOMAXPROCS(0)
	if n := int(threadSetting.Load()); n > 0 && n < p {
		return n
	}
	return p
}

// parallel splits [0, n) into at most threads ranges whose bounds are
// multiples of grain (but the last), calls f on each, the first on the
// calling goroutine, and returns when all have returned.
func parallel(n, grain, threads int, f func(lo, hi int)) {
	chunk := (n + threads - 1) / threads
	chunk = (chunk + grain - 1) / grain * grain
	if threads <= 1 || chunk >= n {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for lo := chunk; lo < n; lo += chunk {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			f(lo, hi)
		}(lo, min(lo+chunk, n))
	}
	f(0, chunk)
	wg.Wait()
}
