//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// The stops of the slow motion through one PPO iteration, in its order.
const (
	stopSample = iota
	stopScore
	stopKL
	stopReward
	stopAdvantage
	stopUpdate
	numStops
)

// stopIDs name the stops in state().
var stopIDs = [numStops]string{"sample", "score", "kl", "reward", "advantage", "update"}

// Slow-motion panel lengths in CSS pixels.
const (
	slowTitleH  = 34 // the title row with the buttons
	slowStopH   = 24 // the stop's name
	slowPromptH = 24 // the prompt line
	slowChipPad = 8  // around a chip's word and number
	slowChipGap = 4  // between two chips, and two rows of them
	slowExplGap = 10 // between the explanation and the chips
)

// slowMo is the PPO screen's slow motion: one traced PPO iteration
// (protocol.PPOTrace), shown one stop at a time over the policy-shift
// panel, with each stop's number under each token of the traced answer.
type slowMo struct {
	open, waiting     bool
	stop              int
	trace             *sim.PPOTrace
	asked             *sim.PPOTrace // the remote's Trace when we asked: a new one answers
	msgSeq            int           // the remote's MsgSeq when we asked: a PPO error answers too
	session           int           // the remote's Session the trace belongs to
	back, next, close button

	// Layout, made in update for draw.
	r, in       Rect
	expl        []string
	chips       []Rect
	labels      []string
	explY, rowY float64
}

// SlowMoState is the slow motion in state(): the stop shown, the numbers
// under the tokens as drawn, and the trace they come from.
type SlowMoState struct {
	Open    bool          `json:"open"`
	Waiting bool          `json:"waiting"`
	Stop    int           `json:"stop"`
	StopID  string        `json:"stop_id"`
	Labels  []string      `json:"labels"` // under each token, as drawn
	Trace   *sim.PPOTrace `json:"trace,omitempty"`
}

func (m *slowMo) state() *SlowMoState {
	if !m.open {
		return nil
	}
	return &SlowMoState{Open: true, Waiting: m.waiting, Stop: m.stop, StopID: stopIDs[m.stop], Labels: m.labels, Trace: m.trace}
}

// start asks the worker for one traced iteration and opens the panel.
func (m *slowMo) start(r *remote) {
	m.open, m.waiting, m.stop, m.trace = true, true, 0, nil
	m.asked, m.msgSeq, m.session = r.Trace, r.MsgSeq, r.Session
	r.Send(protocol.PPOTrace{})
}

// update handles the buttons and keys and lays the panel out in rect.
func (m *slowMo) update(c *Context, rect Rect) {
	r := c.R
	t := &c.T.SlowMo
	if r.Session != m.session { // another session (a reset, an import, the other language's model): not its iteration
		m.open, m.waiting = false, false
		c.Redraw()
		return
	}
	if m.waiting {
		switch {
		case r.Trace != m.asked && r.Trace != nil:
			m.trace, m.waiting = r.Trace, false
			c.Redraw()
		case r.MsgSeq != m.msgSeq && r.Message.Job == protocol.JobPPO && !r.Message.Code.IsNotice():
			m.open, m.waiting = false, false // the banner says why
			c.Redraw()
			return
		}
	}
	m.r = rect
	m.in = rect.Inset(c.Px(14))
	in := m.in
	m.close.Label, m.next.Label, m.back.Label = t.Close, t.Next, t.Back
	x := in.X + in.W - m.close.width(c) - m.next.width(c) - m.back.width(c) - 2*c.Px(buttonGap)
	x = m.back.place(c, x, in.Y-c.Px(4))
	x = m.next.place(c, x, in.Y-c.Px(4))
	m.close.place(c, x, in.Y-c.Px(4))
	m.back.Disabled, m.next.Disabled = m.trace == nil || m.stop == 0, m.trace == nil || m.stop == numStops-1
	step := 0
	if m.back.Update(c, "slowmo-back") || inpututil.IsKeyJustPressed(ebiten.KeyArrowLeft) {
		step = -1
	}
	if m.next.Update(c, "slowmo-next") || inpututil.IsKeyJustPressed(ebiten.KeyArrowRight) {
		step = 1
	}
	if m.close.Update(c, "slowmo-close") {
		m.open = false
		c.Redraw()
		return
	}
	if s := min(max(m.stop+step, 0), numStops-1); m.trace != nil && s != m.stop {
		m.stop = s
		c.Redraw()
	}
	m.layout(c)
}

