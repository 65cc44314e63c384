//go:build js && wasm

package main

import (
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"rlhfplayground/i18n"
)

// The page's language and the model's are two things. The page's is the
// person's: a teacher's ?lang= link, else their last choice in this browser,
// else the browser's languages (i18n.Choose; web_lang.go reads them); the
// header's switch changes it. The model's is the session's
// (sim.Settings.Lang): each language's model has a session of its own in
// the worker, and when the page's language changes the person is asked
// whether the model changes too, or told that the server has no model in
// that language (then the model stays and only the page changes). The
// answer is remembered as the model language the page asks for on its next
// start (page.ModelLang).

// switchLang is the header's switch: the page goes to the other language,
// and the dialog asks about the model if the session is in another one.
func (g *Game) switchLang() {
	to := i18n.English
	if g.lang == i18n.English {
		to = i18n.Chinese
	}
	if f := g.ctx.fonts; to == i18n.Chinese && f.cjk == nil {
		// The page changes once it can draw Chinese (pollFonts calls again).
		f.needCJK()
		g.switching = true
		return
	}
	g.switching = false
	g.setLang(to)
	r := g.remote
	if r.Lang == string(to) {
		return
	}
	g.langs.Open(i18n.Lang(r.Lang), to, !slices.Contains(r.Models, string(to)))
}

// pollFonts installs the Chinese font when it arrives, and finishes a
// switch to Chinese that waited for it; it reports whether the faces changed.
func (g *Game) pollFonts() bool {
	f := g.ctx.fonts
	if !f.poll(g.lang == i18n.Chinese) {
		if !f.loading && g.switching { // the font could not be fetched: stay in English
			g.switching = false
		}
		return false
	}
	if g.switching {
		g.switchLang()
	}
	return true
}

// setLang draws the page in lang from the next frame on and remembers it.
func (g *Game) setLang(lang i18n.Lang) {
	g.lang = lang
	g.ctx.T = i18n.For(lang)
	g.ctx.fonts.useCJK(g.ctx.fonts.cjk, lang == i18n.Chinese)
	g.page.SaveLang(lang)
	g.page.SetLang(lang)
	g.show(g.current(), false) // the tab's title
	g.ctx.Redraw()
}

// langDialog is the question after the page's language changed: does the
// model change too? Or, when the server has no model in the new language,
// the plain statement that the model stays.
type langDialog struct {
	page     *page
	open     bool
	from, to i18n.Lang // the session's language, the page's new one
	missing  bool      // the server has no model in to
	Rect
	yes, no, ok button
	lines       []string
}

// Open asks about the model in to; the session is in from.
func (d *langDialog) Open(from, to i18n.Lang, missing bool) {
	d.open, d.from, d.to, d.missing = true, from, to, missing
}

// close ends the dialog; the model the page asks for on its next start is
// lang's.
func (d *langDialog) close(c *Context, lang i18n.Lang) {
	d.open = false
	d.page.SaveModelLang(lang)
	c.Redraw()
}

func (d *langDialog) Update(c *Context) {
	c.Redraw() // the buttons' hover states
	t := &c.T.Switch
	w := min(c.W-c.Px(40), c.Px(560))
	in := Rect{0, 0, w - c.Px(56), 0}
	body := c.fonts.face(false, sizeBody, c.Scale)
	text := i18n.Sprintf(t.Body, c.T.Model(d.from))
	if d.missing {
		text = i18n.Sprintf(t.MissingBody, c.T.Model(d.to), c.T.Model(d.from))
	}
	d.lines = wrapText(text, body, in.W)
	h := c.Px(28+44+16+28+buttonH) + float64(len(d.lines))*lineHeight(body)
	d.Rect = Rect{(c.W - w) / 2, max(c.Px(headerH+10), (c.H-h)/2), w, h}
	y := d.Y + d.H - c.Px(28+buttonH)
	right := d.X + d.W - c.Px(28)
	d.yes.W, d.no.W, d.ok.W = 0, 0, 0
	if d.missing {
		d.ok.Label, d.ok.Primary = t.OK, true
		d.ok.place(c, right-d.ok.width(c), y)
		if d.ok.Update(c, "lang-ok") || inpututil.IsKeyJustPressed(ebiten.KeyEscape) || inpututil.IsKeyJustPressed(ebiten.KeyEnter) {
			d.close(c, d.from)
		}
		return
	}
	d.yes.Label, d.yes.Primary = i18n.Sprintf(t.Yes, c.T.Model(d.to)), true
	d.no.Label = i18n.Sprintf(t.No, c.T.Model(d.from))
	x := d.no.place(c, right-d.yes.width(c)-c.Px(buttonGap)-d.no.width(c), y)
	d.yes.place(c, x, y)
	switch {
	case d.yes.Update(c, "lang-yes"):
		c.R.SwitchModel(string(d.to)) // with the journal's actions of that session
		d.close(c, d.to)
	case d.no.Update(c, "lang-no"), inpututil.IsKeyJustPressed(ebiten.KeyEscape):
		d.close(c, d.from)
	}
}

func (d *langDialog) Draw(dst *ebiten.Image, c *Context) {
	t := &c.T.Switch
	vector.DrawFilledRect(dst, 0, 0, float32(c.W), float32(c.H), rgba(0x05070b, 0xb0), false)
	fillRoundRect(dst, d.Rect, c.Px(14), colHeader)
	strokeRoundRect(dst, d.Rect, c.Px(14), c.Px(1), colBorderStrong)
	in := d.Inset(c.Px(28))
	h2 := c.fonts.face(true, sizeH2+2, c.Scale)
	body := c.fonts.face(false, sizeBody, c.Scale)
	title := i18n.Sprintf(t.Title, c.T.Model(d.to))
	if d.missing {
		title = i18n.Sprintf(t.MissingTitle, c.T.Model(d.to))
	}
	drawText(dst, ellipsize(title, h2, in.W), h2, in.X, in.Y, colText, alignLeft, alignTop)
	for i, l := range d.lines {
		drawText(dst, l, body, in.X, in.Y+c.Px(44)+float64(i)*lineHeight(body), colMuted, alignLeft, alignTop)
	}
	for _, b := range []*button{&d.yes, &d.no, &d.ok} {
		b.Draw(dst, c)
	}
}
