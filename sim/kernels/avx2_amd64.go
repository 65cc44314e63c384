//go:build amd64 && !purego

package kernels

import "golang.org/x/sys/cpu"

//go:generate go run ./internal/amd64asm/gen

// The "avx2" set: the products in AVX2 + FMA assembly (avx2_amd64.s,
// printed by internal/amd64asm, whose package comment gives the register
// tiling), registered and made the default when the processor has both.
// The assembly computes whole rows of dst in tiles of 6 rows × 16 columns;
// the Go code here picks the operands' strides and splits large products
// across goroutines. Small products stay in assembly too, down to
// attention's shortest (4×4×12 takes 25 ns, 92 in the go set), except those
// that goSized picks.

// The gemmR kernels (R = 1…6): dst[r·ldd + j] += Σ_{k<kc} a[r·ai + k·ak] ·
// b[k·ldb + j] for r < R, j < n. Strides are in elements; kc ≥ 1.
//
//go:noescape
func gemm1(dst, a, b *float32, kc, n, ai, ak, ldb, ldd int)

//go:noescape
func gemm2(dst, a, b *float32, kc, n, ai, ak, ldb, ldd int)

//go:noescape
func gemm3(dst, a, b *float32, kc, n, ai, ak, ldb, ldd int)

//go:noescape
func gemm4(dst, a, b *float32, kc, n, ai, ak, ldb, ldd int)

//go:noescape
func gemm5(dst, a, b *float32, kc, n, ai, ak, ldb, ldd int)

//go:noescape
func gemm6(dst, a, b *float32, kc, n, ai, ak, ldb, ldd int)

// geluForward: out[i] = gelu(inp[i]) for i < n, n a multiple of 8.
//
//go:noescape
func geluForward(out, inp *float32, n int)

// geluBackward: dinp[i] += gelu'(inp[i])·dout[i] for i < n, n a multiple of 8.
//
//go:noescape
func geluBackward(dinp, inp, dout *float32, n int)

// exp: x[i] = exp(clamp(x[i], −87, 88)) for i < n, n a multiple of 8.
//
//go:noescape
func exp(x *float32, n int)

// transpose8: dst[(8b+c)·ldd + r] = src[r·lds + 8b + c] for b < blocks, r, c < 8.
//
//go:noescape
func transpose8(dst, src *float32, blocks, lds, ldd int)

// tileRows is the height of gemm6's tiles; gemmRows[r] does r rows.
const tileRows = 6

var gemmRows = [tileRows + 1]func(dst, a, b *float32, kc, n, ai, ak, ldb, ldd int){nil, gemm1, gemm2, gemm3, gemm4, gemm5, gemm6}

func init() {
	if !cpu.X86.HasAVX2 || !cpu.X86.HasFMA {
		return
	}
	set := Set{Name: "avx2", MatMul: matMulAVX2, MatMulTransB: matMulTransBAVX2, MatMulTransA: matMulTransAAVX2}
	if !goFuses {
		set.GELU, set.GELUBackward, set.Exp = geluAVX2, geluBackwardAVX2, expAVX2
	}
	Register(set)
	current = sets["avx2"]
}

// parallelMin is the product size M·K·N from which a product is split
// across goroutines (about 300 µs of work on one core). Smaller products
// gained nothing on the 2-core development machine while other programs
// kept its second core busy: the helper goroutine's thread started too late
// to take a share (BenchmarkProducts, set=avx2 against set=avx2-t2).
var parallelMin = 1 << 24

// goSized reports whether the go set computes a product of this shape
// faster: a single column (a matrix times a vector, one lane of the 16-wide
// tiles; 1×12×1 takes 14 ns in Go, 18 here) or fewer than 16 multiply-adds
// (1×1×1: 6 ns against 14), where the call costs more than the arithmetic.
func goSized(M, K, N int) bool { return N == 1 || M*K*N < 16 }

// matMulAVX2: dst (M,N) += a (M,K) · b (K,N).
func matMulAVX2(dst, a, b []float32, M, K, N int) {
	checkLen("MatMul dst", len(dst), M*N)
	checkLen("MatMul a", len(a), M*K)
	checkLen("MatMul b", len(b), K*N)
	if goSized(M, K, N) {
		matMulGo(dst, a, b, M, K, N)
		return
	}
	gemmAVX2(dst, a, b, M, K, N, K, 1, N)
}

// matMulTransAAVX2: dst (M,N) += aᵀ · b, a (K,M), b (K,N): the kernels read
// a down its columns (ai = 1, ak = M), so nothing is transposed.
func matMulTransAAVX2(dst, a, b []float32, M, K, N int) {
	checkLen("MatMulTransA dst", len(dst), M*N)
	checkLen("MatMulTransA a", len(a), K*M)
	checkLen("MatMulTransA b", len(b), K*N)
	if goSized(M, K, N) {
		matMulTransAGo(dst, a, b, M, K, N)
		return
	}
	gemmAVX2(dst, a, b, M, K, N, 1, M, N)
}

