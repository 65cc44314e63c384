package assets

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"

	"rlhfplayground/quality"
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

// The shipped checkpoints, made by cmd/mkcheckpoints (see README.md).
var (
	//go:embed pretrained.ckpt
	Pretrained []byte // the model after pretraining on Corpus

	//go:embed sft.ckpt
	SFT []byte // Pretrained after supervised fine-tuning on Demonstrations
)

// Models loads the shipped checkpoints: the pretrained model, the SFT model
// and their tokenizer.
func Models() (base, sft *sim.GPT, tok *sim.Tokenizer, err error) {
	b, err := sim.ReadCheckpoint(bytes.NewReader(Pretrained))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("assets: pretrained.ckpt: %w", err)
	}
	s, err := sim.ReadCheckpoint(bytes.NewReader(SFT))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("assets: sft.ckpt: %w", err)
	}
	if b.Config != s.Config || strings.Join(b.Vocab, " ") != strings.Join(s.Vocab, " ") {
		return nil, nil, nil, fmt.Errorf("assets: the shipped checkpoints do not match each other")
	}
	base, tok = b.Model()
	sft, _ = s.Model()
	return base, sft, tok, nil
}

// QualityData returns the built-in data as package quality judges answers
// against it: the training text, every prompt's topic, the labelled
// demonstrations and the voices.
func QualityData() (quality.Data, error) {
	demos, err := sim.ParseDemonstrations(strings.NewReader(Demonstrations))
	if err != nil {
		return quality.Data{}, err
	}
	labels := Lines(DemonstrationLabels)
	if len(labels) != len(demos) {
		return quality.Data{}, fmt.Errorf("assets: %d demonstration labels for %d demonstrations", len(labels), len(demos))
	}
	d := quality.Data{Prompts: map[string]string{}}
	d.Training = append(Lines(Corpus), Lines(Prompts)...)
	for i, dm := range demos {
		f := strings.Split(labels[i], "\t")
		if len(f) < 2 {
			return quality.Data{}, fmt.Errorf("assets: demonstration label %d: %q is not voice<TAB>topic<TAB>about", i+1, labels[i])
		}
		about := ""
		if len(f) > 2 {
			about = f[2]
		}
		d.Training = append(d.Training, dm.Prompt, dm.Response)
		d.Demonstrations = append(d.Demonstrations, quality.Demonstration{Prompt: dm.Prompt, Response: dm.Response, Voice: f[0], Topic: f[1], About: about})
	}
	for _, l := range Lines(PromptTopics) {
		topic, prompt, ok := strings.Cut(l, "\t")
		if !ok {
			return quality.Data{}, fmt.Errorf("assets: prompt_topics.tsv: %q is not topic<TAB>prompt", l)
		}
		d.Prompts[prompt] = topic
	}
	for _, l := range Lines(Voices) {
		f := strings.Split(l, "\t")
		if len(f) < 2 {
			return quality.Data{}, fmt.Errorf("assets: voices.tsv: %q is not voice<TAB>helpful|unhelpful<TAB>about", l)
		}
		d.Voices = append(d.Voices, quality.Voice{Name: f[0], Helpful: f[1] == "helpful"})
	}
	return d, nil
}
