//go:build js && wasm

package main

import (
	"errors"
	"image"
	"strings"

	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	assetfonts "rlhfplayground/assets/fonts"
)

// cjkFontURL is where the Chinese font is served (packs.go's fontPath).
const cjkFontURL = "fonts/NotoSansCJKtc-Subset.otf"

// fonts holds the two embedded Go fonts and, once loaded, the Chinese one,
// and caches a face per pixel size.
//
// The Go fonts draw Latin text and are in app.wasm. The Chinese font, a
// subset of Noto Sans CJK TC Regular with every character of the catalog and
// the data (assets/fonts), is fetched only when the page needs it: at start
// when the page is in 繁體中文 (loader.js fetches it beside app.wasm), or
// later when Chinese text appears on an English page (a Chinese session, a
// student typing Chinese). Its CFF outlines are read by
// golang.org/x/image/font/sfnt, as the Go fonts' TrueType ones are.
type fonts struct {
	regular, medium *opentype.Font
	cjk             *opentype.Font // nil until loaded
	swatch          *opentype.Font // the switch's glyphs ("中文"), for an English page without cjk
	swatchFaces     map[faceKey]*fontFace
	// cjkOnly draws with the Chinese font first (the 繁體中文 page: one
	// typeface for the Chinese and the Latin of a line), the Go font
	// supplying what it lacks; else the Go fonts draw and the Chinese font,
	// once loaded, supplies the rest.
	cjkOnly bool
	faces   map[faceKey]*fontFace
	loading bool                // the Chinese font is being fetched
	loaded  chan *opentype.Font // where the fetch delivers it (nil on failure)
	buf     sfnt.Buffer
	has     map[rune]bool // which runes some font has a glyph for
	gen     int           // counts useCJK's changes, for layouts kept elsewhere
}

// fontFace is a face at one pixel size. The glyphs come from
// golang.org/x/image/font/opentype (through text.GoXFace): text needs no
// shaping engine, and leaving go-text/typesetting out of the binary makes
// app.wasm start faster. A MultiFace puts the Chinese font behind the Go one.
type fontFace struct {
	text.Face
	Size float64 // in device pixels
	// bold draws the text a second time a hair to the right: the Chinese
	// font has one weight, and headings and buttons are medium in English.
	bold bool
}

type faceKey struct {
	medium bool
	px     float64
}

func newFonts() (*fonts, error) {
	r, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	m, err := opentype.Parse(gomedium.TTF)
	if err != nil {
		return nil, err
	}
	sw, err := opentype.Parse(assetfonts.Switch)
	if err != nil {
		return nil, err
	}
	return &fonts{regular: r, medium: m, swatch: sw, faces: map[faceKey]*fontFace{}, swatchFaces: map[faceKey]*fontFace{},
		loaded: make(chan *opentype.Font, 1), has: map[rune]bool{}}, nil
}

// switchFace is face for the language switch's label, which is in the
// other language: with the Chinese font if it is loaded, else with the few
// glyphs of the label that app.wasm carries (assets/fonts.Switch).
func (f *fonts) switchFace(medium bool, size, scale float64) *fontFace {
	if f.cjk != nil {
		return f.face(medium, size, scale)
	}
	k := faceKey{medium, size * scale}
	if fc, ok := f.swatchFaces[k]; ok {
		return fc
	}
	src := f.regular
	if medium {
		src = f.medium
	}
	opts := &opentype.FaceOptions{Size: k.px, DPI: 72, Hinting: font.HintingNone}
	a, err1 := opentype.NewFace(src, opts)
	b, err2 := opentype.NewFace(f.swatch, opts)
	mf, err3 := text.NewMultiFace(text.NewGoXFace(&noTofu{Face: a, src: src}), text.NewGoXFace(&noTofu{Face: b, src: f.swatch}))
	if err := errors.Join(err1, err2, err3); err != nil {
		panic(err) // only for a size ≤ 0 or a broken font
	}
	fc := &fontFace{Face: mf, Size: k.px}
	f.swatchFaces[k] = fc
	return fc
}

