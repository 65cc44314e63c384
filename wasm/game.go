//go:build js && wasm

package main

import (
	"slices"
	"strings"
	"sync/atomic"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/wasm/route"
)

// Scene is one screen of the app. Update handles input and lays out; Draw
// only reads. Scenes keep view state only: the engine runs in a Web Worker
// (see remote.go) and the scenes draw what it last sent.
type Scene interface {
	Update(*Context) error
	Draw(*ebiten.Image)
}

// keyOwner is a scene that uses digit keys itself (the Label screen ranks
// with them, a text field types them), so they do not switch stages there.
type keyOwner interface{ OwnsKeys() bool }

// Game routes Update and Draw to the current scene, below the header.
type Game struct {
	scenes   [numStages]Scene
	header   *header
	ctx      Context
	page     *page
	pacing   framePacing
	remote   *remote
	settings *settingsDialog
	banner   banner
	notice   sessionNotice  // the session is another tab's
	class    *classScreen   // the class screen (scene_class.go), in place of the stage's while open
	presets  *presetsScreen // the experiments screen (scene_presets.go), likewise

	lang      i18n.Lang   // the page's language (lang.go)
	langs     *langDialog // asks whether the model follows a new language
	switching bool        // the switch to Chinese waits for the Chinese font

	stage     atomic.Int32          // the current Stage; window.rlhf.state() reads it from JS
	published atomic.Pointer[State] // the state() answer, built after each Update
	next      Stage                 // set by Context.Navigate, applied at the start of the next Update
	hasNext   bool
	started   bool // the first frame is drawn and the loading screen removed

	drawn     drawKey // what the screen showed when last painted
	needsDraw bool

	// The guided lesson and the link (lesson.go).
	lesson       lessonPanel
	preset       string                     // the link's preset, "" for none
	linkSettings *route.Overrides           // the link's settings, until the engine has them
	written      string                     // the link last written to the URL, so each frame need not read location.hash
	projector    bool                       // projector mode: larger text, fewer controls
	copied       atomic.Pointer[copyResult] // what the last Copy link did

	keys    []ebiten.Key // reused by live
	touches []ebiten.TouchID
}

// drawKey is what, besides Context.Redraw, makes the screen out of date.
type drawKey struct {
	stage       Stage
	classOpen   bool
	presetsOpen bool
	w, h, scale float64
	px, py      float64
	text        *i18n.Text
	fontGen     int
	bottom      float64
}

func NewGame(p *page, lang i18n.Lang) (*Game, error) {
	f, err := newFonts()
	if err != nil {
		return nil, err
	}
	if lang == i18n.Chinese { // the first frame is in Chinese: wait for the font (loader.js fetched it beside app.wasm)
		f.needCJK()
		if !f.poll(true) {
			f.useCJK(<-f.loaded, true)
			f.loading = false
		}
		if f.cjk == nil {
			lang = i18n.English // no font: a page in English is better than one without its words
		}
	}
	g := &Game{page: p, remote: newRemote(p.ModelLang(lang)), lang: lang, langs: &langDialog{page: p}}
	g.scenes = [numStages]Scene{
		StagePretrain: newPretrainScene(),
		StageSFT:      newSFTScene(),
		StageLabel:    newLabelScene(),
		StagePPO:      newPPOScene(),
	}
	g.settings = &settingsDialog{}
	g.ctx = Context{Scale: 1, dev: 1, fonts: f, navigate: g.navigate, R: g.remote, T: i18n.For(lang)}
	p.SetLang(lang)
	g.needsDraw = true
	ebiten.SetScreenClearedEveryFrame(false) // Draw skips unchanged frames; the screen keeps the last picture
	g.header = newHeader(g.navigate)
	// Work pauses while the tab is hidden, and the session is stored when
	// the tab is hidden or closed (told from the event: a hidden tab runs
	// no Update).
	p.OnVisibility(func(visible bool) {
		g.remote.Send(protocol.Visible{Visible: visible})
		if !visible {
			g.remote.Save()
		}
	})
	// A deep link such as #label opens that stage; no or an unknown hash opens
	// pretraining and says so in the URL without adding a history entry.
	// A class server's link (#join=CODE, #teacher=TOKEN) opens the class
	// screen; the secret leaves the URL when the stage's hash replaces it.
	link, _ := route.Class(p.Hash())
	g.class = newClassScreen(newClassConn(link), p)
	g.ctx.Class = g.class.cc
	rt := route.Parse(p.Hash(), p.Query(), presetNames...)
	if link.Join != "" {
		rt.Stage = StageLabel
	}
	g.class.open = link != (route.ClassLink{}) && g.class.cc.active()
	g.presets = newPresetsScreen()
	if len(rt.Ignored) > 0 {
		js.Global().Get("console").Call("info", "rlhf: the URL's "+strings.Join(rt.Ignored, ", ")+" means nothing to the app")
	}
	g.startLesson(rt)
	if rt.Preset != "" { // a link's #…?preset=NAME opens that experiment and runs it
		g.openPreset(rt.Preset)
	}
	if !rt.HasStage && rt.Card > 0 {
		rt.Stage = g.lesson.prog.Current().Stage // a link to a card opens the card's stage
	}
	g.show(rt.Stage, false)
	p.ExposeState(g.state)
	return g, nil
}

