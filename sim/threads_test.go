package sim

import (
	"math/rand/v2"
	"slices"
	"testing"

	"rlhfplayground/sim/kernels"
)

// TestStepSameOnAnyThreads: a training step (forward, backward, AdamW) at
// SFT's size gives bitwise the same loss, gradients and parameters on one
// goroutine and on two: the loops that split across goroutines
// (kernels.ForRanges: LayerNorm, attention, AdamW; the large products)
// compute every element on one goroutine, in one order.
func TestStepSameOnAnyThreads(t *testing.T) {
	cfg := Config{Vocab: 300, Context: 48, Embd: 96, Layers: 2, Heads: 4, MLP: 384}
	const B = 16
	rng := rand.New(rand.NewPCG(7, 7))
	init := NewModel[float32](cfg)
	init.Params.Init(cfg, rng.NormFloat64)
	tokens := make([]int, B*cfg.Context)
	for i := range tokens {
		tokens[i] = rng.IntN(cfg.Vocab)
	}
	targets := append(tokens[1:], 0)
	run := func(threads int) (float64, []float32, []float32) {
		prev := kernels.SetThreads(threads)
		defer kernels.SetThreads(prev)
		m := init.Clone()
		var buf lmBuffers
		loss := languageModelGradient(m, &buf, tokens, targets, buf.uniformWeights(len(tokens)), B, cfg.Context)
		grads := slices.Clone(m.Grads.Data)
		Step(DefaultAdamW(1e-3), m.Params.Data, m.Grads.Data)
		return loss, grads, m.Params.Data
	}
	loss1, grads1, params1 := run(1)
	loss2, grads2, params2 := run(2)
	if loss1 != loss2 {
		t.Errorf("loss %v on one goroutine, %v on two", loss1, loss2)
	}
	for i := range grads1 {
		if grads1[i] != grads2[i] || params1[i] != params2[i] {
			t.Fatalf("parameter %d: gradient %v / %v, after the step %v / %v (one goroutine / two)", i, grads1[i], grads2[i], params1[i], params2[i])
		}
	}
}
