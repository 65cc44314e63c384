//go:build js && wasm

package main

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"rlhfplayground/i18n"
	"rlhfplayground/wasm/textlayout"
)

// The palette, shared with index.html's loading screen (same background,
// text and accent), so the page does not flash when the app takes over.
var (
	colBackground = rgb(0x10131a)
	colHeader     = rgb(0x161a23)
	colPanel      = rgb(0x181c25)
	colBorder     = rgb(0x262c38)
	colChipHover  = rgb(0x202633)
	colText       = rgb(0xe6e9ef)
	colMuted      = rgb(0x9aa3b2)
	colFaint      = rgb(0x6b7384)
	colAccent     = rgb(0x6ea8fe) // current stage, links, the loader's progress bar
	colAccentDim  = rgb(0x1d2b44) // the current chip's fill
	colLabel      = rgb(0xf0b35b) // the student's own work: the Label badge

	colBorderStrong = rgb(0x343b4a) // buttons and cards
	colAccentHover  = rgb(0x8dbbff)
	colGood         = rgb(0x5fd08a) // accuracy, the gold score
	colBad          = rgb(0xf07a7a) // errors, KL
	colPurple       = rgb(0xb59cff) // entropy, the policy
	colCard         = rgb(0x1c212c) // an answer card
	colCardHover    = rgb(0x232938)
)

func rgb(v uint32) color.RGBA {
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

// Font sizes in CSS pixels; faces multiply by the device scale factor.
const (
	sizeSmall = 13
	sizeBody  = 15.5
	sizeChip  = 15
	sizeH2    = 17
	sizeTitle = 26
)

// drawText draws one line of s anchored at (x, y): align says which end of
// the line is at x (AlignStart: its left), valign which part is at y
// (AlignStart: the top of the line box, AlignCenter: its middle).
func drawText(dst *ebiten.Image, s string, face *fontFace, x, y float64, clr color.Color, align, valign text.Align) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(x, y)
	op.ColorScale.ScaleWithColor(clr)
	op.PrimaryAlign = align
	op.SecondaryAlign = valign
	text.Draw(dst, s, face, op)
	if face.bold {
		op.GeoM.Translate(max(0.5, face.Size/30), 0)
		text.Draw(dst, s, face, op)
	}
}

const (
	alignLeft   = text.AlignStart
	alignCenter = text.AlignCenter
	alignRight  = text.AlignEnd
	alignTop    = text.AlignStart
	alignMiddle = text.AlignCenter
)

// lineHeight is the distance between baselines for body text.
func lineHeight(face *fontFace) float64 { return face.Size * 1.5 }

// layoutCache keeps the results of wrapText and ellipsize: scenes lay out
// the same strings on every redraw, and measuring a string shapes it, which
// for a paragraph wrapped word by word costs milliseconds each time.
var layoutCache = map[layoutKey][]string{}

type layoutKey struct {
	s     string
	face  *fontFace
	width float64
	wrap  bool
}

// cachedLayout returns the cached lines for k, computing them with f once.
func cachedLayout(k layoutKey, f func() []string) []string {
	if lines, ok := layoutCache[k]; ok {
		return lines
	}
	if len(layoutCache) >= 1024 { // answers change as models train: start afresh now and then
		clear(layoutCache)
	}
	lines := f()
	layoutCache[k] = lines
	return lines
}

// wrapText breaks s into lines no wider than width: at spaces, and
// between Chinese characters by the rules of textlayout.Wrap. The result is
// shared: do not modify it.
func wrapText(s string, face *fontFace, width float64) []string {
	return cachedLayout(layoutKey{s, face, width, true}, func() []string {
		return textlayout.Wrap(s, width, func(t string) float64 { return text.Advance(t, face) })
	})
}

// joinLines puts two wrapped lines back together, for an ellipsis over the
// last line shown.
func joinLines(a, b string) string { return textlayout.Join(a, b) }

// ellipsize cuts s with "…" to fit width.
func ellipsize(s string, face *fontFace, width float64) string {
	return cachedLayout(layoutKey{s, face, width, false}, func() []string { return []string{ellipsizeUncached(s, face, width)} })[0]
}

func ellipsizeUncached(s string, face *fontFace, width float64) string {
	if text.Advance(s, face) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && text.Advance(string(r)+"…", face) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func rgba(v uint32, a uint8) color.RGBA {
	m := func(x uint32) uint8 { return uint8((x & 0xff) * uint32(a) / 255) } // premultiplied
	return color.RGBA{m(v >> 16), m(v >> 8), m(v), a}
}

func textAdvance(s string, face *fontFace) float64 { return text.Advance(s, face) }

// answerText is how an answer reads on screen: an empty one (the model
// ended at once) says so.
func answerText(t *i18n.Text, a string) string {
	if a == "" {
		return t.Nothing
	}
	return a
}
