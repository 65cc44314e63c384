//go:build js && wasm

package main

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"rlhfplayground/sim"
)

// The Label screen's panels under the buttons: how often each persona
// agrees with the student, and the newest rankings.

// Panel lengths in CSS pixels.
const (
	agreeH        = 118 // the agreement panel: a heading, a row of bars, a caption
	agreeRowY     = 30  // from the heading to the names
	agreeBarY     = 22  // from the names to the bars
	agreeBarH     = 8
	agreeColGap   = 14 // between two personas' columns
	agreePctW     = 52 // the name gives the percentage this much room
	agreeNoteY    = 40 // from the names to the caption
	agreeNoteMin  = 56 // the caption is shown only with this much room under the names
	recentHeadH   = 30 // the newest rankings' heading
	recentRowH    = 50 // one ranking: who and the prompt, then its best and worst answers
	recentAnswerY = 20
	recentColGap  = 16
	innerPad      = 14 // inside both panels
)

// recentLayout is the newest-rankings panel as laid out: its rectangle and
// how many rankings fit (0: no panel).
type recentLayout struct {
	Rect
	rows int
}

// layoutPanels puts the agreement panel at the top of the body and, when
// there is room, the newest rankings below it.
func (s *labelScene) layoutPanels(c *Context) {
	s.agreeR = s.bodyR
	s.agreeR.H = min(s.agreeR.H, c.Px(agreeH))
	s.recent = recentLayout{}
	_, rest := s.bodyR.CutTop(s.agreeR.H, c.Px(panelGap))
	frame := c.Px(2*innerPad + recentHeadH)
	n := min(len(c.R.State.Newest), int((rest.H-frame)/c.Px(recentRowH)))
	if n > 0 {
		rest.H = frame + float64(n)*c.Px(recentRowH)
		s.recent = recentLayout{rest, n}
	}
}

// drawRecent lists the newest rankings, the reward model's training data:
// who ranked, the prompt, and the answers put first and last.
func (s *labelScene) drawRecent(dst *ebiten.Image) {
	c := &s.c
	if s.recent.rows == 0 {
		return
	}
	panel(dst, c, s.recent.Rect)
	in := s.recent.Inset(c.Px(innerPad))
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	bold := c.fonts.face(true, sizeSmall, c.Scale)
	t := &c.T.Label
	drawText(dst, t.Newest, h2, in.X, in.Y, colText, alignLeft, alignTop)
	y := in.Y + c.Px(recentHeadH)
	for _, rk := range c.R.State.Newest[:s.recent.rows] {
		who, clr := c.T.Persona(rk.Labeler, sim.You), colMuted
		if rk.Labeler == sim.You {
			clr = colLabel
		}
		whoW := textAdvance(who, bold) + c.Px(10)
		drawText(dst, who, bold, in.X, y, clr, alignLeft, alignTop)
		drawText(dst, ellipsize(rk.Prompt, small, in.W-whoW), small, in.X+whoW, y, colMuted, alignLeft, alignTop)
		half := (in.W - c.Px(recentColGap)) / 2
		for i, a := range []struct {
			label, text string
			clr         color.Color
		}{{t.BestWord, rk.Best, colGood}, {t.WorstWord, rk.Worst, colBad}} {
			x := in.X + float64(i)*(half+c.Px(recentColGap))
			lw := textAdvance(a.label, bold) + c.Px(8)
			drawText(dst, a.label, bold, x, y+c.Px(recentAnswerY), a.clr, alignLeft, alignTop)
			drawText(dst, ellipsize(answerText(c.T, a.text), small, half-lw), small, x+lw, y+c.Px(recentAnswerY), colText, alignLeft, alignTop)
		}
		y += c.Px(recentRowH)
	}
}

// drawAgreement shows, per persona, how often it orders a pair of answers
// the way the student did.
func (s *labelScene) drawAgreement(dst *ebiten.Image) {
	c := &s.c
	r := s.agreeR
	if r.W < 20 || r.H < 20 {
		return
	}
	panel(dst, c, r)
	in := r.Inset(c.Px(innerPad))
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	t := &c.T.Label
	drawText(dst, t.Agree, h2, in.X, in.Y, colText, alignLeft, alignTop)
	agree := c.R.State.Agreement
	y := in.Y + c.Px(agreeRowY)
	if agree == nil {
		for i, l := range wrapText(t.AgreeNone, small, in.W) {
			drawText(dst, l, small, in.X, y+float64(i)*lineHeight(small), colFaint, alignLeft, alignTop)
		}
		return
	}
	// One column per persona: name, bar, percentage.
	colW := in.W / float64(max(1, len(c.R.Personas)))
	for i, name := range c.R.Personas {
		v := agree[name]
		x := in.X + float64(i)*colW
		clr := colAccent
		if name == c.R.Settings().Persona {
			clr = colLabel
		}
		drawText(dst, ellipsize(c.T.Persona(name, sim.You), small, colW-c.Px(agreePctW)), small, x, y, colMuted, alignLeft, alignTop)
		drawText(dst, pct(v), c.fonts.face(true, sizeSmall, c.Scale), x+colW-c.Px(agreeColGap), y, colText, alignRight, alignTop)
		bar := Rect{x, y + c.Px(agreeBarY), colW - c.Px(agreeColGap), c.Px(agreeBarH)}
		fillRoundRect(dst, bar, c.Px(agreeBarH/2), colBackground)
		fb := bar
		fb.W = max(c.Px(2), bar.W*v)
		fillRoundRect(dst, fb, c.Px(agreeBarH/2), clr)
	}
	if y+c.Px(agreeNoteMin) < in.Y+in.H {
		note := c.fonts.face(false, sizeSmall-1, c.Scale)
		drawText(dst, ellipsize(t.AgreeNote, note, in.W), note, in.X, y+c.Px(agreeNoteY), colFaint, alignLeft, alignTop)
	}
}