// layout places the explanation and the token chips of the current stop.
func (m *slowMo) layout(c *Context) {
	m.chips, m.labels, m.expl = m.chips[:0], nil, nil
	tr := m.trace
	if tr == nil {
		return
	}
	in := m.in
	small := c.fonts.face(false, sizeSmall, c.Scale)
	body := c.fonts.face(false, sizeBody-1, c.Scale)
	m.explY = in.Y + c.Px(slowTitleH+slowStopH+slowPromptH)
	m.expl = wrapText(m.explanation(c), body, in.W)
	m.rowY = m.explY + float64(len(m.expl))*lineHeight(body) + c.Px(slowExplGap)
	m.labels = stopLabels(tr, m.stop)
	x, y := in.X, m.rowY
	h := lineHeight(body) + lineHeight(small) + c.Px(slowChipPad)
	for k, w := range tr.Words {
		cw := max(textAdvance(w, body), textAdvance(m.labels[k], small)) + c.Px(slowChipPad)
		if x+cw > in.X+in.W && x > in.X {
			x, y = in.X, y+h+c.Px(slowChipGap)
		}
		m.chips = append(m.chips, Rect{x, y, cw, h})
		x += cw + c.Px(slowChipGap)
	}
}

// explanation is the current stop's line, with its figures.
func (m *slowMo) explanation(c *Context) string {
	t, tr := &c.T.SlowMo, m.trace
	switch m.stop {
	case stopSample:
		return i18n.Sprintf(t.Sample, tr.Iteration, tr.Batch)
	case stopScore:
		if !tr.Ended {
			return i18n.Sprintf(t.NoEOS, signed(tr.Score, 2))
		}
		return i18n.Sprintf(t.Score, signed(tr.Score, 2))
	case stopKL:
		if tr.Estimator == "k3" {
			return i18n.Sprintf(t.KL3, signed(tr.KLSum, 3))
		}
		return i18n.Sprintf(t.KL, signed(tr.KLSum, 3))
	case stopReward:
		var sum float64
		for _, v := range tr.Rewards {
			sum += v
		}
		return i18n.Sprintf(t.Reward, fmtNum(tr.Beta), signed(sum, 3))
	case stopAdvantage:
		if !tr.Whitened {
			return t.Raw
		}
		return i18n.Sprintf(t.Adv, tr.Batch, signed(tr.AdvMean, 3), fmt.Sprintf("%.3f", tr.AdvStd))
	default:
		return i18n.Sprintf(t.Update, fmtNum(tr.ClipRange))
	}
}

// prob formats a probability: two decimals, or one digit and the
// exponent below 0.01 (a sampled token can be that unlikely).
func prob(p float64) string {
	if p < 0.01 {
		return fmt.Sprintf("%.0e", p)
	}
	return fmt.Sprintf("%.2f", p)
}

// signed formats v with its sign and d decimals.
func signed(v float64, d int) string { return fmt.Sprintf("%+.*f", d, v) }

// stopLabels are the numbers under the tokens at stop: the policy's
// probability, the score (on the last token), the KL, the reward, the
// whitened advantage, and old → new probability.
func stopLabels(tr *sim.PPOTrace, stop int) []string {
	out := make([]string, len(tr.Words))
	for k := range out {
		switch stop {
		case stopSample:
			out[k] = prob(tr.OldProb[k])
		case stopScore:
			if k == len(out)-1 {
				out[k] = signed(tr.Score, 2)
			}
		case stopKL:
			out[k] = signed(tr.KL[k], 3)
		case stopReward:
			out[k] = signed(tr.Rewards[k], 3)
		case stopAdvantage:
			out[k] = signed(tr.Adv[k], 2)
		case stopUpdate:
			out[k] = prob(tr.OldProb[k]) + "→" + prob(tr.NewProb[k])
		}
	}
	return out
}

