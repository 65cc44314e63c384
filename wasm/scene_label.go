//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"rlhfplayground/sim"
	"rlhfplayground/worker/msg"
)

// Label screen lengths in CSS pixels.
const (
	promptH  = 34
	cardH    = 48
	cardGap  = 8
	rankW    = 74 // the rank chip at a card's left
	rmEpochs = 4  // passes over the rankings per "Train reward model"
	autoN    = 20 // rankings per "Auto-label"
)

// labelScene is step 2: the student ranks K answers of the SFT model, best
// first, by clicking, dragging or keys 1…K; a reward model learns from the
// rankings.
type labelScene struct {
	intro intro
	c     Context

	candSeq int   // the candidate the ranking below belongs to
	order   []int // card indices ranked so far, best first
	sent    bool  // submitted or skipped: waiting for the next candidate
	cards   []Rect
	disp    []int // card indices top to bottom
	hover   int   // the card under the pointer, −1 for none

	drag struct {
		card         int // −1: no press on a card
		active       bool
		x0, y0, y    float64
		slot         int
		grabOffsetY  float64
		startOrdered []int
	}

	submit, undo, skip, auto, train button
	persona                         stepper
	rmChart                         chart
	agreeR, bodyR, promptR, recentR Rect
}

func newLabelScene() *labelScene {
	s := &labelScene{intro: intro{
		title:    stageInfo[StageLabel].Title,
		subtitle: "Here you are the human labeler: rank the answers from best to worst.",
		explain: "The SFT model writes several answers to the same prompt, and you rank them from best to worst. " +
			"Each ranking becomes pairs (this answer is better than that one), and a reward model learns to give the better answer of each pair a higher score. " +
			"Its accuracy is how often it agrees with rankings it was not trained on. " +
			"In step 3 the reward model stands in for you, so it can judge thousands of answers.",
		flow: []flowNode{
			{Text: "Prompt", Note: "one question"},
			{Text: "SFT model", Note: "K answers"},
			{Text: "You rank them", Note: "best to worst", You: true},
			{Text: "Reward model", Note: "scores like you"},
		},
	}}
	s.hover, s.drag.card = -1, -1
	s.rmChart = chart{Title: "Reward model", XLabel: "training step", YLabel: "loss · accuracy",
		Empty: "Train the reward model to see its loss and accuracy"}
	return s
}

// OwnsKeys: digits rank cards here, so they do not switch stages.
func (s *labelScene) OwnsKeys() bool { return true }

// complete reports whether the ranking says where every card goes.
func (s *labelScene) complete(k int) bool { return k > 0 && len(s.order) >= k-1 }

// rankCard appends card i to the ranking; the last card follows by itself.
func (s *labelScene) rankCard(i, k int) {
	if slices.Contains(s.order, i) {
		return
	}
	s.order = append(s.order, i)
	if len(s.order) == k-1 {
		for j := range k {
			if !slices.Contains(s.order, j) {
				s.order = append(s.order, j)
			}
		}
	}
}

