//go:build js && wasm

package main

import "github.com/hajimehoshi/ebiten/v2"

// sftScene is step 1: supervised fine-tuning on written demonstrations.
type sftScene struct {
	intro intro
}

func newSFTScene() *sftScene {
	return &sftScene{intro: intro{
		title:    stageInfo[StageSFT].Title,
		subtitle: "The model imitates answers that people wrote.",
		explain: "Supervised fine-tuning (SFT) teaches the pretrained model what a helpful answer looks like. " +
			"People wrote demonstrations: a prompt and a good answer to it. " +
			"The model practises the same next-word guessing on them, but the loss counts only the words of the answer, so it learns to answer rather than to write prompts. " +
			"The result, the SFT model, is where steps 2 and 3 start.",
		flow: []flowNode{
			{Text: "Prompt + demonstration", Note: "written by people"},
			{Text: "Pretrained GPT", Note: "predicts the next word"},
			{Text: "Loss", Note: "on the answer's words only"},
			{Text: "SFT model", Note: "used in steps 2 and 3"},
		},
		status: "Not started: no demonstrations have been trained on in this tab yet.",
	}}
}

func (s *sftScene) Update(c *Context) error {
	s.intro.Update(c, contentRect(c))
	return nil
}

func (s *sftScene) Draw(screen *ebiten.Image) { s.intro.Draw(screen) }
