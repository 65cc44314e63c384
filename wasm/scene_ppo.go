//go:build js && wasm

package main

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// ppoScene is step 3: the policy is optimised against the reward model with
// PPO and a KL penalty towards the SFT model.
type ppoScene struct {
	intro intro
	c     Context

	ctl                   trainControls
	restart               button
	beta, lr, clip        stepper
	adaptive              toggle
	reward, kl, entropy   chart
	statusR, probeR       Rect
	probePrompt           int
	prev, next, resample  button
	probe                 probeLayout
	pos                   int  // the chosen position for the probabilities
	asked                 bool // a probe was requested
	askedPrompt, askedPos int
	lastProbeSeen         *sim.Probe
	session               int // the remote's Session the prompt index belongs to
	slowBtn               button
	slow                  slowMo // over the policy-shift panel while open (slowmo.go)
}

// Policy-shift panel lengths in CSS pixels.
const (
	probeTitleH    = 32   // the title row
	probePromptH   = 26   // the prompt line
	probeCaptionH  = 20   // a caption over an answer
	probeAnswerGap = 8    // between the reference's answer and the policy's caption
	probePromptX   = 60   // where the prompt starts after its label
	probeTextShare = 0.56 // of the panel's width for the answers; the bars take the rest
	probeBarsGap   = 20   // between the answers and the bars
	probeTokenPad  = 6    // around a token's word
	probeTokenGap  = 2    // between two tokens, and two lines of them
	probeBarsTop   = 22   // from the bars' caption to the bars
	probeBarLabelH = 20   // the words under the bars
	probeMaxBars   = 6    // next tokens shown
)

// probeLayout is where the policy-shift panel's parts go, laid out in
// Update so that Draw only reads.
type probeLayout struct {
	in                           Rect
	promptY, refY, policyY, capY float64 // the prompt, the reference's caption, the policy's caption, the bars' caption
	ref                          []string
	tokens                       []Rect // the policy answer's tokens
	bars                         Rect
	caption                      []string
}

func newPPOScene() *ppoScene {
	return &ppoScene{intro: intro{stage: StagePPO, you: -1}}
}

