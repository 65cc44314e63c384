//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"reflect"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/wasm/lesson"
	"rlhfplayground/wasm/route"
)

// The guided lesson (wasm/lesson holds its cards and checks) as the page
// shows it: one card in a panel across the bottom of the content, which
// the scenes lay out above (contentRect leaves Context.Bottom free), and
// its buttons. The student's place is kept in localStorage; a link's
// #…?card=N opens that card.

// lessonKey is the localStorage key of the lesson's progress.
const lessonKey = "rlhfplayground.lesson"

// Lesson panel lengths in CSS pixels.
const (
	lessonPad     = 14
	lessonGutter  = 12 // between the "Do" label and its text
	lessonMaxRows = 2  // lines of "Do" and of "Look for" at most
	lessonRowGap  = 6  // under the first row
	// sceneMinH is the content height the scenes need below the header
	// (the Label screen with five cards); where the full card would leave
	// less, the card is one row: number, title, check and buttons.
	sceneMinH = 480
	// projectorMinH is the least height, in CSS pixels, projector mode
	// leaves the page: it zooms by up to projectorZoom as far as that allows.
	projectorMinH = 700
	projectorZoom = 1.25
)

// lessonPanel is the current card and its buttons.
type lessonPanel struct {
	Rect
	prog   lesson.Progress
	check  lesson.Check
	loaded bool

	next, back, skip, close, copy button
	gutter                        float64
	showSkip                      bool     // Skip is offered: not on the last card, nor in projector mode
	compact                       bool     // one row, without what to do and what to look for: the screen is short
	do, look                      []string // the card's words, wrapped
}

// readLesson returns the stored progress (the start, when there is none or
// it cannot be read: blocked site data, or what does not decode).
func readLesson() lesson.Progress {
	var raw js.Value
	if err := localStore(func(ls js.Value) { raw = ls.Call("getItem", lessonKey) }); err != nil || raw.Type() != js.TypeString {
		return lesson.Progress{}
	}
	p, _ := lesson.Decode([]byte(raw.String()))
	return p
}

// writeLesson stores the progress; a store the browser refuses keeps it for
// this visit only.
func writeLesson(p *lesson.Progress) {
	b := p.Encode()
	_ = localStore(func(ls js.Value) { ls.Call("setItem", lessonKey, string(b)) })
}

// open reports whether the card is shown.
func (l *lessonPanel) open() bool { return l.loaded && l.prog.Open }

// layout sizes the panel for the current card at the content's width and
// returns the height the scenes leave free for it (0 when closed). The
// first row has the card's number, title and check, with Copy link and
// Close on the right; below, what to do and what to look for, with Back,
// Skip and Next on the right.
func (l *lessonPanel) layout(c *Context) float64 {
	if !l.open() {
		l.Rect = Rect{}
		return 0
	}
	t := &c.T.Lesson
	words := &t.Cards[l.prog.Card]
	body := c.fonts.face(false, sizeBody-1, c.Scale)
	bold := c.fonts.face(true, sizeBody-1, c.Scale)
	l.gutter = max(advance(t.Do, bold), advance(t.Look, bold)) + c.Px(lessonGutter)
	l.next.Label, l.back.Label, l.skip.Label = t.Next, t.Back, t.Skip
	l.showSkip = !c.Projector && l.prog.Card+1 < len(lesson.Cards)
	buttonsW := l.next.width(c) + l.back.width(c) + c.Px(buttonGap)
	if l.showSkip {
		buttonsW += l.skip.width(c) + c.Px(buttonGap)
	}
	cr := contentRect(c)
	textW := cr.W - 2*c.Px(lessonPad) - l.gutter - buttonsW - c.Px(20)
	l.do = clipLines(wrapText(words.Do, body, textW), body, textW)
	l.look = clipLines(wrapText(words.Look, body, textW), body, textW)
	textH := float64(len(l.do)+len(l.look)) * lineHeight(body)
	h := 2*c.Px(lessonPad) + c.Px(buttonH) + c.Px(lessonRowGap) + max(textH, c.Px(buttonH))
	l.compact = cr.H-h-c.Px(panelGap) < c.Px(sceneMinH)
	if l.compact {
		h = 2*c.Px(lessonPad) + c.Px(buttonH)
	}
	l.Rect = Rect{cr.X, c.H - c.Px(contentPad) - h, cr.W, h}
	return h + c.Px(panelGap)
}

