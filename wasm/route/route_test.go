package route

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
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
	f.Fuzz(func(t *testing.T, hash, query string) {
		r := Parse(hash, query)
		if r.HasStage != (r.Stage.ID() == strings.ToLower(strings.TrimPrefix(clip(hash), "#"))) {
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
		if n > 2*MaxLen {
			t.Errorf("query %q: %d characters ignored, from at most %d read", query, n, MaxLen)
		}
	})
}
