package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// gradTol is the worst relative error allowed between an analytic gradient
// and central differences in float64. With step 1e-5 the truncation error of
// central differences is ~1e-10 relative and the rounding error ~1e-11, so
// 1e-6 leaves two orders of magnitude and still catches any wrong term.
const gradTol = 1e-6

// gradFloor is the smallest denominator of the relative error. Central
// differences carry an absolute rounding error of about ε·|loss|/step ≈
// 1e-16·10/1e-5 = 1e-10, which is a large relative error on entries that are
// (nearly) zero — the key biases' gradient is exactly zero, since a softmax
// ignores a shift shared by all keys. Below 1e-3 the test therefore asks for
// an absolute error under 1e-9, still ten times that rounding floor.
const gradFloor = 1e-3

// checkGradient compares the analytic gradient of loss at x, analytic, with
// central differences, and reports the worst relative error per named range
// of x. loss reads x (it may be a view the model uses).
func checkGradient(t *testing.T, x []float64, loss func() float64, analytic []float64, names []string, sizes []int) {
	t.Helper()
	numeric := make([]float64, len(x))
	fd.Gradient(numeric, func(y []float64) float64 {
		saved := append([]float64(nil), x...)
		copy(x, y)
		l := loss()
		copy(x, saved)
		return l
	}, append([]float64(nil), x...), &fd.Settings{Formula: fd.Central, Step: 1e-5})
	off := 0
	for i, name := range names {
		worst, at := 0.0, -1
		for j := off; j < off+sizes[i]; j++ {
			a, n := analytic[j], numeric[j]
			rel := math.Abs(a-n) / math.Max(gradFloor, math.Max(math.Abs(a), math.Abs(n)))
			if rel > worst || at < 0 {
				worst, at = rel, j
			}
		}
		t.Logf("%-14s worst relative error %.2e", name, worst)
		if worst > gradTol {
			t.Errorf("%s[%d]: analytic %.10g, numeric %.10g (relative error %.2e > %.0e)", name, at-off, analytic[at], numeric[at], worst, gradTol)
		}
		off += sizes[i]
	}
}

func randomFloats(rng *rand.Rand, n int, std float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64() * std
	}
	return s
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// tinyConfig is small enough for finite differences over every parameter.
var tinyConfig = Config{Vocab: 11, Context: 6, Embd: 8, Layers: 2, Heads: 2, MLP: 12}

// randomModel returns a tinyConfig model in float64 with random weights and
// a batch of B sequences of Tn random tokens.
func randomModel(rng *rand.Rand, B, Tn int) (*Model[float64], []int) {
	m := NewModel[float64](tinyConfig)
	copy(m.Params.Data, randomFloats(rng, len(m.Params.Data), 0.3))
	tokens := make([]int, B*Tn)
	for i := range tokens {
		tokens[i] = rng.IntN(tinyConfig.Vocab)
	}
	return m, tokens
}

// TestModelGradient checks every parameter tensor of the whole model at once:
// loss = Σ logits·dlogits + Σ scalars·dscalars for random upstream gradients,
// without dropout and with it (each forward pass then draws the same masks,
// from a stream seeded anew, so that the loss is a function of the weights).
func TestModelGradient(t *testing.T) {
	for _, rate := range []float64{0, 0.3} {
		t.Run(fmt.Sprintf("dropout %.1f", rate), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 1))
			cfg, B, Tn := tinyConfig, 2, 5
			m, tokens := randomModel(rng, B, Tn)
			dlogits := randomFloats(rng, B*Tn*cfg.Vocab, 1)
			dscalars := randomFloats(rng, B*Tn, 1)
			loss := func() float64 {
				if rate > 0 {
					m.SetDropout(rate, rand.New(rand.NewPCG(7, 7)))
				}
				m.Forward(tokens, B, Tn, true)
				return dot(m.Logits(), dlogits) + dot(m.Scalars(), dscalars)
			}
			loss()
			m.ZeroGrad()
			params := append([]float64(nil), m.Params.Data...)
			m.Backward(dlogits, dscalars)
			analytic := append([]float64(nil), m.Grads.Data...)
			for i := range params {
				if params[i] != m.Params.Data[i] {
					t.Fatal("Backward changed a parameter")
				}
			}
			// Backward adds: a second call must double every gradient.
			m.Backward(dlogits, dscalars)
			for i, g := range m.Grads.Data {
				if math.Abs(g-2*analytic[i]) > 1e-12*math.Max(1, math.Abs(g)) {
					t.Fatalf("second Backward: gradient %d is %g, want %g (does a backward use = for +=?)", i, g, 2*analytic[i])
				}
			}
			var names []string
			var sizes []int
			for _, s := range cfg.tensors() {
				names, sizes = append(names, s.name), append(sizes, s.size)
			}
			checkGradient(t, m.Params.Data, loss, analytic, names, sizes)
		})
	}
}

