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

// stageSteps are the step numbers of the ChatGPT recipe ("" for
// pretraining); the header's and the scene titles' words are the catalog's
// (i18n.Text.Stages, in the same order).
var stageSteps = [numStages]string{StagePretrain: "", StageSFT: "1", StageLabel: "2", StagePPO: "3"}
