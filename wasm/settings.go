//go:build js && wasm

package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// settingsDialog is the session dialog: the settings every screen shares
// (K, the persona, learning rates) and Export, Import and Reset. Reset asks
// first.
type settingsDialog struct {
	open, confirm bool
	Rect
	k, persona, lrPre, lrSFT, lrRM stepper
	goldReward                     toggle
	export, imp, reset, close      button
	cancel, doReset                button
	importing                      <-chan picked
}

func (d *settingsDialog) Open() { d.open, d.confirm = true, false }

// poll sends a picked import file to the worker (it may arrive after the
// dialog closed).
func (d *settingsDialog) poll(c *Context) {
	if d.importing == nil {
		return
	}
	select {
	case f := <-d.importing:
		d.importing = nil
		if f.b == nil {
			c.R.Tell(protocol.Message{Code: protocol.TooLarge, Detail: fmt.Sprintf("the file has %d bytes, more than %d", f.size, sim.MaxSessionBytes)})
			return
		}
		c.R.send(protocol.Import{}, f.b)
	default:
	}
}

// titleRowH is the height of the dialog's title and the saved-status line
// under it, in CSS pixels.
const titleRowH = 66

func (d *settingsDialog) Update(c *Context) {
	c.Redraw() // the dialog's hover states
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) {
		d.open = false
		return
	}
	w, h := min(c.W-c.Px(40), c.Px(600)), c.Px(470)
	if d.confirm {
		h = c.Px(230)
	}
	d.Rect = Rect{(c.W - w) / 2, max(c.Px(headerH+10), (c.H-h)/2), w, h}
	in := d.Inset(c.Px(28))
	_, in = in.CutTop(c.Px(titleRowH), 0)
	r := c.R
	t := &c.T.Settings
	if d.confirm {
		y := d.Y + d.H - c.Px(28+buttonH)
		d.doReset.Label, d.doReset.Primary = t.ResetConfirm, true
		d.cancel.Label = t.ResetAbort
		x := d.X + d.W - c.Px(28) - d.doReset.width(c) - d.cancel.width(c) - c.Px(buttonGap)
		x = d.cancel.place(c, x, y)
		d.doReset.place(c, x, y)
		if d.cancel.Update(c, "reset-cancel") {
			d.confirm = false
		}
		if d.doReset.Update(c, "reset-confirm") {
			r.Send(protocol.Reset{})
			d.open, d.confirm = false, false
		}
		return
	}
	s := r.Settings()
	changed := false
	row := func(st *stepper, name, label, value string) int {
		var line Rect
		line, in = in.CutTop(c.Px(buttonH), c.Px(12))
		st.Name, st.Value = label, value
		return st.Update(c, line, name)
	}
	if dk := row(&d.k, "k", t.K, fmt.Sprint(s.K)); dk != 0 {
		s.K = min(max(s.K+dk, sim.MinK), sim.MaxK)
		changed = true
	}
	d.persona.ValueW = personaValueW
	if dp := row(&d.persona, "persona", t.Persona, c.T.Persona(s.Persona, sim.You)); dp != 0 && len(r.Personas) > 0 {
		i := slices.Index(r.Personas, s.Persona)
		s.Persona = r.Personas[(i+dp+len(r.Personas))%len(r.Personas)]
		changed = true
	}
	lr := func(st *stepper, name, label string, v *float64) {
		if d := row(st, name, label, fmtNum(*v)); d != 0 {
			*v *= map[int]float64{-1: 0.5, 1: 2}[d]
			changed = true
		}
	}
	lr(&d.lrPre, "lr-pretrain", t.LRPretrain, &s.Pretrain.LR)
	lr(&d.lrSFT, "lr-sft", t.LRSFT, &s.SFT.LR)
	lr(&d.lrRM, "lr-rm", t.LRRM, &s.Reward.LR)
	var line Rect
	line, in = in.CutTop(c.Px(buttonH), c.Px(12))
	d.goldReward.Name, d.goldReward.On = t.GoldReward, s.PPO.GoldReward
	if d.goldReward.Update(c, line, "gold-reward") {
		s.PPO.GoldReward = !s.PPO.GoldReward
		changed = true
	}
	if changed {
		r.SetSettings(s)
	}
	y := d.Y + d.H - c.Px(28+buttonH)
	d.export.Label, d.imp.Label, d.reset.Label, d.close.Label = t.Export, t.Import, t.Reset, t.Close
	d.close.Primary = true
	x := d.export.place(c, d.X+c.Px(28), y)
	x = d.imp.place(c, x, y)
	d.reset.place(c, x, y)
	d.close.place(c, d.X+d.W-c.Px(28)-d.close.width(c), y)
	switch {
	case d.export.Update(c, "export"):
		r.Send(protocol.Export{})
	case d.imp.Update(c, "import"):
		d.importing = pickFile(".zip,application/zip", sim.MaxSessionBytes)
	case d.reset.Update(c, "reset"):
		d.confirm = true
	case d.close.Update(c, "settings-close"):
		d.open = false
	case c.Clicked && !d.Contains(c.PointerX, c.PointerY) && c.PointerY > c.Px(headerH):
		d.open = false
	}
}

func (d *settingsDialog) Draw(dst *ebiten.Image, c *Context) {
	vector.DrawFilledRect(dst, 0, 0, float32(c.W), float32(c.H), rgba(0x05070b, 0xb0), false)
	fillRoundRect(dst, d.Rect, c.Px(14), colHeader)
	strokeRoundRect(dst, d.Rect, c.Px(14), c.Px(1), colBorderStrong)
	in := d.Inset(c.Px(28))
	h2 := c.fonts.face(true, sizeH2+2, c.Scale)
	body := c.fonts.face(false, sizeBody, c.Scale)
	t := &c.T.Settings
	if d.confirm {
		drawText(dst, t.ResetTitle, h2, in.X, in.Y, colText, alignLeft, alignTop)
		lines := wrapText(t.ResetBody, body, in.W)
		for i, l := range lines {
			drawText(dst, l, body, in.X, in.Y+c.Px(44)+float64(i)*lineHeight(body), colMuted, alignLeft, alignTop)
		}
		d.cancel.Draw(dst, c)
		d.doReset.Draw(dst, c)
		return
	}
	drawText(dst, t.Title, h2, in.X, in.Y, colText, alignLeft, alignTop)
	saved := t.NotSaved
	switch st := c.R.State; {
	case st.Storage == protocol.NoStorage:
		saved = t.NoStorage
	case st.Storage == protocol.NotSaved:
		saved = t.SaveFailed
	case st.SavedAt > 0:
		saved = i18n.Sprintf(t.Saved, time.UnixMilli(st.SavedAt).Format("15:04:05"))
	}
	small := c.fonts.face(false, sizeSmall, c.Scale)
	drawText(dst, ellipsize(saved, small, in.W), small, in.X, in.Y+c.Px(32), colFaint, alignLeft, alignTop)
	for _, s := range []*stepper{&d.k, &d.persona, &d.lrPre, &d.lrSFT, &d.lrRM} {
		s.Draw(dst, c)
	}
	d.goldReward.Draw(dst, c)
	for _, b := range []*button{&d.export, &d.imp, &d.reset, &d.close} {
		b.Draw(dst, c)
	}
}
