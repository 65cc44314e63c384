//go:build js && wasm

package main

import (
	"fmt"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
)

// Widget lengths in CSS pixels.
const (
	buttonH    = 34
	buttonPadX = 14
	buttonGap  = 10
	widgetR    = 8
)

// button is a clickable label. Update lays it out and reports a click;
// Draw paints it as laid out.
type button struct {
	Rect
	Label    string
	Primary  bool // the accent fill, for the screen's main action
	Disabled bool
	Other    bool // the label is in the other language (the language switch)
	hover    bool
}

// face is the label's face.
func (b *button) face(c *Context) *fontFace {
	if b.Other {
		return c.fonts.switchFace(true, sizeBody-1, c.Scale)
	}
	return c.fonts.face(true, sizeBody-1, c.Scale)
}

// width is the button's natural width for its label.
func (b *button) width(c *Context) float64 {
	return text.Advance(b.Label, b.face(c)) + c.Px(2*buttonPadX)
}

// place puts the button at (x, y) with its natural width and returns the x
// after it and a gap.
func (b *button) place(c *Context, x, y float64) float64 {
	b.Rect = Rect{x, y, b.width(c), c.Px(buttonH)}
	return x + b.W + c.Px(buttonGap)
}

// Update handles the pointer; name makes the button a target for tests.
func (b *button) Update(c *Context, name string) bool {
	c.Target(name, b.Rect)
	b.hover = !b.Disabled && b.Contains(c.PointerX, c.PointerY)
	if b.hover {
		c.WantPointer = true
		return c.Clicked
	}
	return false
}

func (b *button) Draw(dst *ebiten.Image, c *Context) {
	if b.W == 0 {
		return
	}
	fill, border, fg := color.Color(colPanel), color.Color(colBorderStrong), color.Color(colText)
	switch {
	case b.Disabled:
		fill, border, fg = colPanel, colBorder, colFaint
	case b.Primary && b.hover:
		fill, border, fg = colAccentHover, colAccentHover, colBackground
	case b.Primary:
		fill, border, fg = colAccent, colAccent, colBackground
	case b.hover:
		fill = colChipHover
	}
	fillRoundRect(dst, b.Rect, c.Px(widgetR), fill)
	strokeRoundRect(dst, b.Rect, c.Px(widgetR), c.Px(1), border)
	drawText(dst, b.Label, b.face(c), b.X+b.W/2, b.Y+b.H/2, fg, alignCenter, alignMiddle)
}

// stepperMinValueW is the least room a stepper's value gets, in CSS
// pixels ("2e-04"); a label that then does not fit is cut.
const stepperMinValueW = 46

// stepper shows a named number with − and + buttons.
type stepper struct {
	Rect
	Name        string
	Value       string
	ValueW      float64 // CSS pixels for the value; 0 means 74
	minus, plus button
}

// valueW is the room for the value, in CSS pixels.
func (s *stepper) valueW() float64 {
	if s.ValueW > 0 {
		return s.ValueW
	}
	return 74
}

// labelW is the room for the label, in device pixels.
func (s *stepper) labelW(c *Context) float64 {
	return textAdvance(s.Name, c.fonts.face(false, sizeBody-1, c.Scale)) + c.Px(8)
}

// width is the width in device pixels that shows the label and the value whole.
func (s *stepper) width(c *Context) float64 { return s.labelW(c) + c.Px(2*buttonH+s.valueW()) }

// Update lays the stepper out in r (label left, value and buttons right)
// and returns −1 or +1 when a button was clicked.
func (s *stepper) Update(c *Context, r Rect, name string) int {
	s.Rect = r
	bw := c.Px(buttonH)
	s.plus.Label, s.minus.Label = "+", "−"
	s.plus.Rect = Rect{r.X + r.W - bw, r.Y, bw, r.H}
	// A narrow cell gives the value less room before the label loses any.
	valueW := max(min(c.Px(s.valueW()), r.W-s.labelW(c)-2*bw), c.Px(stepperMinValueW))
	s.minus.Rect = Rect{s.plus.X - valueW - bw, r.Y, bw, r.H}
	switch {
	case s.minus.Update(c, name+"-"):
		return -1
	case s.plus.Update(c, name+"+"):
		return 1
	}
	return 0
}

func (s *stepper) Draw(dst *ebiten.Image, c *Context) {
	if s.W == 0 {
		return
	}
	body := c.fonts.face(false, sizeBody-1, c.Scale)
	drawText(dst, ellipsize(s.Name, body, s.minus.X-s.X-c.Px(6)), body, s.X, s.Y+s.H/2, colMuted, alignLeft, alignMiddle)
	s.minus.Draw(dst, c)
	s.plus.Draw(dst, c)
	mid := (s.minus.X + s.minus.W + s.plus.X) / 2
	bold := c.fonts.face(true, sizeBody-1, c.Scale)
	drawText(dst, ellipsize(s.Value, bold, s.plus.X-s.minus.X-s.minus.W-c.Px(8)), bold, mid, s.Y+s.H/2, colText, alignCenter, alignMiddle)
}

// toggle is a labelled on/off switch.
type toggle struct {
	Rect
	Name  string
	On    bool
	hover bool
}

// Update returns true when the student flipped it.
func (t *toggle) Update(c *Context, r Rect, name string) bool {
	t.Rect = r
	c.Target(name, r)
	t.hover = r.Contains(c.PointerX, c.PointerY)
	if t.hover {
		c.WantPointer = true
		return c.Clicked
	}
	return false
}

func (t *toggle) Draw(dst *ebiten.Image, c *Context) {
	if t.W == 0 {
		return
	}
	body := c.fonts.face(false, sizeBody-1, c.Scale)
	drawText(dst, t.Name, body, t.X, t.Y+t.H/2, colMuted, alignLeft, alignMiddle)
	sw := Rect{t.X + t.W - c.Px(44), t.Y + t.H/2 - c.Px(11), c.Px(44), c.Px(22)}
	fill := color.Color(colBorder)
	if t.On {
		fill = colAccent
	}
	fillRoundRect(dst, sw, c.Px(11), fill)
	kx := sw.X + c.Px(11)
	if t.On {
		kx = sw.X + sw.W - c.Px(11)
	}
	fillRoundRect(dst, Rect{kx - c.Px(8), sw.Y + c.Px(3), c.Px(16), c.Px(16)}, c.Px(8), colText)
}

// fmtNum formats a setting compactly: 0.0003 as 3e-4, 0.05 as 0.05.
func fmtNum(v float64) string {
	if v != 0 && (v < 0.01 || v >= 1000) {
		return fmt.Sprintf("%.0e", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// pct formats a share as a percentage.
func pct(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }
