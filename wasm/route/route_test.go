package route

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		hash, query string
		want        Route
	}{
		{"", "", Route{}},
		{"#sft", "", Route{Stage: protocol.SFT, HasStage: true}},
		{"label", "", Route{Stage: protocol.Label, HasStage: true}},
		{"#PPO", "", Route{Stage: protocol.PPO, HasStage: true}},
		{"#pretrain", "?kernels=go", Route{Stage: protocol.Pretrain, HasStage: true, Kernels: "go"}},
		{"#nowhere", "kernels=simd", Route{Kernels: "simd"}},
		{"#", "?kernels=avx2&x=1", Route{Ignored: []string{"kernels=avx2", "x=1"}}},
		{"#label%00", "?%zz", Route{Ignored: []string{"a malformed query"}}},
		{"#" + strings.Repeat("sft", 1000), "?kernels=go&kernels=simd", Route{Kernels: "simd"}},
		{"#sft", "?lang=zh-tw", Route{Stage: protocol.SFT, HasStage: true, Lang: i18n.Chinese}},
		{"", "?lang=en&kernels=go", Route{Lang: i18n.English, Kernels: "go"}},
		{"", "?lang=klingon", Route{Ignored: []string{"lang=klingon"}}},
	} {
		if got := Parse(tc.hash, tc.query); got.Stage != tc.want.Stage || got.HasStage != tc.want.HasStage ||
			got.Kernels != tc.want.Kernels || got.Lang != tc.want.Lang || !slices.Equal(got.Ignored, tc.want.Ignored) {
			t.Errorf("Parse(%.20q, %.20q) = %+v, want %+v", tc.hash, tc.query, got, tc.want)
		}
	}
}

