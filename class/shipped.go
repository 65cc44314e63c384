package class

import (
	"errors"
	"fmt"

	"rlhfplayground/assets"
	"rlhfplayground/sim"
)

// Shipped returns the options for the shipped SFT models and prompts of
// every language with checkpoints (package assets): for each, the generator
// of candidate sets and the model an uploaded reward model must match; and
// the default limits. The caller adds the store.
func Shipped() (Options, error) {
	opt := Options{Models: map[string]Model{}, Limits: DefaultLimits()}
	for _, p := range assets.Packs() {
		_, sft, tok, err := p.Models()
		if errors.Is(err, assets.ErrNoCheckpoints) {
			continue
		}
		if err != nil {
			return Options{}, fmt.Errorf("class: %w", err)
		}
		data, err := p.LabData()
		if err != nil {
			return Options{}, fmt.Errorf("class: %w", err)
		}
		opt.Models[p.Lang] = Model{Generator: NewGenerator(sft, tok, data.Prompts), Checkpoint: sim.NewCheckpoint("sft", sft, tok)}
	}
	if _, ok := opt.Models[DefaultLang]; !ok {
		return Options{}, fmt.Errorf("class: no %s model", DefaultLang)
	}
	return opt, nil
}
