package main

// The PNG charts of a run, drawn with gonum/plot from metrics.json's numbers,
// in the run's language (labels.go: English, or 繁體中文 for -lang zh-TW).

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"rlhfplayground/sim"
)

// chartFiles are the charts writeCharts makes, in order.
var chartFiles = []string{"sft_loss.png", "rm.png", "ppo_reward.png", "ppo_kl.png", "ppo_entropy.png"}

const (
	chartW, chartH = 6 * vg.Inch, 4 * vg.Inch
	chartDPI       = 128 // sharper than vgimg's 96; fonts scale with it
	markerMax      = 40  // series this short get a marker on every point (one iteration still shows)
)

var (
	blue   = color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	orange = color.NRGBA{R: 0xe6, G: 0x6a, B: 0x00, A: 0xff}
	green  = color.NRGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}
	gray   = color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
	band   = blueBand()
)

// blueBand is blue, translucent, for a ±std band behind its line.
func blueBand() color.NRGBA { c := blue; c.A = 0x40; return c }

// writeCharts writes the files of chartFiles into dir, in the language of
// the run's session (m.Settings.Lang), and returns their names: all, but
// sft_loss.png only when the run fine-tuned (-sft-steps).
func writeCharts(dir string, m *metrics) ([]string, error) {
	lang := m.Settings.Lang
	iters := m.PPO.Iterations
	rmMean := perIteration(iters, func(s sim.PPOStats) float64 { return s.ScoreMean })

	reward, err := newPlot(lang, label(lang, "reward.title"), label(lang, "iteration"), label(lang, "score"))
	if err != nil {
		return nil, err
	}
	reward.Legend.Left = true // the scores rise to the right
	if len(iters) > 1 {
		poly := make(plotter.XYs, 0, 2*len(iters))
		for i, s := range iters {
			poly = append(poly, plotter.XY{X: float64(i + 1), Y: s.ScoreMean + s.ScoreStd})
		}
		for i := len(iters) - 1; i >= 0; i-- {
			poly = append(poly, plotter.XY{X: float64(i + 1), Y: iters[i].ScoreMean - iters[i].ScoreStd})
		}
		p, err := plotter.NewPolygon(poly)
		if err != nil {
			return nil, fmt.Errorf("rlhf: chart: %w", err)
		}
		p.Color, p.LineStyle.Width, p.LineStyle.Color = band, 0, nil
		reward.Add(p)
		reward.Legend.Add(label(lang, "reward.band"), p)
	}
	if err := addLine(reward, label(lang, "reward.mean"), rmMean, blue, 2); err != nil {
		return nil, err
	}
	if len(iters) > 0 && iters[0].GoldMean != nil {
		gold := perIteration(iters, func(s sim.PPOStats) float64 { return *s.GoldMean })
		if err := addLine(reward, label(lang, "reward.gold"), gold, orange, 2); err != nil {
			return nil, err
		}
	}

	headroom(reward)

	kl, err := newPlot(lang, label(lang, "kl.title"), label(lang, "iteration"), label(lang, "kl.y"))
	if err != nil {
		return nil, err
	}
	if err := addLine(kl, "", perIteration(iters, func(s sim.PPOStats) float64 { return s.KLMean }), green, 2); err != nil {
		return nil, err
	}

	entropy, err := newPlot(lang, label(lang, "entropy.title"), label(lang, "iteration"), label(lang, "entropy.y"))
	if err != nil {
		return nil, err
	}
	if err := addLine(entropy, "", perIteration(iters, func(s sim.PPOStats) float64 { return s.Entropy }), blue, 2); err != nil {
		return nil, err
	}

	rmLoss, rmAcc, err := rewardPlots(lang, m)
	if err != nil {
		return nil, err
	}

	charts := map[string][]*plot.Plot{
		"rm.png":          {rmLoss, rmAcc},
		"ppo_reward.png":  {reward},
		"ppo_kl.png":      {kl},
		"ppo_entropy.png": {entropy},
	}
	if len(m.SFT.Loss) > 0 {
		sft, err := newPlot(lang, label(lang, "sft.title"), label(lang, "step"), label(lang, "sft.y"))
		if err != nil {
			return nil, err
		}
		if err := addLine(sft, "", steps(m.SFT.Loss), blue, 2); err != nil {
			return nil, err
		}
		charts["sft_loss.png"] = []*plot.Plot{sft}
	}
	var written []string
	for _, name := range chartFiles {
		if charts[name] == nil {
			continue
		}
		if err := savePNG(filepath.Join(dir, name), charts[name]...); err != nil {
			return nil, err
		}
		written = append(written, name)
	}
	return written, nil
}

