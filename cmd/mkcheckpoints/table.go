package main

// -table DIR: the model-size sweep's table (docs/model-sweep.md), one row per
// report that runs of this command wrote with -report into DIR.

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// sweepRow is the part of a -report file the table shows.
type sweepRow struct {
	Name          string `json:"-"`
	Model         struct{ Vocab, Context, Embd, Layers, Heads, MLP int }
	Params        int     `json:"params"`
	PretrainSteps int     `json:"pretrain_steps"`
	SFTSteps      int     `json:"sft_steps"`
	Seconds       float64 `json:"seconds"`
	Pretrain      struct {
		Batch int `json:"batch"`
	} `json:"pretrain"`
	SFT struct {
		Dropout float64 `json:"dropout"`
	} `json:"sft"`
	Tokens  float64 `json:"pretrain_tokens"`
	Quality map[string]*struct {
		Report struct {
			Grammatical float64 `json:"grammatical"`
			Fluent      float64 `json:"fluent"`
			OnTopic     float64 `json:"on_topic"`
			Helpful     float64 `json:"helpful"`
			Distinct    float64 `json:"distinct"`
		} `json:"report"`
	} `json:"quality"`
	Label *struct {
		EveryVoice   bool    `json:"every_voice"`
		MedianVoices int     `json:"median_voices"`
		TwoOrMore    float64 `json:"two_or_more"`
		Report       struct {
			Grammatical float64 `json:"grammatical"`
		} `json:"report"`
	} `json:"label"`
	Data string `json:"data,omitempty"`
}

// writeTable prints the Markdown table of every *.json report in dir.
func writeTable(w io.Writer, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	var rows []sweepRow
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r sweepRow
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("mkcheckpoints: %s: %w", f, err)
		}
		r.Name = strings.TrimSuffix(filepath.Base(f), ".json")
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	fmt.Fprintln(w, "| run | data | L × d (heads, MLP) | parameters | pretraining tokens (per parameter) | SFT steps (dropout) | grammatical | fluent | on topic | helpful voices | distinct | label sets: voices in 4 (≥ 2), grammatical at T 1 | minutes |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
	pct := func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }
	for _, r := range rows {
		q := r.Quality["ppo"]
		if q == nil {
			continue
		}
		label := "–"
		if r.Label != nil {
			label = fmt.Sprintf("%d (%s), %s", r.Label.MedianVoices, pct(r.Label.TwoOrMore), pct(r.Label.Report.Grammatical))
		}
		data := r.Data
		if data == "" {
			data = "shipped"
		}
		tokens := fmt.Sprintf("%.1fM (%.0f)", r.Tokens/1e6, r.Tokens/float64(max(1, r.Params)))
		if r.Tokens == 0 {
			tokens = "– (SFT only, -base)"
		}
		sft := fmt.Sprint(r.SFTSteps)
		if r.SFT.Dropout > 0 {
			sft += fmt.Sprintf(" (%g)", r.SFT.Dropout)
		}
		fmt.Fprintf(w, "| %s | %s | %d × %d (%d, %d) | %d | %s | %s | %s | %s | %s | %s | %s | %s | %.0f |\n",
			r.Name, data, r.Model.Layers, r.Model.Embd, r.Model.Heads, r.Model.MLP, r.Params,
			tokens, sft,
			pct(q.Report.Grammatical), pct(q.Report.Fluent), pct(q.Report.OnTopic), pct(q.Report.Helpful), pct(q.Report.Distinct),
			label, r.Seconds/60)
	}
	return nil
}
