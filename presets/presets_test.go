package presets

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
)

// TestList: seven presets in the lessons' order, each named, explained,
// with a default seed, a run and a check; a baseline names another preset.
func TestList(t *testing.T) {
	want := []string{"sft-format", "label-noise", "kl-penalty", "no-kl", "overoptimisation", "change-mind", "length-bias"}
	if got := Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	for _, p := range All() {
		if p.Title == "" || p.Point == "" || p.Seed == 0 || p.run == nil || p.check == nil {
			t.Errorf("%s: title %q, point %q, seed %d, run %v, check %v: want all set", p.Name, p.Title, p.Point, p.Seed, p.run != nil, p.check != nil)
		}
		if q, ok := ByName(p.Name); !ok || q.Name != p.Name {
			t.Errorf("ByName(%q) = %v, %v", p.Name, q.Name, ok)
		}
		if p.Baseline != "" {
			if _, ok := ByName(p.Baseline); !ok || p.Baseline == p.Name {
				t.Errorf("%s: baseline %q is not another preset", p.Name, p.Baseline)
			}
		}
	}
	for _, lang := range i18n.Langs { // the page's words for each preset
		items := i18n.For(lang).Presets.Items
		for _, p := range All() {
			if it := items[p.Name]; it.Title == "" || it.Point == "" {
				t.Errorf("%s: the %s catalog has no title or point for %s", p.Name, lang, p.Name)
			}
		}
		if len(items) != len(All()) {
			t.Errorf("the %s catalog words %d presets, there are %d", lang, len(items), len(All()))
		}
	}
	if _, ok := ByName("nope"); ok {
		t.Error("ByName found a preset called nope")
	}
}

// result builds a Result with the figures given as name, value, name, value, ….
func result(name string, kv ...any) *Result {
	r := &Result{Preset: name}
	for i := 0; i < len(kv); i += 2 {
		r.set(kv[i].(string), kv[i+1].(float64))
	}
	return r
}

// TestChecks: each preset's check on figures that show its point and on
// figures that do not.
func TestChecks(t *testing.T) {
	labels := func(clean, noisy []float64) []any {
		var kv []any
		for i, n := range labelCounts {
			kv = append(kv, fmt.Sprintf("acc.noise0.n%d", n), clean[i], fmt.Sprintf("acc.noise0.3.n%d", n), noisy[i])
		}
		return append(kv, "acc.noise0.mean", mean(clean), "acc.noise0.3.mean", mean(noisy))
	}
	kl := func(first, last, klEnd, g float64) *Result {
		return result("kl-penalty", "rm.first", first, "rm.last", last, "kl.last_mean", klEnd, "kl.max", klEnd+1, "ppo.grammatical", g, "sft.grammatical", 0.9)
	}
	noKL := func(klEnd, sd, pd, sg, pg float64) *Result {
		return result("no-kl", "kl.last_mean", klEnd, "sft.distinct3", sd, "ppo.distinct3", pd, "sft.grammatical", sg, "ppo.grammatical", pg)
	}
	base := result("kl-penalty", "kl.last_mean", 2.0, "ppo.grammatical", 0.8)
	over := func(at, top, end, rp, re float64) *Result {
		return result("overoptimisation", "gold.peak_iteration", at, "iterations", 60.0, "gold.peak", top, "gold.end", end, "rm.at_gold_peak", rp, "rm.end", re)
	}
	for _, tc := range []struct {
		name   string
		preset string
		r      *Result
		base   *Result
		held   []bool
	}{
		{"sft-format shows", "sft-format", result("", "pretrained.grammatical", 0.02, "sft.grammatical", 0.91, "pretrained.on_topic", 0.01, "sft.on_topic", 0.65,
			"pretrained.helpful", 0.02, "sft.helpful", 0.5), nil, []bool{true, true, true}},
		{"sft-format: SFT no better", "sft-format", result("", "pretrained.grammatical", 0.5, "sft.grammatical", 0.9, "pretrained.on_topic", 0.7, "sft.on_topic", 0.65,
			"pretrained.helpful", 0.5, "sft.helpful", 0.5), nil, []bool{false, false, false}},
		{"label-noise shows", "label-noise", result("", labels([]float64{0.6, 0.7, 0.75, 0.8}, []float64{0.55, 0.6, 0.65, 0.7})...), nil, []bool{true, true, true}},
		{"label-noise: flat and equal", "label-noise", result("", labels([]float64{0.7, 0.7, 0.7, 0.7}, []float64{0.7, 0.7, 0.7, 0.7})...), nil, []bool{false, false, false}},
		{"kl-penalty shows", "kl-penalty", kl(0.1, 0.8, 3, 0.85), nil, []bool{true, true, true}},
		{"kl-penalty: runs away", "kl-penalty", kl(0.1, 0.3, 9, 0.5), nil, []bool{false, false, false}},
		{"no-kl shows", "no-kl", noKL(20, 0.6, 0.4, 0.9, 0.3), base, []bool{true, true, true, true}},
		{"no-kl: no collapse", "no-kl", noKL(5, 0.6, 0.55, 0.9, 0.8), base, []bool{false, false, false, false}},
		{"no-kl without its baseline", "no-kl", noKL(20, 0.6, 0.4, 0.9, 0.3), nil, []bool{true, true}},
		{"no-kl: runs away but stays grammatical", "no-kl", noKL(20, 0.6, 0.4, 0.9, 0.8), base, []bool{true, false, true, false}},
		{"overoptimisation shows", "overoptimisation", over(30, 1.0, 0.4, 1.0, 2.0), nil, []bool{true, true, true}},
		{"overoptimisation: gold rises to the end", "overoptimisation", over(60, 1.0, 1.0, 2.0, 2.0), nil, []bool{false, false, false}},
		{"change-mind shows", "change-mind", result("", "to.at_switch", -2.0, "to.end", -1.0), nil, []bool{true}},
		{"change-mind: no turn", "change-mind", result("", "to.at_switch", -2.0, "to.end", -1.8), nil, []bool{false}},
		{"length-bias shows", "length-bias", result("", "corr.rm_length", 0.5, "corr.gold_length", 0.25, "sft.words", 10.0, "ppo.words", 14.0), nil, []bool{true, true, true}},
		{"length-bias: no bias", "length-bias", result("", "corr.rm_length", 0.3, "corr.gold_length", 0.25, "sft.words", 10.0, "ppo.words", 10.5), nil, []bool{false, false, false}},
	} {
		p, _ := ByName(tc.preset)
		claims := p.Check(tc.r, tc.base)
		var held []bool
		for _, c := range claims {
			held = append(held, c.Held)
			if c.Text == "" || strings.Contains(c.Text, "%!") {
				t.Errorf("%s: claim text %q", tc.name, c.Text)
			}
		}
		if !slices.Equal(held, tc.held) {
			t.Errorf("%s: claims held %v, want %v: %v", tc.name, held, tc.held, claims)
		}
		if tc.base == nil { // the claims a run reports (Run checks without the baseline), which the page words from the catalog
			for _, lang := range i18n.Langs {
				if n := len(i18n.For(lang).Presets.Items[tc.preset].Claims); n != len(claims) {
					t.Errorf("%s: the %s catalog words %d claims of %s, the check makes %d", tc.name, lang, n, tc.preset, len(claims))
				}
			}
		}
	}
	if Held(nil) {
		t.Error("Held(no claims) is true")
	}
}