// rewardPlots returns the reward model's two panels, in lang: loss and
// pairwise accuracy, of each training batch (thin) and on the held-out
// rankings.
func rewardPlots(lang string, m *metrics) (loss, acc *plot.Plot, err error) {
	var heldLoss, heldAcc plotter.XYs
	for _, e := range m.RM.Heldout {
		heldLoss = append(heldLoss, plotter.XY{X: float64(e.Step), Y: e.Loss})
		heldAcc = append(heldAcc, plotter.XY{X: float64(e.Step), Y: e.Accuracy})
	}
	if loss, err = newPlot(lang, label(lang, "rm.loss.title"), label(lang, "step"), label(lang, "rm.loss.y")); err != nil {
		return nil, nil, err
	}
	if acc, err = newPlot(lang, label(lang, "rm.acc.title"), label(lang, "step"), label(lang, "rm.acc.y")); err != nil {
		return nil, nil, err
	}
	acc.Y.Min, acc.Y.Max = 0, 1
	acc.Legend.Top = false // accuracy rises from 0.5; the bottom stays free
	chance := plotter.NewFunction(func(float64) float64 { return 0.5 })
	chance.Color, chance.Dashes = gray, []vg.Length{vg.Points(4), vg.Points(4)}
	acc.Add(chance)
	acc.Legend.Add(label(lang, "rm.chance"), chance)
	for _, s := range []struct {
		p          *plot.Plot
		train, out plotter.XYs
	}{{loss, steps(m.RM.Loss), heldLoss}, {acc, steps(m.RM.Accuracy), heldAcc}} {
		if err := addLine(s.p, label(lang, "rm.batch"), s.train, gray, 1); err != nil {
			return nil, nil, err
		}
		if len(s.out) > 0 {
			if err := addLine(s.p, label(lang, "rm.heldout"), s.out, orange, 2.5); err != nil {
				return nil, nil, err
			}
		}
	}
	headroom(loss)
	return loss, acc, nil
}

// headroom raises the top of p's y range by a quarter so that a legend at
// the top does not cover the data. Call it after adding the data.
func headroom(p *plot.Plot) {
	p.Y.Max += 0.25 * (p.Y.Max - p.Y.Min)
}

// newPlot returns a plot with a title, axis labels, a grid and the legend
// at the top right, all its text in lang's font (setFont): the charts'
// words come from label(lang, key).
func newPlot(lang, title, x, y string) (*plot.Plot, error) {
	p := plot.New()
	if err := setFont(p, lang); err != nil {
		return nil, err
	}
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, x, y
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Legend.Top, p.Legend.Left = true, false
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = color.Gray{Y: 0xe0}, color.Gray{Y: 0xe0}
	p.Add(g)
	return p, nil
}

// addLine adds a line of width points (with markers when it is short) and its legend entry.
func addLine(p *plot.Plot, name string, xy plotter.XYs, c color.Color, width float64) error {
	if len(xy) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xy)
	if err != nil {
		return fmt.Errorf("rlhf: chart %q: %w", p.Title.Text, err)
	}
	l.Color, l.Width = c, vg.Points(width)
	p.Add(l)
	thumbs := []plot.Thumbnailer{l}
	if len(xy) <= markerMax {
		s, err := plotter.NewScatter(xy)
		if err != nil {
			return fmt.Errorf("rlhf: chart %q: %w", p.Title.Text, err)
		}
		s.GlyphStyle.Color, s.GlyphStyle.Shape, s.GlyphStyle.Radius = c, draw.CircleGlyph{}, vg.Points(width+1)
		p.Add(s)
		thumbs = append(thumbs, s)
	}
	if name != "" {
		p.Legend.Add(name, thumbs...)
	}
	return nil
}

// savePNG draws the plots side by side, each chartW × chartH, into one PNG.
func savePNG(path string, plots ...*plot.Plot) error {
	img := vgimg.NewWith(vgimg.UseWH(vg.Length(len(plots))*chartW, chartH), vgimg.UseDPI(chartDPI))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Points(12), PadY: vg.Points(6),
		PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6)}
	canvases := plot.Align([][]*plot.Plot{plots}, tiles, dc)
	for i, p := range plots {
		p.Draw(canvases[0][i])
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("rlhf: %w", err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("rlhf: %s: %w", path, err)
	}
	return f.Close()
}

// steps returns ys against steps 1, 2, ….
func steps(ys []float64) plotter.XYs {
	xy := make(plotter.XYs, len(ys))
	for i, y := range ys {
		xy[i] = plotter.XY{X: float64(i + 1), Y: y}
	}
	return xy
}

// perIteration returns f of each PPO iteration against iterations 1, 2, ….
func perIteration(its []sim.PPOStats, f func(sim.PPOStats) float64) plotter.XYs {
	ys := make([]float64, len(its))
	for i, s := range its {
		ys[i] = f(s)
	}
	return steps(ys)
}
