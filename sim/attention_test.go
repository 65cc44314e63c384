package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"rlhfplayground/sim/kernels"
)

// TestAttention32MatchesReference runs the float32 attention (attention.go)
// with every kernel set against the reference loops in float64, on shapes
// whose T is and is not a multiple of the kernels' tiles, with head sizes of
// the app (12) and of bench-S (16). dinp starts non-zero: backward must add.
func TestAttention32MatchesReference(t *testing.T) {
	defer kernels.Use(kernels.Current())
	// float32 sums of ≤ 64 products of O(1) values, a float32 exp and a
	// different summation order: ~1e-6 relative; 1e-4 catches any wrong index.
	const tol = 1e-4
	rng := rand.New(rand.NewPCG(1, 5))
	for _, set := range kernels.Names() {
		for _, sh := range []struct{ B, T, C, H int }{{1, 1, 24, 2}, {2, 7, 24, 2}, {2, 33, 64, 4}, {1, 64, 48, 4}} {
			t.Run(fmt.Sprintf("%s/B%d-T%d-C%d-H%d", set, sh.B, sh.T, sh.C, sh.H), func(t *testing.T) {
				if err := kernels.Use(set); err != nil {
					t.Fatal(err)
				}
				B, Tn, C, H := sh.B, sh.T, sh.C, sh.H
				inp64, dout64, dinp64 := randomFloats(rng, B*Tn*3*C, 1), randomFloats(rng, B*Tn*C, 1), randomFloats(rng, B*Tn*3*C, 1)
				f32 := func(x []float64) []float32 {
					y := make([]float32, len(x))
					for i, v := range x {
						y[i] = float32(v)
					}
					return y
				}
				for i := range inp64 { // the reference sees the same float32 inputs
					inp64[i] = float64(float32(inp64[i]))
					dout64[i/3] = float64(float32(dout64[i/3]))
					dinp64[i] = float64(float32(dinp64[i]))
				}
				inp, dout, dinp := f32(inp64), f32(dout64), f32(dinp64)
				out64, att64 := make([]float64, B*Tn*C), make([]float64, B*H*Tn*Tn)
				attentionForward(out64, att64, inp64, B, Tn, C, H)
				attentionBackward(dinp64, dout64, inp64, att64, make([]float64, 2*Tn), B, Tn, C, H)
				out, att := make([]float32, B*Tn*C), make([]float32, B*H*Tn*Tn)
				for i := range att {
					att[i] = float32(math.NaN()) // every entry must be written
				}
				attentionForward(out, att, inp, B, Tn, C, H)
				attentionBackward(dinp, dout, inp, att, nil, B, Tn, C, H)
				for _, c := range []struct {
					name string
					got  []float32
					want []float64
				}{{"out", out, out64}, {"att", att, att64}, {"dinp", dinp, dinp64}} {
					for i, w := range c.want {
						if g := float64(c.got[i]); !(math.Abs(g-w) <= tol*math.Max(1, math.Abs(w))) {
							t.Fatalf("%s[%d]: float32 %v, reference %v", c.name, i, g, w)
						}
					}
				}
			})
		}
	}
}

// BenchmarkAttention measures the float32 attention forward and backward at
// the app's shapes (a PPO minibatch: B 8, T 52, C 48, H 4).
func BenchmarkAttention(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 6))
	B, Tn, C, H := 8, 52, 48, 4
	inp := make([]float32, B*Tn*3*C)
	for i := range inp {
		inp[i] = float32(rng.NormFloat64())
	}
	dout, dinp := make([]float32, B*Tn*C), make([]float32, B*Tn*3*C)
	for i := range dout {
		dout[i] = float32(rng.NormFloat64())
	}
	out, att, scratch := make([]float32, B*Tn*C), make([]float32, B*H*Tn*Tn), make([]float32, 2*Tn)
	for b.Loop() {
		attentionForward(out, att, inp, B, Tn, C, H)
		attentionBackward(dinp, dout, inp, att, scratch, B, Tn, C, H)
	}
}
