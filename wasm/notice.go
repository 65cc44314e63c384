//go:build js && wasm

package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
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

// noticeText is what the notice says, by kind.
var noticeText = map[string][2]string{
	"waiting": {"This session is open in another tab",
		"That tab is handing it over to this one, with everything it has not saved yet. If nothing happens within a few seconds, close the other tab."},
	"elsewhere": {"This session is now open in another tab",
		"Your work is saved and goes on there. This tab stays as it was and saves nothing more, so the two never overwrite each other."},
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
	text := noticeText[n.kind]
	body := c.fonts.face(false, sizeBody, c.Scale)
	w := min(c.W-c.Px(40), c.Px(noticeW))
	n.lines = wrapText(text[1], body, w-c.Px(56))
	h := c.Px(28+36+16) + float64(len(n.lines))*lineHeight(body) + c.Px(28)
	n.take.W = 0
	if n.kind == "elsewhere" {
		h += c.Px(buttonH + 16)
	}
	n.Rect = Rect{(c.W - w) / 2, max(c.Px(headerH+10), (c.H-h)/2), w, h}
	if n.kind == "elsewhere" {
		n.take.Label, n.take.Primary = "Use it in this tab", true
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
	drawText(dst, noticeText[n.kind][0], h2, in.X, in.Y, colText, alignLeft, alignTop)
	for i, l := range n.lines {
		drawText(dst, l, body, in.X, in.Y+c.Px(52)+float64(i)*lineHeight(body), colMuted, alignLeft, alignTop)
	}
	n.take.Draw(dst, c)
}
