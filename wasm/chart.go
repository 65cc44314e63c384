//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// series is one curve of a chart: Y[i] at X[i] (or at i+1 without X), with
// an optional band from Lo to Hi.
type series struct {
	Name   string
	Color  color.RGBA
	X, Y   []float64
	Lo, Hi []float64
	Dots   bool // mark each point (few points, such as one per epoch)
	NoLine bool // points only (a scatter plot): implies Dots
}

// chart is a titled line chart with labelled axes and tick labels, drawn
// with ebiten/vector into an image of its own that is re-rendered only when
// its data version or its size changes; other frames just copy the image.
type chart struct {
	Title, XLabel, YLabel string
	Series                []series
	YMin, YMax            float64   // a fixed y range when YMax > YMin (accuracy: 0…1)
	MarkX                 []float64 // dashed vertical lines at these x (an experiment's switch, a peak)
	Empty                 string    // shown instead of axes while there is no point

	Rect
	c       *Context
	img     *ebiten.Image
	drawn   chartKey
	version int
}

type chartKey struct {
	version     int
	w, h, scale float64
	words       [4]string // title, axes and hint: the page's language
	fontGen     int
}

// Update places the chart; version must change whenever Series changes.
func (ch *chart) Update(c *Context, r Rect, version int) {
	ch.Rect, ch.c, ch.version = r, c, version
}

