package simd

// Layer normalisation's forward pass, two float64 lanes at a time. It
// repeats the float64 arithmetic of package sim's layerNormRows
// (sim/layers.go) operation for operation: the row's sums of x and x² over
// its even and its odd entries apart, which are exactly the two lanes here,
// and float64's +, −, ·, ÷ and √ round the same everywhere, so the results
// are sim's to the bit.

// layerNormEps is sim's ε under the variance.
const layerNormEps = 1e-5

// Byte shuffles: highPair moves lanes 2–3 of a float32 vector to lanes 0–1;
// lowPairs joins lanes 0–1 of two vectors.
var (
	highPair = [16]byte{8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15}
	lowPairs = [16]byte{0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23}
)

// layerNorm(out, mean, rstd, inp, w, b, N, C) normalises each of the N rows
// of inp (N,C), C a positive multiple of 4, as sim's layerNormRows: with
// the row's mean m and 1/√(variance + ε) s, both in float64 from one pass
// (sums of x and x² over the even and the odd entries apart),
// out[i] = float32((x[i] − m)·s)·w[i] + b[i]; mean and rstd get m and s.
func layerNorm() *fn {
	f := newFn("layerNorm", i32, i32, i32, i32, i32, i32, i32, i32)
	out, mean, rstd, inp, w, b, N, C := f.param(0), f.param(1), f.param(2), f.param(3), f.param(4), f.param(5), f.param(6), f.param(7)
	row, k, px, po, pw, pb := f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32)
	cf, m, s := f.local(f64), f.local(f64), f.local(f64)
	x, lo, hi, sum, sq, mv, sv := f.local(v128), f.local(v128), f.local(v128), f.local(v128), f.local(v128), f.local(v128), f.local(v128)
	// pairs sets lo and hi to entries 0–1 and 2–3 of the four at px, in float64.
	pairs := func() {
		f.Get(px)
		f.V128Load(0)
		f.Tee(x)
		f.F64x2PromoteLowF32x4()
		f.Set(lo)
		f.Get(x)
		f.Get(x)
		f.I8x16Shuffle(highPair)
		f.F64x2PromoteLowF32x4()
		f.Set(hi)
	}
	// overRow runs body for each four entries of the row, with px at them in
	// inp and, when it writes, po, pw and pb at them in out, w and b.
	overRow := func(writes bool, body func()) {
		f.Get(inp)
		f.Get(row)
		f.Get(C)
		f.I32Mul()
		f.I32Const(2)
		f.I32Shl()
		f.Tee(po)
		f.I32Add()
		f.Set(px)
		f.Get(out)
		f.Get(po)
		f.I32Add()
		f.Set(po)
		f.Get(w)
		f.Set(pw)
		f.Get(b)
		f.Set(pb)
		f.Get(C)
		f.I32Const(2)
		f.I32ShrS()
		f.Set(k)
		f.Loop(func() {
			body()
			f.AddTo(px, 16)
			if writes {
				f.AddTo(po, 16)
				f.AddTo(pw, 16)
				f.AddTo(pb, 16)
			}
			f.Get(k)
			f.I32Const(1)
			f.I32Sub()
			f.Tee(k)
			f.BrIf(0)
		})
	}
	// halves pushes (lane 0 + lane 1 of the vector local v)/C.
	halves := func(v local) {
		f.Get(v)
		f.F64x2ExtractLane(0)
		f.Get(v)
		f.F64x2ExtractLane(1)
		f.F64Add()
		f.Get(cf)
		f.F64Div()
	}

	f.Get(C)
	f.F64ConvertI32S()
	f.Set(cf)
	f.I32Const(0)
	f.Set(row)
	f.While(func() { f.Get(row); f.Get(N); f.I32LtS() }, func() {
		f.V128Zero()
		f.Set(sum)
		f.V128Zero()
		f.Set(sq)
		overRow(false, func() {
			pairs()
			for _, p := range []local{lo, hi} {
				f.Get(sum)
				f.Get(p)
				f.F64x2Add()
				f.Set(sum)
				f.Get(sq)
				f.Get(p)
				f.Get(p)
				f.F64x2Mul()
				f.F64x2Add()
				f.Set(sq)
			}
		})
		// m = Σx/C; s = 1/√(max(0, Σx²/C − m²) + ε)
		halves(sum)
		f.Set(m)
		f.F64Const(1)
		f.F64Const(0)
		halves(sq)
		f.Get(m)
		f.Get(m)
		f.F64Mul()
		f.F64Sub()
		f.F64Max()
		f.F64Const(layerNormEps)
		f.F64Add()
		f.F64Sqrt()
		f.F64Div()
		f.Set(s)
		for _, st := range [][2]local{{mean, m}, {rstd, s}} {
			f.elem(st[0], row)
			f.Get(st[1])
			f.F32DemoteF64()
			f.F32Store(0)
		}
		f.Get(m)
		f.F64x2Splat()
		f.Set(mv)
		f.Get(s)
		f.F64x2Splat()
		f.Set(sv)
		overRow(true, func() {
			pairs()
			f.Get(po)
			for _, p := range []local{lo, hi} {
				f.Get(p)
				f.Get(mv)
				f.F64x2Sub()
				f.Get(sv)
				f.F64x2Mul()
				f.F32x4DemoteF64x2Zero()
			}
			f.I8x16Shuffle(lowPairs)
			f.Get(pw)
			f.V128Load(0)
			f.F32x4Mul()
			f.Get(pb)
			f.V128Load(0)
			f.F32x4Add()
			f.V128Store(0)
		})
		f.AddTo(row, 1)
	})
	return f
}
