//go:build js && wasm

package main

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hajimehoshi/ebiten/v2"
)

// How long a message stays on screen.
const (
	noticeFor = 6 * time.Second
	errorFor  = 20 * time.Second
)

// banner shows the engine's last error or notice at the bottom of the
// screen. A diverged step offers the way out: halve the learning rate of
// the stage on screen.
type banner struct {
	Rect
	dismissed int // the remote's MsgSeq that was closed
	close     button
	lower     button
	shown     int // MsgSeq last drawn, so a new message repaints
}

func (b *banner) visible(c *Context) bool {
	r := c.R
	if r.Message == "" || r.MsgSeq == b.dismissed {
		return false
	}
	d := noticeFor
	if r.MessageErr {
		d = errorFor
	}
	return time.Since(r.MessageTime) < d
}

func (b *banner) Update(c *Context) {
	r := c.R
	if !b.visible(c) {
		if b.W != 0 {
			b.W = 0
			c.Redraw() // take it off the screen
		}
		return
	}
	if b.shown != r.MsgSeq {
		b.shown = r.MsgSeq
		c.Redraw()
		d := noticeFor
		if r.MessageErr {
			d = errorFor
		}
		time.AfterFunc(d-time.Since(r.MessageTime)+50*time.Millisecond, wake) // a frame to take it off
	}
	w := min(c.W-c.Px(2*contentPad), c.Px(860))
	h := c.Px(52)
	b.Rect = Rect{(c.W - w) / 2, c.H - h - c.Px(18), w, h}
	b.close.Label = "Close"
	x := b.X + b.W - c.Px(12) - b.close.width(c)
	b.close.place(c, x, b.Y+(h-c.Px(buttonH))/2)
	if b.close.Update(c, "banner-close") {
		b.dismissed = r.MsgSeq
		c.Redraw()
	}
	b.lower.W = 0
	if r.MessageDiv {
		b.lower.Label = "Lower the learning rate"
		b.lower.Primary = true
		b.lower.place(c, x-c.Px(buttonGap)-b.lower.width(c), b.Y+(h-c.Px(buttonH))/2)
		if b.lower.Update(c, "banner-lower-lr") {
			s := r.State.Settings
			switch c.Stage {
			case StagePretrain:
				s.Pretrain.LR /= 2
			case StageSFT:
				s.SFT.LR /= 2
			case StageLabel:
				s.Reward.LR /= 2
			case StagePPO:
				s.PPO.LR /= 2
			}
			r.SetSettings(s)
			b.dismissed = r.MsgSeq
			c.Redraw()
		}
	}
}

func (b *banner) Draw(dst *ebiten.Image, c *Context) {
	if b.W == 0 || !b.visible(c) {
		return
	}
	fill, border := colPanel, colAccent
	if c.R.MessageErr {
		fill, border = rgb(0x2a1719), colBad
	}
	fillRoundRect(dst, b.Rect, c.Px(10), fill)
	strokeRoundRect(dst, b.Rect, c.Px(10), c.Px(1.5), border)
	right := b.close.X
	if b.lower.W > 0 {
		right = b.lower.X
	}
	face := c.fonts.face(false, sizeBody-1, c.Scale)
	msg := ellipsize(sentence(c.R.Message), face, right-b.X-c.Px(32))
	drawText(dst, msg, face, b.X+c.Px(16), b.Y+b.H/2, colText, alignLeft, alignMiddle)
	b.close.Draw(dst, c)
	b.lower.Draw(dst, c)
}

// sentence capitalises the first letter of an error message (Go's errors
// start in lower case) and ends it with a full stop, for the banner.
func sentence(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	s = string(unicode.ToUpper(r)) + s[size:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}
