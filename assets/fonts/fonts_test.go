package fonts

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"rlhfplayground/assets"
)

// wanted returns every rune the font must draw, with where it comes from:
// printable ASCII, the data packs and the interface's characters.
func wanted(t *testing.T) map[rune]string {
	t.Helper()
	want := map[rune]string{}
	for r := rune(0x20); r < 0x7f; r++ {
		want[r] = "ASCII"
	}
	add := func(s, from string) {
		for _, r := range s {
			if _, ok := want[r]; !ok && r >= 0x20 {
				want[r] = from
			}
		}
	}
	for _, p := range assets.Packs() {
		for _, s := range p.AllText() {
			add(s, p.Lang+" pack: "+s)
		}
		add(p.PersonasJSON, p.Lang+" personas.json")
	}
	f, err := os.Open("ui_chars.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); !strings.HasPrefix(l, "#") {
			add(l, "ui_chars.txt: "+l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}

// TestCoverage: the font has a glyph for every character the app may show
// in Traditional Chinese, and those of the characters that are not spaces
// have outlines.
func TestCoverage(t *testing.T) {
	f, err := sfnt.Parse(NotoSansCJKTC)
	if err != nil {
		t.Fatal(err)
	}
	name, _ := f.Name(nil, sfnt.NameIDFamily)
	want := wanted(t)
	t.Logf("%s: %d glyphs, %d bytes; %d characters wanted", name, f.NumGlyphs(), len(NotoSansCJKTC), len(want))
	if name != "Noto Sans CJK TC" {
		t.Errorf("family %q, want Noto Sans CJK TC", name)
	}
	var buf sfnt.Buffer
	ppem := fixed.I(32)
	for r, from := range want {
		g, err := f.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			t.Errorf("%q (U+%04X, from %s): no glyph (%v)", r, r, from, err)
			continue
		}
		segs, err := f.LoadGlyph(&buf, g, ppem, nil)
		if err != nil {
			t.Errorf("%q (U+%04X): glyph %d does not load: %v", r, r, g, err)
			continue
		}
		if unicode.IsSpace(r) != (len(segs) == 0) {
			t.Errorf("%q (U+%04X): %d outline segments", r, r, len(segs))
		}
		if adv, err := f.GlyphAdvance(&buf, g, ppem, font.HintingNone); err != nil || adv <= 0 {
			t.Errorf("%q (U+%04X): advance %v (%v)", r, r, adv, err)
		}
	}
}
