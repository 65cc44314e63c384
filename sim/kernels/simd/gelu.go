package simd

// GELU with the tanh approximation, forward and backward, four values at a
// time. The arithmetic is that of sim's geluForward32 and geluBackward32
// (sim/fastmath.go), operation for operation in the same order, with the
// exponential of sim's expSlice: WebAssembly has no fused multiply-add, so
// both give the same float32 results, except that exp's argument −2|u| is
// clamped at −87 (|x| ≳ 9.4), where sim's Go code defers to math.Exp and
// both results are within 1e-33 of the limit (0 or x).

// Constants of the formula and of exp (see sim/fastmath.go).
const (
	geluK  = 0.7978845608028654 // √(2/π)
	geluC2 = geluK * 0.044715   // in u = x·(K + C2·x²)
	geluC3 = geluK * 3 * 0.044715
	log2e  = 1.44269504088896341
	ln2Hi  = 0.693359375
	ln2Lo  = -2.12194440e-4
	round  = 12582912
)

// expPoly is Cephes' polynomial for eʳ − 1 − r, over r², highest degree first.
var expPoly = []float32{1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1}

// expVec pushes exp(a) for the vector local a, whose lanes are in [-87, 88],
// using the scratch vector locals t, n and r.
func (f *fn) expVec(a, t, n, r local) {
	// t = a·log2e + round; n = t − round: a/ln2 rounded to an integer.
	f.Get(a)
	f.F32x4Const(log2e)
	f.F32x4Mul()
	f.F32x4Const(round)
	f.F32x4Add()
	f.Tee(t)
	f.F32x4Const(round)
	f.F32x4Sub()
	f.Set(n)
	// r = a − n·ln2Hi − n·ln2Lo
	f.Get(a)
	f.Get(n)
	f.F32x4Const(ln2Hi)
	f.F32x4Mul()
	f.F32x4Sub()
	f.Get(n)
	f.F32x4Const(ln2Lo)
	f.F32x4Mul()
	f.F32x4Sub()
	f.Set(r)
	// p = ((c0·r + c1)·r + …)·r + c5, then eʳ = p·r·r + r + 1
	f.F32x4Const(expPoly[0])
	for _, c := range expPoly[1:] {
		f.Get(r)
		f.F32x4Mul()
		f.F32x4Const(c)
		f.F32x4Add()
	}
	f.Get(r)
	f.F32x4Mul()
	f.Get(r)
	f.F32x4Mul()
	f.Get(r)
	f.F32x4Add()
	f.F32x4Const(1)
	f.F32x4Add()
	// · 2ⁿ, built in the exponent bits: (n + 127) << 23.
	f.Get(n)
	f.I32x4TruncSatF32x4S()
	f.I32Const(127)
	f.I32x4Splat()
	f.I32x4Add()
	f.I32Const(23)
	f.I32x4Shl()
	f.F32x4Mul()
}

// geluLoop emits the loop shared by both functions: for each i, in steps
// of 4, with x = inp[i…i+3], it leaves in locals e = exp(−2|u|), r = 1/(1+e) and
// s = ½(1 + tanh u) (r, times e where x < 0), then runs body.
func geluLoop(f *fn, inp, n local, body func(i, x, e, r, s local)) {
	i := f.local(i32)
	x, a, e, r, s := f.local(v128), f.local(v128), f.local(v128), f.local(v128), f.local(v128)
	t1, t2, t3 := f.local(v128), f.local(v128), f.local(v128)
	f.I32Const(0)
	f.Set(i)
	f.While(func() { f.Get(i); f.Get(n); f.I32LtS() }, func() {
		f.elem(inp, i)
		f.V128Load(0)
		f.Set(x)
		// a = max(−2|x|·(K + C2·x·x), −87) = −2|u|, clamped
		f.F32x4Const(-2)
		f.Get(x)
		f.F32x4Abs()
		f.F32x4Mul()
		f.F32x4Const(geluK)
		f.F32x4Const(geluC2)
		f.Get(x)
		f.F32x4Mul()
		f.Get(x)
		f.F32x4Mul()
		f.F32x4Add()
		f.F32x4Mul()
		f.F32x4Const(-87)
		f.F32x4Max()
		f.Set(a)
		f.expVec(a, t1, t2, t3)
		f.Set(e)
		f.F32x4Const(1)
		f.F32x4Const(1)
		f.Get(e)
		f.F32x4Add()
		f.F32x4Div()
		f.Set(r)
		// s = r · (x < 0 ? e : 1)
		f.Get(r)
		f.Get(e)
		f.F32x4Const(1)
		f.Get(x)
		f.V128Zero()
		f.F32x4Lt()
		f.V128Bitselect()
		f.F32x4Mul()
		f.Set(s)
		body(i, x, e, r, s)
		f.AddTo(i, 4)
	})
}

