// Package textlayout holds the page's rules for laying out text, with no
// screen: where a line may break, how a paragraph wraps to a width, how two
// wrapped lines join again, and which spans of typed text are the words the
// model reads. Widths come from a measuring function, so the rules are
// table-tested natively with a fake one.
//
// Line breaking follows the common CJK practice (UAX #14's ideographic
// class, with the kinsoku rules of Chinese and Japanese typesetting):
// Latin text breaks only at spaces; a line may break between any two Chinese
// characters, and between a Chinese character and a Latin word or number,
// with no space needed; but never before closing punctuation (。，、；：！？
// ）」』 …, which must not start a line) nor after opening punctuation
// (（「『 …, which must not end one).
package textlayout

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsCJK reports whether r is written without spaces between words: Han,
// kana, Hangul, CJK punctuation and the full-width forms. The tokenizer
// (sim.Split) makes each of them a token of its own.
func IsCJK(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x303F: // CJK symbols and punctuation: 。、「」
		return true
	case r >= 0x30A0 && r <= 0x30FF: // Katakana, including the long-vowel mark ー
		return true
	case r >= 0xFF00 && r <= 0xFFEF: // half- and full-width forms: ，！？（）
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// noStart are the characters a line must not start with: closing
// punctuation and marks that belong to what precedes them.
const noStart = "。，、；：！？）」』】〕》〉｝］〗〙〛…‥・ー々〜～％,.;:!?)]}%”’"

// noEnd are the characters a line must not end with: opening punctuation.
const noEnd = "（「『【〔《〈｛［〖〘〚([{“‘"

// CanBreak reports whether a line may break between a and b when no space
// separates them.
func CanBreak(a, b rune) bool {
	if !IsCJK(a) && !IsCJK(b) {
		return false // Latin text breaks at spaces only
	}
	if strings.ContainsRune(noStart, b) || strings.ContainsRune(noEnd, a) {
		return false
	}
	return true
}

// segment is a run of text no line breaks inside, and whether a space
// came before it.
type segment struct {
	text  string
	space bool
}

// segments cuts a paragraph at every break opportunity: at white space,
// which is dropped (a run of it counts as one space), and where CanBreak
// allows.
func segments(para string) []segment {
	var out []segment
	start, space := -1, false
	prev := rune(-1)
	for i, r := range para {
		switch {
		case unicode.IsSpace(r):
			if start >= 0 {
				out = append(out, segment{para[start:i], space})
				start = -1
			}
			space = len(out) > 0
			prev = -1
			continue
		case start >= 0 && prev >= 0 && CanBreak(prev, r):
			out = append(out, segment{para[start:i], space})
			start, space = i, false
		case start < 0:
			start = i
		}
		prev = r
	}
	if start >= 0 {
		out = append(out, segment{para[start:], space})
	}
	return out
}

// Wrap breaks s into lines no wider than width, as measured by advance, at
// the break opportunities above; a newline always breaks. A run of text
// with no opportunity that is wider than width stays whole on its own line.
// Each unbreakable run is measured once: a line's width is the sum of its
// runs and spaces, not the measure of the growing line.
func Wrap(s string, width float64, advance func(string) float64) []string {
	var lines []string
	spaceW := advance(" ")
	for _, para := range strings.Split(s, "\n") {
		var line strings.Builder
		lineW := 0.0
		for _, seg := range segments(para) {
			w := advance(seg.text)
			gap := 0.0
			if seg.space {
				gap = spaceW
			}
			switch {
			case line.Len() == 0:
				line.WriteString(seg.text)
				lineW = w
			case lineW+gap+w > width:
				lines = append(lines, line.String())
				line.Reset()
				line.WriteString(seg.text)
				lineW = w
			default:
				if seg.space {
					line.WriteByte(' ')
				}
				line.WriteString(seg.text)
				lineW += gap + w
			}
		}
		lines = append(lines, line.String())
	}
	return lines
}

// Join puts two lines that Wrap made back together, as for an ellipsis
// over the last shown line: with a space between Latin words, without one
// next to a Chinese character.
func Join(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	if IsCJK(last) || IsCJK(first) {
		return a + b
	}
	return a + " " + b
}

// Span is a word of typed text, by byte offsets: s[Start:End].
type Span struct{ Start, End int }

// Words returns the spans of s that the tokenizer (sim.Split) makes words
// of, in order: each CJK character alone; a run of letters and digits (with
// combining marks, and an apostrophe between two of them, as in "don't");
// each other punctuation or symbol character alone. White space is no word.
func Words(s string) []Span {
	var out []Span
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = append(out, Span{start, end})
			start = -1
		}
	}
	for i, r := range s {
		size := utf8.RuneLen(r)
		switch {
		case IsCJK(r):
			flush(i)
			out = append(out, Span{i, i + size})
		case isWordRune(r) || (start >= 0 && unicode.IsMark(r)):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '’') && start >= 0 && nextIsWordRune(s[i+size:]):
			// an apostrophe inside a word
		case unicode.IsSpace(r) || !unicode.IsGraphic(r):
			flush(i)
		default:
			flush(i)
			out = append(out, Span{i, i + size})
		}
	}
	flush(len(s))
	return out
}

func isWordRune(r rune) bool { return !IsCJK(r) && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

func nextIsWordRune(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && isWordRune(r)
}