// clipLines keeps at most lessonMaxRows lines, the last cut with an ellipsis.
func clipLines(lines []string, face *fontFace, w float64) []string {
	if len(lines) <= lessonMaxRows {
		return lines
	}
	return append(lines[:lessonMaxRows-1:lessonMaxRows-1], ellipsize(joinLines(lines[lessonMaxRows-1], lines[lessonMaxRows]), face, w))
}

// updateLesson runs the card's check and handles the panel's buttons; it
// reports a click of Copy link.
func (g *Game) updateLesson(c *Context) (copyLink bool) {
	l := &g.lesson
	if !l.open() || l.W == 0 {
		return false
	}
	r := c.R
	if r.Ready {
		var changed bool
		l.check, changed = l.prog.Observe(lesson.Facts{State: &r.State, Hist: &r.Hist})
		if changed {
			writeLesson(&l.prog)
			c.Redraw()
		}
	}
	t := &c.T.Lesson
	in := l.Inset(c.Px(lessonPad))
	l.close.Label, l.copy.Label = t.Close, t.CopyLink
	l.next.Primary, l.next.Disabled = true, !l.prog.CanNext()
	l.back.Disabled = l.prog.Card == 0
	l.copy.W, l.skip.W = 0, 0
	// Right to left: Close and Copy link on the first row, Next, Skip and
	// Back below (on the first row too when the card is one row).
	x, y := in.X+in.W, in.Y
	row := func(b *button, show bool) {
		if show {
			x -= b.width(c)
			b.place(c, x, y)
			x -= c.Px(buttonGap)
		}
	}
	row(&l.close, true)
	row(&l.copy, !c.Projector)
	if !l.compact {
		below := Rect{in.X, in.Y + c.Px(buttonH+lessonRowGap), in.W, in.H - c.Px(buttonH+lessonRowGap)}
		x, y = in.X+in.W, below.Y+(below.H-c.Px(buttonH))/2
	}
	row(&l.next, true)
	row(&l.skip, l.showSkip)
	row(&l.back, true)
	c.Target("lesson", l.Rect)
	moved := false
	switch {
	case l.close.Update(c, "lesson-close"):
		l.prog.Open = false
	case l.next.Update(c, "lesson-next"):
		moved = l.prog.Next()
	case l.skip.Update(c, "lesson-skip"):
		l.prog.Skip()
		moved = l.prog.Open
	case l.back.Update(c, "lesson-back"):
		moved = l.prog.Back()
	case l.copy.Update(c, "copy-link"):
		return true
	default:
		return false
	}
	writeLesson(&l.prog)
	if moved {
		l.check = lesson.Check{}
		c.Navigate(l.prog.Current().Stage)
	}
	c.Redraw()
	c.Live() // the card's new words and size are laid out in the next Update
	return false
}

// status is the line of the card's check: what it measured against its
// goal, or that it passed.
func (l *lessonPanel) status(c *Context) (string, color.Color) {
	t := &c.T.Lesson
	card := l.prog.Current()
	switch words := &t.Cards[l.prog.Card]; {
	case l.prog.Card+1 == len(lesson.Cards):
		return t.Finished, colGood
	case l.prog.CurrentPassed():
		return t.Passed, colGood
	case words.Check != "":
		return i18n.Sprintf(words.Check, checkValue(card, l.check.Have), checkValue(card, card.Goal)), colLabel
	}
	return "", colMuted
}

