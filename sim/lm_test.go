package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"rlhfplayground/sim/kernels"
)

// TestShardedGradient checks lmTrainer.gradient, which splits a batch into
// gradientShards parts on replicas of the model: the loss and the gradient
// are those of the whole batch in one pass (up to float32 rounding, since
// the sums run in another order), for batches that split evenly, unevenly
// and into fewer rows than shards; and they are bitwise the same whether the
// parts run on goroutines of their own or one after the other.
func TestShardedGradient(t *testing.T) {
	tok := BuildTokenizer(testCorpus)
	cfg := Config{Vocab: tok.Size(), Context: 12, Embd: 16, Layers: 2, Heads: 2, MLP: 32}
	m := NewModel[float32](cfg)
	rng := rand.New(rand.NewPCG(3, 4))
	m.Params.Init(cfg, rng.NormFloat64)
	var all [][]int
	var from []int
	for i, line := range testCorpus {
		all = append(all, append([]int{BeginID}, tok.Encode(line)...))
		from = append(from, 1+i%3) // learn from various starts, as SFT does from the answer's
	}
	all = append(all, all[0][:1]) // a sequence with no target at all
	from = append(from, 1)
	for _, n := range []int{1, 2, 5, len(all)} {
		seqs, starts := all[:n], from[:n]
		// The whole batch in one pass.
		total := 0
		for i, s := range seqs {
			total += learnedTargets(len(s), starts[i], cfg.Context)
		}
		b := packLMBatch(seqs, starts, cfg.Context, max(total, 1))
		m.ZeroGrad()
		var buf lmBuffers
		want := languageModelGradient(m, &buf, b.inputs, b.targets, b.weights, b.B, b.T)
		wantGrad := append([]float32(nil), m.Grads.Data...)

		tr := &lmTrainer{model: m}
		prev := kernels.SetThreads(1)
		serial := tr.gradient(seqs, starts)
		serialGrad := append([]float32(nil), m.Grads.Data...)
		kernels.SetThreads(2)
		parallel := tr.gradient(seqs, starts)
		kernels.SetThreads(prev)

		if math.Abs(serial-want) > 1e-5*math.Abs(want) {
			t.Errorf("%d sequences: sharded loss %v, one pass %v", n, serial, want)
		}
		var worst float64
		for i, g := range serialGrad {
			worst = max(worst, math.Abs(float64(g-wantGrad[i])))
		}
		if worst > 1e-6 {
			t.Errorf("%d sequences: sharded gradient differs from one pass's by up to %g", n, worst)
		}
		if parallel != serial {
			t.Errorf("%d sequences: loss %v on goroutines, %v one after the other", n, parallel, serial)
		}
		for i, g := range m.Grads.Data {
			if g != serialGrad[i] {
				t.Fatalf("%d sequences: gradient %d is %v on goroutines, %v one after the other", n, i, g, serialGrad[i])
			}
		}
	}
}

// TestLearnedTargets pins the count of the targets packLMBatch weights.
func TestLearnedTargets(t *testing.T) {
	for _, c := range []struct{ n, from, maxT, want int }{
		{5, 1, 10, 4}, // <bos> a b c d: the targets a b c d
		{5, 3, 10, 2}, // learned from index 3: c d
		{5, 1, 2, 2},  // cut to 2 positions
		{5, 4, 3, 0},  // the learned part lies past the cut
		{1, 1, 10, 0}, // <bos> alone
		{0, 1, 10, 0},
		{5, 0, 10, 4}, // from 0 learns the same as from 1: <bos> is never a target
	} {
		b := packLMBatch([][]int{make([]int, c.n)}, []int{c.from}, c.maxT, 1)
		got := 0
		for _, w := range b.weights {
			if w != 0 {
				got++
			}
		}
		if got != c.want || learnedTargets(c.n, c.from, c.maxT) != c.want {
			t.Errorf("n %d from %d maxT %d: packLMBatch learns %d, learnedTargets says %d, want %d", c.n, c.from, c.maxT, got, learnedTargets(c.n, c.from, c.maxT), c.want)
		}
	}
}
