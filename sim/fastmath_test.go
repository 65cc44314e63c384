package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"rlhfplayground/sim/kernels"
)

// f32Eps is float32's machine epsilon, 2⁻²³: one ulp at 1, two at just below 1.
const f32Eps = 1.0 / (1 << 23)

// relErr is |got − want| / max(|want|, floor).
func relErr(got, want, floor float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), floor)
}

// TestExpf compares expf with math.Exp on every 1/4096 of [-87, 88] and on
// random points, and at the edges: special values and the deferral to
// math.Exp outside the fast range.
func TestExpf(t *testing.T) {
	// Cephes quotes a peak relative error of about 1 ulp for expf; the
	// float32 result itself is rounded, so 2 ulp (2.4e-7) is the bound.
	const tol = 2 * f32Eps
	worst, at := 0.0, float32(0)
	check := func(x float32) {
		if e := relErr(float64(expf(x)), math.Exp(float64(x)), 0); e > worst {
			worst, at = e, x
		}
	}
	for i := -87 * 4096; i <= 88*4096; i++ {
		check(float32(i) / 4096)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for range 1 << 20 {
		check(float32(rng.Float64()*175 - 87))
		check(float32(rng.NormFloat64()))
	}
	t.Logf("expf: worst relative error %.3g (%.2f ulp of 1) at x = %v", worst, worst/f32Eps, at)
	if worst > tol {
		t.Errorf("expf(%v): relative error %.3g > %.3g", at, worst, tol)
	}
	for _, x := range []float32{-200, -100, -87.5, 88.5, 89, 100} {
		if got, want := expf(x), float32(math.Exp(float64(x))); got != want {
			t.Errorf("expf(%v) = %v, want %v", x, got, want)
		}
	}
	if expf(0) != 1 || !math.IsInf(float64(expf(float32(math.Inf(1)))), 1) || expf(float32(math.Inf(-1))) != 0 {
		t.Errorf("expf(0, +Inf, -Inf) = %v, %v, %v", expf(0), expf(float32(math.Inf(1))), expf(float32(math.Inf(-1))))
	}
	if nan := float32(math.NaN()); !math.IsNaN(float64(expf(nan))) {
		t.Errorf("expf(NaN) = %v", expf(nan))
	}
}

// TestGELU32 compares the float32 GELU with the float64 reference (math.Tanh)
// on [-12, 12], forward and backward. The forward value is taken relative to
// max(|want|, 1e-3) (it vanishes at 0 and in the left tail), the derivative
// relative to max(|want|, 1): it is a sum of two terms of order 1 that cancel
// at x ≈ −0.75, where float32 rounding of the terms is all that is left.
func TestGELU32(t *testing.T) {
	const n = 1 << 18
	xs := make([]float32, n)
	for i := range xs {
		xs[i] = float32(-12 + 24*float64(i)/(n-1))
	}
	x64 := make([]float64, n)
	for i, x := range xs {
		x64[i] = float64(x)
	}
	ones32, ones64 := make([]float32, n), make([]float64, n)
	for i := range ones32 {
		ones32[i], ones64[i] = 1, 1
	}
	out32, out64 := make([]float32, n), make([]float64, n)
	geluForward32(out32, xs)
	geluForward(out64, x64)
	d32, d64 := make([]float32, n), make([]float64, n)
	geluBackward32(d32, xs, ones32)
	geluBackward(d64, x64, ones64)
	// The exponent −2|u| is itself rounded to float32, an absolute error of
	// |2u|·2⁻²⁴ that exp turns into the same relative error of e; in the left
	// tail, where the value is x·e/(1+e), that is what remains (8 ulp at
	// x ≈ −3.3, where the floor takes over). Elsewhere the error is 1–2 ulp.
	const tol = 16 * f32Eps
	for _, c := range []struct {
		name      string
		floor     float64
		got, want func(i int) float64
	}{
		{"forward", 1e-3, func(i int) float64 { return float64(out32[i]) }, func(i int) float64 { return out64[i] }},
		{"backward", 1, func(i int) float64 { return float64(d32[i]) }, func(i int) float64 { return d64[i] }},
	} {
		worst, at := 0.0, 0
		for i := range xs {
			if e := relErr(c.got(i), c.want(i), c.floor); e > worst {
				worst, at = e, i
			}
		}
		t.Logf("gelu %s: worst relative error %.3g (%.2f ulp) at x = %v", c.name, worst, worst/f32Eps, xs[at])
		if worst > tol {
			t.Errorf("gelu %s at x = %v: got %v, want %v (relative error %.3g > %.3g)", c.name, xs[at], c.got(at), c.want(at), worst, tol)
		}
	}
}

// BenchmarkExpSlice measures expSlice per value (a copy included).
func BenchmarkExpSlice(b *testing.B) {
	xs, buf := make([]float32, 1024), make([]float32, 1024)
	for i := range xs {
		xs[i] = float32(i)/64 - 16
	}
	for b.Loop() {
		copy(buf, xs)
		expSlice(buf)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(xs)), "ns/exp")
}