// TestDropoutMask: dropout keeps each output with probability 1 − rate,
// scaled by 1/(1 − rate), draws a new mask at every forward pass, and is
// off again after SetDropout(0, nil).
func TestDropoutMask(t *testing.T) {
	const rate, n = 0.25, 40000
	rng := rand.New(rand.NewPCG(3, 3))
	keep, x := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = 2
	}
	dropForward(keep, x, rate, rng)
	zeros, sum := 0, 0.0
	for i, k := range keep {
		switch k {
		case 0:
			zeros++
		case 1 / (1 - rate):
		default:
			t.Fatalf("keep[%d] = %v, want 0 or %v", i, k, 1/(1-rate))
		}
		if x[i] != 2*k {
			t.Fatalf("x[%d] = %v, want 2·keep = %v", i, x[i], 2*k)
		}
		sum += float64(x[i])
	}
	// Binomial: the share of zeros has standard deviation √(p(1−p)/n) ≈ 0.002.
	if share := float64(zeros) / n; math.Abs(share-rate) > 0.01 {
		t.Errorf("%.3f of the outputs dropped, want %.2f ± 0.01", share, rate)
	}
	if mean := sum / n; math.Abs(mean-2) > 0.05 {
		t.Errorf("mean after dropout %.3f, want the input's 2 ± 0.05", mean)
	}

	m := NewModel[float32](tinyConfig)
	m.Params.Init(tinyConfig, rand.New(rand.NewPCG(1, 2)).NormFloat64)
	tokens := []int{1, 2, 3, 4}
	forward := func() []float32 {
		m.Forward(tokens, 1, len(tokens), true)
		return append([]float32(nil), m.Logits()...)
	}
	plain := forward()
	m.SetDropout(0.5, rand.New(rand.NewPCG(5, 5)))
	first, second := forward(), forward()
	if slices.Equal(first, plain) || slices.Equal(first, second) {
		t.Error("with dropout, two forward passes gave the same logits as each other or as without it")
	}
	m.SetDropout(0, nil)
	if got := forward(); !slices.Equal(got, plain) {
		t.Error("after SetDropout(0, nil) the logits differ from those without dropout")
	}
}

// TestCrossEntropyGradient checks the loss's gradient with respect to the
// logits, with a temperature and weights that skip a row.
func TestCrossEntropyGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	N, V, temp := 4, 7, 0.7
	logits := randomFloats(rng, N*V, 2)
	targets := []int{3, 0, 6, 2}
	weights := []float64{0.5, 0, -1.5, 0.25}
	probs := make([]float64, V)
	loss := func() float64 { return crossEntropy[float64](nil, logits, targets, weights, V, temp, probs) }
	analytic := make([]float64, N*V)
	crossEntropy(analytic, logits, targets, weights, V, temp, probs)
	checkGradient(t, logits, loss, analytic, []string{"logits"}, []int{N * V})
}

