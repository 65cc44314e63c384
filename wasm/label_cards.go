//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"rlhfplayground/i18n"
	"rlhfplayground/sim"
	"rlhfplayground/wasm/draft"
)

// The Label screen's cards: where each answer's card goes, the pointer on
// them (hover, click, drag) and how a card is drawn.

// Card lengths in CSS pixels.
const (
	cardH        = 48
	cardGap      = 8
	cardRadius   = 10
	cardPadX     = 10 // before the key, and after the score
	cardKeyW     = 24 // the key to press
	cardChipW    = 62 // the rank chip
	cardChipH    = 22
	cardTextGap  = 12 // between the chip and the answer
	cardScoreW   = 78 // the reward model's score at the right
	oneColumnMax = 5  // more cards than this go in two columns
)

// cardsHeight is the height of n cards in their columns.
func cardsHeight(c *Context, n int) float64 {
	rows := cardRows(n)
	return float64(rows)*c.Px(cardH) + float64(rows-1)*c.Px(cardGap)
}

func cardColumns(n int) int {
	if n > oneColumnMax {
		return 2
	}
	return 1
}

func cardRows(n int) int { return (n + cardColumns(n) - 1) / cardColumns(n) }

// cardLayout is where the cards are and what the pointer does to them.
type cardLayout struct {
	area  Rect
	n     int
	rects []Rect // card i's rectangle
	disp  []int  // card indices top to bottom (then down the second column)
	hover int    // the card under the pointer, −1 for none

	drag struct {
		card        int // −1: no press on a card
		active      bool
		x0, y0, y   float64
		slot        int
		grabOffsetY float64
	}
}

// slot returns the rectangle of display slot i (down the first column, then the second).
func (l *cardLayout) slot(c *Context, i int) Rect {
	cols, rows := cardColumns(l.n), cardRows(l.n)
	colW := (l.area.W - float64(cols-1)*c.Px(cardGap)) / float64(cols)
	col, row := i/rows, i%rows
	return Rect{l.area.X + float64(col)*(colW+c.Px(cardGap)), l.area.Y + float64(row)*(c.Px(cardH)+c.Px(cardGap)), colW, c.Px(cardH)}
}

// layout puts n cards in area in the draft's display order.
func (l *cardLayout) layout(c *Context, area Rect, n int, d *draft.Ranking) {
	l.area, l.n = area, n
	l.disp = d.Display()
	l.rects = make([]Rect, n)
	for slot, i := range l.disp {
		if i < n {
			l.rects[i] = l.slot(c, slot)
		}
	}
	for i, cr := range l.rects {
		c.Target(fmt.Sprintf("card%d", i+1), cr)
	}
}

// update handles the pointer on the cards: a click picks an unranked card
// or unranks a ranked one with those after it; a drag puts a card in the
// slot under the pointer (draft.Drop). Without active cards it only resets.
func (l *cardLayout) update(c *Context, d *draft.Ranking, active bool) {
	l.hover = -1
	if !active {
		l.drag.card, l.drag.active = -1, false
		return
	}
	l.updateDrag(c, d)
	for i, cr := range l.rects {
		if cr.Contains(c.PointerX, c.PointerY) && !l.drag.active {
			l.hover = i
			c.WantPointer = true
			if c.Clicked {
				if d.Rank(i) >= 0 {
					d.Unrank(i)
				} else {
					d.Pick(i)
				}
				c.Redraw()
			}
		}
	}
}

// updateDrag moves a pressed card with the pointer and, on release, drops
// it in the slot under the pointer.
func (l *cardLayout) updateDrag(c *Context, d *draft.Ranking) {
	g := &l.drag
	x, y := c.PointerX, c.PointerY
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		g.card = -1
		for i, cr := range l.rects {
			if cr.Contains(x, y) {
				g.card, g.x0, g.y0, g.grabOffsetY = i, x, y, y-cr.Y
			}
		}
	}
	if g.card < 0 {
		return
	}
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) {
		c.Live()
		if !g.active && math.Hypot(x-g.x0, y-g.y0) > c.Px(dragSlop) {
			g.active = true
		}
		if g.active {
			g.y = y
			g.slot = l.n - 1
			for slot := range l.n {
				if r := l.slot(c, slot); y < r.Y+r.H {
					g.slot = slot
					break
				}
			}
			c.Redraw()
		}
		return
	}
	if g.active { // released
		d.Drop(g.card, g.slot)
		c.Redraw()
	}
	g.card, g.active = -1, false
}

