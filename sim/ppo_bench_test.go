package sim

import (
	"fmt"
	"testing"
)

// benchPPOVocab is about the bundled data's vocabulary, so the vocabulary
// softmaxes cost what they cost in the app.
const benchPPOVocab = 819

// newBenchPPO builds a PPO trainer without a Lab or the assets: a synthetic
// tokenizer of benchPPOVocab ids, a random-init DefaultConfig model as the
// SFT model, a reward model cloned from it, and prompts of 4–8 words. A
// random model rarely ends an answer, so most answers run to MaxNew: an
// iteration here does at least the work of one in the app.
func newBenchPPO() *PPOTrainer {
	words := append([]string(nil), specialWords[:]...)
	for i := len(words); i < benchPPOVocab; i++ {
		words = append(words, fmt.Sprintf("w%d", i))
	}
	tok := NewTokenizer(words)
	s := NewStreams(1)
	cfg := DefaultConfig(tok.Size())
	sft := NewModel[float32](cfg)
	sft.Params.Init(cfg, s.Init.NormFloat64)
	rm := NewRewardModel(sft, s.Init)
	prompts := make([]string, 64)
	for i := range prompts {
		n := 4 + s.Data.IntN(5)
		for j := range n {
			if j > 0 {
				prompts[i] += " "
			}
			prompts[i] += words[NumSpecial+s.Data.IntN(benchPPOVocab-NumSpecial)]
		}
	}
	t, err := NewPPOTrainer(DefaultPPOConfig(), sft, rm, tok, prompts, s.Sample, s.PPO)
	if err != nil {
		panic(err)
	}
	return t
}

// BenchmarkPPOIteration measures one default PPO iteration (sample 32
// answers with the KV cache, evaluate policy and reference, 2 epochs of 4
// minibatch updates) with the kernel set in use:
//
//	go test ./sim -run '^$' -bench PPOIteration
func BenchmarkPPOIteration(b *testing.B) {
	t := newBenchPPO()
	t.Step() // warm-up: allocates the buffers
	for b.Loop() {
		t.Step()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/iter")
}

// TestBenchPPOSetup keeps the benchmark's setup working: one iteration with
// finite statistics.
func TestBenchPPOSetup(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	tr := newBenchPPO()
	tr.Config.Batch, tr.Config.MiniBatch, tr.Config.MaxNew = 4, 2, 5
	st := tr.Step()
	if st.AnswerLength < 1 || st.Entropy <= 0 {
		t.Fatalf("odd stats: %+v", st)
	}
}
