package main

// The charts of a preset (package presets gives their data).

import (
	"fmt"
	"image/color"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"rlhfplayground/presets"
)

var presetColors = []color.Color{blue, orange, green, gray}

// writePresetCharts writes one PNG per chart of r into dir and returns their names.
func writePresetCharts(dir string, r *presets.Result) ([]string, error) {
	var files []string
	for _, c := range r.Charts {
		p, err := presetPlot(c)
		if err != nil {
			return nil, err
		}
		name := c.Name + ".png"
		if err := savePNG(filepath.Join(dir, name), p); err != nil {
			return nil, err
		}
		files = append(files, name)
	}
	return files, nil
}

// presetPlot draws one chart: lines, points or grouped bars, and its marks.
func presetPlot(c presets.Chart) (*plot.Plot, error) {
	p, err := newPlot("en", c.Title, c.XLabel, c.YLabel) // presets are English only (-preset refuses -lang)
	if err != nil {
		return nil, err
	}
	if c.Categories != nil {
		return barPlot(p, c)
	}
	for i, l := range c.Lines {
		xy := make(plotter.XYs, len(l.X))
		for j := range l.X {
			xy[j] = plotter.XY{X: l.X[j], Y: l.Y[j]}
		}
		col := presetColors[i%len(presetColors)]
		if c.Scatter {
			s, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, fmt.Errorf("rlhf: chart %q: %w", c.Title, err)
			}
			s.GlyphStyle.Color = col
			p.Add(s)
			p.Legend.Add(l.Name, s)
			continue
		}
		if err := addLine(p, l.Name, xy, col, 2); err != nil {
			return nil, err
		}
	}
	for _, x := range c.MarkX {
		m, err := plotter.NewLine(plotter.XYs{{X: x, Y: p.Y.Min}, {X: x, Y: p.Y.Max}})
		if err != nil {
			return nil, fmt.Errorf("rlhf: chart %q: %w", c.Title, err)
		}
		m.Color, m.Dashes = gray, []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(m)
	}
	headroom(p)
	return p, nil
}

// barPlot draws one group of bars per category, one bar per line.
func barPlot(p *plot.Plot, c presets.Chart) (*plot.Plot, error) {
	w := vg.Points(20)
	for i, l := range c.Lines {
		b, err := plotter.NewBarChart(plotter.Values(l.Y), w)
		if err != nil {
			return nil, fmt.Errorf("rlhf: chart %q: %w", c.Title, err)
		}
		b.Color, b.LineStyle.Width = presetColors[i%len(presetColors)], 0
		b.Offset = w * vg.Length(float64(i)-float64(len(c.Lines)-1)/2)
		p.Add(b)
		p.Legend.Add(l.Name, b)
	}
	p.NominalX(c.Categories...)
	p.Y.Min = 0
	headroom(p)
	return p, nil
}