func (s *ppoScene) Update(c *Context) error {
	main := s.intro.Update(c)
	s.c = *c
	r := c.R
	st := r.Settings()

	var row1, row2, charts Rect
	row1, main = main.CutTop(c.Px(buttonH), c.Px(10))
	row2, main = main.CutTop(c.Px(buttonH), c.Px(12))
	charts, s.probeR = main.CutTop(max(c.Px(140), main.H*0.40), c.Px(panelGap))

	t := &c.T.PPO
	x := s.ctl.update(c, protocol.JobPPO, t.Run, t.StepOne, !r.State.HasRM, row1.X, row1.Y)
	s.restart.Label, s.restart.Disabled = t.Restart, len(r.Hist.PPO) == 0 || r.Busy()
	x = s.restart.place(c, x, row1.Y)
	s.slowBtn.Label, s.slowBtn.Disabled = c.T.SlowMo.Button, !r.State.HasRM || r.Busy() || s.slow.waiting
	x = s.slowBtn.place(c, x, row1.Y)
	if s.slowBtn.Update(c, "slowmo") && !s.slowBtn.Disabled {
		s.slow.start(r)
	}
	s.statusR = Rect{x + c.Px(6), row1.Y, row1.X + row1.W - x - c.Px(6), row1.H}
	if s.restart.Update(c, "ppo-restart") {
		r.Send(protocol.Restart{Job: protocol.JobPPO})
	}

	// The PPO settings: β, learning rate, clip ε, adaptive KL.
	gap := c.Px(18)
	w := (row2.W - 3*gap) / 4
	cell := func(i int) Rect { return Rect{row2.X + float64(i)*(w+gap), row2.Y, w, row2.H} }
	changed := false
	s.beta.Name, s.beta.Value = t.Beta, fmtNum(st.PPO.KLCoef)
	if d := s.beta.Update(c, cell(0), "beta"); d != 0 {
		if st.PPO.KLCoef == 0 && d > 0 {
			st.PPO.KLCoef = 0.01
		} else if st.PPO.KLCoef < 0.006 && d < 0 {
			st.PPO.KLCoef = 0
		} else {
			st.PPO.KLCoef *= math.Pow(2, float64(d))
		}
		changed = true
	}
	s.lr.Name, s.lr.Value = t.LR, fmtNum(st.PPO.LR)
	if d := s.lr.Update(c, cell(1), "ppo-lr"); d != 0 {
		st.PPO.LR *= math.Pow(2, float64(d))
		changed = true
	}
	s.clip.Name, s.clip.Value = t.Clip, fmtNum(st.PPO.ClipRange)
	if d := s.clip.Update(c, cell(2), "clip"); d != 0 {
		st.PPO.ClipRange = math.Round(min(max(st.PPO.ClipRange+0.05*float64(d), 0.05), 1)*100) / 100
		changed = true
	}
	s.adaptive.Name, s.adaptive.On = t.Adapt, st.PPO.AdaptiveKL
	if s.adaptive.Update(c, cell(3), "adaptive-kl") {
		st.PPO.AdaptiveKL = !st.PPO.AdaptiveKL
		changed = true
	}
	if changed {
		r.SetSettings(st)
	}

	// Charts.
	cw := (charts.W - 2*c.Px(panelGap)) / 3
	h := r.Hist.PPO
	score := series{Name: t.RMSeries, Color: colAccent}
	if st.PPO.GoldReward {
		score.Name = t.GoldRMSeries
	}
	gold := series{Name: t.Gold, Color: colGood}
	kl := series{Color: colBad}
	ent := series{Color: colPurple}
	for _, p := range h {
		score.Y = append(score.Y, p.ScoreMean)
		score.Lo = append(score.Lo, p.ScoreMean-p.ScoreStd)
		score.Hi = append(score.Hi, p.ScoreMean+p.ScoreStd)
		if p.GoldMean != nil {
			gold.Y = append(gold.Y, *p.GoldMean)
		}
		kl.Y = append(kl.Y, p.KLMean)
		ent.Y = append(ent.Y, p.Entropy)
	}
	s.reward.Series = []series{score}
	if len(gold.Y) == len(h) && len(h) > 0 {
		s.reward.Series = append(s.reward.Series, gold)
	}
	s.kl.Series, s.entropy.Series = []series{kl}, []series{ent}
	s.reward.Title, s.reward.XLabel, s.reward.YLabel, s.reward.Empty = t.Reward, t.IterAxis, t.ScoreAxis, t.RewardEmpty
	s.kl.Title, s.kl.XLabel, s.kl.YLabel, s.kl.Empty = t.KL, t.IterAxis, t.KLAxis, t.NoIters
	s.entropy.Title, s.entropy.XLabel, s.entropy.YLabel, s.entropy.Empty = t.Entropy, t.IterAxis, t.EntropyAxis, t.NoIters
	s.reward.Update(c, Rect{charts.X, charts.Y, cw, charts.H}, r.HistVersion)
	s.kl.Update(c, Rect{charts.X + cw + c.Px(panelGap), charts.Y, cw, charts.H}, r.HistVersion)
	s.entropy.Update(c, Rect{charts.X + 2*(cw+c.Px(panelGap)), charts.Y, cw, charts.H}, r.HistVersion)
	c.Target("reward-chart", s.reward.Rect)

	if s.slow.open {
		s.slow.update(c, s.probeR)
		return nil
	}
	s.updateProbe(c)
	return nil
}

// updateProbe lays out the policy-shift panel and asks the worker for a new
// probe when the prompt or the position changed.
func (s *ppoScene) updateProbe(c *Context) {
	r := c.R
	in := s.probeR.Inset(c.Px(14))
	y := in.Y
	s.next.Label, s.prev.Label, s.resample.Label = "›", "‹", c.T.PPO.SampleAgain
	bx := in.X + in.W - s.resample.width(c)
	s.resample.place(c, bx, y-c.Px(4))
	s.next.Rect = Rect{bx - c.Px(buttonGap+buttonH), y - c.Px(4), c.Px(buttonH), c.Px(buttonH)}
	s.prev.Rect = Rect{s.next.X - c.Px(6+buttonH), y - c.Px(4), c.Px(buttonH), c.Px(buttonH)}
	n := len(r.Prompts)
	if s.session != r.Session { // a new session, maybe in another language: its prompts from the first
		s.session, s.probePrompt, s.pos, s.asked = r.Session, 0, 0, false
	}
	if s.prev.Update(c, "probe-prev") && n > 0 {
		s.probePrompt = (s.probePrompt + n - 1) % n
		s.pos = 0
	}
	if s.next.Update(c, "probe-next") && n > 0 {
		s.probePrompt = (s.probePrompt + 1) % n
		s.pos = 0
	}
	resample := s.resample.Update(c, "probe-resample")
	s.layoutProbe(c)
	if p := r.Probe; p != nil {
		for i, tr := range s.probe.tokens {
			if i < len(p.Tokens) && tr.Contains(c.PointerX, c.PointerY) {
				c.WantPointer = true
				if c.Clicked {
					s.pos = i
				}
			}
		}
	}
	if r.Ready && n > 0 && (!s.asked || resample || s.askedPrompt != s.probePrompt || s.askedPos != s.pos) {
		s.asked, s.askedPrompt, s.askedPos = true, s.probePrompt, s.pos
		r.Send(protocol.ShowProbe{Prompt: s.probePrompt, Pos: s.pos, Resample: resample})
	}
	if r.Probe != s.lastProbeSeen {
		s.lastProbeSeen = r.Probe
		c.Redraw()
	}
}