func (s *labelScene) Update(c *Context) error {
	main := s.intro.Update(c)
	s.c = *c
	r := c.R
	cand := r.Cand
	if s.candSeq != r.CandSeq {
		s.candSeq, s.order, s.sent = r.CandSeq, nil, false
		s.drag.card, s.drag.active = -1, false
		c.Redraw()
	}
	k := 0
	if cand != nil && !s.sent {
		k = len(cand.Answers)
	}

	// Keys: 1…K pick the next-best card, Backspace undoes, Enter submits, S skips.
	for _, key := range inpututil.AppendJustPressedKeys(nil) {
		switch {
		case key >= ebiten.KeyDigit1 && key <= ebiten.KeyDigit9 && int(key-ebiten.KeyDigit1) < k:
			s.rankCard(int(key-ebiten.KeyDigit1), k)
		case key >= ebiten.KeyNumpad1 && key <= ebiten.KeyNumpad9 && int(key-ebiten.KeyNumpad1) < k:
			s.rankCard(int(key-ebiten.KeyNumpad1), k)
		case key == ebiten.KeyBackspace && len(s.order) > 0:
			s.order = s.order[:len(s.order)-1]
			if len(s.order) == k-1 && k > 1 { // undo the automatic last card too
				s.order = s.order[:len(s.order)-1]
			}
		case key == ebiten.KeyEnter || key == ebiten.KeyNumpadEnter:
			s.submitRanking(c)
		case key == ebiten.KeyS:
			s.skipCandidate(c)
		}
		c.Redraw()
	}

	// Layout: the prompt, the cards, two rows of buttons, then the chart and agreement.
	s.promptR, main = main.CutTop(c.Px(promptH), c.Px(6))
	nCards := 4
	if cand != nil {
		nCards = len(cand.Answers)
	}
	cols := 1
	if nCards > 5 {
		cols = 2
	}
	rows := (nCards + cols - 1) / cols
	cardsH := float64(rows)*c.Px(cardH) + float64(rows-1)*c.Px(cardGap)
	var cardsR Rect
	cardsR, main = main.CutTop(cardsH, c.Px(12))
	var row1, row2 Rect
	row1, main = main.CutTop(c.Px(buttonH), c.Px(10))
	row2, main = main.CutTop(c.Px(buttonH), c.Px(14))
	s.bodyR = main
	// The reward model's chart goes under the explanation on the right.
	chartR := s.intro.belowText(c, 190)

	// Display order: ranked cards in rank order, then the others.
	s.disp = s.disp[:0]
	s.disp = append(s.disp, s.order...)
	for i := range nCards {
		if !slices.Contains(s.order, i) {
			s.disp = append(s.disp, i)
		}
	}
	colW := (cardsR.W - float64(cols-1)*c.Px(cardGap)) / float64(cols)
	slotRect := func(slot int) Rect {
		col, row := slot/rows, slot%rows
		return Rect{cardsR.X + float64(col)*(colW+c.Px(cardGap)), cardsR.Y + float64(row)*(c.Px(cardH)+c.Px(cardGap)), colW, c.Px(cardH)}
	}
	s.cards = make([]Rect, nCards)
	for slot, i := range s.disp {
		s.cards[i] = slotRect(slot)
	}
	s.updateDrag(c, k, nCards, slotRect)
	s.hover = -1
	for i, cr := range s.cards {
		c.Target(fmt.Sprintf("card%d", i+1), cr)
		if k > 0 && cr.Contains(c.PointerX, c.PointerY) && !s.drag.active {
			s.hover = i
			c.WantPointer = true
			if c.Clicked {
				if pos := slices.Index(s.order, i); pos >= 0 {
					s.order = s.order[:pos] // unrank it and the cards after it
				} else {
					s.rankCard(i, k)
				}
				c.Redraw()
			}
		}
	}

	// Buttons.
	s.submit.Label, s.submit.Primary, s.submit.Disabled = "Submit · Enter", true, !s.complete(k)
	s.undo.Label, s.undo.Disabled = "Undo · Backspace", len(s.order) == 0
	s.skip.Label, s.skip.Disabled = "Skip · S", k == 0
	x := s.submit.place(c, row1.X, row1.Y)
	x = s.undo.place(c, x, row1.Y)
	s.skip.place(c, x, row1.Y)
	if s.submit.Update(c, "submit") {
		s.submitRanking(c)
	}
	if s.undo.Update(c, "undo") {
		s.order = s.order[:len(s.order)-1]
	}
	if s.skip.Update(c, "skip") {
		s.skipCandidate(c)
	}
	busy := r.Busy()
	s.auto.Label, s.auto.Disabled = fmt.Sprintf("Auto-label ×%d", autoN), busy || !r.Ready
	s.train.Label, s.train.Primary = "Train reward model", true
	s.train.Disabled = busy || r.State.Rankings < 2
	if r.State.Job == msg.StageRM {
		s.train.Label = fmt.Sprintf("Training… %d/%d", r.State.JobDone, r.State.JobTotal)
	}
	if r.State.Job == "label" {
		s.auto.Label = fmt.Sprintf("Labelling… %d/%d", r.State.JobDone, r.State.JobTotal)
	}
	x = s.auto.place(c, row2.X, row2.Y)
	personaR := Rect{x, row2.Y, c.Px(24 + 2*buttonH + 124), c.Px(buttonH)}
	s.persona.Name, s.persona.ValueW = "as", 120
	s.persona.Value = r.State.Settings.Persona
	if d := s.persona.Update(c, personaR, "label-persona"); d != 0 && len(r.Personas) > 0 {
		st := r.State.Settings
		i := slices.Index(r.Personas, st.Persona)
		st.Persona = r.Personas[(i+d+len(r.Personas))%len(r.Personas)]
		r.SetSettings(st)
	}
	s.train.place(c, row2.X+row2.W-s.train.width(c), row2.Y)
	if s.auto.Update(c, "autolabel") {
		r.Send(msg.Command{Cmd: msg.CmdAutoLabel, N: autoN})
	}
	if s.train.Update(c, "train-rm") {
		r.Send(msg.Command{Cmd: msg.CmdTrainRM, Epochs: rmEpochs})
	}

	s.agreeR = s.bodyR // as tall as its content: a heading, a row of bars, a caption
	s.agreeR.H = min(s.agreeR.H, c.Px(agreeH))
	// Below it, when there is room, the newest rankings.
	s.recentR = Rect{}
	if _, rest := s.bodyR.CutTop(s.agreeR.H, c.Px(panelGap)); rest.H >= c.Px(recentHeadH+recentRowH+2*14) {
		s.recentR = rest
	}
	s.rmChart.Series = s.rmSeries()
	s.rmChart.YMin, s.rmChart.YMax = 0, 1
	for _, st := range r.Hist.Reward {
		s.rmChart.YMax = max(s.rmChart.YMax, math.Ceil(st.Loss*4)/4)
	}
	s.rmChart.Update(c, chartR, r.HistVersion)
	if s.drag.active || s.hover >= 0 {
		c.Redraw()
	}
	return nil
}