// TestGELUKernels checks the GELU of every kernel set (the SIMD module under
// wasm) against geluForward32 and geluBackward32, on a length that is not a
// multiple of the vector width. The SIMD code does the same float32
// operations in the same order, so the results agree exactly, except where
// it clamps exp's argument at −87 (|x| ≳ 9.4): there both are within 1e-33
// of the limit 0.
func TestGELUKernels(t *testing.T) {
	defer kernels.Use(kernels.Current())
	const n = 4099
	rng := rand.New(rand.NewPCG(1, 9))
	x, dout := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], dout[i] = float32(rng.NormFloat64()*4), float32(rng.NormFloat64())
	}
	x[0], x[1], x[2] = 0, -30, 30
	want, wantD := make([]float32, n), make([]float32, n)
	geluForward32(want, x)
	geluBackward32(wantD, x, dout)
	for _, set := range kernels.Names() {
		t.Run(set, func(t *testing.T) {
			if err := kernels.Use(set); err != nil {
				t.Fatal(err)
			}
			got, gotD := make([]float32, n), make([]float32, n)
			geluForward(got, x)
			geluBackward(gotD, x, dout)
			for i := range x {
				for _, c := range []struct {
					name string
					g, w float32
				}{{"forward", got[i], want[i]}, {"backward", gotD[i], wantD[i]}} {
					if c.g != c.w && !(math.Abs(float64(c.g-c.w)) < 1e-33) {
						t.Fatalf("%s gelu(%v): %v, Go %v", c.name, x[i], c.g, c.w)
					}
				}
			}
		})
	}
}

// BenchmarkGELU32 measures GELU forward and backward per value (with the
// kernel set in use), at the
// size of one PPO minibatch's MLP activations (8·52·192).
func BenchmarkGELU32(b *testing.B) {
	n := 8 * 52 * 192
	rng := rand.New(rand.NewPCG(1, 8))
	x, out, dx, dout := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], dout[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
	}
	for b.Loop() {
		geluForward(out, x)
		geluBackward(dx, x, dout)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/value")
}

// TestSoftmax32 compares the float32 vocabulary softmax (tokenLogProb and
// entropy on []float32) with the float64 one on rows of the app's size.
func TestSoftmax32(t *testing.T) {
	// expf's 1 ulp and the float32 rounding of (z − max z)/τ, up to ~30 in
	// magnitude (~2e-6 absolute), bound the error of each term.
	const tol = 1e-5
	rng := rand.New(rand.NewPCG(1, 7))
	const V = 819
	row32, row64 := make([]float32, V), make([]float64, V)
	p32, p64 := make([]float64, V), make([]float64, V)
	for _, std := range []float64{0.1, 3, 10} {
		for _, temp := range []float64{0.7, 1, 1.5} {
			for i := range row32 {
				row32[i] = float32(rng.NormFloat64() * std)
				row64[i] = float64(row32[i])
			}
			target := rng.IntN(V)
			lp32, lp64 := tokenLogProb(row32, target, temp, p32), tokenLogProb(row64, target, temp, p64)
			h32, h64 := entropy(row32, temp, p32), entropy(row64, temp, p64)
			if relErr(lp32, lp64, 1) > tol || relErr(h32, h64, 1) > tol {
				t.Errorf("std %v, τ %v: log p %v / %v, entropy %v / %v (float32 / float64)", std, temp, lp32, lp64, h32, h64)
			}
			if lpNil := tokenLogProb(row32, target, temp, nil); lpNil != lp32 {
				t.Errorf("std %v, τ %v: log p %v without probs, %v with", std, temp, lpNil, lp32)
			}
			if lp, h := logProbAndEntropy(row32, target, temp, nil); lp != lp32 || h != h32 {
				t.Errorf("std %v, τ %v: logProbAndEntropy %v, %v; want %v, %v", std, temp, lp, h, lp32, h32)
			}
			for i := range p32 {
				if math.Abs(p32[i]-p64[i]) > tol*math.Max(p64[i], 1e-3) {
					t.Fatalf("std %v, τ %v: p[%d] = %v, want %v", std, temp, i, p32[i], p64[i])
				}
			}
		}
	}
}