// openPreset opens the experiments screen on the experiment called name
// and runs it; it reports whether there is such an experiment (presetNames).
// A link's preset=NAME opens it so.
func (g *Game) openPreset(name string) bool {
	if !g.presets.openPreset(name) {
		return false
	}
	g.class.open = false
	return true
}

func (g *Game) current() Stage { return Stage(g.stage.Load()) }

func (g *Game) navigate(s Stage) { g.next, g.hasNext = s, true }

// show makes s the current scene and the URL hash follow it.
func (g *Game) show(s Stage, pushHistory bool) {
	g.stage.Store(int32(s))
	g.written = g.link(s)
	g.page.SetHash(g.written, pushHistory)
	t := g.ctx.T
	g.page.SetTitle(i18n.Sprintf(t.Title, t.Stages[s].Name))
}

func (g *Game) Update() error {
	if !g.started {
		Mark("update")
	}
	c := &g.ctx
	c.readPointer(g.page.clicks)
	c.redraw, c.live = false, false
	c.Visible = g.page.Visible()
	c.targets = map[string][4]float64{}
	if g.remote.Poll() {
		c.Redraw()
	}
	draftEmpty := true
	if ls, ok := g.scenes[StageLabel].(*labelScene); ok {
		draftEmpty = ls.draft.Len() == 0
	}
	g.class.cc.poll(c, draftEmpty)
	if g.remote.Lang == string(i18n.Chinese) {
		c.fonts.needCJK() // a Chinese session on an English page
	}
	if g.pollFonts() {
		c.Redraw()
	}
	// While the session is another tab's, the notice takes all input.
	if kind := kindFor(g.remote.Owner(), g.remote.lock.Waiting()); kind != "" || g.notice.kind != "" {
		if kind != g.notice.kind {
			g.notice.kind = kind
			c.Redraw()
		}
		if kind != "" {
			g.notice.Update(c)
			g.publish()
			g.needsDraw = g.needsDraw || c.redraw
			return nil
		}
	}
	// Navigation asked for in the last tick (a click, a key, Back/Forward)
	// happens first, so the new scene updates before it is drawn.
	for len(g.page.hashes) > 0 {
		rt := route.Parse(<-g.page.hashes, "", presetNames...)
		s, ok := rt.Stage, rt.HasStage
		if !ok {
			s = g.current() // an unknown #hash: put the current stage's back
		}
		if rt.Preset != "" {
			g.openPreset(rt.Preset)
		}
		if rt.Card > 0 && g.lesson.prog.Go(rt.Card) {
			writeLesson(&g.lesson.prog)
		}
		if !rt.Settings.IsZero() {
			o := rt.Settings
			g.linkSettings = &o
		}
		g.show(s, false)
	}
	owns := false
	if o, ok := g.scenes[g.current()].(keyOwner); ok {
		owns = o.OwnsKeys()
	}
	owns = owns || g.class.OwnsKeys()
	if s, ok := stageIntent(); ok && !owns && !g.settings.open && !g.langs.open {
		g.navigate(s)
	}
	if g.hasNext {
		g.hasNext = false
		g.class.open = false // a stage asked for: the class screen gives way
		g.presets.open = false
		if g.next != g.current() {
			g.show(g.next, true)
		}
	}
	c.Stage = g.current()
	g.applyLinkSettings()
	c.Projector, c.LessonOpen = g.projector, g.lesson.open()
	g.updateProgress()
	g.settings.poll(c)
	g.header.class.Label = g.class.headerLabel(c)
	overlay := [3]bool{g.settings.open, g.settings.confirm, g.langs.open}
	// An open dialog takes the pointer; the screen below sees no click.
	if g.settings.open || g.langs.open {
		g.header.Update(c, false)
		c.Bottom = 0
		c.Bottom = g.lesson.layout(c)
		if g.langs.open {
			g.langs.Update(c)
		} else {
			g.settings.Update(c)
		}
		clicked := c.Clicked
		c.Clicked = false
		if err := g.updateScene(c); err != nil {
			return err
		}
		c.Clicked = clicked
	} else {
		if g.header.Update(c, true) {
			g.switchLang()
		}
		if g.header.settings.Update(c, "settings") {
			g.settings.Open()
		}
		if g.header.class.Label != "" && g.header.class.Update(c, "class") {
			g.class.open, g.presets.open = !g.class.open, false
			c.Live() // the other screen lays out in the next tick
		}
		if g.header.presets.Update(c, "presets") {
			g.presets.open, g.class.open = !g.presets.open, false
			c.Live()
		}
		g.updateExtras(c)
		c.Bottom = 0
		if !g.class.open && !g.presets.open { // the lesson's card is about the stages, not the class or experiments screens
			c.Bottom = g.lesson.layout(c)
		}
		g.banner.Update(c)
		if err := g.updateScene(c); err != nil {
			return err
		}
		if !g.class.open && !g.presets.open && g.updateLesson(c) {
			g.copyLink()
		}
		g.preset = "" // the link names the experiment on screen, if any
		if g.presets.open {
			g.preset = presetNames[g.presets.selected]
		}
	}
	if l := g.link(g.current()); l != g.written { // the URL follows the card and the settings
		g.written = l
		g.page.SetHash(l, false)
	}
	if overlay != [3]bool{g.settings.open, g.settings.confirm, g.langs.open} {
		c.Live() // the dialog opened or changed this tick; it lays out in the next
	}
	g.publish()
	key := drawKey{c.Stage, g.class.open, g.presets.open, c.W, c.H, c.Scale, c.PointerX, c.PointerY, c.T, c.fonts.gen, c.Bottom}
	if key != g.drawn || c.redraw {
		g.drawn, g.needsDraw = key, true
	}
	if c.WantPointer {
		ebiten.SetCursorShape(ebiten.CursorShapePointer)
	} else {
		ebiten.SetCursorShape(ebiten.CursorShapeDefault)
	}
	if g.live() {
		wake()
	}
	return nil
}

