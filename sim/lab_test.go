package sim

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
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

// tinyLab is a Lab over testCorpus with a model small enough for many steps.
func tinyLab(t testing.TB, s Settings) *Lab {
	t.Helper()
	tok := BuildTokenizer(testCorpus)
	cfg := Config{Vocab: tok.Size(), Context: 24, Embd: 8, Layers: 1, Heads: 2, MLP: 16}
	base := NewModel[float32](cfg)
	base.Params.Init(cfg, rand.New(rand.NewPCG(1, 1)).NormFloat64)
	data := LabData{Corpus: testCorpus, Prompts: []string{"the cat", "the dog"}, Demonstrations: []Demonstration{{"the cat", "drinks milk ."}}}
	s.PPO.MaxNew = 8
	lab, err := NewLab(s, data, tok, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	return lab
}

// TestRankingTheWaitingCandidate: the Lab keeps the answers it showed; a
// ranking names them by ID and an order, and a stale ID is refused.
func TestRankingTheWaitingCandidate(t *testing.T) {
	lab := tinyLab(t, DefaultSettings())
	c := lab.Candidate()
	if c.ID != 1 || len(c.Answers) != lab.Settings.K || lab.Candidate().ID != c.ID {
		t.Fatalf("first candidate %+v: want ID 1, K answers, the same on a second call", c)
	}
	if _, err := lab.Rank(c.ID+1, []int{0, 1, 2, 3}); !errors.Is(err, ErrStaleCandidate) {
		t.Errorf("ranking a candidate that is not waiting: %v, want ErrStaleCandidate", err)
	}
	if _, err := lab.Rank(c.ID, []int{0, 0, 1, 2}); err == nil || len(lab.Rankings) != 0 {
		t.Errorf("an order that is not a permutation: %v, %d rankings filed", err, len(lab.Rankings))
	}
	r, err := lab.Rank(c.ID, []int{2, 0, 3, 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != c.ID || r.Labeler != You || r.Prompt != c.Prompt || !slices.Equal(r.Answers, c.Answers) || !slices.Equal(lab.Rankings[0].Order, []int{2, 0, 3, 1}) {
		t.Errorf("filed %+v for candidate %+v", lab.Rankings[0], c)
	}
	next := lab.Candidate()
	if next.ID != 2 {
		t.Errorf("after a ranking: candidate %d, want 2", next.ID)
	}
	if err := lab.Skip(next.ID); err != nil || lab.Candidate().ID != 3 {
		t.Errorf("skip: %v, then candidate %d; want 3", err, lab.Candidate().ID)
	}
	s := lab.Settings
	s.K = 3
	if err := lab.SetSettings(s); err != nil {
		t.Fatal(err)
	}
	if c := lab.Candidate(); c.ID != 4 || len(c.Answers) != 3 {
		t.Errorf("after K = 3: candidate %d with %d answers, want 4 with 3", c.ID, len(c.Answers))
	}
	if err := lab.AutoLabel(9); err != nil {
		t.Fatal(err)
	}
	st := lab.Status()
	if st.Rankings != 10 || st.YourRankings != 1 || len(st.Newest) != NewestRankings || st.Newest[0].ID != lab.Rankings[9].ID {
		t.Fatalf("status: %d rankings, %d yours, newest %+v", st.Rankings, st.YourRankings, st.Newest)
	}
	newest := lab.Rankings[9]
	if n := st.Newest[0]; n.Best != newest.Answers[newest.Order[0]] || n.Worst != newest.Answers[newest.Order[2]] || n.Labeler != s.Persona {
		t.Errorf("newest ranking in short %+v, of %+v", n, newest)
	}
	for _, p := range Personas() {
		p.Noise = 0
		want := Agreement(r.Order, p.Rank(r.Prompt, r.Answers, nil))
		if got, ok := st.Agreement[p.Name]; !ok || got != want {
			t.Errorf("agreement with %s: %v, want %v (over the one ranking of yours)", p.Name, got, want)
		}
	}
	ids := map[uint64]bool{}
	for _, r := range lab.Rankings {
		ids[r.ID] = true
	}
	if len(ids) != len(lab.Rankings) {
		t.Errorf("ranking IDs are not unique: %d of %d", len(ids), len(lab.Rankings))
	}
}

// TestRewardJob: the job knows its length (epochs × steps per epoch) and
// ends with the held-out evaluation; the waiting answers are scored.
func TestRewardJob(t *testing.T) {
	lab := tinyLab(t, DefaultSettings())
	if _, err := lab.StartRewardJob(); !errors.Is(err, ErrNoRankings) {
		t.Errorf("a job without rankings: %v, want ErrNoRankings", err)
	}
	if err := lab.AutoLabel(30); err != nil {
		t.Fatal(err)
	}
	job, err := lab.StartRewardJob()
	if err != nil {
		t.Fatal(err)
	}
	train, held := lab.RewardSizes()
	if want := lab.Settings.Reward.Epochs * ((train + lab.Settings.Reward.Batch - 1) / lab.Settings.Reward.Batch); job.Steps() != want || held != 6 {
		t.Fatalf("job of %d steps (%d held out), want %d", job.Steps(), held, want)
	}
	for !job.Finished() {
		if _, err := job.Step(); err != nil {
			t.Fatal(err)
		}
	}
	evals := lab.History.RewardEvals
	if len(lab.History.Reward) != job.Steps() || job.Eval().Pairs == 0 || job.Eval() != evals[len(evals)-1] || job.Eval().Step != job.Steps() {
		t.Errorf("after the job: %d steps, eval %+v, last recorded %+v", len(lab.History.Reward), job.Eval(), evals[len(evals)-1])
	}
	if c := lab.Candidate(); len(c.Scores) != len(c.Answers) {
		t.Errorf("the waiting answers have %d scores, want %d", len(c.Scores), len(c.Answers))
	}
}
