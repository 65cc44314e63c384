//go:build js && wasm

package main

import "github.com/hajimehoshi/ebiten/v2"

// pretrainScene is where the tiny GPT learns to continue plain text. The
// engine's controls and loss curve will go below the intro.
type pretrainScene struct {
	intro intro
}

func newPretrainScene() *pretrainScene {
	return &pretrainScene{intro: intro{
		title:    stageInfo[StagePretrain].Title,
		subtitle: "Before the recipe starts, the model reads plain sentences.",
		explain: "Before a model can follow instructions it has to learn how language flows. " +
			"In pretraining it reads plain sentences and, at every position, guesses the next word. " +
			"Each wrong guess nudges its weights a little, so words that often follow each other become likely. " +
			"Afterwards it can continue any text, but it only imitates what it read: it does not yet know how to answer a question.",
		flow: []flowNode{
			{Text: "Plain sentences", Note: "a small text corpus"},
			{Text: "Tiny GPT", Note: "predicts the next word"},
			{Text: "Loss", Note: "on every word"},
		},
		status: "Not started: no model has been trained in this tab yet.",
	}}
}

func (s *pretrainScene) Update(c *Context) error {
	s.intro.Update(c, contentRect(c))
	return nil
}

func (s *pretrainScene) Draw(screen *ebiten.Image) { s.intro.Draw(screen) }