// chipColour shades token k at the stop: the KL as the policy-shift panel
// does, other signed numbers green above zero and red below, deeper the
// larger; the probabilities grey, lighter the likelier.
func (m *slowMo) chipColour(k int) color.Color {
	tr := m.trace
	switch m.stop {
	case stopSample:
		return shade(colCard, colBorderStrong, tr.OldProb[k])
	case stopScore:
		if k == len(tr.Words)-1 {
			return signShade(tr.Score, 2)
		}
		return colCard
	case stopKL:
		return klColour(tr.KL[k])
	case stopReward:
		return signShade(tr.Rewards[k], 1)
	case stopAdvantage:
		return signShade(tr.Adv[k], 2)
	default:
		return signShade(tr.NewProb[k]-tr.OldProb[k], 0.1)
	}
}

// signShade is green for v > 0, red for v < 0, fully so at |v| ≥ full.
func signShade(v, full float64) color.Color {
	a := math.Min(math.Abs(v)/full, 1)
	if v >= 0 {
		return shade(colCard, color.RGBA{0x2f, 0x7d, 0x52, 0xff}, a)
	}
	return shade(colCard, color.RGBA{0x9a, 0x3a, 0x3a, 0xff}, a)
}

// shade mixes from a toward b by share a of b.
func shade(from, to color.Color, a float64) color.Color {
	fr, fg, fb, _ := from.RGBA()
	tr, tg, tb, _ := to.RGBA()
	mix := func(x, y uint32) uint8 { return uint8((float64(x>>8)*(1-a) + float64(y>>8)*a)) }
	return color.RGBA{mix(fr, tr), mix(fg, tg), mix(fb, tb), 0xff}
}

func (m *slowMo) draw(dst *ebiten.Image, c *Context) {
	panel(dst, c, m.r)
	in := m.in
	t := &c.T.SlowMo
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	body := c.fonts.face(false, sizeBody-1, c.Scale)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	bold := c.fonts.face(true, sizeSmall, c.Scale)
	titleW := m.back.X - in.X - c.Px(10)
	drawText(dst, ellipsize(t.Title, h2, titleW), h2, in.X, in.Y, colText, alignLeft, alignTop)
	m.back.Draw(dst, c)
	m.next.Draw(dst, c)
	m.close.Draw(dst, c)
	tr := m.trace
	if tr == nil {
		drawText(dst, t.Running, small, in.X, in.Y+c.Px(slowTitleH), colFaint, alignLeft, alignTop)
		return
	}
	y := in.Y + c.Px(slowTitleH)
	name := i18n.Sprintf(t.Stop, m.stop+1, numStops, t.Names[m.stop])
	drawText(dst, name, bold, in.X, y, colAccent, alignLeft, alignTop)
	drawText(dst, t.Keys, small, in.X+in.W, y, colFaint, alignRight, alignTop)
	y += c.Px(slowStopH)
	drawText(dst, t.Prompt, small, in.X, y, colLabel, alignLeft, alignTop)
	drawText(dst, ellipsize(tr.Prompt, bold, in.W-c.Px(probePromptX+10)), bold, in.X+c.Px(probePromptX), y, colText, alignLeft, alignTop)
	y = m.explY
	for _, line := range m.expl {
		drawText(dst, line, body, in.X, y, colMuted, alignLeft, alignTop)
		y += lineHeight(body)
	}
	for k, cr := range m.chips {
		if cr.Y+cr.H > m.r.Y+m.r.H {
			break // a long answer on a short screen: the rest is cut
		}
		fillRoundRect(dst, cr, c.Px(3), m.chipColour(k))
		if m.stop == stopUpdate && tr.Clipped[k] {
			strokeRoundRect(dst, cr, c.Px(3), c.Px(1.5), colLabel)
		}
		drawText(dst, tr.Words[k], body, cr.X+cr.W/2, cr.Y+c.Px(slowChipPad/2), colText, alignCenter, alignTop)
		drawText(dst, m.labels[k], small, cr.X+cr.W/2, cr.Y+c.Px(slowChipPad/2)+lineHeight(body), colText, alignCenter, alignTop)
	}
}
