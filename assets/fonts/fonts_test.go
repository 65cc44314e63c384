package fonts

import (
	"os"
	"testing"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// wanted returns every rune the font must draw, with where it comes from
// (Runes over the repository's data files and ui_chars.txt).
func wanted(t *testing.T) map[rune]string {
	t.Helper()
	want, err := Runes("../..", DataPatterns, UIChars)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("../zh-TW"); err != nil {
		t.Logf("assets/zh-TW is not in this tree: the Traditional Chinese pack's characters are not checked")
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

// TestSwitch: the switch's subset draws the switch's labels, and package
// fonts embeds the same bytes as the files.
func TestSwitch(t *testing.T) {
	f, err := sfnt.Parse(Switch)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, r := range SwitchRunes() {
		if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
			t.Errorf("%q: not in %s", r, SwitchFile)
		}
	}
	if len(SwitchRunes()) == 0 {
		t.Error("no switch label has a character beyond ASCII: does the English page need the switch's font?")
	}
	for name, b := range map[string][]byte{"NotoSansCJKtc-Subset.otf": NotoSansCJKTC, SwitchFile: Switch} {
		if disk, err := os.ReadFile(name); err != nil || string(disk) != string(b) {
			t.Errorf("%s: the embedded bytes differ from the file (%v)", name, err)
		}
	}
}
