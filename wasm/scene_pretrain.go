//go:build js && wasm

package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"rlhfplayground/i18n"
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
	return &pretrainScene{intro: intro{stage: StagePretrain, you: -1}}
}

func (s *pretrainScene) Update(c *Context) error {
	main := s.intro.Update(c)
	s.c = *c
	r := c.R
	var row Rect
	row, main = main.CutTop(c.Px(buttonH), c.Px(12))
	t := c.T
	x := s.ctl.update(c, protocol.JobPretrain, t.Train.Run, t.Train.Step, false, row.X, row.Y)
	s.statusR = Rect{x + c.Px(6), row.Y, row.X + row.W - x, row.H}
	chartR, samplesR := main.CutTop(main.H*0.58, c.Px(panelGap))
	s.samplesR = samplesR
	ls := series{Color: colAccent}
	for _, p := range r.Hist.Pretrain {
		ls.Y = append(ls.Y, p.Loss)
	}
	s.loss.Series = []series{ls}
	s.loss.Title, s.loss.XLabel, s.loss.YLabel, s.loss.Empty = t.Pretrain.Chart, t.Train.StepAxis, t.Train.LossAxis, t.Pretrain.Empty
	s.loss.Update(c, chartR, r.HistVersion)

	in := samplesR.Inset(c.Px(14))
	s.sample.Label, s.sample.Disabled = t.Pretrain.WriteAgain, !r.Ready
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
	t := &c.T.Pretrain
	status := i18n.Sprintf(t.Shipped, fmtNum(r.Settings().Pretrain.LR))
	if n := len(r.Hist.Pretrain); n > 0 {
		status = i18n.Sprintf(t.Status, n, r.Hist.Pretrain[n-1].Loss, fmtNum(r.Settings().Pretrain.LR))
	}
	drawText(dst, ellipsize(status, small, s.statusR.W), small, s.statusR.X, s.statusR.Y+s.statusR.H/2, colMuted, alignLeft, alignMiddle)
	s.loss.Draw(dst)

	panel(dst, c, s.samplesR)
	in := s.samplesR.Inset(c.Px(14))
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	drawText(dst, t.Samples, h2, in.X, in.Y, colText, alignLeft, alignTop)
	s.sample.Draw(dst, c)
	body := c.fonts.face(false, sizeBody, c.Scale)
	if r.Samples == nil {
		drawText(dst, c.T.Sampling, small, in.X, in.Y+c.Px(36), colFaint, alignLeft, alignTop)
		return
	}
	drawText(dst, i18n.Sprintf(t.SamplesAfter, r.Samples.Step), small, in.X, in.Y+c.Px(24), colFaint, alignLeft, alignTop)
	y := in.Y + c.Px(50)
	for _, sent := range r.Samples.Sentences {
		for _, l := range wrapText(c.T.Quoted(sent), body, in.W) {
			if y+lineHeight(body) > in.Y+in.H {
				return
			}
			drawText(dst, l, body, in.X, y, colText, alignLeft, alignTop)
			y += lineHeight(body)
		}
		y += c.Px(6)
	}
}