func (s *ppoScene) Draw(dst *ebiten.Image) {
	s.intro.Draw(dst)
	c := &s.c
	if c.fonts == nil {
		return
	}
	r := c.R
	for _, b := range []*button{&s.ctl.run, &s.ctl.step, &s.restart, &s.slowBtn} {
		b.Draw(dst, c)
	}
	small := c.fonts.face(false, sizeSmall, c.Scale)
	t := &c.T.PPO
	status := t.NeedRM
	if r.State.HasRM {
		status = i18n.Sprintf(t.Status, len(r.Hist.PPO), fmtNum(r.State.Beta))
		if r.PPOIterMs > 0 {
			status += i18n.Sprintf(t.PerIteration, r.PPOIterMs/1000)
		}
	}
	drawText(dst, ellipsize(status, small, s.statusR.W), small, s.statusR.X, s.statusR.Y+s.statusR.H/2, colMuted, alignLeft, alignMiddle)
	s.beta.Draw(dst, c)
	s.lr.Draw(dst, c)
	s.clip.Draw(dst, c)
	s.adaptive.Draw(dst, c)
	s.reward.Draw(dst)
	s.kl.Draw(dst)
	s.entropy.Draw(dst)
	if s.slow.open {
		s.slow.draw(dst, c)
		return
	}
	s.drawProbe(dst)
}