func (s *labelScene) rmSeries() []series {
	h := &s.c.R.Hist
	loss := series{Name: "loss", Color: colAccent}
	acc := series{Name: "held-out accuracy", Color: colGood, Dots: true}
	for _, st := range h.Reward {
		loss.Y = append(loss.Y, st.Loss)
	}
	for _, e := range h.RewardEvals {
		acc.X = append(acc.X, float64(e.Step))
		acc.Y = append(acc.Y, e.Accuracy)
	}
	return []series{loss, acc}
}

// updateDrag moves a pressed card with the pointer and, on release, puts it
// in the slot under the pointer: the order on screen becomes the ranking
// down to that slot.
func (s *labelScene) updateDrag(c *Context, k, n int, slotRect func(int) Rect) {
	d := &s.drag
	if k == 0 {
		d.card, d.active = -1, false
		return
	}
	x, y := c.PointerX, c.PointerY
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		d.card = -1
		for i, cr := range s.cards {
			if cr.Contains(x, y) {
				d.card, d.x0, d.y0, d.grabOffsetY = i, x, y, y-cr.Y
			}
		}
	}
	if d.card < 0 {
		return
	}
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) {
		c.Live()
		if !d.active && math.Hypot(x-d.x0, y-d.y0) > c.Px(dragSlop) {
			d.active = true
		}
		if d.active {
			d.y = y
			d.slot = n - 1
			for slot := range n {
				if r := slotRect(slot); y < r.Y+r.H {
					d.slot = slot
					break
				}
			}
			c.Redraw()
		}
		return
	}
	// Released.
	if d.active {
		disp := slices.DeleteFunc(slices.Clone(s.disp), func(i int) bool { return i == d.card })
		disp = slices.Insert(disp, min(d.slot, len(disp)), d.card)
		ranked := max(len(s.order), d.slot+1)
		if ranked >= k-1 {
			ranked = k
		}
		s.order = append(s.order[:0], disp[:ranked]...)
		c.Redraw()
	}
	d.card, d.active = -1, false
}

