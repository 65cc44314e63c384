package sim

import "math"

// bench-S is the tiny GPT that the TensorFlow.js peer trains
// (../shared/peers/tfjs-gpt): the same shape, the same deterministic
// initialisation and the same data stream, so that the two implementations
// can be compared on speed and on their loss curves.

// BenchSConfig is bench-S: vocab 128, context 32, d_model 64, 2 blocks, 4 heads, MLP 256.
var BenchSConfig = Config{Vocab: 128, Context: 32, Embd: 64, Layers: 2, Heads: 4, MLP: 256}

// BenchSBatch is bench-S's batch: 16 sequences of 32 tokens.
const BenchSBatch = 16

// lcg is the peer's 32-bit linear congruential generator (Numerical Recipes
// constants): x ← 1664525·x + 1013904223 mod 2³².
type lcg struct{ x uint32 }

func (g *lcg) next() uint32 { g.x = 1664525*g.x + 1013904223; return g.x }

// uniform is in (0,1), from the top 24 bits.
func (g *lcg) uniform() float64 { return (float64(g.next()>>8) + 0.5) / (1 << 24) }

// normal is Box–Muller's cosine branch, two uniforms per draw.
func (g *lcg) normal() float64 {
	u1, u2 := g.uniform(), g.uniform()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// BenchS is a bench-S training run: the model, its optimiser (AdamW as the
// peer: lr 1e-3, weight decay 0.01 on every parameter, no clipping) and the
// data stream.
type BenchS struct {
	Model *GPT
	Opt   *AdamW
	data  lcg
	buf   lmBuffers

	inputs, targets []int
}

// NewBenchS initialises bench-S from the LCG with seed 1 and the data stream
// from the LCG with seed 2, as the peer does.
func NewBenchS() *BenchS {
	m := NewModel[float32](BenchSConfig)
	init := lcg{1}
	m.Params.Init(BenchSConfig, init.normal)
	opt := DefaultAdamW(1e-3)
	opt.ClipNorm = 0
	n := BenchSBatch * BenchSConfig.Context
	return &BenchS{Model: m, Opt: opt, data: lcg{2}, inputs: make([]int, n), targets: make([]int, n)}
}

// NextBatch fills the inputs and targets with the next batch of the stream:
// each sequence is an arithmetic progression mod 128 with start x>>25 and
// stride 1 + (x'>>29).
func (b *BenchS) NextBatch() (inputs, targets []int) {
	Tn := BenchSConfig.Context
	for s := range BenchSBatch {
		start := int(b.data.next() >> 25)
		stride := 1 + int(b.data.next()>>29)
		for t := range Tn {
			b.inputs[s*Tn+t] = (start + t*stride) & 127
			b.targets[s*Tn+t] = (start + (t+1)*stride) & 127
		}
	}
	return b.inputs, b.targets
}

// Step trains on the next batch and returns its loss (before the update).
func (b *BenchS) Step() float64 {
	inputs, targets := b.NextBatch()
	b.Model.ZeroGrad()
	loss := languageModelGradient(b.Model, &b.buf, inputs, targets, b.buf.uniformWeights(len(inputs)), BenchSBatch, BenchSConfig.Context)
	Step(b.Opt, b.Model.Params.Data, b.Model.Grads.Data)
	return loss
}

// BenchSTokensPerStep is the number of tokens trained on per Step.
const BenchSTokensPerStep = BenchSBatch * 32