func (l *lessonPanel) Draw(dst *ebiten.Image, c *Context) {
	if !l.open() || l.W == 0 {
		return
	}
	t := &c.T.Lesson
	words := &t.Cards[l.prog.Card]
	fillRoundRect(dst, l.Rect, c.Px(panelRadius), colPanel)
	strokeRoundRect(dst, l.Rect, c.Px(panelRadius), c.Px(1.5), colLabel)
	in := l.Inset(c.Px(lessonPad))
	small := c.fonts.face(true, sizeSmall, c.Scale)
	h2 := c.fonts.face(true, sizeH2, c.Scale)
	body := c.fonts.face(false, sizeBody-1, c.Scale)
	bold := c.fonts.face(true, sizeBody-1, c.Scale)

	// The first row: number, title, check.
	mid := in.Y + c.Px(buttonH)/2
	heading := i18n.Sprintf(t.Heading, l.prog.Number(), len(lesson.Cards))
	drawText(dst, heading, small, in.X, mid, colMuted, alignLeft, alignMiddle)
	x := in.X + advance(heading, small) + c.Px(16)
	right := l.close.X
	switch {
	case l.compact:
		right = l.back.X
	case l.copy.W > 0:
		right = l.copy.X
	}
	right -= c.Px(16)
	status, clr := l.status(c)
	statusW := min(advance(status, bold), (right-x)/2)
	title := ellipsize(words.Title, h2, right-x-statusW-c.Px(20))
	drawText(dst, title, h2, x, mid, colText, alignLeft, alignMiddle)
	sx := x + advance(title, h2) + c.Px(20)
	drawText(dst, ellipsize(status, bold, right-sx), bold, sx, mid, clr, alignLeft, alignMiddle)
	l.close.Draw(dst, c)
	l.copy.Draw(dst, c)
	l.back.Draw(dst, c)
	l.skip.Draw(dst, c)
	l.next.Draw(dst, c)
	if l.compact {
		return
	}

	// What to do and what to look for, with the card's buttons beside.
	y := in.Y + c.Px(buttonH+lessonRowGap)
	lh := lineHeight(body)
	if textH := float64(len(l.do)+len(l.look)) * lh; textH < c.Px(buttonH) {
		y += (c.Px(buttonH) - textH) / 2
	}
	for _, part := range []struct {
		label string
		lines []string
		clr   color.Color
	}{{t.Do, l.do, colText}, {t.Look, l.look, colMuted}} {
		drawText(dst, part.label, bold, in.X, y, colLabel, alignLeft, alignTop)
		for _, line := range part.lines {
			drawText(dst, line, body, in.X+l.gutter, y, part.clr, alignLeft, alignTop)
			y += lh
		}
	}
}

// checkValue formats a check's number: a share as a percentage, a count as
// a whole number, anything else with two decimals.
func checkValue(card lesson.Card, v float64) string {
	switch {
	case card.Percent:
		return pct(v)
	case v == float64(int(v)):
		return fmt.Sprint(int(v))
	}
	return fmt.Sprintf("%.2f", v)
}

// startLesson reads the stored progress and applies what the link asks
// for: its card opens the lesson there.
func (g *Game) startLesson(rt route.Route) {
	g.lesson.prog = readLesson()
	g.lesson.loaded = true
	if rt.Card > 0 {
		g.lesson.prog.Go(rt.Card)
	}
	g.preset = rt.Preset
	if !rt.Settings.IsZero() {
		o := rt.Settings
		g.linkSettings = &o
	}
	g.projector = rt.Projector
}

// applyLinkSettings sends the link's settings once the engine runs and
// this tab's session takes the student's actions (remote.act).
func (g *Game) applyLinkSettings() {
	r := g.remote
	if g.linkSettings == nil || !r.Ready || !r.canAct() {
		return
	}
	cur := r.Settings()
	if s := g.linkSettings.Apply(cur); !reflect.DeepEqual(s, cur) {
		r.SetSettings(s)
	}
	g.linkSettings = nil
}

