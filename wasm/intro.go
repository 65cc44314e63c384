//go:build js && wasm

package main

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// Content lengths in CSS pixels.
const (
	contentPad    = 32   // around the content below the header
	contentMaxW   = 1180 // wider screens centre the content
	panelPad      = 22   // inside a panel
	panelRadius   = 12
	panelGap      = 20
	flowNodeH     = 40
	flowArrowH    = 22
	explainShare  = 0.58 // the explanation's share of the panel row
	statusH       = 48
	headingHeight = 30 // a panel heading and the space under it
)

// contentRect is the area below the header where a scene draws.
func contentRect(c *Context) Rect {
	pad := c.Px(contentPad)
	r := Rect{pad, c.Px(headerH) + pad, c.W - 2*pad, c.H - c.Px(headerH) - 2*pad}
	if maxW := c.Px(contentMaxW); r.W > maxW {
		r.X += (r.W - maxW) / 2
		r.W = maxW
	}
	return r
}

// flowNode is one box of a stage's data-flow diagram.
type flowNode struct {
	Text string
	Note string // smaller, after Text
	You  bool   // the student does this step
}

// intro is the top of every stage screen: its title, a plain-language
// "What is happening here?" panel, the data flow of the stage and a status
// line. It only explains; it shows no numbers until the engine produces them.
type intro struct {
	title, subtitle string
	explain         string
	flow            []flowNode
	status          string

	c                                Context // copy of the last Update's context, for Draw
	titleR, explainR, flowR, statusR Rect
	lines                            []string // explain, wrapped to explainR
}

// Update lays the intro out in r, top to bottom.
func (p *intro) Update(c *Context, r Rect) {
	p.c = *c
	body := c.fonts.face(false, sizeBody, c.Scale)
	p.titleR, r = r.CutTop(c.Px(sizeTitle*1.3+8+sizeBody*1.5), c.Px(24))
	var row Rect
	textW := r.W*explainShare - 2*c.Px(panelPad)
	p.lines = wrapText(p.explain, body, textW)
	explainH := c.Px(2*panelPad+headingHeight) + float64(len(p.lines))*lineHeight(body)
	n := float64(len(p.flow))
	flowH := c.Px(2*panelPad+headingHeight) + n*c.Px(flowNodeH) + (n-1)*c.Px(flowArrowH)
	row, r = r.CutTop(max(explainH, flowH), c.Px(panelGap))
	p.explainR, p.flowR = row.CutLeft(row.W*explainShare, c.Px(panelGap))
	p.statusR, _ = r.CutTop(c.Px(statusH), 0)
}

func (p *intro) Draw(dst *ebiten.Image) {
	c := &p.c
	if c.fonts == nil {
		return // not laid out yet
	}
	titleFace := c.fonts.face(true, sizeTitle, c.Scale)
	body := c.fonts.face(false, sizeBody, c.Scale)
	h2 := c.fonts.face(true, sizeH2, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)

	drawText(dst, p.title, titleFace, p.titleR.X, p.titleR.Y, colText, alignLeft, alignTop)
	drawText(dst, p.subtitle, body, p.titleR.X, p.titleR.Y+c.Px(sizeTitle*1.3+8), colMuted, alignLeft, alignTop)

	panel(dst, c, p.explainR)
	in := p.explainR.Inset(c.Px(panelPad))
	drawText(dst, "What is happening here?", h2, in.X, in.Y, colText, alignLeft, alignTop)
	for i, line := range p.lines {
		drawText(dst, line, body, in.X, in.Y+c.Px(headingHeight)+float64(i)*lineHeight(body), colText, alignLeft, alignTop)
	}

	panel(dst, c, p.flowR)
	in = p.flowR.Inset(c.Px(panelPad))
	drawText(dst, "How the data flows", h2, in.X, in.Y, colText, alignLeft, alignTop)
	y := in.Y + c.Px(headingHeight)
	for i, n := range p.flow {
		box := Rect{in.X, y, in.W, c.Px(flowNodeH)}
		border, fill := color.Color(colBorder), color.Color(colBackground)
		if n.You {
			border = colLabel
		}
		fillRoundRect(dst, box, c.Px(8), fill)
		strokeRoundRect(dst, box, c.Px(8), c.Px(1), border)
		drawText(dst, n.Text, body, box.X+c.Px(14), box.Y+box.H/2, colText, alignLeft, alignMiddle)
		if n.Note != "" {
			noteClr := colMuted
			if n.You {
				noteClr = colLabel
			}
			drawText(dst, n.Note, small, box.X+box.W-c.Px(14), box.Y+box.H/2, noteClr, alignRight, alignMiddle)
		}
		y += box.H
		if i+1 < len(p.flow) {
			cx := box.X + c.Px(28)
			arrow(dst, cx, y+c.Px(4), cx, y+c.Px(flowArrowH-4), c.Px(2), c.Px(7), colFaint)
			y += c.Px(flowArrowH)
		}
	}

	s := p.statusR
	vector.StrokeCircle(dst, float32(s.X+c.Px(8)), float32(s.Y+s.H/2), float32(c.Px(5)), float32(c.Px(1.5)), colFaint, antialias)
	drawText(dst, p.status, body, s.X+c.Px(24), s.Y+s.H/2, colMuted, alignLeft, alignMiddle)
}

// panel draws the rounded card behind a block of content.
func panel(dst *ebiten.Image, c *Context, r Rect) {
	fillRoundRect(dst, r, c.Px(panelRadius), colPanel)
	strokeRoundRect(dst, r, c.Px(panelRadius), c.Px(1), colBorder)
}
