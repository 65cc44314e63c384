//go:build js && wasm

package main

import "rlhfplayground/protocol"

// Stage is one step of the recipe; each has one scene and one deep link
// (protocol.Stage names them for both programs).
type Stage = protocol.Stage

const (
	StagePretrain = protocol.Pretrain
	StageSFT      = protocol.SFT
	StageLabel    = protocol.Label // step 2: the student ranks answers; the reward model trains on them
	StagePPO      = protocol.PPO
	numStages     = protocol.NumStages
)

// stageInfo is what the header and the scene titles say of each stage.
var stageInfo = [numStages]struct {
	Step  string // the step number of the ChatGPT recipe ("" for pretraining)
	Name  string // the header chip
	Badge string // what the student does there, if anything
	Title string // the scene title
}{
	StagePretrain: {Step: "", Name: "Pretrain", Title: "Pretraining: learning to continue text"},
	StageSFT:      {Step: "1", Name: "SFT", Title: "Step 1 · Supervised fine-tuning"},
	StageLabel:    {Step: "2", Name: "Reward model", Badge: "Label", Title: "Step 2 · You label, a reward model learns"},
	StagePPO:      {Step: "3", Name: "PPO", Title: "Step 3 · Reinforcement learning with PPO"},
}
