//go:build js && wasm

package main

import (
	"strings"
	"unicode/utf8"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/exp/textinput"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"rlhfplayground/wasm/textlayout"
)

// textField is a one-line text box on ebiten's exp/textinput, so IMEs
// (Chinese, Japanese, …) work: the text being composed is drawn in place.
// Words the model does not know are underlined, a Chinese character being a
// word of its own (textlayout.Words cuts the text as the tokenizer does).
type textField struct {
	Rect
	Placeholder  string
	Unknown      map[string]bool // lower-cased words to underline
	unknownOrder []string        // the same, in the order of the text
	MaxRunes     int             // the most characters it takes (0: no limit); more typed or pasted are cut
	Clipped      bool            // the last input went past MaxRunes and was cut
	field        textinput.Field
	hover        bool
}

func (f *textField) Text() string     { return f.field.Text() }
func (f *textField) Focused() bool    { return f.field.IsFocused() }
func (f *textField) SetText(s string) { f.field.SetTextAndSelection(s, len(s), len(s)) }

// Update handles focus and typing; it returns true when Enter or Tab was pressed.
func (f *textField) Update(c *Context, r Rect, name string) (enter bool) {
	f.Rect = r
	c.Target(name, r)
	f.hover = r.Contains(c.PointerX, c.PointerY)
	if f.hover {
		c.WantPointer = true
	}
	if c.Clicked {
		switch {
		case f.hover:
			f.field.Focus()
		case f.field.IsFocused():
			f.field.Blur()
			focusCanvas()
		}
	}
	if !f.field.IsFocused() {
		return false
	}
	c.Redraw()
	c.Live()
	handled, err := f.field.HandleInput(int(r.X+c.Px(12)), int(r.Y+r.H))
	if f.MaxRunes > 0 {
		if text := f.field.Text(); utf8.RuneCountInString(text) > f.MaxRunes {
			cut := clipRunes(text, f.MaxRunes)
			f.field.SetTextAndSelection(cut, len(cut), len(cut))
			f.Clipped = true
		} else if handled {
			f.Clipped = false
		}
	}
	if err != nil || handled {
		return false
	}
	repeat := func(k ebiten.Key) bool {
		d := inpututil.KeyPressDuration(k)
		return d == 1 || (d >= 24 && d%3 == 0)
	}
	text := f.field.Text()
	start, end := f.field.Selection()
	switch {
	case repeat(ebiten.KeyBackspace):
		if start == end && start > 0 {
			_, size := utf8.DecodeLastRuneInString(text[:start])
			start -= size
		}
		f.field.SetTextAndSelection(text[:start]+text[end:], start, start)
	case repeat(ebiten.KeyArrowLeft) && start > 0:
		_, size := utf8.DecodeLastRuneInString(text[:start])
		f.field.SetSelection(start-size, start-size)
	case repeat(ebiten.KeyArrowRight) && end < len(text):
		_, size := utf8.DecodeRuneInString(text[end:])
		f.field.SetSelection(end+size, end+size)
	case inpututil.IsKeyJustPressed(ebiten.KeyEnter), inpututil.IsKeyJustPressed(ebiten.KeyTab):
		return true
	case inpututil.IsKeyJustPressed(ebiten.KeyEscape):
		f.field.Blur()
		focusCanvas()
	}
	return false
}

func (f *textField) Draw(dst *ebiten.Image, c *Context) {
	focused := f.field.IsFocused()
	border := colBorderStrong
	if focused {
		border = colAccent
	}
	fillRoundRect(dst, f.Rect, c.Px(widgetR), colBackground)
	strokeRoundRect(dst, f.Rect, c.Px(widgetR), c.Px(1.2), border)
	face := c.fonts.face(false, sizeBody, c.Scale)
	x, y := f.X+c.Px(12), f.Y+f.H/2
	text := f.field.TextForRendering()
	if text == "" && !focused {
		drawText(dst, ellipsize(f.Placeholder, face, f.W-c.Px(24)), face, x, y, colFaint, alignLeft, alignMiddle)
		return
	}
	// What is drawn: the text with the characters no font has marked
	// (fonts.drawable), the same number of runes; at maps a byte offset of
	// text to one of shown.
	shown := c.fonts.drawable(text)
	at := make([]int, len(text)+1)
	j := 0
	for i := range text {
		at[i] = j
		_, size := utf8.DecodeRuneInString(shown[j:])
		j += size
	}
	at[len(text)] = len(shown)
	// Keep the caret in view: show the longest end of a long text that fits
	// (found by bisection, so a pasted page of text costs a few measurements).
	skip := 0 // bytes of text scrolled out on the left
	if avail := f.W - c.Px(24); textAdvance(shown, face) > avail {
		lo, hi := 0, len(text) // shown[at[hi]:] fits, shown[at[lo]:] does not
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			for mid < hi && !utf8.RuneStart(text[mid]) {
				mid++
			}
			if mid == hi {
				break
			}
			if textAdvance(shown[at[mid]:], face) > avail {
				lo = mid
			} else {
				hi = mid
			}
		}
		skip = hi
	}
	visible := shown[at[skip]:]
	drawText(dst, visible, face, x, y, colText, alignLeft, alignMiddle)
	xAt := func(i int) float64 { return x + textAdvance(shown[at[skip]:at[i]], face) }
	// Underline unknown words with a red line.
	if len(f.Unknown) > 0 {
		for _, sp := range textlayout.Words(text) {
			if sp.Start < skip || !f.Unknown[strings.ToLower(text[sp.Start:sp.End])] {
				continue
			}
			uy := y + face.Size*0.62
			vector.StrokeLine(dst, float32(xAt(sp.Start)), float32(uy), float32(xAt(sp.End)), float32(uy), float32(c.Px(2)), colBad, false)
		}
	}
	if focused {
		cx := xAt(len(text)) + c.Px(1)
		if skip == 0 {
			start, _ := f.field.Selection()
			if start <= len(f.field.Text()) && len(f.field.Text()) == len(text) {
				cx = xAt(start) + c.Px(1)
			}
		}
		vector.StrokeLine(dst, float32(cx), float32(y-face.Size*0.6), float32(cx), float32(y+face.Size*0.6), float32(c.Px(1.5)), colAccent, false)
	}
}

// clipRunes returns the first n runes of s.
func clipRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
