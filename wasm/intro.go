//go:build js && wasm

package main

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"rlhfplayground/i18n"
)

// Content lengths in CSS pixels.
const (
	contentPad    = 22   // around the content below the header
	contentMaxW   = 1480 // wider screens centre the content
	panelPad      = 16   // inside a panel
	panelRadius   = 12
	panelGap      = 14
	flowNodeH     = 34
	flowArrowH    = 16
	titleH        = 54 // the scene title and subtitle
	sideShare     = 0.27
	sideMinW      = 250
	sideMaxW      = 380
	headingHeight = 28 // a panel heading and the space under it
)

// contentRect is the area below the header where a scene draws.
func contentRect(c *Context) Rect {
	pad := c.Px(contentPad)
	r := Rect{pad, c.Px(headerH) + pad - c.Px(4), c.W - 2*pad, c.H - c.Px(headerH) - 2*pad + c.Px(4) - c.Bottom}
	if maxW := c.Px(contentMaxW); r.W > maxW {
		r.X += (r.W - maxW) / 2
		r.W = maxW
	}
	return r
}

// sceneLayout splits the content into the title row, the working area and
// the explanation column on the right.
func sceneLayout(c *Context) (title, main, side Rect) {
	title, r := contentRect(c).CutTop(c.Px(titleH), c.Px(8))
	sideW := min(max(r.W*sideShare, c.Px(sideMinW)), c.Px(sideMaxW))
	main, side = r.CutLeft(r.W-sideW-c.Px(panelGap), c.Px(panelGap))
	return title, main, side
}

// flowNode is one box of a stage's data-flow diagram.
type flowNode struct {
	Text string
	Note string // smaller, under Text
	You  bool   // the student does this step
}

// intro is the frame of every stage screen: its title, and on the right a
// plain-language "What is happening here?" panel with the data flow of the
// stage below it when there is room. Its words are the catalog's for stage,
// in the page's language.
type intro struct {
	stage Stage
	you   int // the flow's box that is the student's own work; −1 for none

	title, subtitle string
	explain         string
	flow            []flowNode

	c             Context // copy of the last Update's context, for Draw
	titleR, sideR Rect
	lines         []string // explain, wrapped to the panel
	showFlow      bool
	lastW         float64
	lastExplain   string
	fontGen       int // the fonts' generation lines were wrapped with

	// On a short screen belowText shows only the first shown lines and a
	// "Read more" link (moreR) that expands the text over the scene's panel.
	shown     int // lines of explain drawn, fewer than len(lines) when cut; −1 (set by Update): all
	expanded  bool
	moreR     Rect // the link, zero when the whole text fits
	moreHover bool
}

// moreLinkH is the height of the "Read more" / "Show less" link, in CSS pixels.
const moreLinkH = 24

// belowText shrinks the explanation panel to its text (no flow diagram)
// and returns the rest of the right column, for a scene's own panel. When
// the rest would be shorter than minRest (CSS pixels), the text is cut to
// fit, with a link that expands it.
func (p *intro) belowText(c *Context, minRest float64) Rect {
	textH := p.layoutText(c, minRest)
	if p.moreR.W > 0 {
		c.Target("explain-more", p.moreR)
		p.moreHover = p.moreR.Contains(c.PointerX, c.PointerY)
		if p.moreHover {
			c.WantPointer = true
			if c.Clicked {
				p.expanded = !p.expanded
				textH = p.layoutText(c, minRest) // lay out again, so this frame shows it
				p.moreHover = p.moreR.Contains(c.PointerX, c.PointerY)
				c.Target("explain-more", p.moreR)
				c.Redraw()
			}
		}
	}
	var rest Rect
	p.sideR, rest = p.sideR.CutTop(min(textH, p.sideR.H), c.Px(panelGap))
	p.showFlow = false
	return rest
}

// layoutText sets shown and moreR for the explanation above a panel that
// needs minRest CSS pixels, and returns the explanation panel's height.
func (p *intro) layoutText(c *Context, minRest float64) float64 {
	body := c.fonts.face(false, sizeBody-0.5, c.Scale)
	lh := lineHeight(body)
	frame := c.Px(2*panelPad + headingHeight)
	textH := frame + float64(len(p.lines))*lh
	p.shown, p.moreR = len(p.lines), Rect{}
	if p.sideR.H-textH-c.Px(panelGap) >= c.Px(minRest) {
		return textH
	}
	if !p.expanded {
		fit := int((p.sideR.H - c.Px(minRest+panelGap+moreLinkH) - frame) / lh)
		p.shown = min(max(fit, 3), len(p.lines))
	}
	textH = frame + float64(p.shown)*lh + c.Px(moreLinkH)
	p.moreR = Rect{p.sideR.X + c.Px(panelPad), p.sideR.Y + textH - c.Px(panelPad+moreLinkH), c.Px(110), c.Px(moreLinkH)}
	return textH
}