// elem pushes base + 4·i, the byte address of element i, for the i32 locals base and i.
func (f *fn) elem(base, i local) {
	f.Get(base)
	f.Get(i)
	f.I32Const(2)
	f.I32Shl()
	f.I32Add()
}

// geluForward(out, inp, n) writes out[i] = gelu(inp[i]) for i < n, n a multiple of 4.
func geluForward() *fn {
	f := newFn("geluForward", i32, i32, i32)
	out, inp, n := f.param(0), f.param(1), f.param(2)
	geluLoop(f, inp, n, func(i, x, e, r, s local) {
		f.elem(out, i)
		f.Get(x)
		f.Get(s)
		f.F32x4Mul()
		f.V128Store(0)
	})
	return f
}

// geluBackward(dinp, inp, dout, n) adds gelu'(inp[i])·dout[i] into dinp[i]
// for i < n, n a multiple of 4:
// gelu' = s + 2x·e·r²·(K + C3·x²).
func geluBackward() *fn {
	f := newFn("geluBackward", i32, i32, i32, i32)
	dinp, inp, dout, n := f.param(0), f.param(1), f.param(2), f.param(3)
	geluLoop(f, inp, n, func(i, x, e, r, s local) {
		f.elem(dinp, i)
		f.elem(dinp, i)
		f.V128Load(0)
		// grad = s + (((2·x)·e)·r)·r·(K + (C3·x)·x)
		f.Get(s)
		f.F32x4Const(2)
		f.Get(x)
		f.F32x4Mul()
		f.Get(e)
		f.F32x4Mul()
		f.Get(r)
		f.F32x4Mul()
		f.Get(r)
		f.F32x4Mul()
		f.F32x4Const(geluK)
		f.F32x4Const(geluC3)
		f.Get(x)
		f.F32x4Mul()
		f.Get(x)
		f.F32x4Mul()
		f.F32x4Add()
		f.F32x4Mul()
		f.F32x4Add()
		// dinp += grad · dout
		f.elem(dout, i)
		f.V128Load(0)
		f.F32x4Mul()
		f.F32x4Add()
		f.V128Store(0)
	})
	return f
}

// exp(x, n) replaces x[i] by exp(clamp(x[i], −87, 88)) for i < n, n a
// multiple of 4: sim's expSlice four lanes at a time (the same operations
// in the same order, so the same float32 results inside the clamp; outside
// it expSlice defers to math.Exp). sim's softmaxes call it on arguments
// ≤ 0, where below −87 both are within 1.6e-38 of 0.
func exp() *fn {
	f := newFn("exp", i32, i32)
	x, n := f.param(0), f.param(1)
	i := f.local(i32)
	a, t1, t2, t3 := f.local(v128), f.local(v128), f.local(v128), f.local(v128)
	f.I32Const(0)
	f.Set(i)
	f.While(func() { f.Get(i); f.Get(n); f.I32LtS() }, func() {
		f.elem(x, i) // the store's address, under the value
		f.elem(x, i)
		f.V128Load(0)
		f.F32x4Const(-87)
		f.F32x4Max()
		f.F32x4Const(88)
		f.F32x4Min()
		f.Set(a)
		f.expVec(a, t1, t2, t3)
		f.V128Store(0)
		f.AddTo(i, 4)
	})
	return f
}
