// Package kernels holds the heavy arithmetic of the tiny GPT: the three
// matrix products of a linear layer's forward and backward passes (which
// package sim also uses for attention, head by head), and, optionally, GELU.
//
// Every product accumulates into dst (dst += …, BLAS's beta = 1), because a
// backward pass adds into its gradients. Callers clear dst when they want a
// plain product. Matrices are dense and row-major; shapes are given as
// (rows, cols) in the comments and as M, K, N in the arguments:
//
//	MatMul       dst (M,N) += a (M,K) · b (K,N)     forward:  out  = inp · W
//	MatMulTransB dst (M,N) += a (M,K) · bᵀ, b (N,K)  backward: dinp = dout · Wᵀ
//	MatMulTransA dst (M,N) += aᵀ · b, a (K,M), b (K,N) backward: dW  = inpᵀ · dout
//
// A set may also provide GELU forward and backward (GELU, GELUBackward) and
// the exponential (Exp, which the softmaxes of attention and of the
// vocabulary call on whole blocks of arguments), which compute a prefix of
// their slices and return its length; package sim does the rest, and
// everything when the set has none, with its float32 Go code
// (sim/fastmath.go), the reference the fast versions are tested against.
//
// Each product has a naive reference (RefMatMul…), written for clarity and
// generic over float32 and float64, against which every fast version is
// tested. The float32 products dispatch to the implementation chosen by Use:
//
//   - "go": register-tiled pure Go (4×4 tiles), the fallback everywhere;
//   - "ref": the naive loops;
//   - "avx2", on amd64 (avx2_amd64.go): Go assembly for processors with
//     AVX2 and FMA, registered and made the default at start-up when
//     golang.org/x/sys/cpu reports both. It is described below;
//   - "simd", under js/wasm: the WebAssembly-SIMD module of package simd,
//     called through syscall/js with the addresses of the slices. This
//     package never touches JavaScript: the bridge is worker/jskernels,
//     whose Register adds "simd", and makes it the default, only when the
//     JavaScript glue loaded the module (the browser validated SIMD);
//     setting globalThis.rlhfKernelSet = "go" before the program starts,
//     the URL parameter ?kernels=go, or Use("go") at any time forces the
//     fallback.
//
// # The avx2 set
//
// avx2_amd64.s is printed by a small generator, internal/amd64asm (run
// `go generate ./sim/kernels`; TestAVX2AsmIsCurrent fails when the
// committed file is stale), whose package comment gives the register
// tiling. One kernel serves all three products: it adds into 1–6 rows of
// dst, 16 columns at a time in 6×16 tiles of twelve YMM accumulators (then
// an 8-wide strip and a masked strip of 1–7 columns, so any M, K, N work
// and nothing outside the operands is read or written), the product of a
// left operand read through strides, A[i][k] = a[i·ai + k·ak], and a
// row-major right operand. MatMul passes (ai, ak) = (K, 1); MatMulTransA
// (1, M), reading a down its columns; MatMulTransB first transposes b into
// scratch (8×8 blocks in assembly), N·K moves against M·N·K multiply-adds.
// When b has more than 64K floats, k runs in blocks that keep b's block in
// the L2 cache. Multiply-adds are fused (FMA), so the products round
// differently from the go set, within the tests' tolerance. The GELU
// forward and backward hooks and Exp repeat sim's float32 formulas
// operation for operation without fusing and give its results bitwise
// (within 1e-33 where GELU's exp argument is clamped, |x| ≳ 9.4; Exp clamps
// its argument to [−87, 88]); a build with GOAMD64=v3 or later, where Go
// fuses sim's own arithmetic, leaves them to sim.
//
// Measured on the development machine (BenchmarkProducts), the set is
// 14–27× the go set on the products of training and still 4–7× on
// attention's shortest (8×16×8, 4×4×12); products with a single column or
// fewer than 16 multiply-adds, where the call costs more than the
// arithmetic, go to the go set. bench-S trains about 10× faster.
//
// Build tags: the assembly needs amd64 and no purego tag; elsewhere, and
// with `-tags purego`, only "go" and "ref" exist natively.
//
// # Threads
//
// The avx2 set splits a product of at least 2²⁴ multiply-adds across
// goroutines: by rows of dst in multiples of 6, or by columns in multiples
// of 16 when there are too few rows. The caller and Threads()−1 helpers
// take chunks from a counter, so a helper that the operating system starts
// late takes none and costs nothing. Each element of dst is summed by one
// goroutine in one order, and the k blocks depend on the shape only, so
// the result is bitwise the same for any number of goroutines (the
// project's rule: one seed, one result). Smaller products, bench-S's among
// them, stay on the calling goroutine: on the shared 2-core machine the
// helper's thread started too late to pay for them.
//
// SetThreads(n) bounds the goroutines per product (1 turns threading off,
// for example to run two independent single-threaded jobs on two cores);
// the default, SetThreads(0), follows runtime.GOMAXPROCS. The kernels are
// safe for concurrent use by independent goroutines.
package kernels