// FuzzParse: any hash and query, as a student can type them, give a route
// (never a panic): a stage only if the hash names one, a kernel set only if
// one exists, and no more to the console than MaxLen characters allow.
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 1000000x -fuzzminimizetime 0 ./wasm/route/
func FuzzParse(f *testing.F) {
	f.Add("#label", "?kernels=go")
	f.Add("#%E6%A8%A1", "a=1&b=%zz;c")
	f.Add("#ppo?card=7&beta=0&preset=collapse", "?projector=1&k=3")
	f.Add("#sft?beta=1e-3&gold=1&adaptive=0&card=99", "")
	f.Fuzz(func(t *testing.T, hash, query string) {
		r := Parse(hash, query, "collapse")
		stage, _, _ := strings.Cut(strings.TrimPrefix(clip(hash), "#"), "?")
		if r.HasStage != (r.Stage.ID() == strings.ToLower(stage)) {
			t.Errorf("hash %q: %+v", hash, r)
		}
		if r.Kernels != "" && !isKernelSet(r.Kernels) {
			t.Errorf("query %q: kernels %q", query, r.Kernels)
		}
		if r.Lang != "" && !slices.Contains(i18n.Langs, r.Lang) {
			t.Errorf("query %q: language %q", query, r.Lang)
		}
		n := 0
		for _, s := range r.Ignored {
			n += utf8.RuneCountInString(s)
		}
		if n > 4*MaxLen { // at most MaxLen of the query and MaxLen of the hash, and their names
			t.Errorf("query %q: %d characters ignored, from at most %d read", query, n, 2*MaxLen)
		}
		if r.Card < 0 || r.Card > MaxCard || (r.Preset != "" && r.Preset != "collapse") {
			t.Errorf("%q %q: card %d, preset %q", hash, query, r.Card, r.Preset)
		}
		if b := r.Settings.Beta; b != nil && !(*b >= 0 && *b <= MaxBeta) {
			t.Errorf("%q %q: beta %v", hash, query, *b)
		}
		if k := r.Settings.K; k != nil && (*k < sim.MinK || *k > sim.MaxK) {
			t.Errorf("%q %q: k %v", hash, query, *k)
		}
		// What the page writes back reads as the same link.
		if r.HasStage {
			back := Parse(Format(r.Stage, r.Link), "", "collapse")
			if back.Stage != r.Stage || back.Card != r.Card || back.Preset != r.Preset || !back.Settings.Equal(r.Settings) {
				t.Errorf("%q %q: %+v, formatted %q, read back as %+v", hash, query, r.Link, Format(r.Stage, r.Link), back.Link)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestLink: the lesson card, the preset and the settings a link carries,
// in the hash (or the query), and what a bad value does: nothing, named.
func TestLink(t *testing.T) {
	presets := []string{"collapse", "noisy-labels"}
	for _, tc := range []struct {
		hash, query string
		stage       protocol.Stage
		want        Link
		projector   bool
		ignored     []string
	}{
		{"#ppo?beta=0&card=7", "", protocol.PPO, Link{Card: 7, Settings: Overrides{Beta: ptr(0.0)}}, false, nil},
		{"#ppo?preset=collapse", "?lang=en", protocol.PPO, Link{Preset: "collapse"}, false, nil},
		{"#ppo?preset=nonsense", "", protocol.PPO, Link{}, false, []string{"preset=nonsense"}},
		{"#label?k=5&gold=1&adaptive=0", "", protocol.Label, Link{Settings: Overrides{K: ptr(5), Gold: ptr(true), Adaptive: ptr(false)}}, false, nil},
		{"#label?k=1&gold=yes&beta=-1&beta=NaN", "", protocol.Label, Link{}, false, []string{"beta=NaN", "gold=yes", "k=1"}},
		{"#sft?card=0", "?card=3", protocol.SFT, Link{Card: 3}, false, []string{"card=0"}},
		{"#sft?card=4", "?card=3&projector=1", protocol.SFT, Link{Card: 4}, true, nil},
		{"#pretrain?card=100&beta=1e9", "?projector=2", protocol.Pretrain, Link{}, false, []string{"beta=1e9", "card=100", "projector=2"}},
		{"#PPO?Beta=1", "", protocol.PPO, Link{}, false, []string{"Beta=1"}},
		{"#ppo?kernels=go", "", protocol.PPO, Link{}, false, []string{"kernels=go"}}, // the page's own options stay in the query
	} {
		r := Parse(tc.hash, tc.query, presets...)
		if !r.HasStage || r.Stage != tc.stage || r.Card != tc.want.Card || r.Preset != tc.want.Preset ||
			!r.Settings.Equal(tc.want.Settings) || r.Projector != tc.projector || !slices.Equal(r.Ignored, tc.ignored) {
			t.Errorf("Parse(%q, %q) = %+v %+v, want %v %+v projector %v ignored %q", tc.hash, tc.query, r, r.Settings, tc.stage, tc.want, tc.projector, tc.ignored)
		}
	}
}

// TestFormat: the hash the page writes, one order for one state, and the
// settings a link carries as the difference from the defaults.
func TestFormat(t *testing.T) {
	s := sim.DefaultSettings()
	if got := Format(protocol.PPO, Link{Settings: Differ(s)}); got != "#ppo" {
		t.Errorf("defaults: %q, want #ppo", got)
	}
	s.PPO.KLCoef, s.K, s.PPO.GoldReward, s.PPO.LR = 0, 6, true, 1 // the learning rate is not in links
	l := Link{Card: 7, Preset: "collapse", Settings: Differ(s)}
	if got, want := Format(protocol.PPO, l), "#ppo?card=7&preset=collapse&beta=0&k=6&gold=1"; got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
	back := Parse(Format(protocol.PPO, l), "", "collapse").Settings.Apply(sim.DefaultSettings())
	if back.PPO.KLCoef != 0 || back.K != 6 || !back.PPO.GoldReward || back.PPO.AdaptiveKL || back.PPO.LR != sim.DefaultPPOConfig().LR {
		t.Errorf("the link's settings applied to the defaults: %+v", back)
	}
	if !(Overrides{}).IsZero() || Differ(s).IsZero() {
		t.Errorf("IsZero")
	}
}
