package assets

import (
	"strings"

	"rlhfplayground/sim"
)

// LabData parses the built-in data into what sim.NewLab takes.
func LabData() (sim.LabData, error) {
	demos, err := sim.ParseDemonstrations(strings.NewReader(Demonstrations))
	if err != nil {
		return sim.LabData{}, err
	}
	return sim.LabData{Corpus: Lines(Corpus), Prompts: Lines(Prompts), HeldoutPrompts: Lines(HeldoutPrompts), Demonstrations: demos}, nil
}

// AllText returns every text the vocabulary is built from: the corpus, the
// prompts (held-out ones included, so they can be asked) and the demonstrations.
func AllText() []string {
	texts := append(append(Lines(Corpus), Lines(Prompts)...), Lines(HeldoutPrompts)...)
	demos, _ := sim.ParseDemonstrations(strings.NewReader(Demonstrations))
	for _, d := range demos {
		texts = append(texts, d.Prompt, d.Response)
	}
	return texts
}
