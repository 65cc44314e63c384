//go:build js && wasm

package main

import (
	"math"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
	"rlhfplayground/wasm/draft"
)

// Label screen lengths in CSS pixels (the cards' in label_cards.go, the
// panels' in label_panels.go).
const (
	promptH       = 34  // the prompt line
	promptLabelW  = 60  // "Prompt" before the prompt
	promptRightW  = 190 // the counter and the "Sampling…" note after it
	cardsGapBelow = 12
	rowGap        = 10  // between the two rows of buttons
	rowsGapBelow  = 14  // under the second row
	rmChartH      = 190 // the reward model's chart under the explanation
	personaValueW = 120 // the least room for the persona's name; a longer name widens the stepper
	hintMinW      = 200 // the key hint is shown only with this much room
	autoN         = 20  // rankings per "Auto-label"
)

// labelScene is step 2: the student ranks K answers of the SFT model, best
// first, by clicking, dragging or keys 1…K; a reward model learns from the
// rankings. The ranking rules are draft.Ranking's; this scene turns keys,
// clicks and drags into its calls and draws it.
type labelScene struct {
	intro intro
	c     Context

	cand  [2]uint64     // the session and candidate ID the draft belongs to
	draft draft.Ranking // the ranking being made
	sent  bool          // submitted or skipped: waiting for the next candidate
	cards cardLayout

	submit, undo, skip, auto, train button
	persona                         stepper
	personaFit                      personaFit // the room for the persona's name, measured when the names or their font change
	rmChart                         chart
	agreeR, bodyR, promptR          Rect
	recent                          recentLayout
}

func newLabelScene() *labelScene {
	s := &labelScene{intro: intro{stage: StageLabel, you: 2}}
	s.cards.hover, s.cards.drag.card = -1, -1
	return s
}

// OwnsKeys: digits rank cards here, so they do not switch stages.
func (s *labelScene) OwnsKeys() bool { return true }

// rankIntent is what a key pressed this tick asks of the ranking.
type rankIntent int

const (
	noIntent rankIntent = iota
	pickIntent
	undoIntent
	submitIntent
	skipIntent
)

// keyIntent turns a key into an intent: 1…9 pick that card, Backspace
// undoes, Enter submits, S skips.
func keyIntent(key ebiten.Key) (rankIntent, int) {
	switch {
	case key >= ebiten.KeyDigit1 && key <= ebiten.KeyDigit9:
		return pickIntent, int(key - ebiten.KeyDigit1)
	case key >= ebiten.KeyNumpad1 && key <= ebiten.KeyNumpad9:
		return pickIntent, int(key - ebiten.KeyNumpad1)
	case key == ebiten.KeyBackspace:
		return undoIntent, 0
	case key == ebiten.KeyEnter || key == ebiten.KeyNumpadEnter:
		return submitIntent, 0
	case key == ebiten.KeyS:
		return skipIntent, 0
	}
	return noIntent, 0
}

