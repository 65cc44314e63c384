//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"rlhfplayground/worker/msg"
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
	tokens                []Rect // the policy answer's tokens in the probe panel
	pos                   int    // the chosen position for the probabilities
	asked                 bool   // a probe was requested
	askedPrompt, askedPos int
	lastProbeSeen         *msg.ProbeResult
}

func newPPOScene() *ppoScene {
	return &ppoScene{intro: intro{
		title:    stageInfo[StagePPO].Title,
		subtitle: "The policy learns from the reward model's scores instead of from examples.",
		explain: "Now the model, called the policy, writes its own answers to prompts, and the reward model scores them. " +
			"PPO makes high-scoring answers a little more likely, in small, clipped updates. " +
			"A KL penalty (β per nat) measures how far the policy has drifted from the SFT model and is subtracted from the score, " +
			"so the policy cannot win by writing odd text that happens to fool the reward model. " +
			"A good run raises the reward while the KL stays small; the gold score is what the simulated labeler really thinks.",
		flow: []flowNode{
			{Text: "Policy writes", Note: "starts as SFT"},
			{Text: "Reward model", Note: "scores answers"},
			{Text: "Score − β·KL", Note: "stay near SFT"},
			{Text: "PPO update", Note: "clipped steps"},
		},
	}, pos: 0,
		reward:  chart{Title: "Reward", XLabel: "PPO iteration", YLabel: "score", Empty: "Run PPO to see the reward"},
		kl:      chart{Title: "KL to the SFT model", XLabel: "PPO iteration", YLabel: "nats per answer", Empty: "No iterations yet"},
		entropy: chart{Title: "Entropy", XLabel: "PPO iteration", YLabel: "nats per token", Empty: "No iterations yet"},
	}
}

func (s *ppoScene) Update(c *Context) error {
	main := s.intro.Update(c)
	s.c = *c
	r := c.R
	st := r.State.Settings

	var row1, row2, charts Rect
	row1, main = main.CutTop(c.Px(buttonH), c.Px(10))
	row2, main = main.CutTop(c.Px(buttonH), c.Px(12))
	charts, s.probeR = main.CutTop(max(c.Px(140), main.H*0.40), c.Px(panelGap))

	x := s.ctl.update(c, msg.StagePPO, "Run PPO", "Step one iteration", !r.State.HasRM, row1.X, row1.Y)
	s.restart.Label, s.restart.Disabled = "Restart from SFT", len(r.Hist.PPO) == 0 || r.Busy()
	x = s.restart.place(c, x, row1.Y)
	s.statusR = Rect{x + c.Px(6), row1.Y, row1.X + row1.W - x - c.Px(6), row1.H}
	if s.restart.Update(c, "ppo-restart") {
		r.Send(msg.Command{Cmd: msg.CmdRestartPPO})
	}

	// The PPO settings: β, learning rate, clip ε, adaptive KL.
	gap := c.Px(18)
	w := (row2.W - 3*gap) / 4
	cell := func(i int) Rect { return Rect{row2.X + float64(i)*(w+gap), row2.Y, w, row2.H} }
	changed := false
	s.beta.Name, s.beta.Value = "β", fmtNum(st.PPO.KLCoef)
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
	s.lr.Name, s.lr.Value = "lr", fmtNum(st.PPO.LR)
	if d := s.lr.Update(c, cell(1), "ppo-lr"); d != 0 {
		st.PPO.LR *= math.Pow(2, float64(d))
		changed = true
	}
	s.clip.Name, s.clip.Value = "clip ε", fmtNum(st.PPO.ClipRange)
	if d := s.clip.Update(c, cell(2), "clip"); d != 0 {
		st.PPO.ClipRange = math.Round(min(max(st.PPO.ClipRange+0.05*float64(d), 0.05), 1)*100) / 100
		changed = true
	}
	s.adaptive.Name, s.adaptive.On = "adaptive β", st.PPO.AdaptiveKL
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
	score := series{Name: "reward model (±std)", Color: colAccent}
	if st.PPO.GoldReward {
		score.Name = "perfect reward (±std)"
	}
	gold := series{Name: "gold", Color: colGood}
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
	s.reward.Update(c, Rect{charts.X, charts.Y, cw, charts.H}, r.HistVersion)
	s.kl.Update(c, Rect{charts.X + cw + c.Px(panelGap), charts.Y, cw, charts.H}, r.HistVersion)
	s.entropy.Update(c, Rect{charts.X + 2*(cw+c.Px(panelGap)), charts.Y, cw, charts.H}, r.HistVersion)
	c.Target("reward-chart", s.reward.Rect)

	s.updateProbe(c)
	return nil
}

