package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// testCorpus is a toy corpus for the smoke tests of the stages.
var testCorpus = strings.Split("the cat drinks milk .|the dog drinks water .|i like tea with milk .|the cat sleeps on the bed .|we drink tea in the morning .|the dog runs in the park .", "|")

func TestPretrainSmoke(t *testing.T) {
	tok := BuildTokenizer(testCorpus)
	cfg := Config{Vocab: tok.Size(), Context: 16, Embd: 16, Layers: 1, Heads: 2, MLP: 32}
	m := NewModel[float32](cfg)
	rng := rand.New(rand.NewPCG(1, 1))
	m.Params.Init(cfg, rng.NormFloat64)
	p, err := NewPretrainer(PretrainConfig{LR: 1e-2, Batch: 4}, m, tok, testCorpus, rng)
	if err != nil {
		t.Fatal(err)
	}
	first := p.Step().Loss
	var last float64
	for range 60 {
		last = p.Step().Loss
		if math.IsNaN(last) {
			t.Fatal("NaN loss")
		}
	}
	if !(last < first/2) {
		t.Fatalf("loss %.3f → %.3f: pretraining does not learn", first, last)
	}
}

func BenchmarkPretrainStep(b *testing.B) {
	words := strings.Fields("a b c d e f g h i j k l m n o p q r s t u v w x y z")
	var corpus []string
	rng := rand.New(rand.NewPCG(1, 1))
	for range 500 {
		var s []string
		for range 10 + rng.IntN(8) {
			s = append(s, words[rng.IntN(len(words))]+words[rng.IntN(len(words))])
		}
		corpus = append(corpus, strings.Join(s, " "))
	}
	tok := BuildTokenizer(corpus)
	cfg := DefaultConfig(tok.Size())
	m := NewModel[float32](cfg)
	m.Params.Init(cfg, rng.NormFloat64)
	p, _ := NewPretrainer(DefaultPretrainConfig(), m, tok, corpus, rng)
	b.Logf("vocab %d", tok.Size())
	for b.Loop() {
		p.Step()
	}
}

func TestSchedule(t *testing.T) {
	s := Schedule{Warmup: 10, Decay: 110}
	for _, c := range []struct {
		step int
		want float64
	}{
		{0, 0.1}, {4, 0.5}, {9, 1}, {10, 1}, {60, 0.55}, {110, 0.1}, {1000, 0.1},
	} {
		if got := s.LR(1, c.step); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("step %d: rate %v, want %v", c.step, got, c.want)
		}
	}
	if got := (Schedule{}).LR(3e-3, 500); got != 3e-3 {
		t.Errorf("the zero schedule changed the rate: %v", got)
	}
}

// TestSFTDropout: SFT with dropout learns, is the same run twice from one
// seed, and leaves the model without dropout after each step (sampling and
// evaluation must not drop).
func TestSFTDropout(t *testing.T) {
	tok := BuildTokenizer(testCorpus)
	cfg := Config{Vocab: tok.Size(), Context: 24, Embd: 16, Layers: 1, Heads: 2, MLP: 32}
	demos := []Demonstration{
		{Prompt: "what does the cat drink ?", Response: "the cat drinks milk ."},
		{Prompt: "where does the dog run ?", Response: "the dog runs in the park ."},
		{Prompt: "when do we drink tea ?", Response: "we drink tea in the morning ."},
	}
	run := func() ([]float64, *GPT) {
		m := NewModel[float32](cfg)
		rng := rand.New(rand.NewPCG(1, 1))
		m.Params.Init(cfg, rng.NormFloat64)
		s, err := NewSFTTrainer(SFTConfig{LR: 1e-2, Batch: 3, Dropout: 0.2}, m, tok, demos, rng)
		if err != nil {
			t.Fatal(err)
		}
		var losses []float64
		for range 80 {
			losses = append(losses, s.Step().Loss)
		}
		return losses, m
	}
	a, m := run()
	b, _ := run()
	if !slices.Equal(a, b) {
		t.Fatal("two SFT runs with dropout from one seed differ")
	}
	if first, last := a[0], a[len(a)-1]; !(last < first/2) || math.IsNaN(last) {
		t.Fatalf("loss %.3f → %.3f: SFT with dropout does not learn", first, last)
	}
	tokens := ChatPrompt(tok, demos[0].Prompt)
	m.Forward(tokens, 1, len(tokens), true)
	once := slices.Clone(m.Logits())
	m.Forward(tokens, 1, len(tokens), true)
	if !slices.Equal(once, m.Logits()) {
		t.Error("after an SFT step, two forward passes differ: dropout is still on")
	}
	if _, err := NewSFTTrainer(SFTConfig{LR: 1e-2, Batch: 3, Dropout: 1}, NewModel[float32](cfg), tok, demos, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("dropout 1 accepted")
	}
}
