//go:build js && wasm

package main

// Stage is one step of the recipe; each has one scene and one deep link.
type Stage int

const (
	StagePretrain Stage = iota
	StageSFT
	StageLabel // step 2: the student ranks answers; the reward model trains on them
	StagePPO
	numStages
)

// stageInfo names each stage in the header, the URL hash and window.rlhf.state().
var stageInfo = [numStages]struct {
	ID    string // "#" + ID is the deep link; state().stage is ID
	Step  string // the step number of the ChatGPT recipe ("" for pretraining)
	Name  string // the header chip
	Badge string // what the student does there, if anything
	Title string // the scene title
}{
	StagePretrain: {ID: "pretrain", Step: "", Name: "Pretrain", Title: "Pretraining: learning to continue text"},
	StageSFT:      {ID: "sft", Step: "1", Name: "SFT", Title: "Step 1 · Supervised fine-tuning"},
	StageLabel:    {ID: "label", Step: "2", Name: "Reward model", Badge: "Label", Title: "Step 2 · You label, a reward model learns"},
	StagePPO:      {ID: "ppo", Step: "3", Name: "PPO", Title: "Step 3 · Reinforcement learning with PPO"},
}

func (s Stage) ID() string { return stageInfo[s].ID }

// stageFromHash parses a location.hash such as "#sft".
func stageFromHash(hash string) (Stage, bool) {
	if len(hash) > 0 && hash[0] == '#' {
		hash = hash[1:]
	}
	for s := range numStages {
		if stageInfo[s].ID == hash {
			return s, true
		}
	}
	return 0, false
}
