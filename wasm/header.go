//go:build js && wasm

package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// Header lengths in CSS pixels.
const (
	headerH      = 84  // the whole bar
	headerPadX   = 28  // left and right margin
	brandGap     = 44  // from the product name to the first chip
	chipH        = 56  // a stage chip
	chipPadX     = 14  // inside a chip
	chipMinW     = 128 // so short names still have room for the progress line
	chipArrowW   = 34  // the arrow between two chips
	circleR      = 10  // the step-number circle
	badgePadX    = 7   // inside the Label badge
	headerRadius = 10
)

// header is the pipeline bar: the product name and one chip per stage,
// joined by arrows. A chip is clickable; the current one is highlighted.
type header struct {
	brand    Rect
	chips    [numStages]stageChip
	progress [numStages]string // the line under each chip's name
	settings button            // opens the session and settings dialog
	lang     button            // switches the page's language: its label is the other language's name
	class    button            // opens the class screen; its label is the connection (no label: no class)
	presets  button            // opens the experiments screen
	arrowW   float64           // the space between two chips, in device pixels, as laid out
	extras   headerExtras      // the Lesson and Projector switches (lesson.go)
}

func newHeader(navigate func(Stage)) *header {
	h := &header{}
	for s := range numStages {
		h.chips[s] = stageChip{stage: s, onClick: navigate}
	}
	return h
}

// headerRect is the bar across the top of the screen.
func headerRect(c *Context) Rect { return Rect{0, 0, c.W, c.Px(headerH)} }

// Update lays the chips out from the left, then lets each handle the
// pointer; it reports whether the language switch was clicked (never
// unless canSwitch).
func (h *header) Update(c *Context, canSwitch bool) (switchLang bool) {
	bar := headerRect(c)
	brandFace := c.fonts.face(true, sizeH2+1, c.Scale)
	bw := text.Advance(c.T.Brand, brandFace)
	if c.Projector { // the room knows the app's name: its room goes to the chips
		bw = 0
	}
	h.brand = Rect{c.Px(headerPadX), bar.Y, bw, bar.H}
	h.settings.Label = c.T.Header.Settings
	if bar.W < c.Px(1500) || (h.class.Label != "" && bar.W < c.Px(1800)) { // the experiments, lesson and projector buttons, and the class button, need the room
		h.settings.Label = c.T.Header.SettingsShort
	}
	sw := h.settings.width(c)
	by := bar.Y + (bar.H-c.Px(buttonH))/2
	h.settings.place(c, bar.W-c.Px(headerPadX)-sw, by)
	right := h.settings.X - c.Px(buttonGap)
	if c.Projector { // fewer controls: no settings at the front of the room
		h.settings.Rect, right = Rect{}, bar.W-c.Px(headerPadX)
	}
	h.lang.Label, h.lang.Disabled, h.lang.Other = c.T.SwitchTo, !c.R.Ready, true
	h.lang.place(c, right-h.lang.width(c), by)
	switchLang = h.lang.Update(c, "lang") && canSwitch
	right = h.lang.X // the switches and the chips end before it
	if h.class.Label != "" {
		h.class.place(c, h.lang.X-c.Px(buttonGap)-h.class.width(c), by)
		right = h.class.X
	} else {
		h.class.Rect = Rect{}
	}
	h.presets.Label = c.T.Presets.Button
	h.presets.place(c, right-c.Px(buttonGap)-h.presets.width(c), by)
	right = h.presets.X

	// The chips sit between the name and the settings button; on a narrow
	// screen the gaps and arrows between them shrink so that nothing overlaps.
	var widths [numStages]float64
	chipsW := 0.0
	for s := range numStages {
		widths[s] = h.chips[s].width(c, h.progress[s])
		chipsW += widths[s]
	}
	// The Lesson and Projector switches take what room the chips leave
	// (lesson.go), the name giving way to them first.
	left := h.extras.place(c, right, by, &bw, h.brand.X+chipsW+0.55*float64(numStages-1)*c.Px(chipArrowW)+c.Px(16))
	h.brand.W = bw
	gap, arrowW := c.Px(brandGap), c.Px(chipArrowW)
	if bw == 0 {
		gap = 0
	}
	room := left - c.Px(16) - (h.brand.X + bw)
	if need := gap + chipsW + float64(numStages-1)*arrowW; need > room {
		scale := max((room-chipsW)/(need-chipsW), 0.55)
		gap, arrowW = gap*scale, arrowW*scale
	}
	h.arrowW = arrowW
	x := h.brand.X + bw + gap
	for s := range numStages {
		h.chips[s].Rect = Rect{x, bar.Y + (bar.H-c.Px(chipH))/2, widths[s], c.Px(chipH)}
		x += widths[s] + arrowW
		h.chips[s].Update(c)
	}
	return switchLang
}

