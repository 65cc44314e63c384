//go:build js && wasm

package main

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// Rect is a rectangle in device pixels; every widget has one.
type Rect struct{ X, Y, W, H float64 }

func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Inset shrinks r by d on every side.
func (r Rect) Inset(d float64) Rect { return Rect{r.X + d, r.Y + d, r.W - 2*d, r.H - 2*d} }

// CutTop returns the top h of r and the rest below a gap.
func (r Rect) CutTop(h, gap float64) (top, rest Rect) {
	return Rect{r.X, r.Y, r.W, h}, Rect{r.X, r.Y + h + gap, r.W, r.H - h - gap}
}

// CutLeft returns the left w of r and the rest right of a gap.
func (r Rect) CutLeft(w, gap float64) (left, rest Rect) {
	return Rect{r.X, r.Y, w, r.H}, Rect{r.X + w + gap, r.Y, r.W - w - gap, r.H}
}

var (
	whiteImage    = ebiten.NewImage(3, 3)
	whiteSubImage = whiteImage.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image) // avoids bleeding edges, as in ebiten's examples/vector
)

func init() { whiteImage.Fill(color.White) }

// roundRectPath is r with corners of the given radius.
func roundRectPath(r Rect, radius float64) *vector.Path {
	var p vector.Path
	x0, y0, x1, y1, rad := float32(r.X), float32(r.Y), float32(r.X+r.W), float32(r.Y+r.H), float32(radius)
	p.MoveTo(x0+rad, y0)
	p.ArcTo(x1, y0, x1, y1, rad)
	p.ArcTo(x1, y1, x0, y1, rad)
	p.ArcTo(x0, y1, x0, y0, rad)
	p.ArcTo(x0, y0, x1, y0, rad)
	p.Close()
	return &p
}

func fillRoundRect(dst *ebiten.Image, r Rect, radius float64, clr color.Color) {
	vs, is := roundRectPath(r, radius).AppendVerticesAndIndicesForFilling(nil, nil)
	drawPath(dst, vs, is, clr, ebiten.FillRuleFillAll) // convex: the path's triangle fan does not overlap
}

func strokeRoundRect(dst *ebiten.Image, r Rect, radius, width float64, clr color.Color) {
	op := &vector.StrokeOptions{Width: float32(width), LineJoin: vector.LineJoinRound}
	vs, is := roundRectPath(r, radius).AppendVerticesAndIndicesForStroke(nil, nil, op)
	drawPath(dst, vs, is, clr, ebiten.FillRuleFillAll)
}

// drawPath fills triangles from a vector.Path in one colour. Stroke
// triangles and the fan of a convex path can be drawn as they are
// (FillRuleFillAll); any other filled path needs FillRuleNonZero, which
// ebiten draws through the stencil buffer: two more passes and a stencil
// clear for each call, which software WebGL pays dearly for, so screens drawn
// on every change use only the first kind.
func drawPath(dst *ebiten.Image, vs []ebiten.Vertex, is []uint16, clr color.Color, rule ebiten.FillRule) {
	cr, cg, cb, ca := clr.RGBA()
	for i := range vs {
		vs[i].SrcX, vs[i].SrcY = 1, 1
		vs[i].ColorR = float32(cr) / 0xffff
		vs[i].ColorG = float32(cg) / 0xffff
		vs[i].ColorB = float32(cb) / 0xffff
		vs[i].ColorA = float32(ca) / 0xffff
	}
	op := &ebiten.DrawTrianglesOptions{FillRule: rule, AntiAlias: antialias}
	dst.DrawTriangles(vs, is, whiteSubImage, op)
}

// arrow draws a line from (x0, y0) to (x1, y1) with a head at the end.
func arrow(dst *ebiten.Image, x0, y0, x1, y1, width, head float64, clr color.Color) {
	vector.StrokeLine(dst, float32(x0), float32(y0), float32(x1), float32(y1), float32(width), clr, antialias)
	var p vector.Path
	switch {
	case x1 > x0: // pointing right
		p.MoveTo(float32(x1+head*0.2), float32(y1))
		p.LineTo(float32(x1-head), float32(y1-head*0.7))
		p.LineTo(float32(x1-head), float32(y1+head*0.7))
	default: // pointing down
		p.MoveTo(float32(x1), float32(y1+head*0.2))
		p.LineTo(float32(x1-head*0.7), float32(y1-head))
		p.LineTo(float32(x1+head*0.7), float32(y1-head))
	}
	p.Close()
	vs, is := p.AppendVerticesAndIndicesForFilling(nil, nil)
	drawPath(dst, vs, is, clr, ebiten.FillRuleFillAll) // a triangle
}

// antialias is off: ebiten anti-aliases a draw by rendering into an
// offscreen image twice the screen's size, which on a HiDPI screen with an
// integrated GPU (or software WebGL) costs more than a frame. Shapes here are
// axis-aligned or small, and text is anti-aliased anyway.
const antialias = false
