package sim

import (
	"math"
	"math/rand/v2"
)

// Schedule shapes a learning rate over the steps of a long run, as small
// language models are trained (e.g. llama2.c, nanoGPT): a linear warm-up
// from 0, then a cosine down to a tenth. The zero Schedule keeps the rate
// constant, as the app's open-ended training on the screens does;
// cmd/mkcheckpoints uses one for the shipped checkpoints.
type Schedule struct {
	Warmup int `json:"warmup,omitempty"` // steps over which the rate rises linearly from 0 to its value
	Decay  int `json:"decay,omitempty"`  // if > 0: the step at which the cosine reaches a tenth of the rate, which then stays
}

// LR returns the rate of step (0-based) for the base rate lr.
func (s Schedule) LR(lr float64, step int) float64 {
	if step < s.Warmup {
		return lr * float64(step+1) / float64(s.Warmup)
	}
	if s.Decay <= s.Warmup {
		return lr
	}
	progress := min(1, float64(step-s.Warmup)/float64(s.Decay-s.Warmup))
	return lr * (0.1 + 0.9*0.5*(1+math.Cos(math.Pi*progress)))
}

// lmBuffers is the scratch of a language-modelling step, reused between steps.
type lmBuffers struct {
	dlogits []float32
	probs   []float64
	weights []float64
}

// languageModelGradient runs the model on inputs (B,T), adds into m.Grads the
// gradient of Σ weights[n]·(−log p(targets[n])) and returns that sum. With
// weights 1/count on the positions to learn and 0 elsewhere, it is the mean
// next-token cross-entropy over those positions.
func languageModelGradient(m *GPT, buf *lmBuffers, inputs, targets []int, weights []float64, B, Tn int) float64 {
	V := m.Config.Vocab
	if cap(buf.dlogits) < B*Tn*V {
		buf.dlogits = make([]float32, B*Tn*V)
	}
	if len(buf.probs) != V {
		buf.probs = make([]float64, V)
	}
	dlogits := buf.dlogits[:B*Tn*V]
	clear(dlogits)
	m.Forward(inputs, B, Tn, true)
	loss := crossEntropy(dlogits, m.Logits(), targets, weights, V, 1, buf.probs)
	m.Backward(dlogits, nil)
	return loss
}

// uniformWeights returns n weights of 1/n, reusing buf.weights.
func (buf *lmBuffers) uniformWeights(n int) []float64 {
	if cap(buf.weights) < n {
		buf.weights = make([]float64, n)
	}
	w := buf.weights[:n]
	for i := range w {
		w[i] = 1 / float64(n)
	}
	return w
}

// lmTrainer is what pretraining and SFT share: sequences, the index from
// which each one's tokens are learned, a shuffled order, AdamW, and a step
// that packs a batch and takes one optimiser step.
type lmTrainer struct {
	model  *GPT
	opt    *AdamW
	seqs   [][]int
	starts []int // learn the tokens of seqs[i] from index starts[i] on
	order  *epochOrder
	buf    lmBuffers
	// dropout, if above 0, is on during each step's passes, with draws from dropRng.
	dropout float64
	dropRng *rand.Rand
}

func newLMTrainer(m *GPT, lr float64, rng *rand.Rand) *lmTrainer {
	return &lmTrainer{model: m, opt: DefaultAdamW(lr), order: newEpochOrder(0, rng)}
}

// add appends a sequence whose tokens are learned from index start.
func (t *lmTrainer) add(seq []int, start int) {
	t.seqs, t.starts = append(t.seqs, seq), append(t.starts, start)
	t.order.grow(len(t.seqs))
}

// step trains on the next batch and returns its loss before the update.
func (t *lmTrainer) step(lr float64, batch int) float64 {
	t.opt.LR = lr
	idx := t.order.next(batch)
	seqs, from := make([][]int, len(idx)), make([]int, len(idx))
	for i, j := range idx {
		seqs[i], from[i] = t.seqs[j], t.starts[j]
	}
	b := packLMBatch(seqs, from, t.model.Config.Context)
	if t.dropout > 0 {
		t.model.SetDropout(t.dropout, t.dropRng)
		defer t.model.SetDropout(0, nil)
	}
	t.model.ZeroGrad()
	loss := languageModelGradient(t.model, &t.buf, b.inputs, b.targets, b.weights, b.B, b.T)
	Step(t.opt, t.model.Params.Data, t.model.Grads.Data)
	return loss
}
