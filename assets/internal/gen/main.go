// Command gen writes the text data embedded by package assets: the
// pretraining corpus, the training and held-out prompts and the SFT
// demonstrations, from the hand-written sentences in topics.go and the
// templates in corpus.go and demos.go.
//
// Run it from the repository root:
//
//	go run ./assets/internal/gen
//
// It is deterministic (one seeded PCG stream), so running it again rewrites
// the same files.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"rlhfplayground/sim"
)

const (
	seed      = 1
	minWord   = 1  // shortest demonstration response, in words ("six.")
	maxWord   = 28 // longest demonstration response, in words
	maxAnswer = 30 // longest demonstration response, in tokens (the app samples at most 32)
)

// Flags for the data variants of the model sweep (docs/model-sweep.md);
// the defaults write the shipped data.
var (
	outDir         = flag.String("out", "assets", "directory to write the files to")
	qaLines        = flag.Int("qa-lines", 6000, "question-and-answer lines in the pretraining corpus")
	demosPerPrompt = flag.Int("demos", 8, "demonstrations per training prompt")
)

func main() {
	flag.Parse()
	rng := rand.New(rand.NewPCG(seed, seed))

	ps := trainingPrompts()
	var prompts, heldout, topicRows []string
	for _, p := range ps {
		prompts = append(prompts, p.q)
		topicRows = append(topicRows, p.t.name+"\t"+p.q)
	}
	for _, t := range topics {
		heldout = append(heldout, t.heldout...)
		for _, q := range t.heldout {
			topicRows = append(topicRows, t.name+"\t"+q)
		}
	}
	demos := demonstrations(rng, ps, *demosPerPrompt)
	corpus := corpusLines(rng, ps)

	writeLines("prompts.txt", prompts)
	writeLines("heldout_prompts.txt", heldout)
	writeLines("prompt_topics.tsv", topicRows)
	writeLines("corpus.txt", corpus)
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
		if hasWord(d.response, "glad") {
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
	writeLines("demonstrations.jsonl", jsonl)
	writeLines("demonstration_labels.tsv", labels)
	writeLines("voices.tsv", voiceRows)
	fmt.Printf("corpus %d lines, prompts %d, held-out %d, demonstrations %d, glad in %d (%.3f)\n",
		len(corpus), len(prompts), len(heldout), len(demos), glad, float64(glad)/float64(len(demos)))
}

// writeLines writes lines, each ending in a newline, to outDir/name.
func writeLines(name string, lines []string) {
	data := strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(*outDir, name), []byte(data), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// hasWord reports whether word is one of the tokens of text.
func hasWord(text, word string) bool {
	for _, w := range sim.Split(text) {
		if w == word {
			return true
		}
	}
	return false
}

// numWords counts the tokens of text that are words, not punctuation.
func numWords(text string) int {
	n := 0
	for _, w := range sim.Split(text) {
		if strings.ContainsAny(w, "abcdefghijklmnopqrstuvwxyz0123456789") {
			n++
		}
	}
	return n
}

// pick returns a random element of xs.
func pick(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }

// stem returns sentence s without its final punctuation mark.
func stem(s string) string { return strings.TrimRight(s, ".!?") }
