package assets

import (
	"bytes"
	_ "embed"
	"fmt"
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