// face returns the face for size CSS pixels at scale device pixels per CSS pixel.
func (f *fonts) face(medium bool, size, scale float64) *fontFace {
	k := faceKey{medium, size * scale}
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	opts := &opentype.FaceOptions{Size: k.px, DPI: 72, Hinting: font.HintingNone}
	goxFace := func(src *opentype.Font) *text.GoXFace {
		xf, err := opentype.NewFace(src, opts)
		if err != nil {
			panic(err) // only for a size ≤ 0 or a broken font
		}
		return text.NewGoXFace(&noTofu{Face: xf, src: src})
	}
	src := f.regular
	if medium {
		src = f.medium
	}
	fc := &fontFace{Size: k.px}
	switch {
	case f.cjk == nil:
		fc.Face = goxFace(src)
	case f.cjkOnly:
		// The Go font behind it draws the few symbols the subset lacks (‹ ›);
		// regular, since bold text is drawn twice.
		mf, err := text.NewMultiFace(goxFace(f.cjk), goxFace(f.regular))
		if err != nil {
			panic(err)
		}
		fc.Face, fc.bold = mf, medium
	default:
		mf, err := text.NewMultiFace(goxFace(src), goxFace(f.cjk))
		if err != nil {
			panic(err) // two horizontal faces always agree
		}
		fc.Face = mf
	}
	f.faces[k] = fc
	return fc
}

// useCJK installs the Chinese font (only, or behind the Go fonts): every
// face is made again, and every cached layout measured again.
func (f *fonts) useCJK(cjk *opentype.Font, only bool) {
	if cjk == f.cjk && only == f.cjkOnly {
		return
	}
	f.cjk, f.cjkOnly = cjk, only && cjk != nil
	f.gen++
	clear(f.faces)
	clear(f.has)
	clear(layoutCache)
}

// changed reports whether the faces changed since *gen was set, and sets it.
func (f *fonts) changed(gen *int) bool {
	if *gen == f.gen {
		return false
	}
	*gen = f.gen
	return true
}

// needCJK starts fetching the Chinese font unless it is loaded or on its
// way; poll installs it when it arrives.
func (f *fonts) needCJK() {
	if f.cjk != nil || f.loading {
		return
	}
	f.loading = true
	go func() {
		b, err := fetchFont()
		Mark("cjk-fetched")
		var cjk *opentype.Font
		if err == nil {
			cjk, err = opentype.Parse(b)
		}
		Mark("cjk-parsed")
		if err != nil {
			consoleWarn("rlhfplayground: the Chinese font: " + err.Error())
		}
		f.loaded <- cjk
		wake()
	}()
}

// poll installs the Chinese font if it has arrived, for a page drawn in
// Chinese when only is set; it reports whether the faces changed.
func (f *fonts) poll(only bool) bool {
	select {
	case cjk := <-f.loaded:
		f.loading = false
		if cjk == nil {
			return false
		}
		f.useCJK(cjk, only)
		return true
	default:
		return false
	}
}

// hasGlyph reports whether a font in use can draw r.
func (f *fonts) hasGlyph(r rune) bool {
	if ok, seen := f.has[r]; seen {
		return ok
	}
	ok := false
	for _, src := range []*opentype.Font{f.regular, f.cjk} {
		if src == nil {
			continue
		}
		if g, err := src.GlyphIndex(&f.buf, r); err == nil && g != 0 {
			ok = true
		}
	}
	f.has[r] = ok
	return ok
}

// noTofu is a face that has nothing, not even width, for a character its
// font lacks, where opentype's face draws the font's empty box (.notdef):
// until the Chinese font arrives, Chinese text is missing rather than a row
// of boxes, and a MultiFace finds the glyph in the next font.
type noTofu struct {
	font.Face
	src *opentype.Font
	buf sfnt.Buffer
}

func (f *noTofu) has(r rune) bool {
	g, err := f.src.GlyphIndex(&f.buf, r)
	return err == nil && g != 0
}

func (f *noTofu) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	if !f.has(r) {
		return image.Rectangle{}, nil, image.Point{}, 0, false
	}
	return f.Face.Glyph(dot, r)
}

func (f *noTofu) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	if !f.has(r) {
		return fixed.Rectangle26_6{}, 0, false
	}
	return f.Face.GlyphBounds(r)
}

func (f *noTofu) GlyphAdvance(r rune) (fixed.Int26_6, bool) {
	if !f.has(r) {
		return 0, false
	}
	return f.Face.GlyphAdvance(r)
}

// noGlyph stands for a character no font in use has (one a student typed
// that is in neither the data nor the catalog, so not in the subset): a
// visible mark instead of an empty box or nothing. The text field underlines
// it as a character the model does not know, which it always is.
const noGlyph = '？'

// drawable returns s with every character no font in use can draw replaced
// by noGlyph, for text a student typed; it keeps s's length in runes.
func (f *fonts) drawable(s string) string {
	ok := true
	for _, r := range s {
		if r >= 0x20 && !f.hasGlyph(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= 0x20 && !f.hasGlyph(r) {
			return noGlyph
		}
		return r
	}, s)
}

// hasCJK reports whether s has a character the tokenizer counts as CJK.
func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x2e80 {
			return true
		}
	}
	return false
}