func (s *labelScene) Update(c *Context) error {
	main := s.intro.Update(c)
	s.c = *c
	r := c.R
	cand := r.Cand
	if cand != nil && s.cand != [2]uint64{uint64(r.Session), cand.ID} {
		s.cand, s.draft, s.sent = [2]uint64{uint64(r.Session), cand.ID}, draft.New(len(cand.Answers)), false
		s.cards.drag.card, s.cards.drag.active = -1, false
		c.Redraw()
	}
	active := cand != nil && !s.sent // the cards take input

	for _, key := range inpututil.AppendJustPressedKeys(nil) {
		intent, card := keyIntent(key)
		s.act(c, intent, card, active)
		if intent != noIntent {
			c.Redraw()
		}
	}

	// Layout: the prompt, the cards, two rows of buttons, then the chart and agreement.
	s.promptR, main = main.CutTop(c.Px(promptH), c.Px(6))
	n := 4
	if cand != nil {
		n = len(cand.Answers)
	}
	var cardsR, row1, row2 Rect
	cardsR, main = main.CutTop(cardsHeight(c, n), c.Px(cardsGapBelow))
	row1, main = main.CutTop(c.Px(buttonH), c.Px(rowGap))
	row2, main = main.CutTop(c.Px(buttonH), c.Px(rowsGapBelow))
	s.bodyR = main
	chartR := s.intro.belowText(c, rmChartH)
	s.cards.layout(c, cardsR, n, &s.draft)
	s.cards.update(c, &s.draft, active)

	// Buttons.
	t := &c.T.Label
	s.submit.Label, s.submit.Primary, s.submit.Disabled = t.Submit, true, !active || !s.draft.Complete()
	s.undo.Label, s.undo.Disabled = t.Undo, !active || s.draft.Len() == 0
	s.skip.Label, s.skip.Disabled = t.Skip, !active
	x := s.submit.place(c, row1.X, row1.Y)
	x = s.undo.place(c, x, row1.Y)
	s.skip.place(c, x, row1.Y)
	switch {
	case s.submit.Update(c, "submit"):
		s.act(c, submitIntent, 0, active)
	case s.undo.Update(c, "undo"):
		s.act(c, undoIntent, 0, active)
	case s.skip.Update(c, "skip"):
		s.act(c, skipIntent, 0, active)
	}
	busy := r.Busy()
	st := r.State
	s.auto.Label, s.auto.Disabled = i18n.Sprintf(t.Auto, autoN), busy || !r.Ready
	s.train.Label, s.train.Primary = t.TrainRM, true
	s.train.Disabled = busy || st.Rankings < 2
	switch r.Job() {
	case protocol.JobReward:
		s.train.Label = i18n.Sprintf(t.Training, st.JobDone, st.JobTotal)
	case protocol.JobAutoLabel:
		s.auto.Label = i18n.Sprintf(t.Labelling, st.JobDone, st.JobTotal)
	}
	x = s.auto.place(c, row2.X, row2.Y)
	settings := r.Settings()
	s.persona.Name, s.persona.Value = t.As, c.T.Persona(settings.Persona, sim.You)
	s.persona.ValueW = s.personaFit.valueW(c, r.Personas)
	if d := s.persona.Update(c, Rect{x, row2.Y, s.persona.width(c), c.Px(buttonH)}, "label-persona"); d != 0 && len(r.Personas) > 0 {
		i := slices.Index(r.Personas, settings.Persona)
		settings.Persona = r.Personas[(i+d+len(r.Personas))%len(r.Personas)]
		r.SetSettings(settings)
	}
	s.train.place(c, row2.X+row2.W-s.train.width(c), row2.Y)
	if s.auto.Update(c, "autolabel") {
		r.Send(protocol.AutoLabel{N: autoN})
	}
	if s.train.Update(c, "train-rm") {
		r.Send(protocol.TrainReward{})
	}

	s.layoutPanels(c)
	s.rmChart.Series = s.rmSeries()
	s.rmChart.Title, s.rmChart.XLabel, s.rmChart.YLabel, s.rmChart.Empty = t.Chart, t.StepAxis, t.Axis, t.Empty
	s.rmChart.YMin, s.rmChart.YMax = 0, 1
	for _, st := range r.Hist.Reward {
		s.rmChart.YMax = max(s.rmChart.YMax, math.Ceil(st.Loss*4)/4)
	}
	s.rmChart.Update(c, chartR, r.HistVersion)
	if s.cards.drag.active || s.cards.hover >= 0 {
		c.Redraw()
	}
	return nil
}

// hintK is the K of the key hint "press 1…K": the cards' count, or before
// the first cards arrive, the session's (or the default) K, never a guess.
func (s *labelScene) hintK(c *Context) int {
	if k := s.draft.K(); k > 0 {
		return k
	}
	if k := c.R.Settings().K; k > 0 {
		return k
	}
	return sim.DefaultSettings().K
}

// act does what a key or a button asks: pick card, undo, submit the
// ranking or skip the answers. Nothing happens while no cards take input.
func (s *labelScene) act(c *Context, intent rankIntent, card int, active bool) {
	if !active {
		return
	}
	switch intent {
	case pickIntent:
		s.draft.Pick(card)
	case undoIntent:
		s.draft.Undo()
	case submitIntent:
		// The ranking is in the page's journal (durable) before the
		// screen shows it as sent.
		if s.draft.Complete() && c.R.Cand != nil && c.R.Cand.ID == s.cand[1] {
			s.sent = c.R.Rank(c.R.Cand, s.draft.Order())
			if s.sent && c.Class != nil {
				c.Class.ranked(c.R.Cand, s.draft.Order()) // a shared set's ranking goes to the class too
			}
		}
	case skipIntent:
		c.R.Send(protocol.Skip{Candidate: s.cand[1]})
		s.sent = true
		if c.Class != nil {
			c.Class.skipped(c.R.Cand)
		}
	}
}

