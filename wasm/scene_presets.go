//go:build js && wasm

package main

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
)

// presetNames are the lessons' experiments in their order (presets.Names:
// the page does not link package presets, whose models are the worker's),
// and the names a link's #…?preset=NAME may give (wasm/route checks it).
var presetNames = protocol.PresetNames

// Experiments screen lengths in CSS pixels.
const (
	presetListW  = 290 // the list of experiments
	presetRowH   = 40
	presetGap    = 14
	presetPad    = 18
	presetChartH = 220
)

// presetsScreen is the experiments screen, shown in place of the stage's
// while open (as the class screen is): the seven experiments, and for the
// chosen one its point, a Run button, the run's progress, then its
// chart(s), its claims with ✓ or ✗, and a few answers side by side. The
// engine runs the experiment (protocol.RunPreset); the screen draws what
// it sends.
type presetsScreen struct {
	open     bool
	selected int
	want     string // openPreset's request, done in the next Update: the experiment to select and run ("": none)
	wantSeq  int    // remote.PresetSeq when this screen's run started (-1: none started)
	c        Context

	rows   []presetRow
	back   button
	run    button
	lines  textLines
	panels []Rect
	charts [2]chart
	shown  int // charts laid out
	table  []presetCell
	marks  []presetMark
}

// presetMark is a claim's ✓ (held) or ✗, drawn as lines: the fonts have neither.
type presetMark struct {
	x, y float64 // the centre
	held bool
}

type presetRow struct {
	button
	name string
}

// presetCell is one cell of a bar chart shown as a table (sft-format).
type presetCell struct {
	s     string
	x, y  float64
	face  *fontFace
	clr   color.Color
	right bool
}

func newPresetsScreen() *presetsScreen {
	s := &presetsScreen{wantSeq: -1}
	for _, n := range presetNames {
		s.rows = append(s.rows, presetRow{name: n})
	}
	return s
}

// openPreset opens the screen on the experiment called name and runs it
// (false: there is no such experiment). It is what a link's preset=NAME
// calls (wasm/route validates the name against presetNames).
func (s *presetsScreen) openPreset(name string) bool {
	for i, n := range presetNames {
		if n == name {
			s.open, s.selected, s.want = true, i, name
			return true
		}
	}
	return false
}

// result is the result of the selected experiment, if the engine sent one.
func (s *presetsScreen) result(r *remote) *protocol.PresetResult {
	if r.Preset != nil && r.Preset.Preset == presetNames[s.selected] {
		return r.Preset
	}
	return nil
}

// running reports whether the engine runs the selected experiment.
func (s *presetsScreen) running(r *remote) bool {
	return r.Job() == protocol.JobPreset && (r.State.Preset == "" || r.State.Preset == presetNames[s.selected])
}

