//go:build js && wasm

package main

import "github.com/hajimehoshi/ebiten/v2"

// labelScene is step 2: the student ranks answers and a reward model learns
// from the rankings. The ranking cards will go below the intro.
type labelScene struct {
	intro intro
}

func newLabelScene() *labelScene {
	return &labelScene{intro: intro{
		title:    stageInfo[StageLabel].Title,
		subtitle: "Here you are the human labeler.",
		explain: "The SFT model writes several answers to the same prompt, and you rank them from best to worst. " +
			"Each ranking becomes pairs (this answer is better than that one), and a reward model learns to give the better answer of each pair a higher score. " +
			"Its accuracy is how often it agrees with rankings it was not trained on. " +
			"In step 3 the reward model stands in for you, so it can judge thousands of answers.",
		flow: []flowNode{
			{Text: "Prompt", Note: "one question"},
			{Text: "SFT model", Note: "writes several answers"},
			{Text: "You rank the answers", Note: "best to worst", You: true},
			{Text: "Reward model", Note: "learns to score like you"},
		},
		status: "Not started: no rankings have been given in this tab yet.",
	}}
}

func (s *labelScene) Update(c *Context) error {
	s.intro.Update(c, contentRect(c))
	return nil
}

func (s *labelScene) Draw(screen *ebiten.Image) { s.intro.Draw(screen) }
