//go:build js && wasm

package main

import (
	"slices"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// sftScene is step 1: supervised fine-tuning on demonstrations, the shipped
// ones and the student's own.
type sftScene struct {
	intro intro
	c     Context

	ctl                          trainControls
	restart, add, pick           button
	prompt, answer               textField
	loss                         chart
	prev, next, again            button
	statusR, writeR, listR, cmpR Rect
	pickIdx, cmpIdx              int
	asked                        bool
	askedIdx                     int
	demoSeq                      int
	note                         sftNote
	unknown                      []string // the words the model does not know, for noteUnknown
	session                      int      // the remote's Session the indices belong to
}

// sftNote is the line beside the Add button.
type sftNote int

const (
	noNote sftNote = iota
	noteAdding
	noteAdded
	noteUnknown // words the model has no token for
	noteClipped // a prompt or an answer was cut at sim.MaxTextRunes
)

func newSFTScene() *sftScene {
	return &sftScene{intro: intro{stage: StageSFT, you: 0},
		prompt: textField{MaxRunes: sim.MaxTextRunes}, answer: textField{MaxRunes: sim.MaxTextRunes}}
}

// OwnsKeys: digits typed into a field must not switch stages.
func (s *sftScene) OwnsKeys() bool { return s.prompt.Focused() || s.answer.Focused() }

func (s *sftScene) Update(c *Context) error {
	main := s.intro.Update(c)
	s.c = *c
	r := c.R
	var row Rect
	row, main = main.CutTop(c.Px(buttonH), c.Px(12))
	t := &c.T.SFT
	x := s.ctl.update(c, protocol.JobSFT, c.T.Train.Run, c.T.Train.Step, false, row.X, row.Y)
	s.restart.Label, s.restart.Disabled = t.Restart, !r.Ready || r.Busy()
	x = s.restart.place(c, x, row.Y)
	s.statusR = Rect{x + c.Px(6), row.Y, row.X + row.W - x, row.H}
	if s.restart.Update(c, "sft-restart") {
		r.Send(protocol.Restart{Job: protocol.JobSFT})
	}

	left, right := main.CutLeft(main.W*0.5, c.Px(panelGap))
	// Write a demonstration.
	s.writeR, s.listR = left.CutTop(c.Px(14+26+buttonH+10+buttonH+10+buttonH+14+22), c.Px(panelGap))
	in := s.writeR.Inset(c.Px(14))
	_, in = in.CutTop(c.Px(26), 0)
	var pr, ar, br Rect
	pr, in = in.CutTop(c.Px(buttonH), c.Px(10))
	ar, in = in.CutTop(c.Px(buttonH), c.Px(10))
	br, _ = in.CutTop(c.Px(buttonH), 0)
	s.pick.Label = t.Pick
	s.prompt.Placeholder, s.answer.Placeholder = t.PromptHint, t.AnswerHint
	pw := s.pick.width(c)
	s.pick.place(c, pr.X+pr.W-pw, pr.Y)
	pr.W -= pw + c.Px(buttonGap)
	if hasCJK(s.prompt.Text() + s.answer.Text()) {
		c.fonts.needCJK() // Chinese typed on an English page
	}
	if r.Tok != nil {
		for _, f := range []*textField{&s.prompt, &s.answer} {
			_, unknown := r.Tok.EncodeUnknown(f.Text())
			f.Unknown, f.unknownOrder = map[string]bool{}, unknown
			for _, w := range unknown {
				f.Unknown[w] = true
			}
		}
	}
	if s.prompt.Update(c, pr, "demo-prompt") {
		s.prompt.field.Blur()
		s.answer.field.Focus()
	}
	submit := s.answer.Update(c, ar, "demo-answer")
	if s.pick.Update(c, "demo-pick") && len(r.Prompts) > 0 {
		s.prompt.SetText(r.Prompts[s.pickIdx%len(r.Prompts)])
		s.pickIdx++
	}
	s.add.Label, s.add.Primary = t.Add, true
	s.add.Disabled = strings.TrimSpace(s.prompt.Text()) == "" || strings.TrimSpace(s.answer.Text()) == "" || len(s.prompt.Unknown)+len(s.answer.Unknown) > 0
	s.add.place(c, br.X, br.Y)
	if (s.add.Update(c, "demo-add") || submit) && !s.add.Disabled {
		if r.AddDemo(sim.Demonstration{Prompt: strings.TrimSpace(s.prompt.Text()), Response: strings.TrimSpace(s.answer.Text())}) {
			s.note = noteAdding
		}
	}
	if s.demoSeq != r.DemoSeq {
		s.demoSeq = r.DemoSeq
		s.prompt.SetText("")
		s.answer.SetText("")
		s.note = noteAdded
	}
	s.unknown = s.unknown[:0]
	for _, f := range []*textField{&s.prompt, &s.answer} {
		for _, w := range f.unknownOrder {
			if !slices.Contains(s.unknown, w) {
				s.unknown = append(s.unknown, w)
			}
		}
	}
	switch {
	case s.prompt.Clipped || s.answer.Clipped:
		s.note = noteClipped
	case s.note == noteClipped:
		s.note = noNote
	case len(s.unknown) > 0:
		s.note = noteUnknown
	case s.note == noteUnknown:
		s.note = noNote
	}

	// Loss chart and the before/after comparison.
	chartR, cmpR := right.CutTop(right.H*0.45, c.Px(panelGap))
	s.cmpR = cmpR
	ls := series{Color: colAccent}
	for _, p := range r.Hist.SFT {
		ls.Y = append(ls.Y, p.Loss)
	}
	s.loss.Series = []series{ls}
	s.loss.Title, s.loss.XLabel, s.loss.YLabel, s.loss.Empty = t.Chart, c.T.Train.StepAxis, c.T.Train.LossAxis, t.Empty
	s.loss.Update(c, chartR, r.HistVersion)
	cin := cmpR.Inset(c.Px(14))
	s.again.Label, s.next.Label, s.prev.Label = t.SampleAgain, "›", "‹"
	titleW := text.Advance(t.Compare, c.fonts.face(true, sizeBody, c.Scale))
	if titleW+s.again.width(c)+c.Px(2*buttonH+6+2*buttonGap) > cin.W {
		s.again.Label = t.Again // a narrow panel: the title keeps its room
	}
	bx := cin.X + cin.W - s.again.width(c)
	s.again.place(c, bx, cin.Y-c.Px(4))
	s.next.Rect = Rect{bx - c.Px(buttonGap+buttonH), cin.Y - c.Px(4), c.Px(buttonH), c.Px(buttonH)}
	s.prev.Rect = Rect{s.next.X - c.Px(6+buttonH), cin.Y - c.Px(4), c.Px(buttonH), c.Px(buttonH)}
	n := len(r.Prompts)
	if s.session != r.Session { // a new session, maybe in another language: its prompts from the first
		s.session, s.cmpIdx, s.pickIdx, s.asked = r.Session, 0, 0, false
	}
	again := s.again.Update(c, "compare-again")
	if s.prev.Update(c, "compare-prev") && n > 0 {
		s.cmpIdx = (s.cmpIdx + n - 1) % n
	}
	if s.next.Update(c, "compare-next") && n > 0 {
		s.cmpIdx = (s.cmpIdx + 1) % n
	}
	if n > 0 && (!s.asked || again || s.askedIdx != s.cmpIdx) {
		s.asked, s.askedIdx = true, s.cmpIdx
		r.Send(protocol.ShowCompare{Prompt: s.cmpIdx})
	}
	return nil
}

// noteText is the note in t's language.
func (s *sftScene) noteText(t *i18n.Text) string {
	switch s.note {
	case noteAdding:
		return t.SFT.Adding
	case noteAdded:
		return t.SFT.Added
	case noteUnknown:
		return i18n.Sprintf(t.SFT.NoToken, t.List(s.unknown))
	case noteClipped:
		return i18n.Sprintf(t.SFT.Clipped, sim.MaxTextRunes)
	}
	return ""
}

func (s *sftScene) Draw(dst *ebiten.Image) {
	s.intro.Draw(dst)
	c := &s.c
	if c.fonts == nil {
		return
	}
	r := c.R
	small := c.fonts.face(false, sizeSmall, c.Scale)
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	body := c.fonts.face(false, sizeBody-1, c.Scale)
	for _, b := range []*button{&s.ctl.run, &s.ctl.step, &s.restart} {
		b.Draw(dst, c)
	}
	t := &c.T.SFT
	status := i18n.Sprintf(t.Shipped, fmtNum(r.Settings().SFT.LR))
	if n := len(r.Hist.SFT); n > 0 {
		status = i18n.Sprintf(t.Status, n, r.Hist.SFT[n-1].Loss)
	}
	drawText(dst, ellipsize(status, small, s.statusR.W), small, s.statusR.X, s.statusR.Y+s.statusR.H/2, colMuted, alignLeft, alignMiddle)

	panel(dst, c, s.writeR)
	in := s.writeR.Inset(c.Px(14))
	drawText(dst, t.Write, h2, in.X, in.Y, colText, alignLeft, alignTop)
	s.prompt.Draw(dst, c)
	s.answer.Draw(dst, c)
	s.pick.Draw(dst, c)
	s.add.Draw(dst, c)
	if note, clr := s.noteText(c.T), colMuted; note != "" {
		if s.note == noteUnknown || s.note == noteClipped {
			clr = colBad
		}
		nx := s.add.X + s.add.W + c.Px(12)
		drawText(dst, ellipsize(c.fonts.drawable(note), small, in.X+in.W-nx), small, nx, s.add.Y+s.add.H/2, clr, alignLeft, alignMiddle)
	}

	// The demonstrations, the student's first.
	panel(dst, c, s.listR)
	in = s.listR.Inset(c.Px(14))
	demos, builtin := r.Demos, r.Builtin
	drawText(dst, i18n.Sprintf(t.Demos, builtin, len(demos)-builtin), h2, in.X, in.Y, colText, alignLeft, alignTop)
	y := in.Y + c.Px(28)
	lh := lineHeight(small) * 1.05
	for i := len(demos) - 1; i >= 0 && y+lh <= in.Y+in.H; i-- {
		demo := demos[i]
		clr := colMuted
		if i >= builtin {
			clr = colLabel
		}
		pw := in.W * 0.38
		drawText(dst, ellipsize(demo.Prompt, small, pw-c.Px(8)), small, in.X, y, clr, alignLeft, alignTop)
		drawText(dst, ellipsize(demo.Response, small, in.W-pw), small, in.X+pw, y, colText, alignLeft, alignTop)
		y += lh
	}

	s.loss.Draw(dst)
	panel(dst, c, s.cmpR)
	in = s.cmpR.Inset(c.Px(14))
	drawText(dst, t.Compare, h2, in.X, in.Y, colText, alignLeft, alignTop)
	s.prev.Draw(dst, c)
	s.next.Draw(dst, c)
	s.again.Draw(dst, c)
	cmp := r.Compare
	if cmp == nil {
		drawText(dst, c.T.Sampling, small, in.X, in.Y+c.Px(36), colFaint, alignLeft, alignTop)
		return
	}
	y = in.Y + c.Px(34)
	bold := c.fonts.face(true, sizeSmall, c.Scale)
	drawText(dst, ellipsize(i18n.Sprintf(t.ComparePrompt, cmp.Prompt), bold, in.W), bold, in.X, y, colText, alignLeft, alignTop)
	y += c.Px(24)
	colW := in.W/2 - c.Px(8)
	for j, col := range []struct {
		title   string
		answers []string
	}{{t.Before, cmp.Before}, {t.After, cmp.After}} {
		x := in.X + float64(j)*(colW+c.Px(16))
		titleClr := colMuted
		if j == 1 {
			titleClr = colAccent
		}
		drawText(dst, ellipsize(col.title, small, colW), small, x, y, titleClr, alignLeft, alignTop)
		ly := y + c.Px(22)
		for _, a := range col.answers {
			lines := wrapText(c.T.Quoted(answerText(c.T, a)), body, colW)
			for i, l := range lines {
				if ly+lineHeight(body) > in.Y+in.H {
					break
				}
				if i+1 < len(lines) && ly+2*lineHeight(body) > in.Y+in.H {
					l = ellipsize(joinLines(l, lines[i+1]), body, colW) // the panel ends here: say the answer goes on
				}
				drawText(dst, l, body, x, ly, colText, alignLeft, alignTop)
				ly += lineHeight(body)
			}
			ly += c.Px(6)
		}
	}
}
