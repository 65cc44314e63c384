package class

import (
	"fmt"

	"rlhfplayground/assets"
	"rlhfplayground/sim"
)

// Shipped returns the options for the shipped SFT model and prompts
// (package assets): the generator of candidate sets, the model an uploaded
// reward model must match, and the default limits. The caller adds the
// store.
func Shipped() (Options, error) {
	_, sft, tok, err := assets.Models()
	if err != nil {
		return Options{}, fmt.Errorf("class: %w", err)
	}
	data, err := assets.LabData()
	if err != nil {
		return Options{}, fmt.Errorf("class: %w", err)
	}
	return Options{Generator: NewGenerator(sft, tok, data.Prompts), Model: sim.NewCheckpoint("sft", sft, tok), Limits: DefaultLimits()}, nil
}
