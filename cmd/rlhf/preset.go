package main

// -preset NAME: one of the lessons' experiments (package presets), its
// figures on stdout and in DIR/NAME.json, its charts in DIR/NAME*.png.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"rlhfplayground/presets"
)

// runPreset runs cfg.preset ("list" prints the names, one per line). A
// preset sets its own sizes and persona: of the other flags only -seed,
// -out and -quiet apply.
func runPreset(cfg config, stdout, stderr io.Writer) error {
	if cfg.preset == "list" {
		for _, n := range presets.Names() {
			fmt.Fprintln(stdout, n)
		}
		return nil
	}
	p, ok := presets.ByName(cfg.preset)
	if !ok {
		return fmt.Errorf("rlhf: -preset %q: want list or one of %s", cfg.preset, strings.Join(presets.Names(), ", "))
	}
	if cfg.out == "" {
		return errors.New("rlhf: -out is empty")
	}
	if cfg.lang != "en" {
		return fmt.Errorf("rlhf: -preset runs the English models and personas, not -lang %s", cfg.lang)
	}
	opt := presets.Options{}
	if cfg.seedSet {
		opt.Seed = cfg.seed
	}
	r := &runner{cfg: cfg, stderr: stderr}
	bars := map[string]interface{ Set(int) error }{}
	opt.Progress = func(pr presets.Progress) {
		b, ok := bars[pr.Stage]
		if !ok || pr.Done == 0 {
			b = r.bar(pr.Stage, pr.Total)
			bars[pr.Stage] = b
		}
		b.Set(pr.Done)
		if pr.Done >= pr.Total {
			delete(bars, pr.Stage) // the stage may come again (change-mind trains two reward models)
		}
	}
	fmt.Fprintf(stdout, "%s: %s\n  %s\n", p.Name, p.Title, p.Point)
	start := time.Now()
	res, err := p.Run(opt)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return fmt.Errorf("rlhf: %w", err)
	}
	for _, f := range res.Figures {
		fmt.Fprintf(stdout, "  %-24s %.4g\n", f.Name, f.Value)
	}
	for _, a := range res.Answers {
		fmt.Fprintf(stdout, "  %q\n    before: %s\n    after:  %s\n", a.Prompt, a.Before, a.After)
	}
	for _, c := range res.Claims {
		fmt.Fprintf(stdout, "  %s %s\n", mark(c.Held), c.Text)
	}
	if p.Baseline != "" {
		fmt.Fprintf(stdout, "  (the comparison with %s needs its run too: go run ./cmd/rlhf -preset %s)\n", p.Baseline, p.Baseline)
	}
	if err := writeJSON(filepath.Join(cfg.out, p.Name+".json"), res); err != nil {
		return err
	}
	files, err := writePresetCharts(cfg.out, res)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "done:  %.1f s; wrote %s (%s.json and %s)\n", time.Since(start).Seconds(), cfg.out, p.Name, strings.Join(files, ", "))
	return nil
}

func mark(held bool) string {
	if held {
		return "✓"
	}
	return "✗"
}
