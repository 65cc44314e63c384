package assets

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"rlhfplayground/quality"
	"rlhfplayground/sim"
)

// LabData parses the built-in English data into what sim.NewLab takes
// (Pack.LabData of the "en" pack).
func LabData() (sim.LabData, error) { return english().LabData() }

// AllText returns every English text the vocabulary is built from: the
// corpus, the prompts (held-out ones included, so they can be asked) and the
// demonstrations (Pack.AllText of the "en" pack).
func AllText() []string { return english().AllText() }

// english returns the English pack.
func english() *Pack { return englishPack() }

// Models loads the shipped checkpoints: the pretrained model, the SFT model
// and their tokenizer.
func Models() (base, sft *sim.GPT, tok *sim.Tokenizer, err error) { return english().Models() }

// Models loads the pack's checkpoints: the pretrained model, the SFT model
// and their tokenizer.
func (p *Pack) Models() (base, sft *sim.GPT, tok *sim.Tokenizer, err error) {
	if p.Pretrained == nil || p.SFT == nil {
		return nil, nil, nil, fmt.Errorf("assets: %s: %w", p.Lang, ErrNoCheckpoints)
	}
	b, err := sim.ReadCheckpoint(bytes.NewReader(p.Pretrained))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("assets: %s: pretrained.ckpt: %w", p.Lang, err)
	}
	s, err := sim.ReadCheckpoint(bytes.NewReader(p.SFT))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("assets: %s: sft.ckpt: %w", p.Lang, err)
	}
	if b.Config != s.Config || strings.Join(b.Vocab, " ") != strings.Join(s.Vocab, " ") {
		return nil, nil, nil, fmt.Errorf("assets: %s: the shipped checkpoints do not match each other", p.Lang)
	}
	base, tok = b.Model()
	sft, _ = s.Model()
	return base, sft, tok, nil
}

// ErrNoCheckpoints: the program has no checkpoints of the pack built in
// (the English ones in a js/wasm build, whose worker fetches them: see
// checkpoints_js.go).
var ErrNoCheckpoints = errors.New("the shipped checkpoints are not built into this program")

// QualityData returns the built-in English data as package quality judges
// answers against it (Pack.QualityData of the "en" pack).
func QualityData() (quality.Data, error) { return english().QualityData() }
