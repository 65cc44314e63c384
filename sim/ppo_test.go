package sim

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestGAEHandWorked: rewards (0, 0, 1), values (0.5, 0.2, 0.4), γ = 1, λ = 0.5.
//
//	t=2: δ = 1 + 0 − 0.4 = 0.6          A = 0.6                R = 1.0
//	t=1: δ = 0 + 0.4 − 0.2 = 0.2        A = 0.2 + 0.5·0.6 = 0.5  R = 0.7
//	t=0: δ = 0 + 0.2 − 0.5 = −0.3       A = −0.3 + 0.5·0.5 = −0.05 R = 0.45
func TestGAEHandWorked(t *testing.T) {
	adv, ret := gae([]float64{0, 0, 1}, []float64{0.5, 0.2, 0.4}, 1, 0.5)
	wantA, wantR := []float64{-0.05, 0.5, 0.6}, []float64{0.45, 0.7, 1.0}
	for i := range adv {
		if math.Abs(adv[i]-wantA[i]) > 1e-12 || math.Abs(ret[i]-wantR[i]) > 1e-12 {
			t.Fatalf("t=%d: A %v R %v, want %v %v", i, adv[i], ret[i], wantA[i], wantR[i])
		}
	}
}

func TestEntropyGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	V, temp := 6, 0.7
	row64 := randomFloats(rng, V, 1.5)
	row := make([]float32, V)
	probs := make([]float64, V)
	h := func() float64 {
		for i := range row {
			row[i] = float32(row64[i])
		}
		return entropy(row, temp, probs)
	}
	h()
	d := make([]float32, V)
	entropyGradient(d, row, temp, 1, probs)
	const eps = 1e-3
	for i := range V {
		row64[i] += eps
		hp := h()
		row64[i] -= 2 * eps
		hm := h()
		row64[i] += eps
		num := (hp - hm) / (2 * eps)
		// float32 logits: compare with a float32-level tolerance.
		if math.Abs(num-float64(d[i])) > 1e-3 {
			t.Fatalf("dH/dz[%d]: analytic %v, numeric %v", i, d[i], num)
		}
	}
}

func TestPPOConfigValidate(t *testing.T) {
	c := DefaultPPOConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*PPOConfig){
		"negative β":    func(c *PPOConfig) { c.KLCoef = -0.1 },
		"NaN lr":        func(c *PPOConfig) { c.LR = math.NaN() },
		"k2 estimator":  func(c *PPOConfig) { c.KLEstimator = "k2" },
		"zero temp":     func(c *PPOConfig) { c.Temperature = 0 },
		"big minibatch": func(c *PPOConfig) { c.MiniBatch = c.Batch + 1 },
	} {
		bad := DefaultPPOConfig()
		mutate(&bad)
		if bad.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestLengthGroups: the cheapest cut of sorted lengths, by hand. For
// 30, 10, 31, 11 (at most 4 a batch, batchCost 12 positions each): one
// batch pads to 4·31 + 12 = 136, four batches cost 82 + 48 = 130, (10),
// (11, 30, 31) 10 + 93 + 24 = 127, and the two pairs (10, 11), (30, 31)
// cost 2·11 + 12 + 2·31 + 12 = 108, the fewest.
func TestLengthGroups(t *testing.T) {
	for _, c := range []struct {
		lens []int
		maxB int
		want [][]int
	}{
		{[]int{30, 10, 31, 11}, 4, [][]int{{1, 3}, {0, 2}}},
		{[]int{20, 20, 20}, 2, [][]int{{0}, {1, 2}}}, // equal lengths: as few batches as maxB allows
		{[]int{20, 20, 20}, 8, [][]int{{0, 1, 2}}},
		{[]int{7}, 3, [][]int{{0}}},
		{nil, 3, nil},
	} {
		got := lengthGroups(c.lens, c.maxB)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("lengthGroups(%v, %d) = %v, want %v", c.lens, c.maxB, got, c.want)
		}
	}
}