func (s *labelScene) rmSeries() []series {
	h := &s.c.R.Hist
	loss := series{Name: s.c.T.Label.Loss, Color: colAccent}
	acc := series{Name: s.c.T.Label.Accuracy, Color: colGood, Dots: true}
	for _, st := range h.Reward {
		loss.Y = append(loss.Y, st.Loss)
	}
	for _, e := range h.RewardEvals {
		acc.X = append(acc.X, float64(e.Step))
		acc.Y = append(acc.Y, e.Accuracy)
	}
	return []series{loss, acc}
}

func (s *labelScene) Draw(dst *ebiten.Image) {
	s.intro.Draw(dst)
	c := &s.c
	if c.fonts == nil {
		return
	}
	r := c.R
	body := c.fonts.face(false, sizeBody, c.Scale)
	bold := c.fonts.face(true, sizeBody, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	mid := s.promptR.Y + s.promptR.H/2

	// The prompt line and the counter.
	t := &c.T.Label
	counter := i18n.Sprintf(t.Counter, r.State.Rankings, r.State.YourRankings)
	drawText(dst, counter, small, s.promptR.X+s.promptR.W, mid, colMuted, alignRight, alignMiddle)
	noteW := 0.0                                                        // the class set's note, before the counter
	if set, ok := c.Class.sharedSet(r.Cand); ok && !s.sent && r.Ready { // a set the class server handed out
		note := i18n.Sprintf(c.T.Class.SharedSet, set.ID)
		noteW = textAdvance(note, small) + c.Px(12)
		drawText(dst, note, small, s.promptR.X+s.promptR.W-textAdvance(counter, small)-c.Px(12), mid, colLabel, alignRight, alignMiddle)
	}
	switch {
	case r.Cand == nil || !r.Ready:
		drawText(dst, t.Writing, body, s.promptR.X, mid, colMuted, alignLeft, alignMiddle)
	default:
		drawText(dst, t.Prompt, small, s.promptR.X, mid, colLabel, alignLeft, alignMiddle)
		avail := s.promptR.W - c.Px(promptLabelW+2) - c.Px(promptRightW) - noteW
		drawText(dst, ellipsize(r.Cand.Prompt, bold, avail), bold, s.promptR.X+c.Px(promptLabelW), mid, colText, alignLeft, alignMiddle)
	}
	if r.Cand != nil {
		s.cards.draw(dst, c, r.Cand, &s.draft)
		if s.sent {
			drawText(dst, t.SamplingNext, small, s.promptR.X+s.promptR.W-c.Px(promptRightW+10), mid, colAccent, alignRight, alignMiddle)
		}
	}
	for _, b := range []*button{&s.submit, &s.undo, &s.skip, &s.auto, &s.train} {
		b.Draw(dst, c)
	}
	s.persona.Draw(dst, c)
	hint := i18n.Sprintf(t.Hint, s.hintK(c))
	hx := s.skip.X + s.skip.W + c.Px(16)
	if hx+c.Px(hintMinW) < s.promptR.X+s.promptR.W {
		drawText(dst, ellipsize(hint, small, s.promptR.X+s.promptR.W-hx), small, hx, s.skip.Y+s.skip.H/2, colFaint, alignLeft, alignMiddle)
	}
	s.rmChart.Draw(dst)
	s.drawAgreement(dst)
	s.drawRecent(dst)
}

// personaFit is the room the persona stepper's value needs: the widest
// persona name in the page's language, in CSS pixels, measured again only
// when the names, the language, the fonts or the scale change.
type personaFit struct {
	names []string
	t     *i18n.Text
	scale float64
	fonts int
	value float64
}

func (p *personaFit) valueW(c *Context, personas []string) float64 {
	if c.fonts.changed(&p.fonts) || p.t != c.T || p.scale != c.Scale || !slices.Equal(p.names, personas) {
		p.names, p.t, p.scale = slices.Clone(personas), c.T, c.Scale
		bold := c.fonts.face(true, sizeBody-1, c.Scale)
		widest := 0.0
		for _, name := range append([]string{sim.You}, personas...) {
			widest = max(widest, textAdvance(c.T.Persona(name, sim.You), bold)/c.Scale)
		}
		p.value = max(personaValueW, widest+16) // 8 px each side, as the stepper keeps
	}
	return p.value
}
