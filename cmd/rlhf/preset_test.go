package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"rlhfplayground/presets"
)

// TestParsePresetFlags: -preset is read, and a preset keeps its own seed
// unless -seed is given.
func TestParsePresetFlags(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		preset  string
		seedSet bool
		seed    uint64
	}{
		{nil, "", false, 1},
		{[]string{"-preset", "list"}, "list", false, 1},
		{[]string{"-preset", "no-kl", "-seed", "1"}, "no-kl", true, 1},
		{[]string{"-seed", "7", "-preset", "kl-penalty"}, "kl-penalty", true, 7},
	} {
		cfg, err := parseFlags(tc.args, io.Discard)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if cfg.preset != tc.preset || cfg.seedSet != tc.seedSet || cfg.seed != tc.seed {
			t.Errorf("%v: preset %q, seed set %v, seed %d; want %q, %v, %d", tc.args, cfg.preset, cfg.seedSet, cfg.seed, tc.preset, tc.seedSet, tc.seed)
		}
	}
}

// TestPresetList: -preset list prints the names, one per line; an unknown
// name is refused with the list.
func TestPresetList(t *testing.T) {
	cfg := defaultConfig()
	cfg.preset, cfg.out = "list", t.TempDir()
	var out bytes.Buffer
	if err := runPreset(cfg, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(strings.TrimSpace(out.String()), "\n"); !slices.Equal(got, presets.Names()) {
		t.Errorf("-preset list printed %q, want %q", got, presets.Names())
	}
	cfg.preset = "no-such"
	if err := runPreset(cfg, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "kl-penalty") {
		t.Errorf("-preset no-such: %v, want an error naming the presets", err)
	}
	cfg.preset, cfg.lang = "sft-format", "zh-TW"
	if err := runPreset(cfg, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "English") {
		t.Errorf("-preset sft-format -lang zh-TW: %v, want it refused: the presets are English", err)
	}
}

// TestPresetCharts draws each kind of chart a preset has: lines with a
// mark, points, grouped bars.
func TestPresetCharts(t *testing.T) {
	r := &presets.Result{Preset: "test", Charts: []presets.Chart{
		{Name: "lines", Title: "lines", XLabel: "x", YLabel: "y", MarkX: []float64{1.5},
			Lines: []presets.Line{{Name: "a", X: []float64{1, 2, 3}, Y: []float64{1, 3, 2}}, {Name: "b", X: []float64{1, 2, 3}, Y: []float64{0, 1, 0}}}},
		{Name: "points", Title: "points", Scatter: true, Lines: []presets.Line{{Name: "p", X: []float64{1, 5}, Y: []float64{2, 4}}}},
		{Name: "bars", Title: "bars", Categories: []string{"one", "two"},
			Lines: []presets.Line{{Name: "before", X: []float64{0, 1}, Y: []float64{0.1, 0.2}}, {Name: "after", X: []float64{0, 1}, Y: []float64{0.9, 0.6}}}},
	}}
	dir := t.TempDir()
	files, err := writePresetCharts(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"lines.png", "points.png", "bars.png"}; !slices.Equal(files, want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	for _, f := range files {
		fh, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if b := img.Bounds(); b.Dx() < 500 || b.Dy() < 300 {
			t.Errorf("%s: %v, want a chart-sized image", f, b)
		}
	}
}

// TestPresetSFTFormat runs the fastest preset end to end: its figures and
// answers on stdout, its JSON and its chart, the claims it checks.
func TestPresetSFTFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("samples two models' answers")
	}
	cfg := defaultConfig()
	cfg.preset, cfg.out, cfg.quiet = "sft-format", t.TempDir(), true
	var out bytes.Buffer
	if err := runPreset(cfg, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sft.grammatical", "before:", "after:", "✓", "sft-format.png"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
	b, err := os.ReadFile(filepath.Join(cfg.out, "sft-format.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r presets.Result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Preset != "sft-format" || r.Seed != 1 || len(r.Answers) == 0 || len(r.Claims) == 0 {
		t.Errorf("sft-format.json: preset %q, seed %d, %d answers, %d claims", r.Preset, r.Seed, len(r.Answers), len(r.Claims))
	}
	if _, err := os.Stat(filepath.Join(cfg.out, "sft-format.png")); err != nil {
		t.Error(err)
	}
}