// matMulTransBAVX2: dst (M,N) += a (M,K) · bᵀ, b (N,K). The kernels want
// rows of the right operand, so b is transposed into scratch (K,N) first:
// N·K moves against M·N·K multiply-adds, and in the model b is a weight
// matrix while M is the number of tokens.
func matMulTransBAVX2(dst, a, b []float32, M, K, N int) {
	checkLen("MatMulTransB dst", len(dst), M*N)
	checkLen("MatMulTransB a", len(a), M*K)
	checkLen("MatMulTransB b", len(b), N*K)
	if M == 0 || N == 0 || K == 0 {
		return
	}
	if goSized(M, K, N) {
		matMulTransBGo(dst, a, b, M, K, N)
		return
	}
	buf := scratchPool.Get().(*[]float32)
	if cap(*buf) < N*K {
		*buf = make([]float32, N*K)
	}
	bt := (*buf)[:N*K]
	transposeAVX2(bt, b, N, K)
	gemmAVX2(dst, a, bt, M, K, N, K, 1, N)
	scratchPool.Put(buf)
}

// transposeAVX2 writes src (R,C) into dst (C,R): 8×8 blocks in assembly,
// the last R mod 8 rows and C mod 8 columns in Go.
func transposeAVX2(dst, src []float32, R, C int) {
	R8, C8 := R&^7, C&^7
	if C8 > 0 {
		for r := 0; r < R8; r += 8 {
			transpose8(&dst[r], &src[r*C], C8/8, C, R)
		}
	}
	for r := range R {
		c0 := C8
		if r >= R8 {
			c0 = 0
		}
		for c := c0; c < C; c++ {
			dst[c*R+r] = src[r*C+c]
		}
	}
}

// gemmAVX2 computes dst (M,N) += A·b, where A[i][k] = a[i·ai + k·ak] and
// b is (K,N) with rows ldb apart, splitting it across goroutines by rows of
// dst (or by columns when there are too few rows) when it is large.
func gemmAVX2(dst, a, b []float32, M, K, N, ai, ak, ldb int) {
	if M == 0 || N == 0 || K == 0 {
		return
	}
	// k runs in blocks of kc so that the block of b that every row tile
	// reads again stays in the core's L2 cache. kc depends on the shape
	// only: the sums, block by block, are the same for any split.
	kc := K
	if K*N > blockFloats {
		kc = max(16, blockFloats/N)
	}
	threads := 1
	if M*K*N >= parallelMin {
		threads = Threads()
	}
	switch {
	case threads == 1:
		gemmBlock(dst, a, b, 0, M, 0, N, K, kc, N, ai, ak, ldb)
	case M >= 2*tileRows*threads:
		parallel(M, tileRows, threads, func(i0, i1 int) { gemmBlock(dst, a, b, i0, i1, 0, N, K, kc, N, ai, ak, ldb) })
	default:
		parallel(N, 16, threads, func(j0, j1 int) { gemmBlock(dst, a, b, 0, M, j0, j1, K, kc, N, ai, ak, ldb) })
	}
}

// blockFloats bounds the block of b (kc rows of N) that gemmBlock keeps
// in cache: 256 KB, a share of a current core's L2.
const blockFloats = 64 << 10

// gemmBlock computes rows i0…i1−1, columns j0…j1−1 of gemmAVX2's product,
// k in blocks of kc, six rows per call of the assembly.
func gemmBlock(dst, a, b []float32, i0, i1, j0, j1, K, kc, N, ai, ak, ldb int) {
	n := j1 - j0
	for k0 := 0; k0 < K; k0 += kc {
		kn := min(kc, K-k0)
		pb := &b[k0*ldb+j0]
		for i := i0; i < i1; i += tileRows {
			r := min(tileRows, i1-i)
			gemmRows[r](&dst[i*N+j0], &a[i*ai+k0*ak], pb, kn, n, ai, ak, ldb, N)
		}
	}
}

// geluAVX2 runs geluForward on the largest multiple of 8 entries (package
// sim does the rest).
func geluAVX2(out, inp []float32) int {
	n := len(inp) &^ 7
	if n == 0 {
		return 0
	}
	checkLen("GELU out", len(out), n)
	geluForward(&out[0], &inp[0], n)
	return n
}

func geluBackwardAVX2(dinp, inp, dout []float32) int {
	n := len(inp) &^ 7
	if n == 0 {
		return 0
	}
	checkLen("GELUBackward dinp", len(dinp), n)
	checkLen("GELUBackward dout", len(dout), n)
	geluBackward(&dinp[0], &inp[0], &dout[0], n)
	return n
}

// expAVX2 runs exp on the largest multiple of 8 entries.
func expAVX2(x []float32) int {
	n := len(x) &^ 7
	if n == 0 {
		return 0
	}
	exp(&x[0], n)
	return n
}
