// Command gen writes the text data embedded by package assets: the
// pretraining corpus, the training and held-out prompts and the SFT
// demonstrations, from the hand-written sentences of a language (English:
// en.go and en_topics.go; Traditional Chinese: zh.go and zh_topics.go) and
// the shared templates of corpus.go and demos.go.
//
// Run it from the repository root:
//
//	go run ./assets/internal/gen             # English, into assets/
//	go run ./assets/internal/gen -lang zh-TW # Traditional Chinese, into assets/zh-TW/
//
// It is deterministic (one seeded PCG stream per run), so running it again
// rewrites the same files.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const seed = 1

// Flags for the data variants of the model sweep (docs/model-sweep.md); the
// defaults write the shipped data.
var (
	outDir         = flag.String("out", "", "directory to write the files to (default: the pack's own, assets/ or assets/zh-TW/)")
	qaLines        = flag.Int("qa-lines", 6000, "question-and-answer lines in the pretraining corpus")
	demosPerPrompt = flag.Int("demos", 5, "demonstrations per training prompt")
)

func main() {
	code := flag.String("lang", "en", "the pack to write: en or zh-TW")
	flag.Parse()
	l, ok := languages[*code]
	if !ok {
		var codes []string
		for c := range languages {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		fmt.Fprintf(os.Stderr, "gen: no language %q (have %s)\n", *code, strings.Join(codes, ", "))
		os.Exit(2)
	}
	if err := l.check(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *outDir != "" {
		l.dir = *outDir
	}
	rng := rand.New(rand.NewPCG(seed, seed))

	ps := l.trainingPrompts()
	var prompts, heldout, topicRows []string
	for _, p := range ps {
		prompts = append(prompts, p.q)
		topicRows = append(topicRows, p.t.name+"\t"+p.q)
	}
	for _, t := range l.topics {
		heldout = append(heldout, t.heldout...)
		for _, q := range t.heldout {
			topicRows = append(topicRows, t.name+"\t"+q)
		}
	}
	demos := l.demonstrations(rng, ps, *demosPerPrompt)
	corpus := l.corpusLines(rng, ps)

	l.writeLines("prompts.txt", prompts)
	l.writeLines("heldout_prompts.txt", heldout)
	l.writeLines("prompt_topics.tsv", topicRows)
	l.writeLines("corpus.txt", corpus)
	var jsonl, labels, voiceRows []string
	glad := 0
	for _, d := range demos {
		b, err := json.Marshal(struct {
			Prompt   string `json:"prompt"`
			Response string `json:"response"`
		}{d.prompt, d.response})
		if err != nil {
			panic(err)
		}
		jsonl = append(jsonl, string(b))
		labels = append(labels, d.voice+"\t"+d.topic+"\t"+d.about)
		if l.hasFriendly(d.response) {
			glad++
		}
	}
	for _, v := range voices {
		h := "unhelpful"
		if v.helpful {
			h = "helpful"
		}
		voiceRows = append(voiceRows, fmt.Sprintf("%s\t%s\t%s", v.name, h, v.about))
	}
	l.writeLines("demonstrations.jsonl", jsonl)
	l.writeLines("demonstration_labels.tsv", labels)
	l.writeLines("voices.tsv", voiceRows)
	fmt.Printf("%s: corpus %d lines, prompts %d, held-out %d, demonstrations %d, %q in %d (%.3f)\n",
		l.code, len(corpus), len(prompts), len(heldout), len(demos), l.friendly, glad, float64(glad)/float64(len(demos)))
}

// writeLines writes lines, each ending in a newline, to the file name of l's folder.
func (l *language) writeLines(name string, lines []string) {
	data := strings.Join(lines, "\n") + "\n"
	if err := os.MkdirAll(l.dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(filepath.Join(l.dir, name), []byte(data), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
