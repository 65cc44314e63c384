//go:build js && wasm

package main

import "github.com/hajimehoshi/ebiten/v2"

// ppoScene is step 3: the policy is optimised against the reward model with
// PPO and a KL penalty towards the SFT model.
type ppoScene struct {
	intro intro
}

func newPPOScene() *ppoScene {
	return &ppoScene{intro: intro{
		title:    stageInfo[StagePPO].Title,
		subtitle: "The model learns from the reward model's scores instead of from examples.",
		explain: "Now the model, called the policy, writes its own answers to prompts, and the reward model scores them. " +
			"PPO (proximal policy optimization) makes high-scoring answers a little more likely, in small, clipped updates. " +
			"A KL penalty measures how far the policy has drifted from the SFT model and is subtracted from the score, " +
			"so the policy cannot win by writing odd text that happens to fool the reward model. " +
			"A good run raises the reward while the KL stays small.",
		flow: []flowNode{
			{Text: "Policy writes answers", Note: "starts as the SFT model"},
			{Text: "Reward model scores them", Note: "from your rankings"},
			{Text: "Score − KL penalty", Note: "stay near the SFT model"},
			{Text: "PPO update", Note: "small, clipped steps"},
		},
		status: "Not started: no PPO iterations have run in this tab yet.",
	}}
}

func (s *ppoScene) Update(c *Context) error {
	s.intro.Update(c, contentRect(c))
	return nil
}

func (s *ppoScene) Draw(screen *ebiten.Image) { s.intro.Draw(screen) }