// TestLayerNormGradient checks layerNormBackward's input gradient alone, the
// pair whose formula is easiest to get subtly wrong.
func TestLayerNormGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 3))
	N, C := 3, 5
	inp, w, b := randomFloats(rng, N*C, 1), randomFloats(rng, C, 1), randomFloats(rng, C, 1)
	dout := randomFloats(rng, N*C, 1)
	out, mean, rstd := make([]float64, N*C), make([]float64, N), make([]float64, N)
	x := append(append(append([]float64(nil), inp...), w...), b...)
	loss := func() float64 {
		layerNormForward(out, mean, rstd, x[:N*C], x[N*C:N*C+C], x[N*C+C:], N, C)
		return dot(out, dout)
	}
	loss()
	analytic := make([]float64, len(x))
	layerNormBackward(analytic[:N*C], analytic[N*C:N*C+C], analytic[N*C+C:], dout, x[:N*C], x[N*C:N*C+C], mean, rstd, N, C)
	checkGradient(t, x, loss, analytic, []string{"inp", "w", "b"}, []int{N * C, C, C})
}

// TestLMHeadGradient checks lmHeadForward and lmHeadBackward on a subset of
// positions (in any order, one of them twice) and on all of them, with the
// two extra properties: backward adds (twice doubles) and leaves its inputs.
func TestLMHeadGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 4))
	N, C, V := 5, 4, 7
	for _, rows := range [][]int{{3, 0, 4, 3}, nil} {
		M := N
		if rows != nil {
			M = len(rows)
		}
		x := randomFloats(rng, N*C+V*C, 1) // lnf, then wte
		lnf, wte := x[:N*C], x[N*C:]
		dlogits := randomFloats(rng, M*V, 1)
		logits, sel := make([]float64, M*V), make([]float64, M*C)
		loss := func() float64 {
			lmHeadForward(logits, sel, lnf, wte, rows, C, V)
			return dot(logits, dlogits)
		}
		loss()
		saved := append([]float64(nil), x...)
		analytic := make([]float64, len(x))
		dsel := make([]float64, M*C)
		lmHeadBackward(analytic[:N*C], analytic[N*C:], dsel, dlogits, sel, lnf, wte, rows, C, V)
		twice := append([]float64(nil), analytic...)
		lmHeadBackward(twice[:N*C], twice[N*C:], dsel, dlogits, sel, lnf, wte, rows, C, V)
		for i := range x {
			if x[i] != saved[i] {
				t.Fatal("lmHeadBackward changed an input")
			}
			if math.Abs(twice[i]-2*analytic[i]) > 1e-12*math.Max(1, math.Abs(twice[i])) {
				t.Fatalf("rows %v: a second backward gives %g at %d, want %g (= for +=?)", rows, twice[i], i, 2*analytic[i])
			}
		}
		checkGradient(t, x, loss, analytic, []string{"lnf", "wte"}, []int{N * C, V * C})
	}
}

// TestModelGradientRows is TestModelGradient with the logits at a subset of
// positions (ForwardRows), in any order, one of them twice.
func TestModelGradientRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 5))
	cfg, B, Tn := tinyConfig, 2, 5
	m, tokens := randomModel(rng, B, Tn)
	rows := []int{7, 1, 2, 9, 1}
	dlogits := randomFloats(rng, len(rows)*cfg.Vocab, 1)
	dscalars := randomFloats(rng, B*Tn, 1)
	loss := func() float64 {
		m.ForwardRows(tokens, B, Tn, rows)
		return dot(m.Logits(), dlogits) + dot(m.Scalars(), dscalars)
	}
	loss()
	// The logits at the rows are the full forward pass's, row for row.
	sub := append([]float64(nil), m.Logits()...)
	m.Forward(tokens, B, Tn, true)
	for j, r := range rows {
		for v := range cfg.Vocab {
			if got, want := sub[j*cfg.Vocab+v], m.Logits()[r*cfg.Vocab+v]; math.Abs(got-want) > 1e-12 {
				t.Fatalf("row %d (position %d) token %d: %v, full forward %v", j, r, v, got, want)
			}
		}
	}
	loss()
	m.ZeroGrad()
	m.Backward(dlogits, dscalars)
	analytic := append([]float64(nil), m.Grads.Data...)
	var names []string
	var sizes []int
	for _, s := range cfg.tensors() {
		names, sizes = append(names, s.name), append(sizes, s.size)
	}
	checkGradient(t, m.Params.Data, loss, analytic, names, sizes)
}
