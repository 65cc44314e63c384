package main

import (
	"os"
	"os/exec"
	"reflect"
	"slices"
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

// TestSummary checks the table's rows: one per runtime, kernels and build,
// in the order first seen, a column per model, a dash for what was not
// measured, and each "after" row's ratio to the "before" row above it.
func TestSummary(t *testing.T) {
	s := summary{models: []model{{name: "small"}, {name: "4x64", maxNew: 32}}}
	s.add("native", "avx2/t1", "before").tokensPS = 60000
	s.add("native", "avx2/t1", "before").setPPO("small", 80)
	s.add("native", "avx2/t1", "after").tokensPS = 61234
	s.add("native", "avx2/t1", "after").setPPO("small", 40)
	s.add("native", "avx2/t1", "after").setPPO("4x64:32", 100)
	s.add("native", "go", "after").tokensPS = 5900
	s.add("chromium", "tfjs-wasm:simd:custom", "").tokensPS = 3849
	var b strings.Builder
	s.print(&b)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines, want header, rule and 4 rows:\n%s", len(lines), b.String())
	}
	if !strings.Contains(lines[0], "PPO iteration, 4x64:32") {
		t.Errorf("header %q lacks the 4x64:32 column", lines[0])
	}
	for i, want := range [][]string{{"before", "60000 tokens/s", "80 ms", "| – |"}, {"after", "61234 tokens/s (1.02×)", "40 ms (2.00×)", "100 ms |"},
		{"go", "5900 tokens/s |", "| – | – |"}, {"tfjs-wasm:simd:custom", "3849 tokens/s"}} {
		for _, w := range want {
			if !strings.Contains(lines[2+i], w) {
				t.Errorf("row %d %q lacks %q", i, lines[2+i], w)
			}
		}
	}
}

func TestParseModels(t *testing.T) {
	ms, err := parseModels("small,4x64:32")
	if err != nil || !reflect.DeepEqual(ms, []model{{name: "small"}, {name: "4x64", maxNew: 32}}) {
		t.Errorf("parseModels: %v, %v", ms, err)
	}
	for _, bad := range []string{"", "small:", "4x64:0", ":3"} {
		if _, err := parseModels(bad); err == nil {
			t.Errorf("parseModels(%q) accepted", bad)
		}
	}
}

// TestWorkloadHasCheckpoints: workload.wasm, built with workloadTags, has
// the shipped checkpoints that its PPO runs on (a plain js build leaves
// them out: the app's worker fetches them).
func TestWorkloadHasCheckpoints(t *testing.T) {
	for _, c := range []struct {
		tags string
		want bool
	}{{workloadTags, true}, {"", false}} {
		cmd := exec.Command("go", "list", "-tags", c.tags, "-f", "{{.EmbedFiles}}", "rlhfplayground/assets")
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		files := strings.Fields(strings.Trim(strings.TrimSpace(string(out)), "[]"))
		if got := slices.Contains(files, "sft.ckpt"); got != c.want {
			t.Errorf("js build with tags %q embeds %s; want sft.ckpt in it: %v", c.tags, out, c.want)
		}
	}
}

// TestSummarySFT: with SFT steps measured the table has their column,
// right-aligned, with the ratio of "after" to "before".
func TestSummarySFT(t *testing.T) {
	s := summary{models: []model{{name: "small"}}}
	s.add("chromium", "simd", "before").sftMS = 60
	s.add("chromium", "simd", "after").sftMS = 40
	s.add("chromium", "simd", "after").setPPO("small", 500)
	var b strings.Builder
	s.print(&b)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "| SFT step | PPO iteration, small |") || lines[1] != "| --- | --- | --- | --: | --: | --: |" {
		t.Fatalf("table:\n%s", b.String())
	}
	if !strings.Contains(lines[3], "| 40.0 ms (1.50×) | 500 ms |") || !strings.Contains(lines[2], "| 60.0 ms | – |") {
		t.Errorf("rows:\n%s", b.String())
	}
}