// stageWords returns the subtitle, the explanation and the data flow of
// stage s in t.
func stageWords(t *i18n.Text, s Stage) (subtitle, explain string, flow []i18n.Flow) {
	switch s {
	case StagePretrain:
		return t.Pretrain.Subtitle, t.Pretrain.Explain, t.Pretrain.Flow[:]
	case StageSFT:
		return t.SFT.Subtitle, t.SFT.Explain, t.SFT.Flow[:]
	case StageLabel:
		return t.Label.Subtitle, t.Label.Explain, t.Label.Flow[:]
	}
	return t.PPO.Subtitle, t.PPO.Explain, t.PPO.Flow[:]
}

// Update lays the intro out and returns the working area.
func (p *intro) Update(c *Context) (main Rect) {
	p.c = *c
	var flow []i18n.Flow
	p.title = c.T.Stages[p.stage].Title
	p.subtitle, p.explain, flow = stageWords(c.T, p.stage)
	p.flow = p.flow[:0]
	for i, f := range flow {
		p.flow = append(p.flow, flowNode{Text: f.Text, Note: f.Note, You: i == p.you})
	}
	p.titleR, main, p.sideR = sceneLayout(c)
	p.shown, p.moreR = -1, Rect{}
	body := c.fonts.face(false, sizeBody-0.5, c.Scale)
	if w := p.sideR.W - 2*c.Px(panelPad); w != p.lastW || p.explain != p.lastExplain || c.fonts.changed(&p.fontGen) {
		p.lastW, p.lastExplain = w, p.explain
		p.lines = wrapText(p.explain, body, w)
	}
	textH := c.Px(2*panelPad+headingHeight) + float64(len(p.lines))*lineHeight(body)
	n := float64(len(p.flow))
	flowH := c.Px(headingHeight+panelGap) + n*c.Px(flowNodeH) + (n-1)*c.Px(flowArrowH)
	p.showFlow = textH+flowH < p.sideR.H
	return main
}

func (p *intro) Draw(dst *ebiten.Image) {
	c := &p.c
	if c.fonts == nil {
		return // not laid out yet
	}
	titleFace := c.fonts.face(true, sizeTitle-3, c.Scale)
	body := c.fonts.face(false, sizeBody-0.5, c.Scale)
	h2 := c.fonts.face(true, sizeH2-1, c.Scale)
	small := c.fonts.face(false, sizeSmall-1, c.Scale)

	drawText(dst, p.title, titleFace, p.titleR.X, p.titleR.Y, colText, alignLeft, alignTop)
	drawText(dst, p.subtitle, c.fonts.face(false, sizeBody, c.Scale), p.titleR.X, p.titleR.Y+c.Px(32), colMuted, alignLeft, alignTop)

	panel(dst, c, p.sideR)
	in := p.sideR.Inset(c.Px(panelPad))
	drawText(dst, c.T.Intro.WhatsHappening, h2, in.X, in.Y, colLabel, alignLeft, alignTop)
	y := in.Y + c.Px(headingHeight)
	lines := p.lines
	if p.shown >= 0 && p.shown < len(lines) {
		lines = lines[:p.shown]
	}
	for i, line := range lines {
		if i == len(lines)-1 && len(lines) < len(p.lines) {
			line = ellipsize(joinLines(line, p.lines[i+1]), body, in.W)
		}
		drawText(dst, line, body, in.X, y, colText, alignLeft, alignTop)
		y += lineHeight(body)
	}
	if p.moreR.W > 0 {
		label, clr := c.T.Intro.ReadMore, colAccent
		if p.expanded {
			label = c.T.Intro.ShowLess
		}
		if p.moreHover {
			clr = colAccentHover
		}
		drawText(dst, label, c.fonts.face(true, sizeBody-1.5, c.Scale), p.moreR.X, p.moreR.Y+p.moreR.H/2, clr, alignLeft, alignMiddle)
	}
	if !p.showFlow {
		return
	}
	y += c.Px(panelGap)
	drawText(dst, c.T.Intro.DataFlow, h2, in.X, y, colMuted, alignLeft, alignTop)
	y += c.Px(headingHeight)
	for i, n := range p.flow {
		box := Rect{in.X, y, in.W, c.Px(flowNodeH)}
		border := color.Color(colBorder)
		noteClr := colMuted
		if n.You {
			border, noteClr = colLabel, colLabel
		}
		fillRoundRect(dst, box, c.Px(8), colBackground)
		strokeRoundRect(dst, box, c.Px(8), c.Px(1), border)
		drawText(dst, n.Text, c.fonts.face(false, sizeBody-1.5, c.Scale), box.X+c.Px(12), box.Y+box.H/2, colText, alignLeft, alignMiddle)
		if n.Note != "" {
			drawText(dst, n.Note, small, box.X+box.W-c.Px(12), box.Y+box.H/2, noteClr, alignRight, alignMiddle)
		}
		y += box.H
		if i+1 < len(p.flow) {
			cx := box.X + c.Px(24)
			arrow(dst, cx, y+c.Px(3), cx, y+c.Px(flowArrowH-3), c.Px(1.5), c.Px(5), colFaint)
			y += c.Px(flowArrowH)
		}
	}
}

// panel draws the rounded card behind a block of content.
func panel(dst *ebiten.Image, c *Context, r Rect) {
	fillRoundRect(dst, r, c.Px(panelRadius), colPanel)
	strokeRoundRect(dst, r, c.Px(panelRadius), c.Px(1), colBorder)
}