// The acceptance runs: each preset run with its default seed shows the
// point the lesson promises. Each takes up to ~45 s of both cores, so
// they run only when asked, as cmd/rlhf's do (.ci/run runs them alone):
//
//	RLHF_ACCEPTANCE=1 go test -run Acceptance ./presets/
const acceptanceEnv = "RLHF_ACCEPTANCE"

var (
	runsMu sync.Mutex
	runs   = map[string]*Result{}
)

// runPreset runs the preset called name once per test binary.
func runPreset(t *testing.T, name string) *Result {
	t.Helper()
	if os.Getenv(acceptanceEnv) != "1" || testing.Short() {
		t.Skip("acceptance: a preset takes up to ~45 s; set " + acceptanceEnv + "=1 to run it (CI does)")
	}
	runsMu.Lock()
	defer runsMu.Unlock()
	if r, ok := runs[name]; ok {
		return r
	}
	p, _ := ByName(name)
	r, err := p.Run(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %.1f s; figures %v", name, r.Seconds, r.Figures)
	runs[name] = r
	return r
}

// checkPreset runs the preset (and its baseline) and fails on every claim that did not hold.
func checkPreset(t *testing.T, name string) {
	p, _ := ByName(name)
	r := runPreset(t, name)
	var base *Result
	if p.Baseline != "" {
		base = runPreset(t, p.Baseline)
	}
	claims := p.Check(r, base)
	if len(claims) == 0 {
		t.Fatal("no claims")
	}
	for _, c := range claims {
		if c.Held {
			t.Logf("holds: %s", c.Text)
		} else {
			t.Errorf("does not hold: %s", c.Text)
		}
	}
}

func TestAcceptancePresetSFTFormat(t *testing.T)        { checkPreset(t, "sft-format") }
func TestAcceptancePresetLabelNoise(t *testing.T)       { checkPreset(t, "label-noise") }
func TestAcceptancePresetKLPenalty(t *testing.T)        { checkPreset(t, "kl-penalty") }
func TestAcceptancePresetNoKL(t *testing.T)             { checkPreset(t, "no-kl") }
func TestAcceptancePresetOveroptimisation(t *testing.T) { checkPreset(t, "overoptimisation") }
func TestAcceptancePresetChangeMind(t *testing.T)       { checkPreset(t, "change-mind") }
func TestAcceptancePresetLengthBias(t *testing.T)       { checkPreset(t, "length-bias") }

// TestPageKnowsEveryPreset: the page's list (protocol.PresetNames, which
// links and the experiments screen use) is the presets' own.
func TestPageKnowsEveryPreset(t *testing.T) {
	if got, want := protocol.PresetNames, Names(); !slices.Equal(got, want) {
		t.Errorf("protocol.PresetNames = %q, presets.Names() = %q", got, want)
	}
}
