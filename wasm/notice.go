//go:build js && wasm

package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"rlhfplayground/i18n"
)

// sessionNotice covers the screen while the session is another tab's
// (lock.go): while this tab waits for it, and after it handed it over,
// with the way to take it back. The screen below takes no input then.
type sessionNotice struct {
	Rect
	kind  string // "" (not shown), "waiting", "elsewhere"
	lines []string
	take  button
}

// noticeW is the notice's width in CSS pixels.
const noticeW = 560

// noticeText is what the notice of kind says, in t's language: its title
// and its body.
func noticeText(t *i18n.Notice, kind string) (title, body string) {
	if kind == "waiting" {
		return t.WaitingTitle, t.WaitingBody
	}
	return t.ElsewhereTitle, t.ElsewhereBody
}

// kindFor is the notice a tab in state o needs ("" for none).
func kindFor(o owner, waiting bool) string {
	switch {
	case o == claiming && waiting:
		return "waiting"
	case o == handingOver, o == elsewhere:
		return "elsewhere"
	}
	return ""
}

// Update lays the notice out; the button reloads the page, which takes the
// session back.
func (n *sessionNotice) Update(c *Context) {
	c.Redraw()
	_, text := noticeText(&c.T.Notice, n.kind)
	body := c.fonts.face(false, sizeBody, c.Scale)
	w := min(c.W-c.Px(40), c.Px(noticeW))
	n.lines = wrapText(text, body, w-c.Px(56))
	h := c.Px(28+36+16) + float64(len(n.lines))*lineHeight(body) + c.Px(28)
	n.take.W = 0
	if n.kind == "elsewhere" {
		h += c.Px(buttonH + 16)
	}
	n.Rect = Rect{(c.W - w) / 2, max(c.Px(headerH+10), (c.H-h)/2), w, h}
	if n.kind == "elsewhere" {
		n.take.Label, n.take.Primary = c.T.Notice.TakeBack, true
		n.take.place(c, n.X+n.W-c.Px(28)-n.take.width(c), n.Y+n.H-c.Px(28+buttonH))
		if n.take.Update(c, "take-session") {
			reload()
		}
	}
}

func (n *sessionNotice) Draw(dst *ebiten.Image, c *Context) {
	vector.DrawFilledRect(dst, 0, 0, float32(c.W), float32(c.H), rgba(0x05070b, 0xc8), false)
	fillRoundRect(dst, n.Rect, c.Px(14), colHeader)
	strokeRoundRect(dst, n.Rect, c.Px(14), c.Px(1), colBorderStrong)
	in := n.Inset(c.Px(28))
	h2 := c.fonts.face(true, sizeH2+2, c.Scale)
	body := c.fonts.face(false, sizeBody, c.Scale)
	title, _ := noticeText(&c.T.Notice, n.kind)
	drawText(dst, ellipsize(title, h2, in.W), h2, in.X, in.Y, colText, alignLeft, alignTop)
	for i, l := range n.lines {
		drawText(dst, l, body, in.X, in.Y+c.Px(52)+float64(i)*lineHeight(body), colMuted, alignLeft, alignTop)
	}
	n.take.Draw(dst, c)
}