func (s *labelScene) submitRanking(c *Context) {
	cand := c.R.Cand
	if cand == nil || s.sent || !s.complete(len(cand.Answers)) {
		return
	}
	k := len(cand.Answers)
	order := slices.Clone(s.order)
	for j := range k { // the last card goes last
		if !slices.Contains(order, j) {
			order = append(order, j)
		}
	}
	if len(order) != k {
		return
	}
	c.R.Send(msg.Command{Cmd: msg.CmdRank, Ranking: &sim.Ranking{Prompt: cand.Prompt, Answers: cand.Answers, Order: order, Labeler: msg.You}})
	s.sent = true
	c.R.State.Rankings++ // shown at once; the worker's state follows
	c.R.State.YourRankings++
}

func (s *labelScene) skipCandidate(c *Context) {
	if c.R.Cand == nil || s.sent {
		return
	}
	c.R.Send(msg.Command{Cmd: msg.CmdCandidate})
	s.sent = true
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

	// The prompt line and the counter.
	counter := fmt.Sprintf("%d rankings · %d yours", r.State.Rankings, r.State.YourRankings)
	cw := c.fonts.face(false, sizeSmall, c.Scale)
	drawText(dst, counter, cw, s.promptR.X+s.promptR.W, s.promptR.Y+s.promptR.H/2, colMuted, alignRight, alignMiddle)
	switch {
	case r.Cand == nil || !r.Ready:
		drawText(dst, "The SFT model is writing answers…", body, s.promptR.X, s.promptR.Y+s.promptR.H/2, colMuted, alignLeft, alignMiddle)
	default:
		drawText(dst, "Prompt", small, s.promptR.X, s.promptR.Y+s.promptR.H/2, colLabel, alignLeft, alignMiddle)
		avail := s.promptR.W - c.Px(62) - c.Px(190)
		drawText(dst, ellipsize(r.Cand.Prompt, bold, avail), bold, s.promptR.X+c.Px(60), s.promptR.Y+s.promptR.H/2, colText, alignLeft, alignMiddle)
	}

	if r.Cand != nil {
		for _, i := range s.disp {
			if s.drag.active && i == s.drag.card {
				continue
			}
			s.drawCard(dst, i, s.cards[i], false)
		}
		if s.drag.active && s.drag.card >= 0 && s.drag.card < len(s.cards) {
			cr := s.cards[s.drag.card]
			cr.Y = s.drag.y - s.drag.grabOffsetY
			s.drawCard(dst, s.drag.card, cr, true)
		}
		if s.sent {
			drawText(dst, "Sampling the next answers…", small, s.promptR.X+s.promptR.W-c.Px(200), s.promptR.Y+s.promptR.H/2, colAccent, alignRight, alignMiddle)
		}
	}
	for _, b := range []*button{&s.submit, &s.undo, &s.skip, &s.auto, &s.train} {
		b.Draw(dst, c)
	}
	s.persona.Draw(dst, c)
	hint := fmt.Sprintf("Click or press 1…%d from best to worst, or drag the cards.", max(len(s.cards), 2))
	hx := s.skip.X + s.skip.W + c.Px(16)
	if hx+c.Px(200) < s.promptR.X+s.promptR.W {
		drawText(dst, ellipsize(hint, small, s.promptR.X+s.promptR.W-hx), small, hx, s.skip.Y+s.skip.H/2, colFaint, alignLeft, alignMiddle)
	}
	s.rmChart.Draw(dst)
	s.drawAgreement(dst)
	s.drawRecent(dst)
}

