//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"rlhfplayground/class/api"
	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/wasm/classlink"
)

// Class screen lengths in CSS pixels.
const (
	classPanelW  = 760 // the student's panel
	classPad     = 22  // inside a panel
	classRowH    = 28  // a row of the student list
	classCellMin = 34  // the smallest cell of the agreement matrix
	classCellMax = 64
	classNameW   = 150 // the nicknames before the matrix's rows
	classFieldW  = 260
	classGap     = 14
	classListW   = 360 // the student list
)

// classScreen is the class's screen, shown in place of the stage's while
// open: for a student, the join form, then the connection and the class
// reward model; for the teacher, the dashboard. Update lays out the lines
// and widgets; Draw paints them.
type classScreen struct {
	open bool
	cc   *classConn
	page *page // remembers the model chosen for the class
	c    Context

	panels []Rect
	lines  textLines
	cells  []classCell

	showField                      bool // the nickname field is laid out
	nickname                       textField
	join, useClass, useOwn, goRank button
	back                           button
	replicas                       stepper
	exportJSON, exportCSV          button
	train, send                    button
	switchModel                    button
	leave                          button
	leaveArmed                     bool // the student clicked Leave once, with rankings waiting
}

// classText is one line to draw.
type classText struct {
	s     string
	x, y  float64
	face  *fontFace
	clr   color.Color
	align bool // right-aligned at x
}

// classCell is one cell of the agreement matrix.
type classCell struct {
	Rect
	v   *float64
	txt string
}

func newClassScreen(cc *classConn, p *page) *classScreen {
	return &classScreen{cc: cc, page: p}
}

// OwnsKeys: the nickname field takes digits.
func (s *classScreen) OwnsKeys() bool { return s.open }

// headerLabel is the header button's label: the connection at a glance
// ("" hides the button: no class).
func (s *classScreen) headerLabel(c *Context) string {
	t := &c.T.Class
	cc := s.cc
	switch {
	case !cc.active():
		return ""
	case cc.teacher != nil:
		return t.Dashboard
	}
	st, _ := cc.student.Status()
	switch {
	case st.Phase != classlink.Joined:
		return t.Button
	case !st.Online:
		return i18n.Sprintf(t.Offline, st.Class, st.Queued)
	}
	return i18n.Sprintf(t.Connected, st.Class)
}

// textLines are the lines of text a screen lays out in Update and draws
// in Draw (the class and experiments screens).
type textLines []classText

// line adds a line of text at y and returns the y below it.
func (b *textLines) line(str string, x, y float64, face *fontFace, clr color.Color) float64 {
	*b = append(*b, classText{s: str, x: x, y: y, face: face, clr: clr})
	return y + lineHeight(face)
}

// para adds str wrapped to width w and returns the y below it.
func (b *textLines) para(str string, x, y, w float64, face *fontFace, clr color.Color) float64 {
	for _, l := range wrapText(str, face, w) {
		y = b.line(l, x, y, face, clr)
	}
	return y
}

func (s *classScreen) Update(c *Context) {
	s.c = *c
	s.lines, s.cells, s.panels = s.lines[:0], s.cells[:0], s.panels[:0]
	for _, b := range s.buttons() {
		b.Rect = Rect{} // only the buttons laid out below are drawn
	}
	s.showField = false
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) && !s.nickname.Focused() {
		s.open = false
		return
	}
	area := contentRect(c)
	s.back.Label = c.T.Class.Back
	s.back.place(c, area.X+area.W-s.back.width(c), area.Y)
	if s.back.Update(c, "class-back") {
		s.open = false
		return
	}
	if !s.cc.active() {
		s.open = false
		return
	}
	if s.cc.teacher != nil {
		s.updateTeacher(c, area)
	} else {
		s.updateStudent(c, area)
	}
}

