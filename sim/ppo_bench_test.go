package sim

import (
	"fmt"
	"testing"
)

// benchPPOVocab is about the bundled data's vocabulary, so the vocabulary
// softmaxes cost what they cost in the app.
const benchPPOVocab = 819

// benchPPOLarge is the model the app is about to grow to (4 blocks × d 64 ×
// 4 heads × MLP 256, ~850 words, ~260k parameters), with answers of up to
// benchPPOLargeMaxNew tokens.
var benchPPOLarge = Config{Vocab: benchPPOVocab, Context: 64, Embd: 64, Layers: 4, Heads: 4, MLP: 256}

const benchPPOLargeMaxNew = 32

// newBenchPPO builds a PPO trainer without a Lab or the assets: a synthetic
// tokenizer of benchPPOVocab ids, a random-init model of shape cfg (its
// Vocab is replaced by the tokenizer's) as the SFT model, a reward model
// cloned from it, and prompts of 4–8 words; answers have up to maxNew
// tokens. A random model rarely ends an answer, so most answers run to
// maxNew: an iteration here does at least the work of one in the app.
func newBenchPPO(cfg Config, maxNew int) *PPOTrainer {
	words := append([]string(nil), specialWords[:]...)
	for i := len(words); i < benchPPOVocab; i++ {
		words = append(words, fmt.Sprintf("w%d", i))
	}
	tok := NewTokenizer(words)
	s := NewStreams(1)
	cfg.Vocab = tok.Size()
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
	pc := DefaultPPOConfig()
	pc.MaxNew = maxNew
	t, err := NewPPOTrainer(pc, sft, rm, tok, prompts, s.Sample, s.PPO)
	if err != nil {
		panic(err)
	}
	return t
}

// BenchmarkPPOIteration measures one default PPO iteration (sample 32
// answers with the KV cache, evaluate policy and reference, score, 2 epochs
// of 4 minibatch updates) with the kernel set in use, for today's model
// (small: DefaultConfig, answers of up to 24 tokens) and the coming one
// (4x64: benchPPOLarge, up to 32):
//
//	go test ./sim -run '^$' -bench PPOIteration
//
// Besides the wall time it reports cpu-ms/iter, the process's CPU time per
// iteration, which other jobs on a shared machine disturb much less.
func BenchmarkPPOIteration(b *testing.B) {
	for _, c := range []struct {
		name   string
		cfg    Config
		maxNew int
	}{{"small", DefaultConfig(benchPPOVocab), DefaultPPOConfig().MaxNew}, {"4x64", benchPPOLarge, benchPPOLargeMaxNew}} {
		b.Run(c.name, func(b *testing.B) {
			t := newBenchPPO(c.cfg, c.maxNew)
			t.Step() // warm-up: allocates the buffers
			cpu := cpuTime()
			for b.Loop() {
				t.Step()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/iter")
			if cpu > 0 {
				b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/iter")
			}
		})
	}
}

// TestBenchPPOSetup keeps the benchmark's setup working: one iteration with
// finite statistics.
func TestBenchPPOSetup(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	tr := newBenchPPO(DefaultConfig(benchPPOVocab), 5)
	tr.Config.Batch, tr.Config.MiniBatch = 4, 2
	st := tr.Step()
	if st.AnswerLength < 1 || st.Entropy <= 0 {
		t.Fatalf("odd stats: %+v", st)
	}
}