// draw draws the cards, the dragged one last, under the pointer.
func (l *cardLayout) draw(dst *ebiten.Image, c *Context, cand *sim.Candidate, d *draft.Ranking) {
	for _, i := range l.disp {
		if i >= len(l.rects) || (l.drag.active && i == l.drag.card) {
			continue
		}
		l.drawCard(dst, c, cand, d, i, l.rects[i], false)
	}
	if g := l.drag; g.active && g.card >= 0 && g.card < len(l.rects) {
		cr := l.rects[g.card]
		cr.Y = g.y - g.grabOffsetY
		l.drawCard(dst, c, cand, d, g.card, cr, true)
	}
}

// drawCard draws answer i: its key, its rank once ranked, the text and the
// reward model's score once there is one.
func (l *cardLayout) drawCard(dst *ebiten.Image, c *Context, cand *sim.Candidate, d *draft.Ranking, i int, cr Rect, lifted bool) {
	rank := d.Rank(i)
	fill, border := color.Color(colCard), color.Color(colBorderStrong)
	if l.hover == i || lifted {
		fill = colCardHover
	}
	if rank >= 0 {
		border = colLabel
	}
	if lifted {
		border = colAccent
	}
	fillRoundRect(dst, cr, c.Px(cardRadius), fill)
	strokeRoundRect(dst, cr, c.Px(cardRadius), c.Px(1.2), border)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	bold := c.fonts.face(true, sizeSmall, c.Scale)
	// The key to press.
	key := Rect{cr.X + c.Px(cardPadX), cr.Y + cr.H/2 - c.Px(cardKeyW)/2, c.Px(cardKeyW), c.Px(cardKeyW)}
	strokeRoundRect(dst, key, c.Px(6), c.Px(1), colFaint)
	drawText(dst, fmt.Sprint(i+1), bold, key.X+key.W/2, key.Y+key.H/2, colMuted, alignCenter, alignMiddle)
	// The rank chip.
	chip := Rect{key.X + key.W + c.Px(8), cr.Y + cr.H/2 - c.Px(cardChipH)/2, c.Px(cardChipW), c.Px(cardChipH)}
	if rank >= 0 {
		label := fmt.Sprintf("#%d", rank+1)
		switch rank {
		case 0:
			label = c.T.Label.Best
		case len(cand.Answers) - 1:
			label = i18n.Sprintf(c.T.Label.Worst, rank+1)
		}
		fillRoundRect(dst, chip, c.Px(cardChipH)/2, colLabel)
		drawText(dst, label, bold, chip.X+chip.W/2, chip.Y+chip.H/2, colBackground, alignCenter, alignMiddle)
	} else {
		strokeRoundRect(dst, chip, c.Px(cardChipH)/2, c.Px(1), colBorder)
		drawText(dst, c.T.Label.Unranked, small, chip.X+chip.W/2, chip.Y+chip.H/2, colFaint, alignCenter, alignMiddle)
	}
	textX := chip.X + chip.W + c.Px(cardTextGap)
	right := cr.X + cr.W - c.Px(cardTextGap)
	if cand.Scores != nil && i < len(cand.Scores) {
		score := i18n.Sprintf(c.T.Label.Score, cand.Scores[i])
		drawText(dst, score, bold, right, cr.Y+cr.H/2, scoreColour(cand.Scores[i]), alignRight, alignMiddle)
		right -= c.Px(cardScoreW)
	}
	face := c.fonts.face(false, sizeBody-1, c.Scale)
	answer := cand.Answers[i]
	if answer == "" {
		answer = c.T.Label.EmptyAnswer
	}
	lines := wrapText(answer, face, right-textX)
	if len(lines) > 2 {
		lines = []string{lines[0], ellipsize(joinLines(lines[1], lines[2]), face, right-textX)}
	}
	lh := lineHeight(face) * 0.92
	y := cr.Y + cr.H/2 - float64(len(lines))*lh/2
	for _, line := range lines {
		drawText(dst, line, face, textX, y, colText, alignLeft, alignTop)
		y += lh
	}
}

func scoreColour(v float64) color.Color {
	switch {
	case v > 0.3:
		return colGood
	case v < -0.3:
		return colBad
	}
	return colMuted
}