// layoutProbe lays out the policy-shift panel for the probe last received.
func (s *ppoScene) layoutProbe(c *Context) {
	l := &s.probe
	l.in = s.probeR.Inset(c.Px(14))
	l.tokens, l.ref, l.caption = l.tokens[:0], nil, nil
	p := c.R.Probe
	if p == nil {
		return
	}
	in := l.in
	body := c.fonts.face(false, sizeBody-1, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	l.promptY = in.Y + c.Px(probeTitleH)
	l.refY = l.promptY + c.Px(probePromptH)
	textW := in.W * probeTextShare
	l.bars = Rect{in.X + textW + c.Px(probeBarsGap), l.refY, in.W - textW - c.Px(probeBarsGap), in.Y + in.H - l.refY}
	l.ref = wrapText(p.Reference, body, textW)
	if len(l.ref) > 2 {
		l.ref = []string{l.ref[0], ellipsize(joinLines(l.ref[1], l.ref[2]), body, textW)}
	}
	l.policyY = l.refY + c.Px(probeCaptionH) + float64(len(l.ref))*lineHeight(body) + c.Px(probeAnswerGap)
	// The policy's answer, token by token.
	x, ty := in.X, l.policyY+c.Px(probeCaptionH)
	th := lineHeight(body)
	for _, t := range p.Tokens {
		w := textAdvance(t.Word, body) + c.Px(probeTokenPad)
		if x+w > in.X+textW {
			x, ty = in.X, ty+th+c.Px(probeTokenGap)
		}
		if ty+th > in.Y+in.H {
			break // a short panel (a small window, the lesson's card below) shows the tokens that fit
		}
		l.tokens = append(l.tokens, Rect{x, ty, w, th})
		x += w + c.Px(probeTokenGap)
	}
	caption := c.T.PPO.ProbeFirst
	if p.Pos > 0 && p.Pos <= len(p.Tokens) {
		caption = i18n.Sprintf(c.T.PPO.ProbeAfter, p.Tokens[p.Pos-1].Word)
	}
	l.caption = wrapText(caption, small, l.bars.W)
	l.capY = l.bars.Y
}

// drawProbe is the policy-shift panel: the reference's and the policy's
// answers side by side, the policy's tokens shaded by their KL, and the
// next-token probabilities of both at the chosen token.
func (s *ppoScene) drawProbe(dst *ebiten.Image) {
	c := &s.c
	l := &s.probe
	panel(dst, c, s.probeR)
	in := l.in
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	body := c.fonts.face(false, sizeBody-1, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	bold := c.fonts.face(true, sizeSmall, c.Scale)
	t := &c.T.PPO
	drawText(dst, t.Probe, h2, in.X, in.Y, colText, alignLeft, alignTop)
	s.prev.Draw(dst, c)
	s.next.Draw(dst, c)
	s.resample.Draw(dst, c)
	p := c.R.Probe
	if p == nil {
		drawText(dst, c.T.Sampling, small, in.X, in.Y+c.Px(probeTitleH+4), colFaint, alignLeft, alignTop)
		return
	}
	drawText(dst, t.Prompt, small, in.X, l.promptY, colLabel, alignLeft, alignTop)
	drawText(dst, ellipsize(p.Prompt, bold, in.W-c.Px(probePromptX+10)), bold, in.X+c.Px(probePromptX), l.promptY, colText, alignLeft, alignTop)
	drawText(dst, t.Reference, small, in.X, l.refY, colMuted, alignLeft, alignTop)
	y := l.refY + c.Px(probeCaptionH)
	for _, line := range l.ref {
		drawText(dst, line, body, in.X, y, colText, alignLeft, alignTop)
		y += lineHeight(body)
	}
	if l.policyY+c.Px(probeCaptionH) <= in.Y+in.H {
		drawText(dst, ellipsize(i18n.Sprintf(t.Policy, p.Iteration), small, in.W*probeTextShare), small, in.X, l.policyY, colPurple, alignLeft, alignTop)
	}
	for i, t := range p.Tokens {
		if i >= len(l.tokens) {
			break
		}
		tr := l.tokens[i]
		fillRoundRect(dst, tr, c.Px(3), klColour(t.KL))
		if i == p.Pos {
			strokeRoundRect(dst, tr, c.Px(3), c.Px(1.5), colLabel)
		}
		drawText(dst, t.Word, body, tr.X+c.Px(probeTokenPad/2), tr.Y+tr.H/2, colText, alignLeft, alignMiddle)
	}
	// Paired bars: P(next token) under the reference and the policy.
	bars := l.bars
	y = l.capY
	for _, line := range l.caption {
		drawText(dst, line, small, bars.X, y, colMuted, alignLeft, alignTop)
		y += lineHeight(small)
	}
	y += c.Px(probeBarsTop)
	probs := p.Probs[:min(len(p.Probs), probeMaxBars)]
	if len(probs) == 0 {
		return
	}
	gw := bars.W / float64(len(probs))
	barH := bars.Y + bars.H - y - c.Px(probeBarLabelH)
	if barH < c.Px(16) {
		return
	}
	for i, tp := range probs {
		gx := bars.X + float64(i)*gw
		bw := min(gw*0.3, c.Px(26))
		for j, v := range []float64{tp.Reference, tp.Policy} {
			clr := color.Color(colFaint)
			if j == 1 {
				clr = colPurple
			}
			bh := max(c.Px(1), barH*v)
			bx := gx + gw/2 - bw - c.Px(1) + float64(j)*(bw+c.Px(2))
			fillRoundRect(dst, Rect{bx, y + barH - bh, bw, bh}, c.Px(2), clr)
		}
		drawText(dst, ellipsize(tp.Word, small, gw-c.Px(4)), small, gx+gw/2, y+barH+c.Px(3), colText, alignCenter, alignTop)
	}
	polW := textAdvance(t.PolLegend, small)
	drawText(dst, t.RefLegend, small, bars.X+bars.W-polW-c.Px(14), y-c.Px(probeBarLabelH), colFaint, alignRight, alignTop)
	drawText(dst, t.PolLegend, small, bars.X+bars.W, y-c.Px(probeBarLabelH), colPurple, alignRight, alignTop)
}

// klColour shades a token by log π − log π_ref: warm where the policy made
// it more likely than the reference, cool where less.
func klColour(v float64) color.Color {
	a := math.Min(math.Abs(v)/2, 1)
	if v >= 0 {
		return color.RGBA{uint8(40 + 150*a), uint8(30 + 40*a), uint8(40 + 30*a), 0xff}
	}
	return color.RGBA{uint8(30 + 20*a), uint8(40 + 60*a), uint8(50 + 150*a), 0xff}
}
