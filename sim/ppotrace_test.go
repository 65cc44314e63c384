package sim

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// traceLab is a small session with a trained reward model, ready for PPO.
func traceLab(t *testing.T, estimator string) *Lab {
	t.Helper()
	tok := BuildTokenizer(testCorpus)
	cfg := Config{Vocab: tok.Size(), Context: 24, Embd: 8, Layers: 1, Heads: 2, MLP: 16}
	base := NewModel[float32](cfg)
	base.Params.Init(cfg, rand.New(rand.NewPCG(1, 1)).NormFloat64)
	data := LabData{Corpus: testCorpus, Prompts: []string{"the cat", "the dog"}, Demonstrations: []Demonstration{{"the cat", "drinks milk ."}}}
	s := DefaultSettings()
	s.PPO.Batch, s.PPO.MiniBatch, s.PPO.MaxNew = 8, 4, 8
	s.PPO.LR = 5e-3 // large, so that the update moves the probabilities visibly
	s.PPO.KLEstimator = estimator
	lab, err := NewLab(s, data, tok, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if err := lab.AddRanking(Ranking{Prompt: "the cat", Answers: []string{"drinks milk .", "sleeps ."}, Order: []int{0, 1}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := lab.RewardStep(); err != nil {
		t.Fatal(err)
	}
	return lab
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// TestPPOTraceAgrees: the trace of one answer holds the figures the
// iteration used. The iteration is the one an untraced PPOStep runs (same
// statistics, same answers); the trace's KL is its answer's term of
// kl_mean, its rewards are −β·KL with the score on the last token, its
// advantages are GAE of those rewards whitened with the iteration's mean
// (advantage_mean_raw), its ratios are the clipped tokens' ratios, and its
// new probabilities are the updated policy's.
func TestPPOTraceAgrees(t *testing.T) {
	for _, c := range []struct {
		it  int
		est string
	}{{1, "k1"}, {2, "k1"}, {2, "k3"}} {
		it := c.it
		traced, plain := traceLab(t, c.est), traceLab(t, c.est)
		for range it - 1 { // the trace of a later iteration too
			if _, err := traced.PPOStep(); err != nil {
				t.Fatal(err)
			}
			if _, err := plain.PPOStep(); err != nil {
				t.Fatal(err)
			}
		}
		st, tr, err := traced.PPOTraceStep()
		if err != nil {
			t.Fatal(err)
		}
		want, err := plain.PPOStep()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(st, want) {
			t.Fatalf("iteration %d traced: %+v\nuntraced: %+v", it, st, want)
		}
		if tr == nil || tr.Iteration != it || len(tr.Words) == 0 || tr.Estimator != c.est {
			t.Fatalf("iteration %d: trace %+v", it, tr)
		}
		n := len(tr.Words)
		for name, l := range map[string]int{"logprob": len(tr.LogProb), "ref": len(tr.RefLogProb), "kl": len(tr.KL), "rewards": len(tr.Rewards),
			"values": len(tr.Values), "adv_raw": len(tr.AdvRaw), "adv": len(tr.Adv), "ratio": len(tr.Ratio), "clipped": len(tr.Clipped),
			"old": len(tr.OldProb), "new": len(tr.NewProb)} {
			if l != n {
				t.Fatalf("%s has %d entries for %d tokens", name, l, n)
			}
		}

		// The answer is one of the iteration's, with its score and KL.
		rolls := plain.LastRollouts()
		found := false
		var kls []float64
		for _, r := range rolls {
			kls = append(kls, r.KL)
			if r.Answer == tr.Answer && r.Prompt == tr.Prompt && r.Score == tr.Score && r.KL == tr.KLSum {
				found = true
			}
		}
		if !found {
			t.Fatalf("the traced answer %q (score %v, KL %v) is none of the iteration's", tr.Answer, tr.Score, tr.KLSum)
		}
		if m, _ := MeanStd(kls); !near(m, st.KLMean, 1e-12) || tr.Batch != len(rolls) {
			t.Errorf("kl_mean %v, the answers' mean %v", st.KLMean, m)
		}
		if tr.Beta != st.Beta {
			t.Errorf("β %v, iteration's %v", tr.Beta, st.Beta)
		}

		// Per-token KL and rewards.
		var klSum, rewardSum float64
		for k := range n {
			d := tr.LogProb[k] - tr.RefLogProb[k]
			want := d
			if c.est == "k3" {
				want = math.Expm1(-d) + d
			}
			if !near(tr.KL[k], want, 1e-12) {
				t.Errorf("%s, token %d: KL %v, want %v (log π − log π_ref = %v)", c.est, k, tr.KL[k], want, d)
			}
			r := -tr.Beta * tr.KL[k]
			if k == n-1 {
				r += tr.Score
			}
			if !near(tr.Rewards[k], r, 1e-12) {
				t.Errorf("token %d: reward %v, want %v", k, tr.Rewards[k], r)
			}
			klSum += d
			rewardSum += tr.Rewards[k]
		}
		var penalty float64
		for _, v := range tr.KL {
			penalty += v
		}
		if !near(klSum, tr.KLSum, 1e-9) || !near(rewardSum, tr.Score-tr.Beta*penalty, 1e-9) {
			t.Errorf("Σ log π − log π_ref %v (answer's %v), Σ rewards %v, want score − β·Σ KL = %v", klSum, tr.KLSum, rewardSum, tr.Score-tr.Beta*penalty)
		}
		if tr.Ended != (tr.Words[n-1] == "<eos>") || (!tr.Ended && tr.Score != DefaultPPOConfig().NoEOSScore) {
			t.Errorf("ended %v, last token %q, score %v", tr.Ended, tr.Words[n-1], tr.Score)
		}

		// Advantages: GAE of the rewards, whitened with the batch's mean and std.
		adv, _ := gae(tr.Rewards, tr.Values, traced.Settings.PPO.Gamma, traced.Settings.PPO.Lambda)
		if tr.AdvMean != st.AdvantageMeanRaw || !tr.Whitened || tr.AdvStd <= 0 {
			t.Errorf("whitening mean %v std %v, iteration's raw mean %v", tr.AdvMean, tr.AdvStd, st.AdvantageMeanRaw)
		}
		for k := range n {
			if !near(tr.AdvRaw[k], adv[k], 1e-12) || !near(tr.Adv[k], (adv[k]-tr.AdvMean)/(tr.AdvStd+1e-8), 1e-12) {
				t.Errorf("token %d: advantage raw %v whitened %v, GAE gives %v", k, tr.AdvRaw[k], tr.Adv[k], adv[k])
			}
		}

		// The update: the new probabilities are the updated policy's.
		words := traced.Tok.Words()
		seq := ChatPrompt(traced.Tok, tr.Prompt)
		start := len(seq)
		for _, w := range tr.Words {
			id, ok := traced.Tok.ID(w)
			if !ok || words[id] != w {
				t.Fatalf("token %q is not in the vocabulary", w)
			}
			seq = append(seq, id)
		}
		p := traced.Policy()
		p.Forward(seq, 1, len(seq), true)
		V := p.Config.Vocab
		moved := 0
		for k := range n {
			lp := tokenLogProb(p.Logits()[(start+k-1)*V:(start+k)*V], seq[start+k], traced.Settings.PPO.Temperature, nil)
			if !near(tr.NewProb[k], math.Exp(lp), 1e-4) || !near(tr.OldProb[k], math.Exp(tr.LogProb[k]), 1e-12) {
				t.Errorf("token %d: new probability %v, the updated policy's %v; old %v", k, tr.NewProb[k], math.Exp(lp), tr.OldProb[k])
			}
			if math.Abs(tr.NewProb[k]-tr.OldProb[k]) > 1e-4 {
				moved++
			}
			if r := tr.Ratio[k]; math.IsNaN(r) || r <= 0 || tr.Clipped[k] != (math.Abs(r-1) > tr.ClipRange) {
				t.Errorf("token %d: ratio %v clipped %v (ε %v)", k, r, tr.Clipped[k], tr.ClipRange)
			}
		}
		if moved == 0 {
			t.Errorf("iteration %d: no token's probability moved: %v → %v", it, tr.OldProb, tr.NewProb)
		}
	}
}