// drawCard draws answer i: its key, its rank once ranked, the text and the
// reward model's score once there is one.
func (s *labelScene) drawCard(dst *ebiten.Image, i int, cr Rect, lifted bool) {
	c := &s.c
	cand := c.R.Cand
	rank := slices.Index(s.order, i)
	fill, border := color.Color(colCard), color.Color(colBorderStrong)
	if s.hover == i || lifted {
		fill = colCardHover
	}
	if rank >= 0 {
		border = colLabel
	}
	if lifted {
		border = colAccent
	}
	fillRoundRect(dst, cr, c.Px(10), fill)
	strokeRoundRect(dst, cr, c.Px(10), c.Px(1.2), border)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	bold := c.fonts.face(true, sizeSmall, c.Scale)
	// The key to press.
	key := Rect{cr.X + c.Px(10), cr.Y + cr.H/2 - c.Px(12), c.Px(24), c.Px(24)}
	strokeRoundRect(dst, key, c.Px(6), c.Px(1), colFaint)
	drawText(dst, fmt.Sprint(i+1), bold, key.X+key.W/2, key.Y+key.H/2, colMuted, alignCenter, alignMiddle)
	// The rank chip.
	chip := Rect{key.X + key.W + c.Px(8), cr.Y + cr.H/2 - c.Px(11), c.Px(rankW - 12), c.Px(22)}
	if rank >= 0 {
		label := fmt.Sprintf("#%d", rank+1)
		switch rank {
		case 0:
			label = "#1 best"
		case len(cand.Answers) - 1:
			label = fmt.Sprintf("#%d worst", rank+1)
		}
		fillRoundRect(dst, chip, c.Px(11), colLabel)
		drawText(dst, label, bold, chip.X+chip.W/2, chip.Y+chip.H/2, colBackground, alignCenter, alignMiddle)
	} else {
		strokeRoundRect(dst, chip, c.Px(11), c.Px(1), colBorder)
		drawText(dst, "unranked", small, chip.X+chip.W/2, chip.Y+chip.H/2, colFaint, alignCenter, alignMiddle)
	}
	textX := chip.X + chip.W + c.Px(12)
	right := cr.X + cr.W - c.Px(12)
	if cand.Scores != nil && i < len(cand.Scores) {
		score := fmt.Sprintf("RM %+.2f", cand.Scores[i])
		drawText(dst, score, bold, right, cr.Y+cr.H/2, scoreColour(cand.Scores[i]), alignRight, alignMiddle)
		right -= c.Px(78)
	}
	face := c.fonts.face(false, sizeBody-1, c.Scale)
	answer := cand.Answers[i]
	if answer == "" {
		answer = "(an empty answer)"
	}
	lines := wrapText(answer, face, right-textX)
	if len(lines) > 2 {
		lines = []string{lines[0], ellipsize(lines[1]+" "+lines[2], face, right-textX)}
	}
	lh := lineHeight(face) * 0.92
	y := cr.Y + cr.H/2 - float64(len(lines))*lh/2
	for _, l := range lines {
		drawText(dst, l, face, textX, y, colText, alignLeft, alignTop)
		y += lh
	}
}

func scoreColour(v float64) color.Color {
	switch {
	case v > 0.3:
		return colGood
	case v < -0.3:
		return colBad
	}
	return colMuted
}

// agreeH is the height of the agreement panel, in CSS pixels.
const agreeH = 118

// The list of the newest rankings: its heading and one ranking, in CSS pixels.
const (
	recentHeadH = 30
	recentRowH  = 50
)

