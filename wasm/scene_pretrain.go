//go:build js && wasm

package main

import (
	"fmt"

	"github.com/hajimehoshi/ebiten/v2"

	"rlhfplayground/protocol"
)

// pretrainScene is where the tiny GPT learns to continue plain text: run,
// pause or step the training, its loss curve, and sentences the model
// writes, which improve as the loss falls.
type pretrainScene struct {
	intro intro
	c     Context

	ctl               trainControls
	sample            button
	loss              chart
	statusR, samplesR Rect
	asked             bool
}

func newPretrainScene() *pretrainScene {
	return &pretrainScene{intro: intro{
		title:    stageInfo[StagePretrain].Title,
		subtitle: "Before the recipe starts, the model reads plain sentences.",
		explain: "Before a model can follow instructions it has to learn how language flows. " +
			"In pretraining it reads plain sentences and, at every position, guesses the next word. " +
			"Each wrong guess nudges its weights a little, so words that often follow each other become likely. " +
			"The app ships a model pretrained for 2000 steps; you can train it further and watch its sentences. " +
			"Afterwards it can continue any text, but it only imitates what it read: it does not yet answer questions.",
		flow: []flowNode{
			{Text: "Plain sentences", Note: "a small corpus"},
			{Text: "Tiny GPT", Note: "guesses next word"},
			{Text: "Loss", Note: "on every word"},
		},
	}, loss: chart{Title: "Pretraining loss", XLabel: "step (in this browser)", YLabel: "loss (nats)", Empty: "Press Run to train and see the loss"}}
}

func (s *pretrainScene) Update(c *Context) error {
	main := s.intro.Update(c)
	s.c = *c
	r := c.R
	var row Rect
	row, main = main.CutTop(c.Px(buttonH), c.Px(12))
	x := s.ctl.update(c, protocol.JobPretrain, "Run", "Step", false, row.X, row.Y)
	s.statusR = Rect{x + c.Px(6), row.Y, row.X + row.W - x, row.H}
	chartR, samplesR := main.CutTop(main.H*0.58, c.Px(panelGap))
	s.samplesR = samplesR
	ls := series{Color: colAccent}
	for _, p := range r.Hist.Pretrain {
		ls.Y = append(ls.Y, p.Loss)
	}
	s.loss.Series = []series{ls}
	s.loss.Update(c, chartR, r.HistVersion)

	in := samplesR.Inset(c.Px(14))
	s.sample.Label, s.sample.Disabled = "Write again", !r.Ready
	s.sample.place(c, in.X+in.W-s.sample.width(c), in.Y-c.Px(4))
	if s.sample.Update(c, "pretrain-sample") || (r.Ready && !s.asked) {
		s.asked = true
		r.Send(protocol.ShowSamples{})
	}
	return nil
}

func (s *pretrainScene) Draw(dst *ebiten.Image) {
	s.intro.Draw(dst)
	c := &s.c
	if c.fonts == nil {
		return
	}
	r := c.R
	s.ctl.run.Draw(dst, c)
	s.ctl.step.Draw(dst, c)
	small := c.fonts.face(false, sizeSmall, c.Scale)
	status := "the shipped pretrained model · learning rate " + fmtNum(r.Settings().Pretrain.LR)
	if n := len(r.Hist.Pretrain); n > 0 {
		status = fmt.Sprintf("step %d · loss %.3f · learning rate %s", n, r.Hist.Pretrain[n-1].Loss, fmtNum(r.Settings().Pretrain.LR))
	}
	drawText(dst, ellipsize(status, small, s.statusR.W), small, s.statusR.X, s.statusR.Y+s.statusR.H/2, colMuted, alignLeft, alignMiddle)
	s.loss.Draw(dst)

	panel(dst, c, s.samplesR)
	in := s.samplesR.Inset(c.Px(14))
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	drawText(dst, "What the model writes from an empty page", h2, in.X, in.Y, colText, alignLeft, alignTop)
	s.sample.Draw(dst, c)
	body := c.fonts.face(false, sizeBody, c.Scale)
	if r.Samples == nil {
		drawText(dst, "Sampling…", small, in.X, in.Y+c.Px(36), colFaint, alignLeft, alignTop)
		return
	}
	drawText(dst, fmt.Sprintf("after %d steps in this browser", r.Samples.Step), small, in.X, in.Y+c.Px(24), colFaint, alignLeft, alignTop)
	y := in.Y + c.Px(50)
	for _, sent := range r.Samples.Sentences {
		for _, l := range wrapText("“"+sent+"”", body, in.W) {
			if y+lineHeight(body) > in.Y+in.H {
				return
			}
			drawText(dst, l, body, in.X, y, colText, alignLeft, alignTop)
			y += lineHeight(body)
		}
		y += c.Px(6)
	}
}
