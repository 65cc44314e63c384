package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"

	"rlhfplayground/assets/fonts"
)

// TestChartLabels: every chart word is in both languages, the Chinese in
// full-width punctuation; every key the code asks label for exists; and the
// Chinese font has every character of them, and so will the next subset
// (assets/internal/fontsubset keeps the characters of fonts.Runes).
func TestChartLabels(t *testing.T) {
	en, zh := chartLabels["en"], chartLabels["zh-TW"]
	if !slices.Equal(slices.Sorted(maps.Keys(en)), slices.Sorted(maps.Keys(zh))) {
		t.Errorf("the languages' keys differ:\nen    %q\nzh-TW %q", slices.Sorted(maps.Keys(en)), slices.Sorted(maps.Keys(zh)))
	}
	for key, s := range zh {
		if strings.TrimSpace(s) == "" || strings.TrimSpace(en[key]) == "" {
			t.Errorf("%s: en %q, zh-TW %q", key, en[key], s)
		}
		if strings.ContainsAny(s, ",:;!?") {
			t.Errorf("%s: %q has ASCII punctuation, want full-width (，：；！？)", key, s)
		}
	}

	// Every literal key of a label call in this package's files.
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset, used := token.NewFileSet(), 0
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "label" || len(call.Args) != 2 {
				return true
			}
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			used++
			if _, ok := en[key]; !ok {
				t.Errorf("%s: label(…, %q): no such key in chartLabels", fset.Position(lit.Pos()), key)
			}
			return true
		})
	}
	if used == 0 {
		t.Error("no label call found: the charts' words do not come from chartLabels")
	}

	kept, err := fonts.Runes("../..", fonts.DataPatterns, fonts.UIChars)
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(fonts.NotoSansCJKTC)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, lang := range []string{"en", "zh-TW"} {
		for key, s := range chartLabels[lang] {
			for _, r := range s {
				if _, ok := kept[r]; !ok {
					t.Errorf("%s %s: %q (U+%04X) is not among the font subset's characters: add it to %s and run go run ./assets/internal/fontsubset", lang, key, r, r, fonts.UIChars)
				}
				if g, err := f.GlyphIndex(&buf, r); err != nil || (g == 0 && !unicode.IsSpace(r)) {
					t.Errorf("%s %s: %q (U+%04X) has no glyph in the Chinese font (%v)", lang, key, r, r, err)
				}
			}
		}
	}
}

// TestChartFont: a Chinese chart draws every text in the Chinese font,
// which gonum/plot's font cache holds; an English one keeps the default.
func TestChartFont(t *testing.T) {
	p, err := newPlot("zh-TW", label("zh-TW", "kl.title"), label("zh-TW", "iteration"), label("zh-TW", "kl.y"))
	if err != nil {
		t.Fatal(err)
	}
	for name, fnt := range map[string]font.Font{"title": p.Title.TextStyle.Font, "x label": p.X.Label.TextStyle.Font, "y label": p.Y.Label.TextStyle.Font,
		"x ticks": p.X.Tick.Label.Font, "y ticks": p.Y.Tick.Label.Font, "legend": p.Legend.TextStyle.Font} {
		if fnt.Typeface != cjkTypeface || !font.DefaultCache.Has(fnt) {
			t.Errorf("the Chinese chart's %s: typeface %q (in the cache: %v), want %q", name, fnt.Typeface, font.DefaultCache.Has(fnt), cjkTypeface)
		}
	}
	face := font.DefaultCache.Lookup(p.Title.TextStyle.Font, p.Title.TextStyle.Font.Size)
	var buf sfnt.Buffer
	for _, r := range p.Title.Text {
		if g, err := face.Face.GlyphIndex(&buf, r); err != nil || (g == 0 && !unicode.IsSpace(r)) {
			t.Errorf("the title's %q has no glyph in the font it is drawn with", r)
		}
	}
	e, err := newPlot("en", label("en", "kl.title"), label("en", "iteration"), label("en", "kl.y"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Title.TextStyle.Font.Typeface == cjkTypeface || e.Title.Text != "PPO: KL from the SFT reference" {
		t.Errorf("the English chart: %q in %q", e.Title.Text, e.Title.TextStyle.Font.Typeface)
	}
}
