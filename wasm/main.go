//go:build js && wasm

// Command wasm is the RLHF Playground app, built with
// GOOS=js GOARCH=wasm and loaded by index.html and loader.js.
//
// The student walks ChatGPT's recipe on a tiny GPT: pretraining, then
// 1 supervised fine-tuning, 2 ranking answers to train a reward model, and
// 3 PPO against that reward model. Each stage is one scene; game.go routes
// Update and Draw to the current one, web.go is the only file that talks to
// the page (location.hash, window.rlhf.state(), tab visibility).
package main

import (
	"github.com/hajimehoshi/ebiten/v2"
)

func main() {
	page := newPage()
	g, err := NewGame(page)
	if err != nil {
		page.ShowError(err)
		return
	}
	if err := ebiten.RunGame(g); err != nil {
		page.ShowError(err)
	}
}