// updateScene updates the class screen while it is open, else the stage's.
func (g *Game) updateScene(c *Context) error {
	if g.presets.open {
		g.presets.Update(c)
		return nil
	}
	if g.class.open {
		g.class.Update(c)
		return nil
	}
	return g.scenes[c.Stage].Update(c)
}

// live reports whether the next frame is needed even without an event:
// something asked for it, a navigation waits for the next Update, a key or
// button is held (ebiten counts held keys in frames), or input is still queued.
func (g *Game) live() bool {
	if g.ctx.live || g.hasNext || len(g.page.clicks) > 0 || len(g.page.hashes) > 0 || len(g.remote.in) > 0 {
		return true
	}
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) || len(ebiten.AppendTouchIDs(g.touches[:0])) > 0 {
		return true
	}
	return len(inpututil.AppendPressedKeys(g.keys[:0])) > 0
}

// updateProgress writes each stage's line in the header from the engine's state.
func (g *Game) updateProgress() {
	r := g.remote
	h := &r.Hist
	p := &g.header.progress
	t := &g.ctx.T.Header
	switch {
	case !r.Ready:
		for s := range numStages {
			p[s] = t.Starting
		}
		return
	case len(h.Pretrain) > 0:
		p[StagePretrain] = i18n.Sprintf(t.PretrainSteps, len(h.Pretrain), h.Pretrain[len(h.Pretrain)-1].Loss)
	default:
		p[StagePretrain] = t.Shipped
	}
	p[StageSFT] = i18n.Sprintf(t.Demos, r.State.Demonstrations)
	if n := len(h.SFT); n > 0 {
		p[StageSFT] += i18n.Sprintf(t.SFTSteps, n)
	}
	p[StageLabel] = i18n.Sprintf(t.Rankings, r.State.Rankings)
	if n := len(h.RewardEvals); n > 0 {
		p[StageLabel] += i18n.Sprintf(t.RMAccuracy, pct(h.RewardEvals[n-1].Accuracy))
	}
	p[StagePPO] = t.NotStarted
	if n := len(h.PPO); n > 0 {
		p[StagePPO] = i18n.Sprintf(t.Iteration, n)
	}
	if job := r.Job(); job != protocol.Idle {
		p[job.Stage()] = "● " + p[job.Stage()]
	}
}

