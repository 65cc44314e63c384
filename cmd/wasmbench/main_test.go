package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestConfigs(t *testing.T) {
	for _, c := range []struct {
		rt   string
		want []string
	}{
		{"native", []string{"go", "avx2/t1", "avx2/t2"}},
		{"node", []string{"simd", "go"}},
		{"chromium", []string{"simd", "go"}},
	} {
		var got []string
		for _, cfg := range configs(c.rt, "simd,go", "go,avx2", "1,2") {
			got = append(got, cfg.label())
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.rt, got, c.want)
		}
	}
}

// TestSummary checks the table's rows: one per runtime and kernels, in the
// order first seen, with a dash for what was not measured.
func TestSummary(t *testing.T) {
	var s summary
	s.add("native", "avx2/t1").tokensPS = 61234
	s.add("native", "go").tokensPS = 5900
	s.add("native", "avx2/t1").ppoMS = 61
	s.add("chromium", "tfjs-wasm:simd:custom").tokensPS = 3849
	var b strings.Builder
	s.print(&b)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want header, rule and 3 rows:\n%s", len(lines), b.String())
	}
	for i, want := range [][]string{{"avx2/t1", "61234 tokens/s", "61 ms"}, {"go", "5900 tokens/s", "–"}, {"tfjs-wasm:simd:custom", "3849 tokens/s", "–"}} {
		for _, w := range want {
			if !strings.Contains(lines[2+i], w) {
				t.Errorf("row %d %q lacks %q", i, lines[2+i], w)
			}
		}
	}
}
