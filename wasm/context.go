//go:build js && wasm

package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"rlhfplayground/i18n"
)

// Context is what a scene gets each Update: the screen size, this tick's
// pointer input, and the ways to act on the app.
type Context struct {
	Scale float64 // device pixels per CSS pixel; multiply every layout length by it
	// dev is the device's own pixels per CSS pixel (Scale is larger in
	// projector mode, which draws everything bigger): the pointer and
	// state().widgets are in the browser's CSS pixels.
	dev  float64
	W, H float64 // screen size in device pixels

	PointerX, PointerY float64 // device pixels
	Clicked            bool    // the primary button or a touch was released this tick
	WantPointer        bool    // set by a widget under the pointer that can be clicked

	Stage Stage // the current scene
	// Projector mode: larger text and fewer controls, for the front of the
	// room; LessonOpen: the lesson's card is shown. Bottom (device pixels)
	// is kept free under the content for the lesson's panel.
	Projector, LessonOpen bool
	Bottom                float64
	Visible               bool // false while the tab is hidden: do no training work then

	R *remote // the engine's worker and everything it last sent

	Class *classConn // the class server's connection (classlink.go); inactive without a class

	T *i18n.Text // every word the page shows, in the language it is in

	fonts    *fonts
	navigate func(Stage)
	redraw   bool
	live     bool
	targets  map[string][4]float64 // widget rectangles in CSS pixels, for state().targets
	overlay  func(*Context)        // a dialog opened this tick (settings, confirm)
}

// Target records a widget's rectangle under name, so that browser tests can
// find it and click it with real mouse events.
func (c *Context) Target(name string, r Rect) {
	if name == "" || c.targets == nil {
		return
	}
	c.targets[name] = [4]float64{r.X / c.dev, r.Y / c.dev, r.W / c.dev, r.H / c.dev}
}

// Redraw asks for the screen to be repainted after this Update. The game
// repaints by itself when the stage, the screen size or the pointer changes;
// a scene whose picture changes on its own (training curves, a progress
// animation) calls Redraw on every tick that changes it. An unchanged screen
// is not redrawn, which keeps an idle tab cheap on classroom laptops.
func (c *Context) Redraw() { c.redraw = true }

// Live asks for the next frame too, without waiting for an event: a focused
// text field (key repeat), a card being dragged. Frames are otherwise made
// only on input, on a message from the engine, or on a timer (see wake).
func (c *Context) Live() { c.live = true }

// Navigate switches scene and updates the URL hash, at the start of the next
// Update.
func (c *Context) Navigate(s Stage) { c.navigate(s) }

// Px converts CSS pixels to device pixels.
func (c *Context) Px(v float64) float64 { return v * c.Scale }

// readPointer fills this tick's pointer fields: at most one queued mouse
// click (CSS pixels, from page.clicks), else a touch released this tick, else
// the hovering mouse.
func (c *Context) readPointer(clicks <-chan [2]float64) {
	x, y := ebiten.CursorPosition()
	c.PointerX, c.PointerY = float64(x), float64(y)
	c.Clicked = false
	c.WantPointer = false
	select {
	case p := <-clicks:
		c.PointerX, c.PointerY, c.Clicked = p[0]*c.dev, p[1]*c.dev, true
		return
	default:
	}
	for _, id := range inpututil.AppendJustReleasedTouchIDs(nil) {
		x, y := inpututil.TouchPositionInPreviousTick(id)
		c.PointerX, c.PointerY, c.Clicked = float64(x), float64(y), true
	}
}

// stageKeys are the keyboard shortcuts: the digit is the recipe's step
// number, 0 for pretraining.
var stageKeys = map[ebiten.Key]Stage{
	ebiten.KeyDigit0: StagePretrain, ebiten.KeyNumpad0: StagePretrain,
	ebiten.KeyDigit1: StageSFT, ebiten.KeyNumpad1: StageSFT,
	ebiten.KeyDigit2: StageLabel, ebiten.KeyNumpad2: StageLabel,
	ebiten.KeyDigit3: StagePPO, ebiten.KeyNumpad3: StagePPO,
}

// stageIntent reports the stage a key pressed this tick asks for.
func stageIntent() (Stage, bool) {
	for _, k := range inpututil.AppendJustPressedKeys(nil) {
		if s, ok := stageKeys[k]; ok {
			return s, true
		}
	}
	return 0, false
}