// drawRecent lists the newest rankings, the reward model's training data:
// who ranked, the prompt, and the answers put first and last.
func (s *labelScene) drawRecent(dst *ebiten.Image) {
	c := &s.c
	r := s.recentR
	recent := c.R.State.Recent
	if r.W == 0 || len(recent) == 0 {
		return
	}
	n := min(len(recent), int((r.H-c.Px(2*14+recentHeadH))/c.Px(recentRowH)))
	r.H = c.Px(2*14+recentHeadH) + float64(n)*c.Px(recentRowH)
	panel(dst, c, r)
	in := r.Inset(c.Px(14))
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	bold := c.fonts.face(true, sizeSmall, c.Scale)
	drawText(dst, "Newest rankings: what the reward model learns from", h2, in.X, in.Y, colText, alignLeft, alignTop)
	y := in.Y + c.Px(recentHeadH)
	for _, rk := range recent[:n] {
		who, clr := rk.Labeler, colMuted
		if who == msg.You {
			clr = colLabel
		}
		whoW := textAdvance(who, bold) + c.Px(10)
		drawText(dst, who, bold, in.X, y, clr, alignLeft, alignTop)
		drawText(dst, ellipsize(rk.Prompt, small, in.W-whoW), small, in.X+whoW, y, colMuted, alignLeft, alignTop)
		half := (in.W - c.Px(16)) / 2
		for i, a := range []struct {
			label, text string
			clr         color.Color
		}{{"best", rk.Best, colGood}, {"worst", rk.Worst, colBad}} {
			x := in.X + float64(i)*(half+c.Px(16))
			lw := textAdvance(a.label, bold) + c.Px(8)
			drawText(dst, a.label, bold, x, y+c.Px(20), a.clr, alignLeft, alignTop)
			drawText(dst, ellipsize(answerText(a.text), small, half-lw), small, x+lw, y+c.Px(20), colText, alignLeft, alignTop)
		}
		y += c.Px(recentRowH)
	}
}

// drawAgreement shows, per persona, how often it orders a pair of answers
// the way the student did.
func (s *labelScene) drawAgreement(dst *ebiten.Image) {
	c := &s.c
	r := s.agreeR
	if r.W < 20 || r.H < 20 {
		return
	}
	panel(dst, c, r)
	in := r.Inset(c.Px(14))
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	drawText(dst, "You and the personas agree on", h2, in.X, in.Y, colText, alignLeft, alignTop)
	agree := c.R.State.Agreement
	if agree == nil {
		for i, l := range wrapText("Rank a few answers yourself to see how your taste compares with each simulated labeler's.", small, in.W) {
			drawText(dst, l, small, in.X, in.Y+c.Px(30)+float64(i)*lineHeight(small), colFaint, alignLeft, alignTop)
		}
		return
	}
	// One column per persona: name, bar, percentage.
	n := max(1, len(c.R.Personas))
	colW := in.W / float64(n)
	y := in.Y + c.Px(30)
	for i, name := range c.R.Personas {
		v := agree[name]
		x := in.X + float64(i)*colW
		clr := colAccent
		if name == c.R.State.Settings.Persona {
			clr = colLabel
		}
		drawText(dst, ellipsize(name, small, colW-c.Px(52)), small, x, y, colMuted, alignLeft, alignTop)
		drawText(dst, pct(v), c.fonts.face(true, sizeSmall, c.Scale), x+colW-c.Px(14), y, colText, alignRight, alignTop)
		bar := Rect{x, y + c.Px(22), colW - c.Px(14), c.Px(8)}
		fillRoundRect(dst, bar, c.Px(4), colBackground)
		fb := bar
		fb.W = max(c.Px(2), bar.W*v)
		fillRoundRect(dst, fb, c.Px(4), clr)
	}
	if y+c.Px(56) < in.Y+in.H {
		drawText(dst, "share of answer pairs each simulated labeler orders as you did, over your rankings", c.fonts.face(false, sizeSmall-1, c.Scale), in.X, y+c.Px(40), colFaint, alignLeft, alignTop)
	}
}