func (g *Game) Draw(screen *ebiten.Image) {
	if !g.needsDraw {
		return
	}
	g.needsDraw = false
	screen.Fill(colBackground)
	if g.presets.open {
		g.presets.Draw(screen)
	} else if g.class.open {
		g.class.Draw(screen)
	} else {
		g.scenes[g.ctx.Stage].Draw(screen)
		g.lesson.Draw(screen, &g.ctx)
	}
	g.header.Draw(screen, &g.ctx)
	g.banner.Draw(screen, &g.ctx)
	if g.settings.open {
		g.settings.Draw(screen, &g.ctx)
	}
	if g.langs.open {
		g.langs.Draw(screen, &g.ctx)
	}
	if g.notice.kind != "" {
		g.notice.Draw(screen, &g.ctx)
	}
	if !g.started {
		g.started = true
		g.page.Started()
		g.pacing.start()
	}
}

// LayoutF makes the screen as many pixels as the device has, so text is sharp
// on HiDPI displays; layout code multiplies CSS lengths by ctx.Scale.
func (g *Game) LayoutF(outsideW, outsideH float64) (float64, float64) {
	s := ebiten.Monitor().DeviceScaleFactor()
	zoom := 1.0
	if g.projector {
		zoom = min(max(outsideH/projectorMinH, 1), projectorZoom)
	}
	g.ctx.dev, g.ctx.Scale, g.ctx.W, g.ctx.H = s, s*zoom, outsideW*s, outsideH*s
	return g.ctx.W, g.ctx.H
}

// Layout is required by ebiten.Game; ebiten calls LayoutF instead.
func (g *Game) Layout(outsideW, outsideH int) (int, int) {
	w, h := g.LayoutF(float64(outsideW), float64(outsideH))
	return int(w), int(h)
}

// publish builds what window.rlhf.state() returns from this tick's view, so
// the JS callback never reads state that Update is changing.
func (g *Game) publish() {
	c, r := &g.ctx, g.remote
	st := &State{State: r.State, Stage: g.current().ID(), Ready: r.Ready, Busy: r.Busy(),
		K: r.State.Settings.K, Persona: r.State.Settings.Persona,
		PretrainStep: len(r.Hist.Pretrain), SFTStep: len(r.Hist.SFT), RMSteps: len(r.Hist.Reward),
		PPOIteration: len(r.Hist.PPO), PPOPoints: len(r.Hist.PPO), PPOIterMs: r.PPOIterMs,
		Widgets: c.targets, Targets: map[string][2]float64{}}
	if n := len(r.Hist.RewardEvals); n > 0 {
		v := r.Hist.RewardEvals[n-1].Accuracy
		st.RMAccuracy = &v
	}
	if n := len(r.Hist.PPO); n > 0 {
		s, k := r.Hist.PPO[n-1].ScoreMean, r.Hist.PPO[n-1].KLMean
		st.RMScoreMean, st.KLMean = &s, &k
	}
	if r.Cand != nil && r.Cand.Scores != nil {
		st.RMScores = true
	}
	if ls, ok := g.scenes[StageLabel].(*labelScene); ok {
		st.Ranked = ls.draft.Len()
	}
	if g.banner.visible(c) {
		st.Message = messageText(c.T, r.Message, r.Lang)
	}
	if g.settings.open {
		st.Overlay = "settings"
		if g.settings.confirm {
			st.Overlay = "confirm-reset"
		}
	}
	if g.langs.open {
		st.Overlay = "lang"
		if g.langs.missing {
			st.Overlay = "lang-missing"
		}
	}
	if g.notice.kind != "" {
		st.Overlay = g.notice.kind
	}
	st.Class = g.class.cc.state(r, g.class.open)
	st.Presets = g.presets.state(r)
	if ps, ok := g.scenes[StagePPO].(*ppoScene); ok {
		st.SlowMo = ps.slow.state()
	}
	st.Owner = ownerNames[r.Owner()]
	st.Journal, st.JournalLast = r.Journaled()
	st.Lang, st.ModelLang, st.Models, st.MessageCode = string(g.lang), r.Lang, r.Models, string(r.Message.Code)
	if ss, ok := g.scenes[StageSFT].(*sftScene); ok {
		st.DemoDraft, st.Unknown = [2]string{ss.prompt.Text(), ss.answer.Text()}, slices.Clone(ss.unknown)
	}
	for s := range numStages {
		ch := g.header.chips[s].Rect
		st.Targets[s.ID()] = [2]float64{(ch.X + ch.W/2) / c.dev, (ch.Y + ch.H/2) / c.dev}
	}
	g.publishLesson(st)
	g.published.Store(st)
}

// state is window.rlhf.state(); it only reads.
func (g *Game) state() State {
	var st State
	if p := g.published.Load(); p != nil {
		st = *p
	}
	st.Stage = g.current().ID()
	st.Frames, st.FrameMsP50, st.FrameMsP95 = g.pacing.stats()
	st.Visible = g.page.Visible()
	st.StartupMs = startupMarks()
	return st
}
