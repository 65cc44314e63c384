package assets

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"testing"

	"rlhfplayground/sim"
)

// update rewrites testdata/golden.json: go test ./assets -run Golden -update
var update = flag.Bool("update", false, "rewrite testdata/golden.json with the losses of this run")

// TestGoldenLosses pins the first losses of the seeded runs that made the
// shipped checkpoints (cmd/mkcheckpoints -seed 1): three pretraining steps
// from a fresh model and three SFT steps, with the recipe's SFT settings,
// from the shipped pretrained model.
// A change to the model, the data order or the optimiser shows up here.
func TestGoldenLosses(t *testing.T) {
	data, err := LabData()
	if err != nil {
		t.Fatal(err)
	}
	base, _, tok, err := Models()
	if err != nil {
		t.Fatal(err)
	}
	settings := sim.DefaultSettings()
	en, _ := PackByLang("en")
	settings.SFT = en.Recipe().SFT // the recipe's SFT: its warm-up and its dropout
	fresh := sim.NewModel[float32](base.Config)
	fresh.Params.Init(base.Config, sim.NewStreams(settings.Seed).Init.NormFloat64)
	pre, err := sim.NewLab(settings, data, tok, fresh, nil)
	if err != nil {
		t.Fatal(err)
	}
	sft, err := sim.NewLab(settings, data, tok, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]float64{}
	for range 3 {
		p, err := pre.PretrainStep()
		if err != nil {
			t.Fatal(err)
		}
		s, err := sft.SFTStep()
		if err != nil {
			t.Fatal(err)
		}
		got["pretrain"] = append(got["pretrain"], p.Loss)
		got["sft"] = append(got["sft"], s.Loss)
	}
	const path = "testdata/golden.json"
	if *update {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][]float64
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	// float32 arithmetic in another order (another kernel set) moves the
	// fifth decimal; a real change moves the second.
	const tol = 1e-3
	for stage, losses := range want {
		for i, w := range losses {
			if g := got[stage][i]; math.Abs(g-w) > tol {
				t.Errorf("%s step %d: loss %.5f, golden %.5f (after an intended change: go test ./assets -run Golden -update)", stage, i+1, g, w)
			}
		}
	}
	t.Logf("losses %v", got)
}