// placeLeave lays out at y the button that ends this computer's class: a
// student's Leave (armed by a first click when rankings wait to be sent,
// which leaving drops), the teacher's Forget; it returns the y below.
func (s *classScreen) placeLeave(c *Context, x, y float64, queued int) float64 {
	s.leave.Label, s.leave.Primary = s.leaveLabel(c, queued), false
	s.leave.place(c, x, y)
	if s.leave.Update(c, "class-leave") {
		if s.cc.teacher == nil && queued > 0 && !s.leaveArmed {
			s.leaveArmed = true
		} else {
			s.cc.leave()
			s.leaveArmed, s.open = false, false
			c.Live() // the header, without the class, in the next frame
		}
	}
	return y + c.Px(buttonH+classGap)
}

// leaveLabel is the leave button's label: the teacher's Forget, or the
// student's Leave (its confirmation once armed with rankings waiting).
func (s *classScreen) leaveLabel(c *Context, queued int) string {
	t := &c.T.Class
	switch {
	case s.cc.teacher != nil:
		return t.Forget
	case s.leaveArmed && queued > 0:
		return i18n.Sprintf(t.LeaveConfirm, queued)
	}
	return t.Leave
}

// sameModel reports whether the session's model is the class's, in lang;
// if not, it lays out at y a line that says so and the button that
// switches the model (or, when this server has no model in lang, says
// that), and returns the y below them.
func (s *classScreen) sameModel(c *Context, lang string, x, y, w float64) (float64, bool) {
	r := c.R
	if !r.Ready || r.Lang == lang {
		return y, true
	}
	t := &c.T.Class
	body := c.fonts.face(false, sizeBody, c.Scale)
	want := c.T.Model(i18n.Lang(lang))
	if !slices.Contains(r.Models, lang) {
		return s.lines.para(i18n.Sprintf(t.NoClassLang, want), x, y, w, body, colBad) + c.Px(classGap), false
	}
	y = s.lines.para(i18n.Sprintf(t.OtherModel, want, c.T.Model(i18n.Lang(r.Lang))), x, y, w, body, colLabel) + c.Px(8)
	s.switchModel.Label, s.switchModel.Primary = i18n.Sprintf(t.SwitchModel, want), true
	s.switchModel.Disabled = r.Busy()
	s.switchModel.place(c, x, y)
	if s.switchModel.Update(c, "class-switch-model") {
		r.SwitchModel(lang) // with the journal's actions of that session
		s.page.SaveModelLang(i18n.Lang(lang))
	}
	return y + c.Px(buttonH+classGap), false
}

