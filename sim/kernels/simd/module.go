package simd

// Build assembles kernels.wasm. The functions take byte addresses in the
// imported memory (Go's own linear memory) and element counts; all are i32.
func Build() []byte {
	return module([]*fn{gemm(), gemmTransB(0), geluForward(), geluBackward(), exp(), layerNorm()})
}

// gemmTransB(dst, a, b, scratch, M, K, N) computes dst (M,N) += a (M,K) · bᵀ
// for b (N,K): it transposes b into scratch (K,N), then calls gemm (function
// index gemmIndex) with ai = K, ak = 1. In the model b is a weight matrix,
// so the copy (N·K moves) is small beside the product (M·N·K), and doing it
// here rather than in Go saves Go's bounds-checked loop and a second call.
func gemmTransB(gemmIndex uint32) *fn {
	f := newFn("gemmTransB", i32, i32, i32, i32, i32, i32, i32)
	dst, a, b, scratch, M, K, N := f.param(0), f.param(1), f.param(2), f.param(3), f.param(4), f.param(5), f.param(6)
	n, k, src, out, n4 := f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32)
	f.Get(N)
	f.I32Const(2)
	f.I32Shl()
	f.Set(n4)
	// for n := 0; n < N; n++ { for k := 0; k < K; k++ { scratch[k·N+n] = b[n·K+k] } }
	f.Get(b)
	f.Set(src) // walks b row by row
	f.I32Const(0)
	f.Set(n)
	f.While(func() { f.Get(n); f.Get(N); f.I32LtS() }, func() {
		f.Get(scratch)
		f.Get(n)
		f.I32Const(2)
		f.I32Shl()
		f.I32Add()
		f.Set(out) // &scratch[0·N+n]
		f.I32Const(0)
		f.Set(k)
		f.While(func() { f.Get(k); f.Get(K); f.I32LtS() }, func() {
			f.Get(out)
			f.Get(src)
			f.F32Load(0)
			f.F32Store(0)
			f.AddTo(src, 4)
			f.AddLocal(out, n4)
			f.AddTo(k, 1)
		})
		f.AddTo(n, 1)
	})
	for _, p := range []local{dst, a, scratch, M, K, N, K} {
		f.Get(p)
	}
	f.I32Const(1)
	f.Call(gemmIndex)
	return f
}

// Tile sizes of gemm: tileRows rows of dst by tileVecs·4 columns. The
// accumulators (tileRows·tileVecs vectors), the row of b (tileVecs) and the
// splat of a (1) must fit in x86-64's 16 vector registers.
const (
	tileRows = 4
	tileVecs = 2
)