// canAct reports whether remote.act would take an action now.
func (r *remote) canAct() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.owner == owning && r.HasState && r.replacing <= r.State.Done
}

// link is the hash of what the screen shows: the stage, the lesson's card
// while it is open, the preset, and the settings that differ from the
// defaults (the link's own until they are applied).
func (g *Game) link(s protocol.Stage) string {
	l := route.Link{Preset: g.preset}
	if g.lesson.open() {
		l.Card = g.lesson.prog.Number()
	}
	switch {
	case g.linkSettings != nil:
		l.Settings = *g.linkSettings
	case g.remote.Ready:
		l.Settings = route.Differ(g.remote.Settings())
	}
	return route.Format(s, l)
}

// copyLink puts the page's link on the clipboard (without ?projector=:
// a projector's link is for the students' own screens); when the clipboard
// is refused, a box shows the link selected, to copy by hand.
func (g *Game) copyLink() {
	u := js.Global().Get("URL").New(js.Global().Get("location").Get("href"))
	u.Get("searchParams").Call("delete", "projector")
	link := u.Call("toString").String()
	g.copied.Store(&copyResult{link: link})
	t := &g.ctx.T.Lesson
	show := func() {
		showLinkBox(link, t.CopyThis, t.Close)
		g.copied.Store(&copyResult{link: link, how: "shown"})
		wake()
	}
	clip := js.Global().Get("navigator").Get("clipboard")
	if !clip.Truthy() || !clip.Get("writeText").Truthy() {
		show()
		return
	}
	var ok, fail js.Func
	ok = js.FuncOf(func(js.Value, []js.Value) any {
		g.copied.Store(&copyResult{link: link, how: "clipboard"})
		wake()
		ok.Release()
		fail.Release()
		return nil
	})
	fail = js.FuncOf(func(js.Value, []js.Value) any {
		show()
		ok.Release()
		fail.Release()
		return nil
	})
	clip.Call("writeText", link).Call("then", ok, fail)
}

// copyResult is what the last Copy link did: the link, and "clipboard",
// "shown" (the box with the link) or "" while the clipboard answers.
type copyResult struct{ link, how string }

// showLinkBox shows link in a box over the page, selected, with a button
// that closes it.
func showLinkBox(link, label, closeLabel string) {
	doc := js.Global().Get("document")
	if old := doc.Call("getElementById", "link-box"); old.Truthy() {
		old.Call("remove")
	}
	box := doc.Call("createElement", "div")
	box.Set("id", "link-box")
	box.Get("style").Set("cssText", "position:fixed;left:50%;top:96px;transform:translateX(-50%);z-index:10;"+
		"background:#181c25;border:1px solid #f0b35b;border-radius:10px;padding:12px 14px;color:#e6e9ef;"+
		"font:15px system-ui,sans-serif;display:flex;gap:10px;align-items:center;max-width:90vw")
	text := doc.Call("createElement", "span")
	text.Set("textContent", label)
	in := doc.Call("createElement", "input")
	in.Set("id", "link-box-url")
	in.Set("readOnly", true)
	in.Set("value", link)
	in.Get("style").Set("cssText", "width:min(560px,60vw);font:14px ui-monospace,monospace;padding:6px;background:#10131a;color:#e6e9ef;border:1px solid #343b4a;border-radius:6px")
	btn := doc.Call("createElement", "button")
	btn.Set("textContent", closeLabel)
	btn.Get("style").Set("cssText", "font:15px system-ui,sans-serif;padding:6px 12px;border-radius:8px;border:1px solid #343b4a;background:#181c25;color:#e6e9ef")
	var closeFn js.Func
	closeFn = js.FuncOf(func(js.Value, []js.Value) any {
		box.Call("remove")
		closeFn.Release()
		focusCanvas()
		return nil
	})
	btn.Call("addEventListener", "click", closeFn)
	box.Call("append", text, in, btn)
	doc.Get("body").Call("appendChild", box)
	in.Call("focus")
	in.Call("select")
}

func advance(s string, f *fontFace) float64 { return text.Advance(s, f) }

