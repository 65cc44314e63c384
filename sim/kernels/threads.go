package kernels

import (
	"runtime"
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

// parallel splits [0, n) into chunks whose bounds are multiples of grain
// (but the last), about chunksPerThread per goroutine, and calls f on each:
// the calling goroutine and threads−1 helpers take chunks in turn from a
// counter until none is left. It returns when every chunk is done. The
// caller starts at once and waits only for chunks a helper has taken, so a
// helper that the operating system runs late (the machine's other core is
// busy) costs nothing: it finds no chunk left and returns. Which goroutine
// does a chunk does not change its result.
func parallel(n, grain, threads int, f func(lo, hi int)) {
	size := (n + threads*chunksPerThread - 1) / (threads * chunksPerThread)
	size = max(grain, (size+grain-1)/grain*grain)
	total := int64((n + size - 1) / size)
	if threads <= 1 || total == 1 {
		f(0, n)
		return
	}
	var next, done atomic.Int64
	finished := make(chan struct{})
	work := func() {
		for {
			c := next.Add(1) - 1
			if c >= total {
				return
			}
			lo := int(c) * size
			f(lo, min(lo+size, n))
			if done.Add(1) == total {
				close(finished)
			}
		}
	}
	for range threads - 1 {
		go work()
	}
	work()
	<-finished
}

// chunksPerThread is how many chunks parallel makes per goroutine: more
// balance the work when one goroutine runs slower, fewer cost fewer calls.
const chunksPerThread = 4

// ForRanges calls f on chunks [lo, hi) that cover [0, n), with bounds that
// are multiples of grain (but the last), on up to Threads() goroutines when
// n·cost — f's work in multiply-adds, about — is at least ParallelMin;
// else on the calling goroutine, once. The engine's loops over independent
// rows (the LayerNorm rows, attention's sequences, AdamW's parameters) use
// it: when each element is computed by one goroutine in one order, the
// result is bitwise the same for any number of goroutines.
func ForRanges(n, grain, cost int, f func(lo, hi int)) {
	threads := 1
	if n*cost >= ParallelMin {
		threads = Threads()
	}
	parallel(n, max(grain, 1), threads, f)
}

// ParallelMin is the work, in multiply-adds, from which ForRanges splits a
// loop, so that a goroutine's start-up pays: lower than the avx2 products'
// bound (2²⁴), since a unit of these loops' scalar work costs several of
// the products' SIMD multiply-adds.
const ParallelMin = 1 << 18
