//go:build js && wasm

package main

import (
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// Scene is one screen of the app. Update handles input and lays out (it may
// do bounded work, see house style point 9); Draw only reads.
type Scene interface {
	Update(*Context) error
	Draw(*ebiten.Image)
}

// Game routes Update and Draw to the current scene, below the header.
type Game struct {
	scenes [numStages]Scene
	header *header
	ctx    Context
	page   *page
	pacing framePacing

	stage   atomic.Int32                          // the current Stage; window.rlhf.state() reads it from JS
	targets atomic.Pointer[map[string][2]float64] // header chip centres for State.Targets
	next    Stage                                 // set by Context.Navigate, applied at the start of the next Update
	hasNext bool
	started bool // the first frame is drawn and the loading screen removed

	drawn     drawKey // what the screen showed when last painted
	needsDraw bool
}

// drawKey is what, besides Context.Redraw, makes the screen out of date.
type drawKey struct {
	stage       Stage
	w, h, scale float64
	px, py      float64
}

func NewGame(p *page) (*Game, error) {
	f, err := newFonts()
	if err != nil {
		return nil, err
	}
	g := &Game{page: p}
	g.scenes = [numStages]Scene{
		StagePretrain: newPretrainScene(),
		StageSFT:      newSFTScene(),
		StageLabel:    newLabelScene(),
		StagePPO:      newPPOScene(),
	}
	g.ctx = Context{Scale: 1, fonts: f, navigate: g.navigate}
	g.needsDraw = true
	ebiten.SetScreenClearedEveryFrame(false) // Draw skips unchanged frames; the screen keeps the last picture
	g.header = newHeader(g.navigate)
	// A deep link such as #label opens that stage; no or an unknown hash opens
	// pretraining and says so in the URL without adding a history entry.
	start, _ := stageFromHash(p.Hash())
	g.show(start, false)
	p.ExposeState(g.state)
	return g, nil
}

func (g *Game) current() Stage { return Stage(g.stage.Load()) }

func (g *Game) navigate(s Stage) { g.next, g.hasNext = s, true }

// show makes s the current scene and the URL hash follow it.
func (g *Game) show(s Stage, pushHistory bool) {
	g.stage.Store(int32(s))
	g.page.SetHash("#"+s.ID(), pushHistory)
	g.page.SetTitle(stageInfo[s].Name + " · RLHF Playground")
}

func (g *Game) Update() error {
	c := &g.ctx
	c.readPointer(g.page.clicks)
	c.redraw = false
	c.Visible = g.page.Visible()
	// Navigation asked for in the last tick (a click, a key, Back/Forward)
	// happens first, so the new scene updates before it is drawn.
	for len(g.page.hashes) > 0 {
		s, ok := stageFromHash(<-g.page.hashes)
		if !ok {
			s = g.current() // an unknown #hash: put the current stage's back
		}
		g.show(s, false)
	}
	if s, ok := stageIntent(); ok {
		g.navigate(s)
	}
	if g.hasNext {
		g.hasNext = false
		if g.next != g.current() {
			g.show(g.next, true)
		}
	}
	c.Stage = g.current()
	g.header.Update(c)
	g.publishTargets()
	if err := g.scenes[c.Stage].Update(c); err != nil {
		return err
	}
	// Training work will go here, inside a time budget and only while
	// c.Visible (a hidden tab must not spin the CPU).
	key := drawKey{c.Stage, c.W, c.H, c.Scale, c.PointerX, c.PointerY}
	if key != g.drawn || c.redraw {
		g.drawn, g.needsDraw = key, true
	}
	if c.WantPointer {
		ebiten.SetCursorShape(ebiten.CursorShapePointer)
	} else {
		ebiten.SetCursorShape(ebiten.CursorShapeDefault)
	}
	return nil
}

func (g *Game) Draw(screen *ebiten.Image) {
	g.pacing.frame(time.Now())
	if !g.needsDraw {
		return
	}
	g.needsDraw = false
	screen.Fill(colBackground)
	g.scenes[g.ctx.Stage].Draw(screen)
	g.header.Draw(screen, &g.ctx)
	if !g.started {
		g.started = true
		g.page.Started()
	}
}

// LayoutF makes the screen as many pixels as the device has, so text is sharp
// on HiDPI displays; layout code multiplies CSS lengths by ctx.Scale.
func (g *Game) LayoutF(outsideW, outsideH float64) (float64, float64) {
	s := ebiten.Monitor().DeviceScaleFactor()
	g.ctx.Scale, g.ctx.W, g.ctx.H = s, outsideW*s, outsideH*s
	return g.ctx.W, g.ctx.H
}

// Layout is required by ebiten.Game; ebiten calls LayoutF instead.
func (g *Game) Layout(outsideW, outsideH int) (int, int) {
	w, h := g.LayoutF(float64(outsideW), float64(outsideH))
	return int(w), int(h)
}

// publishTargets records where each header chip is, in CSS pixels, so that
// browser tests can click it like a person would.
func (g *Game) publishTargets() {
	t := make(map[string][2]float64, numStages)
	for s := range numStages {
		r := g.header.chips[s].Rect
		t[s.ID()] = [2]float64{(r.X + r.W/2) / g.ctx.Scale, (r.Y + r.H/2) / g.ctx.Scale}
	}
	g.targets.Store(&t)
}

// state is window.rlhf.state(); it only reads.
func (g *Game) state() State {
	frames, p50, p95 := g.pacing.stats()
	st := State{
		Stage:      g.current().ID(),
		Frames:     frames,
		FrameMsP50: p50,
		FrameMsP95: p95,
		Visible:    g.page.Visible(),
	}
	if t := g.targets.Load(); t != nil {
		st.Targets = *t
	}
	return st
}
