package sim

import (
	"bytes"
	"os"
	"testing"
)

// upgradeData is the built-in data the session in testdata/session-v1.zip
// was made with: a tiny model (context 24, d_model 8) over testCorpus.
func upgradeData() LabData {
	return LabData{Corpus: testCorpus, Prompts: []string{"the cat", "the dog"}, HeldoutPrompts: []string{"the cat"},
		Demonstrations: []Demonstration{{"the cat", "drinks milk ."}, {"the dog", "runs in the park ."}}}
}

// TestReadSessionV1 reads a session that the app's first session format
// wrote (commit 307eb90: one pretraining and one SFT step, a demonstration
// of the student's, 3 rankings of the student's and 7 by helpful-polite with
// K = 3, 3 reward-model steps and one PPO iteration), so that a student's
// saved work survives every upgrade: it must restore and train on.
func TestReadSessionV1(t *testing.T) {
	b, err := os.ReadFile("testdata/session-v1.zip")
	if err != nil {
		t.Fatal(err)
	}
	lab, err := ReadSnapshot(b, upgradeData())
	if err != nil {
		t.Fatal(err)
	}
	if len(lab.Rankings) != 10 || len(lab.UserDemos) != 1 || lab.Settings.K != 3 || lab.RM == nil || lab.Policy() == nil {
		t.Fatalf("restored %d rankings, %d demonstrations, K %d, reward model %v, policy %v; want 10, 1, 3 and both models",
			len(lab.Rankings), len(lab.UserDemos), lab.Settings.K, lab.RM != nil, lab.Policy() != nil)
	}
	for i, r := range lab.Rankings {
		if r.ID != uint64(i+1) {
			t.Fatalf("ranking %d restored with ID %d, want %d (saved before rankings had IDs)", i, r.ID, i+1)
		}
	}
	if c := lab.Candidate(); c.ID != 11 || len(c.Answers) != 3 {
		t.Errorf("first candidate after the restore: ID %d, %d answers; want 11 and 3", c.ID, len(c.Answers))
	}
	if lab.Settings.Reward.Epochs != DefaultRewardConfig().Epochs {
		t.Errorf("reward-model epochs %d in a session saved without them, want the default %d", lab.Settings.Reward.Epochs, DefaultRewardConfig().Epochs)
	}
	h := lab.History
	if len(h.Pretrain) != 1 || len(h.SFT) != 1 || len(h.Reward) != 3 || len(h.PPO) != 1 {
		t.Fatalf("restored history: %d pretraining, %d SFT, %d reward-model steps, %d PPO iterations; want 1, 1, 3, 1",
			len(h.Pretrain), len(h.SFT), len(h.Reward), len(h.PPO))
	}
	if _, err := lab.RewardStep(); err != nil {
		t.Fatal(err)
	}
	if _, err := lab.PPOStep(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := lab.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSnapshot(buf.Bytes(), upgradeData())
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Rankings) != 10 || back.Rankings[9].ID != 10 || len(back.History.PPO) != 2 {
		t.Errorf("saved again and read back: %d rankings, %d PPO iterations; want 10 and 2", len(back.Rankings), len(back.History.PPO))
	}
}
