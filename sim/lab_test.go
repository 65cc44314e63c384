package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRewardSizesCountsWithoutAModel: asking how the rankings split creates
// no reward model, and gives the split the trainer then makes.
func TestRewardSizesCountsWithoutAModel(t *testing.T) {
	tok := BuildTokenizer(testCorpus)
	cfg := Config{Vocab: tok.Size(), Context: 16, Embd: 8, Layers: 1, Heads: 2, MLP: 16}
	base := NewModel[float32](cfg)
	base.Params.Init(cfg, rand.New(rand.NewPCG(1, 1)).NormFloat64)
	data := LabData{Corpus: testCorpus, Prompts: []string{"the cat"}, Demonstrations: []Demonstration{{"the cat", "drinks milk ."}}}
	lab, err := NewLab(DefaultSettings(), data, tok, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 12 {
		if err := lab.AddRanking(Ranking{Prompt: "the cat", Answers: []string{"drinks milk .", "sleeps ."}, Order: []int{0, 1}}); err != nil {
			t.Fatal(err)
		}
	}
	train, held := lab.RewardSizes()
	if lab.RM != nil {
		t.Fatal("RewardSizes created a reward model")
	}
	if _, err := lab.RewardStep(); err != nil {
		t.Fatal(err)
	}
	train2, held2 := lab.RewardSizes()
	if train != 10 || held != 2 || train2 != train || held2 != held {
		t.Fatalf("sizes before training %d/%d, after %d/%d; want 10/2 both", train, held, train2, held2)
	}
}

// TestGoldReward: with PPOConfig.GoldReward the answers are scored by the
// simulated labeler, normalised by the mean and std of its score on SFT
// answers, instead of by the reward model.
func TestGoldReward(t *testing.T) {
	tok := BuildTokenizer(testCorpus)
	cfg := Config{Vocab: tok.Size(), Context: 24, Embd: 8, Layers: 1, Heads: 2, MLP: 16}
	base := NewModel[float32](cfg)
	base.Params.Init(cfg, rand.New(rand.NewPCG(1, 1)).NormFloat64)
	data := LabData{Corpus: testCorpus, Prompts: []string{"the cat"}, Demonstrations: []Demonstration{{"the cat", "drinks milk ."}}}
	s := DefaultSettings()
	s.PPO.Batch, s.PPO.MiniBatch, s.PPO.MaxNew, s.PPO.GoldReward = 8, 4, 8, true
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
	if _, err := lab.PPOStep(); err != nil {
		t.Fatal(err)
	}
	n := lab.History.Norm
	if n == nil || n.GoldStd <= 0 {
		t.Fatalf("normalisation %+v: want the gold score's mean and std on SFT answers", n)
	}
	checked := 0
	for _, r := range lab.ppo.LastRollouts {
		if !r.Ended {
			continue
		}
		if want := (r.Gold - n.GoldMean) / n.GoldStd; math.Abs(r.Score-want) > 1e-9 {
			t.Errorf("answer %q: score %v, want the normalised gold score %v", r.Answer, r.Score, want)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no answer ended, so nothing was compared: change the test's seed or sizes")
	}
}