// updateProbe lays out the policy-shift panel and asks the worker for a new
// probe when the prompt or the position changed.
func (s *ppoScene) updateProbe(c *Context) {
	r := c.R
	in := s.probeR.Inset(c.Px(14))
	y := in.Y
	s.next.Label, s.prev.Label, s.resample.Label = "›", "‹", "Sample again"
	bx := in.X + in.W - s.resample.width(c)
	s.resample.place(c, bx, y-c.Px(4))
	s.next.Rect = Rect{bx - c.Px(buttonGap+buttonH), y - c.Px(4), c.Px(buttonH), c.Px(buttonH)}
	s.prev.Rect = Rect{s.next.X - c.Px(6+buttonH), y - c.Px(4), c.Px(buttonH), c.Px(buttonH)}
	n := len(r.Prompts)
	if s.prev.Update(c, "probe-prev") && n > 0 {
		s.probePrompt = (s.probePrompt + n - 1) % n
		s.pos = 0
	}
	if s.next.Update(c, "probe-next") && n > 0 {
		s.probePrompt = (s.probePrompt + 1) % n
		s.pos = 0
	}
	resample := s.resample.Update(c, "probe-resample")
	if p := r.Probe; p != nil {
		for i, tr := range s.tokens {
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
		r.Send(msg.Command{Cmd: msg.CmdProbe, Prompt: r.Prompts[s.probePrompt], Pos: s.pos, Resample: resample})
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
	for _, b := range []*button{&s.ctl.run, &s.ctl.step, &s.restart} {
		b.Draw(dst, c)
	}
	small := c.fonts.face(false, sizeSmall, c.Scale)
	status := "Train the reward model first (step 2), then run PPO."
	if r.State.HasRM {
		status = fmt.Sprintf("iteration %d · β now %s", len(r.Hist.PPO), fmtNum(r.State.Beta))
		if r.PPOIterMs > 0 {
			status += fmt.Sprintf(" · %.1f s per iteration", r.PPOIterMs/1000)
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
	s.drawProbe(dst)
}

// drawProbe is the policy-shift panel: the reference's and the policy's
// answers side by side, the policy's tokens shaded by their KL, and the
// next-token probabilities of both at the chosen token.
func (s *ppoScene) drawProbe(dst *ebiten.Image) {
	c := &s.c
	r := c.R
	panel(dst, c, s.probeR)
	in := s.probeR.Inset(c.Px(14))
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	body := c.fonts.face(false, sizeBody-1, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	bold := c.fonts.face(true, sizeSmall, c.Scale)
	drawText(dst, "How the policy moved away from the SFT model", h2, in.X, in.Y, colText, alignLeft, alignTop)
	s.prev.Draw(dst, c)
	s.next.Draw(dst, c)
	s.resample.Draw(dst, c)
	p := r.Probe
	if p == nil {
		drawText(dst, "Sampling…", small, in.X, in.Y+c.Px(36), colFaint, alignLeft, alignTop)
		return
	}
	y := in.Y + c.Px(32)
	drawText(dst, "Prompt", small, in.X, y, colLabel, alignLeft, alignTop)
	drawText(dst, ellipsize(p.Prompt, bold, in.W-c.Px(70)), bold, in.X+c.Px(60), y, colText, alignLeft, alignTop)
	y += c.Px(26)
	textW := in.W * 0.56
	barsR := Rect{in.X + textW + c.Px(20), y, in.W - textW - c.Px(20), in.Y + in.H - y}
	drawText(dst, "Reference (SFT model)", small, in.X, y, colMuted, alignLeft, alignTop)
	y += c.Px(20)
	refLines := wrapText(p.Reference, body, textW)
	if len(refLines) > 2 {
		refLines = []string{refLines[0], ellipsize(refLines[1]+" "+refLines[2], body, textW)}
	}
	for _, l := range refLines {
		drawText(dst, l, body, in.X, y, colText, alignLeft, alignTop)
		y += lineHeight(body)
	}
	y += c.Px(8)
	drawText(dst, fmt.Sprintf("Policy after %d iterations, tokens shaded by log π/π_ref", p.Iteration), small, in.X, y, colPurple, alignLeft, alignTop)
	y += c.Px(20)
	right := Rect{in.X, y, textW, 0}
	// The policy's answer, token by token, shaded by its log-ratio.
	s.tokens = s.tokens[:0]
	x, ty := right.X, y
	th := lineHeight(body)
	for i, t := range p.Tokens {
		w := textAdvance(t.Word, body) + c.Px(6)
		if x+w > right.X+right.W {
			x, ty = right.X, ty+th+c.Px(2)
		}
		tr := Rect{x, ty, w, th}
		s.tokens = append(s.tokens, tr)
		fillRoundRect(dst, tr, c.Px(3), klColour(t.KL))
		if i == p.Pos {
			strokeRoundRect(dst, tr, c.Px(3), c.Px(1.5), colLabel)
		}
		drawText(dst, t.Word, body, x+c.Px(3), ty+th/2, colText, alignLeft, alignMiddle)
		x += w + c.Px(2)
	}
	// Paired bars: P(next token) under the reference and the policy.
	in, y = barsR, barsR.Y
	next := "the first answer token"
	if p.Pos > 0 && p.Pos <= len(p.Tokens) {
		next = fmt.Sprintf("the token after “%s”", p.Tokens[p.Pos-1].Word)
	}
	for _, l := range wrapText("Next-token probabilities at "+next+" (click a token to move)", small, in.W) {
		drawText(dst, l, small, in.X, y, colMuted, alignLeft, alignTop)
		y += lineHeight(small)
	}
	y += c.Px(22)
	probs := p.Probs
	if len(probs) > 6 {
		probs = probs[:6]
	}
	if len(probs) == 0 {
		return
	}
	gw := in.W / float64(len(probs))
	barH := in.Y + in.H - y - c.Px(20)
	if barH < c.Px(16) {
		return
	}
	for i, tp := range probs {
		gx := in.X + float64(i)*gw
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
	drawText(dst, "■ reference", small, in.X+in.W-c.Px(90), y-c.Px(20), colFaint, alignRight, alignTop)
	drawText(dst, "■ policy", small, in.X+in.W, y-c.Px(20), colPurple, alignRight, alignTop)
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
