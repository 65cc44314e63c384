package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rlhfplayground/quality"
)

// TestTable: -table reads what -report writes. Two reports, one of a full
// run and one of SFT alone with dropout, become two rows with their figures.
func TestTable(t *testing.T) {
	dir := t.TempDir()
	full := defaultRecipe()
	full.Model.Vocab, full.SFTSteps, full.SFT.Dropout, full.Tokens = 886, 2000, 0, 3.7e6
	full.Quality = map[string]*qualityAt{"ppo": {Temperature: 0.7, Report: quality.Report{Grammatical: 0.91, OnTopic: 0.65}}}
	sftOnly := defaultRecipe()
	sftOnly.Model.Vocab, sftOnly.SFTSteps, sftOnly.SFT.Dropout, sftOnly.Base = 886, 3000, 0.2, "assets/pretrained.ckpt"
	sftOnly.Quality = map[string]*qualityAt{"ppo": {Temperature: 0.7, Report: quality.Report{Grammatical: 0.97, OnTopic: 0.74}}}
	sftOnly.Label = &labelReport{MedianVoices: 3, TwoOrMore: 0.94, Report: quality.Report{Grammatical: 0.95}}
	for name, r := range map[string]recipe{"a-full": full, "b-sft": sftOnly} {
		b, err := r.reportJSON(90 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out strings.Builder
	if err := writeTable(&out, dir); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want a header, a rule and two rows:\n%s", len(lines), out.String())
	}
	for i, want := range []string{
		"| a-full | shipped | 4 × 96 (4, 384) | 538849 | 3.7M (7) | 2000 | 91% | 0% | 65% |",
		"| b-sft | shipped | 4 × 96 (4, 384) | 538849 | – (SFT only, -base) | 3000 (0.2) | 97% | 0% | 74% |",
	} {
		if !strings.HasPrefix(lines[2+i], want) {
			t.Errorf("row %d:\n%s\nwant it to start\n%s", i+1, lines[2+i], want)
		}
	}
	if !strings.HasSuffix(lines[3], "| 3 (94%), 95% | 2 |") {
		t.Errorf("row 2 ends %q, want the label sets' figures and 2 minutes", lines[3])
	}
}
