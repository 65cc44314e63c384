package assets

import "rlhfplayground/sim"

// NewLab starts a session as the app ships it: settings s over data (from
// LabData), with the shipped pretrained and SFT models.
func NewLab(s sim.Settings, data sim.LabData) (*sim.Lab, error) {
	base, sft, tok, err := Models()
	if err != nil {
		return nil, err
	}
	return sim.NewLab(s, data, tok, base, sft)
}