func (h *header) Draw(dst *ebiten.Image, c *Context) {
	bar := headerRect(c)
	vector.DrawFilledRect(dst, float32(bar.X), float32(bar.Y), float32(bar.W), float32(bar.H), colHeader, false)
	vector.DrawFilledRect(dst, float32(bar.X), float32(bar.Y+bar.H-c.Px(1)), float32(bar.W), float32(c.Px(1)), colBorder, false)
	brandFace := c.fonts.face(true, sizeH2+1, c.Scale)
	if h.brand.W > 0 {
		drawText(dst, c.T.Brand, brandFace, h.brand.X, h.brand.Y+h.brand.H/2, colText, alignLeft, alignMiddle)
	}
	for s := range numStages {
		ch := &h.chips[s]
		ch.Draw(dst, c, s == c.Stage, h.progress[s])
		if s+1 < numStages {
			y := ch.Y + ch.H/2
			inset := h.arrowW * 9 / chipArrowW
			arrow(dst, ch.X+ch.W+inset, y, ch.X+ch.W+h.arrowW-inset, y, c.Px(1.5), c.Px(6), colFaint)
		}
	}
	h.settings.Draw(dst, c)
	h.lang.Draw(dst, c)
	h.presets.Draw(dst, c)
	if h.class.Label != "" {
		h.class.Draw(dst, c)
	}
	h.extras.Draw(dst, c)
}

// stageChip is one clickable stage in the header.
type stageChip struct {
	Rect
	stage   Stage
	hover   bool
	onClick func(Stage)
}

func (ch *stageChip) Update(c *Context) {
	ch.hover = ch.Contains(c.PointerX, c.PointerY)
	if ch.hover {
		c.WantPointer = true
		if c.Clicked {
			ch.onClick(ch.stage)
		}
	}
}

// titleRow is the circle (if the stage has a step number), name and badge.
func (ch *stageChip) titleRow(c *Context) (circle, name, badge float64) {
	info := c.T.Stages[ch.stage]
	if stageSteps[ch.stage] != "" {
		circle = c.Px(2*circleR + 8)
	}
	name = text.Advance(info.Name, c.fonts.face(true, sizeChip, c.Scale))
	if info.Badge != "" {
		badge = c.Px(8+2*badgePadX) + text.Advance(info.Badge, c.fonts.face(true, sizeSmall-1, c.Scale))
	}
	return circle, name, badge
}

func (ch *stageChip) width(c *Context, progress string) float64 {
	circle, name, badge := ch.titleRow(c)
	w := max(circle+name+badge, text.Advance(progress, c.fonts.face(false, sizeSmall, c.Scale)))
	return max(w+2*c.Px(chipPadX), c.Px(chipMinW))
}

func (ch *stageChip) Draw(dst *ebiten.Image, c *Context, current bool, progress string) {
	info, step := c.T.Stages[ch.stage], stageSteps[ch.stage]
	switch {
	case current:
		fillRoundRect(dst, ch.Rect, c.Px(headerRadius), colAccentDim)
		strokeRoundRect(dst, ch.Rect, c.Px(headerRadius), c.Px(1.5), colAccent)
	case ch.hover:
		fillRoundRect(dst, ch.Rect, c.Px(headerRadius), colChipHover)
	}
	nameFace := c.fonts.face(true, sizeChip, c.Scale)
	smallFace := c.fonts.face(false, sizeSmall, c.Scale)
	x, rowMid := ch.X+c.Px(chipPadX), ch.Y+c.Px(19)
	circle, name, _ := ch.titleRow(c)
	if step != "" {
		cx, r := x+c.Px(circleR), c.Px(circleR)
		clr, numClr := colBorder, colText
		if current {
			clr, numClr = colAccent, colBackground
		}
		vector.DrawFilledCircle(dst, float32(cx), float32(rowMid), float32(r), clr, antialias)
		numFace := c.fonts.face(true, sizeSmall, c.Scale)
		drawText(dst, step, numFace, cx, rowMid, numClr, alignCenter, alignMiddle)
	}
	nameClr := colMuted
	if current || ch.hover {
		nameClr = colText
	}
	drawText(dst, info.Name, nameFace, x+circle, rowMid, nameClr, alignLeft, alignMiddle)
	if info.Badge != "" {
		bf := c.fonts.face(true, sizeSmall-1, c.Scale)
		bx := x + circle + name + c.Px(8)
		b := Rect{bx, rowMid - c.Px(9), text.Advance(info.Badge, bf) + c.Px(2*badgePadX), c.Px(18)}
		strokeRoundRect(dst, b, c.Px(9), c.Px(1), colLabel)
		drawText(dst, info.Badge, bf, b.X+c.Px(badgePadX), rowMid, colLabel, alignLeft, alignMiddle)
	}
	drawText(dst, progress, smallFace, x, ch.Y+ch.H-c.Px(15), colFaint, alignLeft, alignMiddle)
}