func (s *presetsScreen) Update(c *Context) {
	s.c = *c
	s.lines, s.panels, s.table, s.marks, s.shown = s.lines[:0], s.panels[:0], s.table[:0], s.marks[:0], 0
	r := c.R
	t := &c.T.Presets
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) {
		s.open = false
		return
	}
	if s.want != "" && r.Ready {
		if !r.Busy() || r.Job() == protocol.JobPreset {
			r.RunPreset(s.want)
			s.wantSeq = r.PresetSeq
		}
		s.want = ""
	}
	area := contentRect(c)
	s.back.Label = t.Back
	s.back.place(c, area.X+area.W-s.back.width(c), area.Y)
	if s.back.Update(c, "presets-back") {
		s.open = false
		return
	}
	title := c.fonts.face(true, sizeH2+3, c.Scale)
	body := c.fonts.face(false, sizeBody, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	y := s.lines.line(t.Title, area.X, area.Y+c.Px(4), title, colText) + c.Px(2)
	y = s.lines.para(t.Intro, area.X, y, area.W-s.back.W-c.Px(presetGap), small, colMuted) + c.Px(presetGap)

	// The list.
	list := Rect{area.X, y, min(c.Px(presetListW), area.W/3), c.Px(presetRowH) * float64(len(s.rows))}
	for i := range s.rows {
		row := &s.rows[i]
		row.Primary = i == s.selected
		row.Rect = Rect{list.X, list.Y + float64(i)*c.Px(presetRowH), list.W, c.Px(presetRowH - 6)}
		row.Label = ellipsize(itemOf(t, row.name).Title, row.face(c), row.W-c.Px(2*buttonPadX))
		if row.Update(c, "preset-"+row.name) && !s.running(r) {
			s.selected = i
		}
	}

	// The chosen experiment.
	name := presetNames[s.selected]
	item := itemOf(t, name)
	p := Rect{list.X + list.W + c.Px(presetGap), y, area.X + area.W - (list.X + list.W + c.Px(presetGap)), area.Y + area.H - y}
	s.panels = append(s.panels, p)
	in := p.Inset(c.Px(presetPad))
	y = s.lines.line(item.Title, in.X, in.Y, c.fonts.face(true, sizeH2, c.Scale), colText) + c.Px(2)
	y = s.lines.para(item.Point, in.X, y, in.W, body, colMuted) + c.Px(8)
	res := s.result(r)
	running := s.running(r)
	s.run.Primary = true
	switch {
	case running:
		s.run.Label = t.Stop
	case res != nil:
		s.run.Label = t.Again
	default:
		s.run.Label = t.Run
	}
	s.run.Disabled = !r.Ready || (r.Busy() && !running)
	x := s.run.place(c, in.X, y)
	if s.run.Update(c, "preset-run") {
		if running {
			r.Pause()
		} else {
			r.RunPreset(name)
			s.wantSeq = r.PresetSeq
		}
	}
	status, clr := "", colMuted
	switch {
	case running && r.State.Job == protocol.JobPreset && r.State.PresetStage != "":
		stage := t.Stages[r.State.PresetStage]
		if stage == "" {
			stage = r.State.PresetStage
		}
		status = i18n.Sprintf(t.Running, stage, r.State.JobDone, r.State.JobTotal)
	case running:
		status = t.Starting
	case res != nil:
		held := true
		for _, cl := range res.Claims {
			held = held && cl.Held
		}
		status, clr = t.NotHeld, colBad
		if held && len(res.Claims) > 0 {
			status, clr = t.Held, colGood
		}
		status += " · " + i18n.Sprintf(t.Seconds, res.Seconds)
	}
	if status != "" {
		s.lines.line(status, x, y+(c.Px(buttonH)-lineHeight(body))/2, body, clr)
	}
	y += c.Px(buttonH + presetGap)
	if res == nil {
		if !running {
			s.lines.para(t.Empty, in.X, y, in.W, body, colFaint)
		}
		return
	}
	y = s.layoutCharts(c, t, res, in, y)
	// The claims.
	y = s.lines.line(t.Claims, in.X, y, c.fonts.face(true, sizeBody, c.Scale), colText)
	for i, cl := range res.Claims {
		text := cl.Text // the engine's English, should the catalog lack the claim
		if i < len(item.Claims) {
			text = item.Claims[i]
		}
		s.marks = append(s.marks, presetMark{x: in.X + c.Px(8), y: y + lineHeight(body)/2, held: cl.Held})
		y = s.lines.para(text, in.X+c.Px(22), y, in.W-c.Px(22), body, colText)
	}
	// A few answers, as many as fit (none: no heading either).
	colW := (in.W - c.Px(presetGap)) / 2
	lines := func(i int) float64 {
		a := res.Answers[i]
		n := max(len(wrapText(answerText(c.T, a.Before), small, colW)), len(wrapText(answerText(c.T, a.After), small, colW)), 1)
		return lineHeight(small)*float64(1+n) + c.Px(4)
	}
	head := c.fonts.face(true, sizeBody, c.Scale)
	if len(res.Answers) == 0 || y+c.Px(8)+lineHeight(head)+lineHeight(small)+lines(0) > in.Y+in.H {
		return
	}
	y += c.Px(8)
	y = s.lines.line(t.Answers, in.X, y, head, colText)
	s.lines.line(item.Before, in.X, y, small, colFaint)
	y = s.lines.line(item.After, in.X+colW+c.Px(presetGap), y, small, colFaint)
	for _, a := range res.Answers {
		before := wrapText(answerText(c.T, a.Before), small, colW)
		after := wrapText(answerText(c.T, a.After), small, colW)
		need := lineHeight(small) * float64(1+max(len(before), len(after), 1))
		if y+need > in.Y+in.H {
			break
		}
		y = s.lines.line(i18n.Sprintf(t.Prompt, a.Prompt), in.X, y, small, colMuted)
		yb, ya := y, y
		for _, l := range before {
			yb = s.lines.line(l, in.X, yb, small, colText)
		}
		for _, l := range after {
			ya = s.lines.line(l, in.X+colW+c.Px(presetGap), ya, small, colText)
		}
		y = max(yb, ya) + c.Px(4)
	}
}

// layoutCharts lays out the result's charts side by side from y (a bar
// chart as a table of its values) and returns the y below them.
func (s *presetsScreen) layoutCharts(c *Context, t *i18n.Presets, res *protocol.PresetResult, in Rect, y float64) float64 {
	var lines []protocol.PresetChart
	var bars *protocol.PresetChart
	for i := range res.Charts {
		if len(res.Charts[i].Categories) > 0 {
			bars = &res.Charts[i]
		} else if len(lines) < len(s.charts) {
			lines = append(lines, res.Charts[i])
		}
	}
	if bars != nil {
		y = s.layoutTable(c, t, bars, in, y)
	}
	if len(lines) == 0 {
		return y
	}
	w := (in.W - c.Px(presetGap)*float64(len(lines)-1)) / float64(len(lines))
	colours := []color.RGBA{colAccent, colGood, colLabel, colPurple}
	for i, pc := range lines {
		words, ok := t.Charts[pc.Name]
		if !ok {
			words = i18n.PresetChart{Title: pc.Title, XLabel: pc.XLabel, YLabel: pc.YLabel}
		}
		ch := &s.charts[i]
		ch.Title, ch.XLabel, ch.YLabel, ch.MarkX = words.Title, words.XLabel, words.YLabel, pc.MarkX
		ch.Series = ch.Series[:0]
		for j, l := range pc.Lines {
			name := l.Name
			if j < len(words.Lines) {
				name = words.Lines[j]
			}
			ch.Series = append(ch.Series, series{Name: name, Color: colours[j%len(colours)], X: l.X, Y: l.Y, NoLine: pc.Scatter, Dots: len(l.X) <= 8})
		}
		ch.Update(c, Rect{in.X + float64(i)*(w+c.Px(presetGap)), y, w, c.Px(presetChartH)}, c.R.PresetSeq*16+s.selected)
		s.shown++
	}
	return y + c.Px(presetChartH+presetGap)
}