func (s *classScreen) updateStudent(c *Context, area Rect) {
	t := &c.T.Class
	cc := s.cc
	st, _ := cc.student.Status()
	w := min(area.W, c.Px(classPanelW))
	p := Rect{area.X + (area.W-w)/2, area.Y + c.Px(buttonH+classGap), w, 0}
	in := p.Inset(c.Px(classPad))
	title := c.fonts.face(true, sizeH2+3, c.Scale)
	body := c.fonts.face(false, sizeBody, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	y := in.Y
	if st.Phase != classlink.Joined {
		y = s.lines.line(t.JoinTitle, in.X, y, title, colText) + c.Px(6)
		y = s.lines.para(t.Explain, in.X, y, in.W, body, colMuted) + c.Px(classGap)
		s.nickname.Placeholder, s.nickname.MaxRunes, s.showField = t.Nickname, api.MaxNickname, true
		enter := s.nickname.Update(c, Rect{in.X, y, min(c.Px(classFieldW), in.W), c.Px(buttonH + 6)}, "class-nickname")
		s.join.Label, s.join.Primary = t.Join, true
		if cc.busy["join"] {
			s.join.Label = t.Joining
		}
		s.join.Disabled = cc.busy["join"] || s.nickname.Text() == ""
		s.join.place(c, s.nickname.X+s.nickname.W+c.Px(buttonGap), y+c.Px(3))
		if (s.join.Update(c, "class-join") || enter) && !s.join.Disabled {
			cc.join(s.nickname.Text())
		}
		y += c.Px(buttonH + 6 + classGap)
		if st.Err != "" {
			y = s.lines.para(i18n.Sprintf(t.Refused, st.Err), in.X, y, in.W, body, colBad)
		}
	} else {
		y = s.lines.line(i18n.Sprintf(t.Status, st.Class, st.Nickname), in.X, y, title, colText) + c.Px(6)
		var same bool
		y, same = s.sameModel(c, st.Lang, in.X, y, in.W)
		if !st.Online {
			y = s.lines.para(i18n.Sprintf(t.Unreached, st.Queued), in.X, y, in.W, body, colLabel)
		}
		y = s.lines.line(i18n.Sprintf(t.AtServer, st.Rankings, st.Queued), in.X, y, body, colMuted)
		if st.Rejected > 0 {
			y = s.lines.line(i18n.Sprintf(t.Rejected, st.Rejected), in.X, y, body, colBad)
		}
		y = s.lines.para(t.HowLabel, in.X, y+c.Px(6), in.W, body, colMuted) + c.Px(8)
		s.goRank.Label = t.GoLabel
		s.goRank.place(c, in.X, y)
		if s.goRank.Update(c, "class-rank") {
			s.open = false
			c.Navigate(StageLabel)
		}
		y += c.Px(buttonH + 2*classGap)

		r := c.R
		if st.Model == nil {
			y = s.lines.line(t.NoModel, in.X, y, body, colFaint)
		} else {
			y = s.lines.para(i18n.Sprintf(t.ModelReady, st.Model.Version), in.X, y, in.W, body, colText) + c.Px(8)
			s.useClass.Label, s.useClass.Primary = t.UseClass, true
			if cc.busy["model"] {
				s.useClass.Label = t.Fetching
			}
			s.useClass.Disabled = cc.busy["model"] || r.Busy() || !r.Ready || !same
			x := s.useClass.place(c, in.X, y)
			s.useOwn.Label, s.useOwn.Disabled = t.UseOwn, r.State.RMSource == "" || r.Busy()
			s.useOwn.place(c, x, y)
			if s.useClass.Update(c, "class-use-model") {
				cc.useClassModel()
			}
			if s.useOwn.Update(c, "class-use-own") {
				r.Send(protocol.UseOwnRewardModel{})
			}
			y += c.Px(buttonH + classGap)
		}
		using := t.UsingOwn
		if r.State.RMSource != "" {
			using = t.UsingClass
		}
		y = s.lines.line(using, in.X, y, body, colMuted)
		if a := r.State.ClassRMAccuracy; a != nil {
			own := "—"
			if n := len(r.Hist.RewardEvals); n > 0 {
				own = pct(r.Hist.RewardEvals[n-1].Accuracy)
			}
			y = s.lines.line(i18n.Sprintf(t.Compare, own, pct(*a)), in.X, y, body, colGood)
		}
	}
	if cc.failed != "" {
		y = s.lines.para(cc.failed, in.X, y+c.Px(6), in.W, small, colBad)
	}
	y = s.placeLeave(c, in.X, y+c.Px(classGap), st.Queued) - c.Px(classGap)
	p.H = y - p.Y + c.Px(classPad)
	s.panels = append(s.panels, p)
}

func (s *classScreen) updateTeacher(c *Context, area Rect) {
	t := &c.T.Class
	cc := s.cc
	s.leave.Label = s.leaveLabel(c, 0) // to measure it: beside Back, at the top
	s.placeLeave(c, s.back.X-c.Px(buttonGap)-s.leave.width(c), s.back.Y, 0)
	r := c.R
	ov, online, _, _ := cc.teacher.Overview()
	title := c.fonts.face(true, sizeH2+3, c.Scale)
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	body := c.fonts.face(false, sizeBody, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	y := area.Y
	name := ""
	if ov != nil {
		name = ov.Class.Name
	}
	y = s.lines.line(i18n.Sprintf(t.DashTitle, name), area.X, y, title, colText) + c.Px(4)
	if ov != nil {
		y = s.lines.line(i18n.Sprintf(t.DashLine, ov.Class.JoinCode, len(ov.Students), ov.Rankings, ov.Sets.Shared), area.X, y, body, colMuted)
	}
	if !online {
		y = s.lines.line(t.NoServer, area.X, y, body, colBad)
	}
	y += c.Px(classGap)

	// The controls: students per set, the exports, the class reward model.
	s.replicas.Name, s.replicas.ValueW = t.Replicas, 48
	s.replicas.Value = "—"
	if ov != nil {
		s.replicas.Value = fmt.Sprint(ov.Class.Settings.Replicas)
	}
	rw := c.Px(2*buttonH+48+16) + textAdvance(t.Replicas, c.fonts.face(false, sizeBody-1, c.Scale))
	if d := s.replicas.Update(c, Rect{area.X, y, rw, c.Px(buttonH)}, "class-replicas"); d != 0 && ov != nil {
		cc.setReplicas(ov.Class.Settings.Replicas + d)
	}
	x := area.X + rw + c.Px(2*buttonGap)
	s.exportJSON.Label, s.exportCSV.Label = t.ExportJSON, t.ExportCSV
	x = s.exportJSON.place(c, x, y)
	x = s.exportCSV.place(c, x, y)
	if s.exportJSON.Update(c, "class-export-json") {
		cc.export("json")
	}
	if s.exportCSV.Update(c, "class-export-csv") {
		cc.export("csv")
	}
	y += c.Px(buttonH + classGap)
	if ov != nil {
		y, _ = s.sameModel(c, ov.Class.Lang, area.X, y, min(area.W, c.Px(classPanelW)))
	}
	s.train.Label, s.train.Primary = t.Train, true
	if r.Job() == protocol.JobClassReward {
		s.train.Label = i18n.Sprintf(t.Training, r.State.JobDone, r.State.JobTotal)
	}
	s.train.Disabled = cc.busy["pooled"] || r.Busy() || !r.Ready || ov == nil || ov.Rankings == 0 || r.Lang != ov.Class.Lang
	x = s.train.place(c, area.X, y)
	s.send.Label, s.send.Primary = t.Send, true
	if cc.busy["send"] {
		s.send.Label = t.Sending
	}
	s.send.Disabled = r.ClassRM == nil || cc.busy["send"]
	s.send.place(c, x, y)
	if s.train.Update(c, "class-train") {
		cc.trainClass()
	}
	if s.send.Update(c, "class-send") {
		cc.sendModel(r.ClassCkpt)
	}
	y += c.Px(buttonH + 6)
	if m := r.ClassRM; m != nil {
		acc := "—"
		if m.Eval.Pairs > 0 {
			acc = pct(m.Eval.Accuracy)
		}
		y = s.lines.line(i18n.Sprintf(t.Trained, m.Rankings, acc), area.X, y, small, colGood)
	}
	if cc.sent != nil {
		y = s.lines.line(i18n.Sprintf(t.Sent, cc.sent.Version), area.X, y, small, colGood)
	}
	if cc.failed != "" {
		y = s.lines.para(cc.failed, area.X, y, area.W, small, colBad)
	}
	y += c.Px(classGap)
	if ov == nil {
		return
	}
	if len(ov.Students) == 0 {
		s.lines.line(t.NoStudents, area.X, y, body, colFaint)
		return
	}

	// The students, and beside them the agreement matrix.
	list := Rect{area.X, y, min(c.Px(classListW), area.W), 0}
	in := list.Inset(c.Px(classPad))
	ly := s.lines.line(t.Students, in.X, in.Y, h2, colText)
	s.lines = append(s.lines, classText{s: t.Rankings, x: in.X + in.W*0.62, y: in.Y + c.Px(3), face: small, clr: colFaint, align: true},
		classText{s: t.Majority, x: in.X + in.W, y: in.Y + c.Px(3), face: small, clr: colFaint, align: true})
	for i, st := range ov.Students {
		clr, mark := colFaint, "○ "
		if st.Connected {
			clr, mark = colGood, "● "
		}
		row := ly + float64(i)*c.Px(classRowH)
		s.lines.line(mark, in.X, row, small, clr)
		s.lines.line(ellipsize(fmt.Sprintf("%d  %s", i+1, st.Nickname), body, in.W*0.45), in.X+c.Px(18), row, body, colText)
		s.lines = append(s.lines, classText{s: fmt.Sprint(st.Rankings), x: in.X + in.W*0.62, y: row, face: body, clr: colText, align: true})
		maj := "—"
		if m := ov.Agreement.Majority; i < len(m) && m[i] != nil {
			maj = pct(*m[i])
		}
		s.lines = append(s.lines, classText{s: maj, x: in.X + in.W, y: row, face: body, clr: colMuted, align: true})
	}
	list.H = ly + float64(len(ov.Students))*c.Px(classRowH) - list.Y + c.Px(classPad)
	s.panels = append(s.panels, list)

	mx := Rect{list.X + list.W + c.Px(classGap), y, area.W - list.W - c.Px(classGap), 0}
	if mx.W < c.Px(200) {
		return
	}
	in = mx.Inset(c.Px(classPad))
	my := s.lines.para(t.Matrix, in.X, in.Y, in.W, small, colMuted) + c.Px(6)
	n := len(ov.Students)
	cell := min(max((in.W-c.Px(classNameW))/float64(n), c.Px(classCellMin)), c.Px(classCellMax))
	for j := range n {
		s.lines = append(s.lines, classText{s: fmt.Sprint(j + 1), x: in.X + c.Px(classNameW) + (float64(j)+0.5)*cell + c.Px(4), y: my, face: small, clr: colFaint, align: true})
	}
	my += lineHeight(small)
	for i, st := range ov.Students {
		row := my + float64(i)*cell
		s.lines.line(ellipsize(fmt.Sprintf("%d  %s", i+1, st.Nickname), small, c.Px(classNameW-8)), in.X, row+cell/2-lineHeight(small)/2, small, colMuted)
		for j := range n {
			var v *float64
			if i < len(ov.Agreement.Pairwise) && j < len(ov.Agreement.Pairwise[i]) {
				v = ov.Agreement.Pairwise[i][j]
			}
			txt := ""
			if v != nil {
				txt = fmt.Sprintf("%.0f", 100**v)
			}
			s.cells = append(s.cells, classCell{Rect{in.X + c.Px(classNameW) + float64(j)*cell, row, cell - c.Px(2), cell - c.Px(2)}, v, txt})
		}
	}
	my += float64(n)*cell + c.Px(8)
	if a := ov.Agreement.Class; a != nil {
		my = s.lines.para(i18n.Sprintf(t.ClassAgreement, pct(*a), ov.Agreement.Comparisons), in.X, my, in.W, body, colText)
	} else {
		my = s.lines.para(t.NoAgreement, in.X, my, in.W, body, colFaint)
	}
	mx.H = my - mx.Y + c.Px(classPad)
	s.panels = append(s.panels, mx)
}

// cellColour shades an agreement from the panel's colour (0) to green (1).
func cellColour(v float64) color.Color {
	mix := func(a, b uint8) uint8 { return uint8(float64(a) + (float64(b)-float64(a))*v) }
	return color.RGBA{mix(colCard.R, colGood.R), mix(colCard.G, colGood.G), mix(colCard.B, colGood.B), 255}
}

func (s *classScreen) Draw(dst *ebiten.Image) {
	c := &s.c
	if c.fonts == nil {
		return
	}
	for _, p := range s.panels {
		panel(dst, c, p)
	}
	small := c.fonts.face(true, sizeSmall, c.Scale)
	for _, cl := range s.cells {
		if cl.v == nil {
			fillRoundRect(dst, cl.Rect, c.Px(4), colBackground)
			continue
		}
		fillRoundRect(dst, cl.Rect, c.Px(4), cellColour(*cl.v))
		drawText(dst, cl.txt, small, cl.X+cl.W/2, cl.Y+cl.H/2, colText, alignCenter, alignMiddle)
	}
	for _, l := range s.lines {
		align := alignLeft
		if l.align {
			align = alignRight
		}
		drawText(dst, c.fonts.drawable(l.s), l.face, l.x, l.y, l.clr, align, alignTop)
	}
	for _, b := range s.buttons() {
		if b.W > 0 {
			b.Draw(dst, c)
		}
	}
	if s.cc.teacher != nil {
		s.replicas.Draw(dst, c)
	}
	if s.showField {
		s.nickname.Draw(dst, c)
	}
}

func (s *classScreen) buttons() []*button {
	return []*button{&s.back, &s.join, &s.useClass, &s.useOwn, &s.goRank, &s.exportJSON, &s.exportCSV, &s.train, &s.send, &s.switchModel, &s.leave}
}
