//go:build js && wasm

package main

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
)

// How long a message stays on screen.
const (
	noticeFor = 6 * time.Second
	errorFor  = 20 * time.Second
)

// banner shows the engine's last error or notice at the bottom of the
// screen, in the words of messageText, with the way out: a diverged step
// offers to halve the learning rate of the job that diverged, storage
// trouble offers Export (and stays until closed), a stopped engine Reload.
type banner struct {
	Rect
	dismissed int // the remote's MsgSeq that was closed
	close     button
	lower     button // the way out, when there is one
	shown     int    // MsgSeq last drawn, so a new message repaints
	lines     []string
}

// bannerLines is how many lines of a message the banner shows.
const bannerLines = 2

func (b *banner) visible(c *Context) bool {
	r := c.R
	if r.MsgSeq == 0 || r.MsgSeq == b.dismissed {
		return false
	}
	return time.Since(r.MessageTime) < shownFor(r.Message)
}

// shownFor is how long m stays on screen.
func shownFor(m protocol.Message) time.Duration {
	switch {
	case m.Code.IsNotice():
		return noticeFor
	case wayOut[m.Code] != nil:
		return 24 * time.Hour // until closed: the student has to do something
	}
	return errorFor
}

// wayOut is the button a message offers, by code: its label in the
// catalog's words.
var wayOut = map[protocol.Code]func(*i18n.Banner) string{
	protocol.Diverged:      func(t *i18n.Banner) string { return t.LowerLR },
	protocol.NoStorage:     func(t *i18n.Banner) string { return t.Export },
	protocol.NotSaved:      func(t *i18n.Banner) string { return t.Export },
	protocol.NoJournal:     func(t *i18n.Banner) string { return t.Export },
	protocol.EngineStopped: func(t *i18n.Banner) string { return t.Reload },
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
		time.AfterFunc(shownFor(r.Message)-time.Since(r.MessageTime)+50*time.Millisecond, wake) // a frame to take it off
	}
	w := min(c.W-c.Px(2*contentPad), c.Px(860))
	h := c.Px(52)
	b.Rect = Rect{(c.W - w) / 2, c.H - h - c.Px(18) - c.Bottom, w, h} // above the lesson's card, if open
	b.close.Label = c.T.Banner.Close
	x := b.X + b.W - c.Px(12) - b.close.width(c)
	b.close.place(c, x, b.Y+(h-c.Px(buttonH))/2)
	if b.close.Update(c, "banner-close") {
		b.dismissed = r.MsgSeq
		c.Redraw()
	}
	b.lower.W = 0
	if label := wayOut[r.Message.Code]; label != nil {
		b.lower.Label = label(&c.T.Banner)
		b.lower.Primary = true
		b.lower.place(c, x-c.Px(buttonGap)-b.lower.width(c), b.Y+(h-c.Px(buttonH))/2)
	}
	switch {
	case b.lower.W == 0:
	case r.Message.Code == protocol.EngineStopped:
		if b.lower.Update(c, "banner-reload") {
			reload()
		}
	case r.Message.Code != protocol.Diverged:
		if b.lower.Update(c, "banner-export") {
			r.Send(protocol.Export{}) // the engine may not store, but it still exports
		}
	default:
		if b.lower.Update(c, "banner-lower-lr") {
			s := r.Settings()
			switch r.Message.Job {
			case protocol.JobPretrain:
				s.Pretrain.LR /= 2
			case protocol.JobSFT:
				s.SFT.LR /= 2
			case protocol.JobReward:
				s.Reward.LR /= 2
			case protocol.JobPPO:
				s.PPO.LR /= 2
			}
			r.SetSettings(s)
			b.dismissed = r.MsgSeq
			c.Redraw()
		}
	}
	right := b.close.X
	if b.lower.W > 0 {
		right = b.lower.X
	}
	face := c.fonts.face(false, sizeBody-1, c.Scale)
	textW := right - b.X - c.Px(32)
	b.lines = wrapText(c.fonts.drawable(messageText(c.T, r.Message, r.Lang)), face, textW)
	if len(b.lines) > bannerLines {
		b.lines = append(b.lines[:bannerLines-1], ellipsize(joinLines(b.lines[bannerLines-1], b.lines[bannerLines]), face, textW))
	}
}

func (b *banner) Draw(dst *ebiten.Image, c *Context) {
	if b.W == 0 || !b.visible(c) {
		return
	}
	fill, border := colPanel, colAccent
	if !c.R.Message.Code.IsNotice() {
		fill, border = rgb(0x2a1719), colBad
	}
	fillRoundRect(dst, b.Rect, c.Px(10), fill)
	strokeRoundRect(dst, b.Rect, c.Px(10), c.Px(1.5), border)
	face := c.fonts.face(false, sizeBody-1, c.Scale)
	lh := lineHeight(face)
	y := b.Y + b.H/2 - float64(len(b.lines))*lh/2
	for _, l := range b.lines {
		drawText(dst, l, face, b.X+c.Px(16), y, colText, alignLeft, alignTop)
		y += lh
	}
	b.close.Draw(dst, c)
	b.lower.Draw(dst, c)
}