func (ch *chart) Draw(dst *ebiten.Image) {
	if ch.W < 10 || ch.H < 10 || ch.c == nil {
		return
	}
	key := chartKey{ch.version, ch.W, ch.H, ch.c.Scale, [4]string{ch.Title, ch.XLabel, ch.YLabel, ch.Empty}, ch.c.fonts.gen}
	for _, s := range ch.Series {
		key.words[0] += "\x00" + s.Name
	}
	w, h := int(math.Ceil(ch.W)), int(math.Ceil(ch.H))
	if ch.img == nil || ch.img.Bounds().Dx() != w || ch.img.Bounds().Dy() != h {
		if ch.img != nil {
			ch.img.Deallocate()
		}
		ch.img = ebiten.NewImage(w, h)
		ch.drawn = chartKey{}
	}
	if key != ch.drawn {
		ch.drawn = key
		ch.render()
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(math.Round(ch.X), math.Round(ch.Y))
	dst.DrawImage(ch.img, op)
}

// render paints the whole chart into ch.img, in the image's coordinates.
func (ch *chart) render() {
	c, img := ch.c, ch.img
	img.Clear()
	r := Rect{0, 0, ch.W, ch.H}
	panel(img, c, r)
	in := r.Inset(c.Px(14))
	h2 := c.fonts.face(true, sizeBody, c.Scale)
	small := c.fonts.face(false, sizeSmall-1, c.Scale)
	drawText(img, ch.Title, h2, in.X, in.Y, colText, alignLeft, alignTop)
	// The legend, right-aligned on the title's line, or on a line of its own
	// below the title when both do not fit side by side (narrow screens).
	legendW := 0.0
	for _, s := range ch.Series {
		if s.Name != "" {
			legendW += text.Advance(s.Name, small) + c.Px(6+12+14)
		}
	}
	legendY, top := in.Y+c.Px(9), c.Px(26)
	if text.Advance(ch.Title, h2)+c.Px(12)+legendW > in.W {
		legendY, top = in.Y+c.Px(30), c.Px(42)
	}
	// Too wide even for a line of its own: each name gets an equal share.
	named := 0
	for _, s := range ch.Series {
		if s.Name != "" {
			named++
		}
	}
	share := in.W
	if legendW > in.W && named > 0 {
		share = (in.W - float64(named)*c.Px(6+12+14)) / float64(named)
	}
	lx := in.X + in.W
	for i := len(ch.Series) - 1; i >= 0; i-- {
		s := ch.Series[i]
		if s.Name == "" {
			continue
		}
		name := ellipsize(s.Name, small, share)
		w := text.Advance(name, small)
		drawText(img, name, small, lx, legendY, colMuted, alignRight, alignMiddle)
		lx -= w + c.Px(6)
		vector.DrawFilledRect(img, float32(lx-c.Px(12)), float32(legendY-c.Px(1)), float32(c.Px(12)), float32(c.Px(3)), s.Color, false)
		lx -= c.Px(12 + 14)
	}
	_, plot := in.CutTop(top, 0)
	// Margins for the y tick labels and the rotated y label, and the x ticks and label.
	plot = Rect{plot.X + c.Px(58), plot.Y + c.Px(4), plot.W - c.Px(62), plot.H - c.Px(4+38)}
	if plot.W < 20 || plot.H < 20 {
		return
	}
	x0, x1, y0, y1, ok := ch.bounds()
	if !ok {
		msg := ch.Empty
		if msg == "" {
			msg = c.T.NoData
		}
		// Centred on the panel, wrapped to its width: narrow charts have long hints.
		face := c.fonts.face(false, sizeBody-1, c.Scale)
		lines := wrapText(msg, face, in.W)
		y := plot.Y + plot.H/2 - float64(len(lines)-1)*lineHeight(face)/2
		for _, l := range lines {
			drawText(img, l, face, in.X+in.W/2, y, colFaint, alignCenter, alignMiddle)
			y += lineHeight(face)
		}
		return
	}
	px := func(x float64) float64 { return plot.X + (x-x0)/(x1-x0)*plot.W }
	py := func(y float64) float64 { return plot.Y + plot.H - (y-y0)/(y1-y0)*plot.H }
	// Grid and ticks.
	for _, t := range niceTicks(y0, y1, max(2, int(plot.H/c.Px(34)))) {
		y := py(t)
		vector.StrokeLine(img, float32(plot.X), float32(y), float32(plot.X+plot.W), float32(y), float32(c.Px(1)), colBorder, false)
		drawText(img, tickLabel(t), small, plot.X-c.Px(6), y, colMuted, alignRight, alignMiddle)
	}
	for _, t := range niceTicks(x0, x1, max(2, int(plot.W/c.Px(70)))) {
		x := px(t)
		vector.StrokeLine(img, float32(x), float32(plot.Y+plot.H), float32(x), float32(plot.Y+plot.H+c.Px(4)), float32(c.Px(1)), colFaint, false)
		drawText(img, tickLabel(t), small, x, plot.Y+plot.H+c.Px(6), colMuted, alignCenter, alignTop)
	}
	vector.StrokeLine(img, float32(plot.X), float32(plot.Y+plot.H), float32(plot.X+plot.W), float32(plot.Y+plot.H), float32(c.Px(1)), colFaint, false)
	vector.StrokeLine(img, float32(plot.X), float32(plot.Y), float32(plot.X), float32(plot.Y+plot.H), float32(c.Px(1)), colFaint, false)
	drawText(img, ch.XLabel, small, plot.X+plot.W/2, plot.Y+plot.H+c.Px(22), colMuted, alignCenter, alignTop)
	op := &text.DrawOptions{}
	op.GeoM.Rotate(-math.Pi / 2)
	op.GeoM.Translate(in.X, plot.Y+plot.H/2)
	op.ColorScale.ScaleWithColor(colMuted)
	op.PrimaryAlign, op.SecondaryAlign = text.AlignCenter, text.AlignStart
	text.Draw(img, ch.YLabel, small, op)
	for _, m := range ch.MarkX {
		if m < x0 || m > x1 {
			continue
		}
		x := float32(px(m))
		for y := plot.Y; y < plot.Y+plot.H; y += c.Px(8) {
			vector.StrokeLine(img, x, float32(y), x, float32(min(y+c.Px(4), plot.Y+plot.H)), float32(c.Px(1.5)), colLabel, false)
		}
	}

	for _, s := range ch.Series {
		n := len(s.Y)
		xAt := func(i int) float64 {
			if s.X != nil {
				return s.X[i]
			}
			return float64(i + 1)
		}
		// At most about one point per two device pixels: long pretraining runs stay cheap.
		stride := max(1, int(float64(n)/(plot.W/2)))
		if len(s.Lo) == n && len(s.Hi) == n && n > 1 {
			var p vector.Path
			for i := 0; i < n; i += stride {
				p.LineTo(float32(px(xAt(i))), float32(py(clamp(s.Hi[i], y0, y1))))
			}
			for i := (n - 1) / stride * stride; i >= 0; i -= stride {
				p.LineTo(float32(px(xAt(i))), float32(py(clamp(s.Lo[i], y0, y1))))
			}
			p.Close()
			vs, is := p.AppendVerticesAndIndicesForFilling(nil, nil)
			band := s.Color
			band.A = 0x40
			drawPath(img, vs, is, color.RGBA{band.R / 4, band.G / 4, band.B / 4, 0x40}, ebiten.FillRuleNonZero)
		}
		var p vector.Path
		for i := 0; i < n; i += stride {
			x, y := float32(px(xAt(i))), float32(py(clamp(s.Y[i], y0, y1)))
			if i == 0 {
				p.MoveTo(x, y)
			} else {
				p.LineTo(x, y)
			}
		}
		if n > 1 && !s.NoLine {
			vs, is := p.AppendVerticesAndIndicesForStroke(nil, nil, &vector.StrokeOptions{Width: float32(c.Px(2)), LineJoin: vector.LineJoinRound})
			drawPath(img, vs, is, s.Color, ebiten.FillRuleFillAll)
		}
		if s.Dots || s.NoLine || n == 1 {
			for i := range n {
				vector.DrawFilledCircle(img, float32(px(xAt(i))), float32(py(clamp(s.Y[i], y0, y1))), float32(c.Px(3.5)), s.Color, true)
			}
		}
	}
}

// bounds is the data range, padded a little, or the fixed y range.
func (ch *chart) bounds() (x0, x1, y0, y1 float64, ok bool) {
	x0, x1, y0, y1 = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range ch.Series {
		for i, y := range s.Y {
			x := float64(i + 1)
			if s.X != nil {
				x = s.X[i]
			}
			lo, hi := y, y
			if len(s.Lo) == len(s.Y) {
				lo, hi = s.Lo[i], s.Hi[i]
			}
			if math.IsNaN(y) || math.IsInf(y, 0) {
				continue
			}
			x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, lo, y), max(y1, hi, y)
			ok = true
		}
	}
	if !ok {
		return 0, 1, 0, 1, false
	}
	x0 = min(x0, 0)
	if x1-x0 < 1 {
		x1 = x0 + 1
	}
	if ch.YMax > ch.YMin {
		return x0, x1, ch.YMin, ch.YMax, true
	}
	pad := (y1 - y0) * 0.08
	if pad == 0 {
		pad = math.Max(math.Abs(y0)*0.1, 0.1)
	}
	return x0, x1, y0 - pad, y1 + pad, true
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// niceTicks returns about n round values between lo and hi.
func niceTicks(lo, hi float64, n int) []float64 {
	span := hi - lo
	if span <= 0 || n < 1 {
		return nil
	}
	step := math.Pow(10, math.Floor(math.Log10(span/float64(n))))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if span/(step*m) <= float64(n) {
			step *= m
			break
		}
	}
	var out []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

func tickLabel(v float64) string {
	a := math.Abs(v)
	switch {
	case v == 0:
		return "0"
	case a >= 10000:
		return fmt.Sprintf("%.0fk", v/1000)
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 1:
		return trimZeros(fmt.Sprintf("%.2f", v))
	case a >= 0.01:
		return trimZeros(fmt.Sprintf("%.3f", v))
	}
	return fmt.Sprintf("%.0e", v)
}

func trimZeros(s string) string {
	for len(s) > 1 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}