// gemm(dst, a, b, M, K, N, ai, ak) computes dst (M,N) += A·B where
// A (M,K) is read through strides, A[i][k] = a[i·ai + k·ak], and b (K,N) is
// dense and row-major. MatMul is ai = K, ak = 1; MatMulTransA is ai = 1,
// ak = M (a is (K,M)); MatMulTransB transposes b first.
//
// dst is computed in tiles of tileRows × 4·tileVecs: the accumulators stay in
// registers while k runs, and each k loads tileVecs vectors of b and
// tileRows scalars of a, each straight into four lanes (v128.load32_splat:
// one instruction, where f32.load and f32x4.splat were two, and 1.15× on a
// PPO iteration in Chromium), for tileRows·tileVecs vector multiply-adds.
// The rows left over (M mod tileRows) go through 1-row tiles, the columns
// left over through 1-vector tiles and then scalar columns, so every shape
// is handled. The sum over k runs in order, as in the naive loop.
func gemm() *fn {
	f := newFn("gemm", i32, i32, i32, i32, i32, i32, i32, i32)
	dst, a, b, M, K, N, ai, ak := f.param(0), f.param(1), f.param(2), f.param(3), f.param(4), f.param(5), f.param(6), f.param(7)
	i, j, k := f.local(i32), f.local(i32), f.local(i32)
	ai4, ak4, n4 := f.local(i32), f.local(i32), f.local(i32) // strides in bytes
	pb, pd := f.local(i32), f.local(i32)
	pa := make([]local, tileRows) // byte address of A[i+r][k]
	for r := range pa {
		pa[r] = f.local(i32)
	}
	acc := make([][]local, tileRows) // acc[r][v]: dst[i+r][j+4v … j+4v+3]
	for r := range acc {
		acc[r] = make([]local, tileVecs)
		for v := range acc[r] {
			acc[r][v] = f.local(v128)
		}
	}
	bv := make([]local, tileVecs)
	for v := range bv {
		bv[v] = f.local(v128)
	}
	x := f.local(v128)
	sacc := make([]local, tileRows) // scalar accumulators of the last columns
	for r := range sacc {
		sacc[r] = f.local(f32)
	}

	// if K == 0 { return }: the k loops below run at least once.
	f.Get(K)
	f.I32Eqz()
	f.If(f.Return)
	for _, s := range [][2]local{{ai4, ai}, {ak4, ak}, {n4, N}} {
		f.Get(s[1])
		f.I32Const(2)
		f.I32Shl()
		f.Set(s[0])
	}

	// setup points pa at A[i][0], pa[r] = pa[r-1] + ai4, pb at b[0][j] and pd at dst[i][j].
	setup := func(rows int) {
		f.Get(a)
		f.Get(i)
		f.Get(ai4)
		f.I32Mul()
		f.I32Add()
		f.Set(pa[0])
		for r := 1; r < rows; r++ {
			f.Get(pa[r-1])
			f.Get(ai4)
			f.I32Add()
			f.Set(pa[r])
		}
		f.Get(b)
		f.Get(j)
		f.I32Const(2)
		f.I32Shl()
		f.I32Add()
		f.Set(pb)
		f.Get(dst)
		f.Get(i)
		f.Get(N)
		f.I32Mul()
		f.Get(j)
		f.I32Add()
		f.I32Const(2)
		f.I32Shl()
		f.I32Add()
		f.Set(pd)
		f.Get(K)
		f.Set(k)
	}
	// step advances the k loop: pa[r] += ak4, pb += n4, and loops while --k != 0.
	step := func(rows int) {
		for r := range rows {
			f.AddLocal(pa[r], ak4)
		}
		f.AddLocal(pb, n4)
		f.Get(k)
		f.I32Const(1)
		f.I32Sub()
		f.Tee(k)
		f.BrIf(0)
	}

	// vectorTile computes a rows × 4·vecs tile at (i, j).
	vectorTile := func(rows, vecs int) {
		setup(rows)
		for r := range rows {
			for v := range vecs {
				f.V128Zero()
				f.Set(acc[r][v])
			}
		}
		f.Loop(func() {
			for v := range vecs {
				f.Get(pb)
				f.V128Load(uint32(16 * v))
				f.Set(bv[v])
			}
			for r := range rows {
				f.Get(pa[r])
				f.V128Load32Splat(0)
				f.Set(x)
				for v := range vecs {
					f.Get(acc[r][v])
					f.Get(x)
					f.Get(bv[v])
					f.F32x4Mul()
					f.F32x4Add()
					f.Set(acc[r][v])
				}
			}
			step(rows)
		})
		for r := range rows {
			for v := range vecs {
				f.Get(pd)
				f.Get(pd)
				f.V128Load(uint32(16 * v))
				f.Get(acc[r][v])
				f.F32x4Add()
				f.V128Store(uint32(16 * v))
			}
			f.AddLocal(pd, n4)
		}
	}
	// scalarTile computes a rows × 1 tile at (i, j).
	scalarTile := func(rows int) {
		setup(rows)
		for r := range rows {
			f.F32Const(0)
			f.Set(sacc[r])
		}
		f.Loop(func() {
			for r := range rows {
				f.Get(sacc[r])
				f.Get(pa[r])
				f.F32Load(0)
				f.Get(pb)
				f.F32Load(0)
				f.F32Mul()
				f.F32Add()
				f.Set(sacc[r])
			}
			step(rows)
		})
		for r := range rows {
			f.Get(pd)
			f.Get(pd)
			f.F32Load(0)
			f.Get(sacc[r])
			f.F32Add()
			f.F32Store(0)
			f.AddLocal(pd, n4)
		}
	}
	// fits pushes x + width <= limit.
	fits := func(x local, width int32, limit local) func() {
		return func() {
			f.Get(x)
			f.I32Const(width)
			f.I32Add()
			f.Get(limit)
			f.I32LeS()
		}
	}
	// rowBlock computes rows i … i+rows-1 of dst.
	rowBlock := func(rows int) {
		f.I32Const(0)
		f.Set(j)
		f.While(fits(j, 4*tileVecs, N), func() {
			vectorTile(rows, tileVecs)
			f.AddTo(j, 4*tileVecs)
		})
		for vecs := tileVecs - 1; vecs >= 1; vecs-- {
			f.Get(j)
			f.I32Const(int32(4 * vecs))
			f.I32Add()
			f.Get(N)
			f.I32LeS()
			f.If(func() {
				vectorTile(rows, vecs)
				f.AddTo(j, int32(4*vecs))
			})
		}
		f.While(fits(j, 1, N), func() {
			scalarTile(rows)
			f.AddTo(j, 1)
		})
	}

	f.I32Const(0)
	f.Set(i)
	f.While(fits(i, tileRows, M), func() {
		rowBlock(tileRows)
		f.AddTo(i, tileRows)
	})
	f.While(fits(i, 1, M), func() {
		rowBlock(1)
		f.AddTo(i, 1)
	})
	return f
}