// TestExpKernels checks every kernel set's Exp (the AVX2 or SIMD module's,
// through expNonPositive) against expSlice, on a length that is not a
// multiple of the vector width: bitwise on [−87, 88], the same arithmetic;
// below −87, where the kernels clamp, within e⁻⁸⁷ of expSlice's; and a
// NaN stays NaN.
func TestExpKernels(t *testing.T) {
	defer kernels.Use(kernels.Current())
	const n = 4099
	rng := rand.New(rand.NewPCG(1, 10))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(-rng.Float64() * 100) // the softmaxes' arguments: ≤ 0
	}
	x[0], x[1], x[2], x[3] = 0, -87, -87.5, float32(math.NaN())
	want := append([]float32(nil), x...)
	expSlice(want)
	for _, set := range kernels.Names() {
		t.Run(set, func(t *testing.T) {
			if err := kernels.Use(set); err != nil {
				t.Fatal(err)
			}
			got := append([]float32(nil), x...)
			expNonPositive(got)
			for i := range x {
				switch {
				case math.IsNaN(float64(want[i])):
					if !math.IsNaN(float64(got[i])) {
						t.Fatalf("exp(NaN) = %v", got[i])
					}
				case x[i] < -87:
					if math.Abs(float64(got[i]-want[i])) > 1.7e-38 { // e⁻⁸⁷ ≈ 1.65e-38
						t.Fatalf("exp(%v) = %v, Go %v", x[i], got[i], want[i])
					}
				case got[i] != want[i]:
					t.Fatalf("exp(%v) = %v, Go %v", x[i], got[i], want[i])
				}
			}
			// The kernel's whole range, [−87, 88], bitwise.
			y := make([]float32, n)
			for i := range y {
				y[i] = float32(rng.Float64()*175 - 87)
			}
			args, wantY := append([]float32(nil), y...), append([]float32(nil), y...)
			expSlice(wantY)
			k := kernels.Exp(y)
			for i := range k {
				if y[i] != wantY[i] {
					t.Fatalf("kernels.Exp: exp(%v) = %v, Go %v", args[i], y[i], wantY[i])
				}
			}
		})
	}
}

// TestSoftmaxRows compares softmaxRows, causal (row t of a block sees t+1
// entries) and of rows of one length, with the float64 softmax of each row.
func TestSoftmaxRows(t *testing.T) {
	defer kernels.Use(kernels.Current())
	rng := rand.New(rand.NewPCG(1, 11))
	for _, set := range kernels.Names() {
		if err := kernels.Use(set); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ R, T, base, period int }{{3 * 33, 33, 1, 33}, {2 * 5, 5, 1, 5}, {7, 20, 20, 1}, {5, 9, 4, 1}} {
			x := make([]float32, c.R*c.T)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 3)
			}
			want := append([]float32(nil), x...)
			const scale = 0.25
			softmaxRows(x, c.R, c.T, c.base, c.period, scale)
			for r := range c.R {
				n := c.base + r%c.period
				row := want[r*c.T : (r+1)*c.T]
				m := math.Inf(-1)
				for _, v := range row[:n] {
					m = math.Max(m, float64(v))
				}
				var sum float64
				for _, v := range row[:n] {
					sum += math.Exp((float64(v) - m) * scale)
				}
				for i := range c.T {
					w := 0.0
					if i < n {
						w = math.Exp((float64(row[i])-m)*scale) / sum
					}
					if g := float64(x[r*c.T+i]); math.Abs(g-w) > 1e-6 {
						t.Fatalf("%s %+v: row %d entry %d: %v, want %v", set, c, r, i, g, w)
					}
				}
			}
		}
	}
}

// TestNLLGradientExp checks PPO's fused path (softmaxExp32, then
// addNLLGradientExp from the float32 exponentials) against tokenLogProb
// and addNLLGradient from the float64 probabilities: bitwise the same.
func TestNLLGradientExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 12))
	const V, temp, w = 819, 0.7, 0.37
	row := make([]float32, V)
	for i := range row {
		row[i] = float32(rng.NormFloat64() * 3)
	}
	probs, e := make([]float64, V), make([]float32, V)
	want, got := make([]float32, V), make([]float32, V)
	lp := tokenLogProb(row, 5, temp, probs)
	addNLLGradient(want, probs, 5, w, temp)
	m, sum, _ := softmaxExp32(e, row, temp)
	addNLLGradientExp(got, e, sum, 5, w, temp)
	if lp2 := (float64(row[5])-float64(m))/temp - math.Log(sum); lp2 != lp {
		t.Errorf("log p %v, tokenLogProb %v", lp2, lp)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("gradient %d: %v, addNLLGradient %v", i, got[i], want[i])
		}
	}
}
