package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSampleIndex(t *testing.T) {
	probs := []float64{0.1, 0, 0.6, 0.3}
	for _, c := range []struct {
		coin float64
		want int
	}{{0, 0}, {0.05, 0}, {0.1, 2}, {0.69, 2}, {0.7, 3}, {0.999, 3}} {
		if got := sampleIndex(probs, c.coin); got != c.want {
			t.Errorf("sampleIndex(coin %v) = %d, want %d", c.coin, got, c.want)
		}
	}
}

// TestDecoderMatchesForward checks the KV-cache path against the full
// forward pass: the logits at every position must agree.
func TestDecoderMatchesForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	cfg := Config{Vocab: 13, Context: 8, Embd: 8, Layers: 2, Heads: 2, MLP: 16}
	m := NewModel[float32](cfg)
	m.Params.Init(cfg, rng.NormFloat64)
	for i := range m.Params.Data {
		m.Params.Data[i] += float32(rng.NormFloat64() * 0.2)
	}
	B, Tn := 2, 7
	tokens := make([]int, B*Tn)
	for i := range tokens {
		tokens[i] = rng.IntN(cfg.Vocab)
	}
	m.Forward(tokens, B, Tn, true)
	want := m.Logits()
	d := newDecoder(m, B)
	for pos := range Tn {
		got := d.step([]int{tokens[pos], tokens[Tn+pos]}, []int{0, 1}, pos, []int{0, 1})
		for b := range B {
			for v := range cfg.Vocab {
				w := want[(b*Tn+pos)*cfg.Vocab+v]
				if g := got[b*cfg.Vocab+v]; math.Abs(float64(g-w)) > 1e-5 {
					t.Fatalf("position %d row %d token %d: decoder %v, forward %v", pos, b, v, g, w)
				}
			}
		}
	}
}

func TestSampleDeterministicAndBounded(t *testing.T) {
	cfg := Config{Vocab: 13, Context: 10, Embd: 8, Layers: 1, Heads: 2, MLP: 16}
	m := NewModel[float32](cfg)
	m.Params.Init(cfg, rand.New(rand.NewPCG(3, 3)).NormFloat64)
	prompts := [][]int{{BeginID, 7, 8}, {BeginID}}
	opt := SampleOptions{Temperature: 1, TopK: 5, MaxNew: 4}
	a := Sample(m, prompts, opt, rand.New(rand.NewPCG(4, 4)))
	b := Sample(m, prompts, opt, rand.New(rand.NewPCG(4, 4)))
	for i := range a {
		if len(a[i]) == 0 || len(a[i]) > 4 {
			t.Fatalf("answer %d has %d tokens, want 1..4", i, len(a[i]))
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				t.Fatal("same seed gave different samples")
			}
		}
	}
}

// TestDrawStatsMatchForward checks what PPO takes from its rollout instead
// of a forward pass (drawStats): each drawn token's log-probability (at the
// sampling temperature and at another), the entropy and the value head must
// be what a forward pass over prompt and answer gives, up to float32
// rounding.
func TestDrawStatsMatchForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	cfg := Config{Vocab: 17, Context: 12, Embd: 8, Layers: 2, Heads: 2, MLP: 16}
	m := NewModel[float32](cfg)
	m.Params.Init(cfg, rng.NormFloat64)
	for i := range m.Params.Data {
		m.Params.Data[i] += float32(rng.NormFloat64() * 0.3) // a non-zero value head, and sharper softmaxes
	}
	prompts := [][]int{{BeginID, 7, 8, 9}, {BeginID}, {BeginID, 10}}
	const temp = 0.7
	for _, logTemp := range []float64{temp, 1} {
		st := drawStats{LogTemp: logTemp}
		answers := sample(m, prompts, SampleOptions{Temperature: temp, MaxNew: 6}, rand.New(rand.NewPCG(6, 6)), &st)
		for b, p := range prompts {
			seq := append(append([]int(nil), p...), answers[b]...)
			m.Forward(seq, 1, len(seq), true)
			logits, values := m.Logits(), m.Scalars()
			if len(st.logp[b]) != len(answers[b]) || len(st.entropy[b]) != len(answers[b]) || len(st.values[b]) != len(answers[b]) {
				t.Fatalf("row %d: %d tokens, stats for %d, %d, %d", b, len(answers[b]), len(st.logp[b]), len(st.entropy[b]), len(st.values[b]))
			}
			for k, tok := range answers[b] {
				pos := len(p) - 1 + k
				row := logits[pos*cfg.Vocab : (pos+1)*cfg.Vocab]
				for _, c := range []struct {
					name      string
					got, want float64
				}{
					{"logp", st.logp[b][k], tokenLogProb(row, tok, logTemp, nil)},
					{"entropy", st.entropy[b][k], entropy(row, temp, make([]float64, cfg.Vocab))},
					{"value", st.values[b][k], float64(values[pos])},
				} {
					if math.Abs(c.got-c.want) > 1e-5*math.Max(1, math.Abs(c.want)) { // float32 logits through two paths
						t.Errorf("log temperature %v, row %d token %d: %s %v from the rollout, %v from a forward pass", logTemp, b, k, c.name, c.got, c.want)
					}
				}
			}
		}
	}
}
