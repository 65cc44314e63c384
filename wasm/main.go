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
	// Frames are made on demand (see wake and Game.live): an unchanged screen
	// is never presented again, which matters where the browser reads every
	// presented WebGL frame back for its compositor (software WebGL, as in
	// headless Chromium) while the engine's worker keeps a core busy.
	ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum)
	ebiten.SetTPS(ebiten.SyncWithFPS) // one Update per frame made
	Mark("main")
	page := newPage()
	lang := page.Lang()
	page.SetLang(lang)
	g, err := NewGame(page, lang)
	if err != nil {
		page.ShowError(err)
		return
	}
	Mark("game")
	if err := ebiten.RunGame(g); err != nil {
		page.ShowError(err)
	}
}

// wake asks for a frame (one Update and, if it changed the screen, one
// Draw). Callbacks from the page call it after posting something for
// Update; ebiten makes a frame by itself on input events and resizes.
func wake() { ebiten.ScheduleFrame() }