// headerExtras are the header's Lesson and Projector switches, left of the
// language switch.
type headerExtras struct {
	lesson, projector               button
	lessonClicked, projectorClicked bool
}

// place lays the switches out leftwards from right and handles their
// clicks; it returns the x where they begin. The header's chips need the
// room up to chipsEnd right of the product's name (*brandW wide): where
// the switches would take it, the name goes (*brandW = 0), then the
// Projector switch (?projector=1 still works; in projector mode the
// settings button's room keeps it), then the Lesson switch.
func (e *headerExtras) place(c *Context, right, y float64, brandW *float64, chipsEnd float64) (left float64) {
	t := &c.T.Lesson
	e.lesson.Label, e.lesson.Primary = t.Open, c.LessonOpen
	e.projector.Label, e.projector.Primary = t.Projector, c.Projector
	gap := c.Px(buttonGap)
	both := e.lesson.width(c) + e.projector.width(c) + 2*gap
	e.lesson.Rect, e.projector.Rect = Rect{}, Rect{}
	x := right
	switch {
	case right-both >= chipsEnd+*brandW+c.Px(brandGap)*0.55:
	case right-both >= chipsEnd:
		*brandW = 0
	case right-e.lesson.width(c)-gap >= chipsEnd:
		*brandW = 0
		x -= gap + e.lesson.width(c)
		e.lesson.place(c, x, y)
		e.lessonClicked, e.projectorClicked = e.lesson.Update(c, "lesson-toggle"), false
		return x
	default:
		*brandW = 0
		e.lessonClicked, e.projectorClicked = false, false
		return x
	}
	x -= gap + e.projector.width(c)
	e.projector.place(c, x, y)
	x -= gap + e.lesson.width(c)
	e.lesson.place(c, x, y)
	e.lessonClicked = e.lesson.Update(c, "lesson-toggle")
	e.projectorClicked = e.projector.Update(c, "projector")
	return x
}

func (e *headerExtras) Draw(dst *ebiten.Image, c *Context) {
	e.lesson.Draw(dst, c)
	e.projector.Draw(dst, c)
}

// updateExtras handles the header's Lesson and Projector switches.
func (g *Game) updateExtras(c *Context) {
	e := &g.header.extras
	if e.lessonClicked {
		g.lesson.prog.Open = !g.lesson.prog.Open
		writeLesson(&g.lesson.prog)
		if g.lesson.open() {
			c.Navigate(g.lesson.prog.Current().Stage)
		}
		c.Redraw()
		c.Live() // the scenes lay out again around the card in the next Update
	}
	if e.projectorClicked {
		g.projector = !g.projector
		c.Redraw()
		c.Live() // the header, the scene and the card lay out at the new size in the next Update
	}
	c.Projector, c.LessonOpen = g.projector, g.lesson.open()
}

// LessonState is state().lesson: the card shown and its check.
type LessonState struct {
	Open    bool    `json:"open"`
	Card    int     `json:"card"` // counted from 1
	ID      string  `json:"id"`
	Stage   string  `json:"stage"` // the card's stage
	Passed  bool    `json:"passed"`
	Compact bool    `json:"compact"` // the card is one row: the screen is short
	Have    float64 `json:"have"`    // what the check measured
	Goal    float64 `json:"goal"`
}

// publishLesson adds the lesson, the link and projector mode to st.
func (g *Game) publishLesson(st *State) {
	l := &g.lesson
	card := l.prog.Current()
	st.Lesson = LessonState{Open: l.open(), Card: l.prog.Number(), ID: card.ID, Stage: card.Stage.ID(),
		Passed: l.prog.CurrentPassed(), Compact: l.compact, Have: l.check.Have, Goal: card.Goal}
	st.Link, st.Preset, st.Projector = g.link(g.current()), g.preset, g.projector
	if cr := g.copied.Load(); cr != nil {
		st.Copied, st.CopiedLink = cr.how, cr.link
	}
}