// layoutTable lays out a bar chart's values as a table: a row per
// category, a column per line (sft-format: pretrained, after SFT).
func (s *presetsScreen) layoutTable(c *Context, t *i18n.Presets, pc *protocol.PresetChart, in Rect, y float64) float64 {
	body := c.fonts.face(false, sizeBody, c.Scale)
	head := c.fonts.face(true, sizeBody, c.Scale)
	label := func(k string) string {
		if v, ok := t.Categories[k]; ok {
			return v
		}
		return k
	}
	col0, colW := c.Px(220), c.Px(150)
	for j, l := range pc.Lines {
		s.table = append(s.table, presetCell{s: label(l.Name), x: in.X + col0 + float64(j+1)*colW, y: y, face: head, clr: colText, right: true})
	}
	y += lineHeight(head)
	for i, cat := range pc.Categories {
		s.table = append(s.table, presetCell{s: label(cat), x: in.X, y: y, face: body, clr: colMuted})
		for j, l := range pc.Lines {
			if i < len(l.Y) {
				s.table = append(s.table, presetCell{s: pct(l.Y[i]), x: in.X + col0 + float64(j+1)*colW, y: y, face: body, clr: colText, right: true})
			}
		}
		y += lineHeight(body)
	}
	return y + c.Px(presetGap)
}

// itemOf is the catalog's words for the experiment called name.
func itemOf(t *i18n.Presets, name string) i18n.PresetItem {
	if it, ok := t.Items[name]; ok {
		return it
	}
	return i18n.PresetItem{Title: name}
}

func (s *presetsScreen) Draw(dst *ebiten.Image) {
	c := &s.c
	if c.fonts == nil {
		return
	}
	for _, p := range s.panels {
		panel(dst, c, p)
	}
	for i := range s.rows {
		s.rows[i].Draw(dst, c)
	}
	s.back.Draw(dst, c)
	s.run.Draw(dst, c)
	for i := range s.shown {
		s.charts[i].Draw(dst)
	}
	for _, l := range s.lines {
		drawText(dst, c.fonts.drawable(l.s), l.face, l.x, l.y, l.clr, alignLeft, alignTop)
	}
	for _, m := range s.marks {
		x, y, d, w := float32(m.x), float32(m.y), float32(c.Px(5)), float32(c.Px(2))
		if m.held {
			vector.StrokeLine(dst, x-d, y, x-d/3, y+d*2/3, w, colGood, true)
			vector.StrokeLine(dst, x-d/3, y+d*2/3, x+d, y-d*2/3, w, colGood, true)
		} else {
			vector.StrokeLine(dst, x-d*2/3, y-d*2/3, x+d*2/3, y+d*2/3, w, colBad, true)
			vector.StrokeLine(dst, x-d*2/3, y+d*2/3, x+d*2/3, y-d*2/3, w, colBad, true)
		}
	}
	for _, cl := range s.table {
		align := alignLeft
		if cl.right {
			align = alignRight
		}
		drawText(dst, cl.s, cl.face, cl.x, cl.y, cl.clr, align, alignTop)
	}
}

// presetsState is state().presets: the experiments screen and the last result.
type presetsState struct {
	Open     bool          `json:"open"`
	Selected string        `json:"selected"`
	Result   *presetReport `json:"result"` // the engine's last experiment (null before one)
}

type presetReport struct {
	Preset  string  `json:"preset"`
	Seconds float64 `json:"seconds"`
	Claims  []bool  `json:"claims"` // each claim held
	Held    bool    `json:"held"`   // every claim held
	Charts  int     `json:"charts"`
	Answers int     `json:"answers"`
	Seq     int     `json:"seq"` // counts the results this page received
	// Figures are the result's named numbers, for a test's log.
	Figures map[string]float64 `json:"figures"`
}

func (s *presetsScreen) state(r *remote) *presetsState {
	st := &presetsState{Open: s.open, Selected: presetNames[s.selected]}
	if p := r.Preset; p != nil {
		rep := &presetReport{Preset: p.Preset, Seconds: p.Seconds, Charts: len(p.Charts), Answers: len(p.Answers), Seq: r.PresetSeq, Held: len(p.Claims) > 0}
		rep.Figures = map[string]float64{}
		for _, f := range p.Figures {
			rep.Figures[f.Name] = f.Value
		}
		for _, cl := range p.Claims {
			rep.Claims = append(rep.Claims, cl.Held)
			rep.Held = rep.Held && cl.Held
		}
		st.Result = rep
	}
	return st
}
