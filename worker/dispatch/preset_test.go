package dispatch

import (
	"encoding/json"
	"reflect"
	"testing"

	"rlhfplayground/assets"
	"rlhfplayground/presets"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

func presetTab(t *testing.T) (*Dispatcher, *recorder) {
	t.Helper()
	data, err := assets.LabData()
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() (*sim.Lab, error) { return assets.NewLab(sim.DefaultSettings(), data) }
	lab, err := fresh()
	if err != nil {
		t.Fatal(err)
	}
	var rec recorder
	d := New(lab, data, fresh, rec.emit)
	d.Handle(1, protocol.Hello{}, nil)
	return d, &rec
}

// TestRunPreset: an experiment runs as a job of many steps, reports which
// part of it runs, ends with the result Run gives, and leaves the session
// as it was.
func TestRunPreset(t *testing.T) {
	d, rec := presetTab(t)
	d.Handle(2, protocol.RunPreset{Name: "nope"}, nil)
	if m, _ := last[protocol.Message](rec); m.Job != protocol.JobPreset || d.Busy() {
		t.Fatalf("an unknown experiment: %+v, busy %v", m, d.Busy())
	}
	journal := d.Lab.Journal()
	d.Handle(3, protocol.RunPreset{Name: "sft-format"}, nil)
	steps, stages := 0, map[string]bool{}
	for d.Work() {
		steps++
		d.Flush()
		if p, _ := last[protocol.Progress](rec); p.State.Job == protocol.JobPreset {
			if p.State.Preset != "sft-format" {
				t.Fatalf("state while it runs: preset %q", p.State.Preset)
			}
			stages[p.State.PresetStage] = true
		}
	}
	got, ok := last[protocol.PresetResult](rec)
	if !ok {
		t.Fatal("no PresetResult")
	}
	p, _ := presets.ByName("sft-format")
	res, err := p.Run(presets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := PresetResult(res)
	got.Seconds, want.Seconds = 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the worker's result differs from Run's:\n%+v\nvs\n%+v", got, want)
	}
	if steps < 3 || !stages["samples"] {
		t.Errorf("%d steps, stages %v: want one Work per progress report, the stage reported", steps, stages)
	}
	d.Flush()
	if p, _ := last[protocol.Progress](rec); p.State.Job != protocol.Idle || p.State.Preset != "" {
		t.Errorf("state after the run: %+v", p.State)
	}
	if d.Lab.Journal() != journal || len(d.Lab.Rankings) != 0 || d.Lab.RM != nil {
		t.Errorf("the session changed: journal %d → %d, %d rankings", journal, d.Lab.Journal(), len(d.Lab.Rankings))
	}
	if _, due := d.SaveDue(); due {
		t.Error("an experiment asked for a save of the session it did not touch")
	}
}

// TestPausePreset: Pause abandons the experiment, and no result comes.
func TestPausePreset(t *testing.T) {
	d, rec := presetTab(t)
	d.Handle(2, protocol.RunPreset{Name: "label-noise"}, nil)
	for range 4 {
		d.Work()
	}
	d.Flush()
	if p, _ := last[protocol.Progress](rec); p.State.PresetStage != "label" || p.State.JobDone != 4 {
		t.Fatalf("after 4 steps: %+v", p.State)
	}
	d.Handle(3, protocol.Pause{}, nil)
	if d.Busy() || d.Work() {
		t.Fatal("the experiment runs on after Pause")
	}
	if _, ok := last[protocol.PresetResult](rec); ok {
		t.Error("a paused experiment sent a result")
	}
}

// TestPresetResultFields: the protocol's copy of a result has every field
// of presets.Result (their JSON is the same).
func TestPresetResultFields(t *testing.T) {
	res := &presets.Result{Preset: "p", Seed: 2, Seconds: 3, Figures: []presets.Figure{{Name: "f", Value: 1}},
		Charts: []presets.Chart{{Name: "c", Title: "t", XLabel: "x", YLabel: "y", Lines: []presets.Line{{Name: "l", X: []float64{1}, Y: []float64{2}}},
			Categories: []string{"a"}, MarkX: []float64{0.5}, Scatter: true}},
		Answers: []presets.AnswerPair{{Prompt: "q", Before: "a", After: "b"}}, Claims: []presets.Claim{{Text: "c", Held: true}}, TopSentence: "s"}
	a, _ := json.Marshal(res)
	b, _ := json.Marshal(PresetResult(res))
	if string(a) != string(b) {
		t.Errorf("presets.Result %s\nprotocol.PresetResult %s", a, b)
	}
	var all map[string]any
	_ = json.Unmarshal(a, &all)
	if n := reflect.TypeFor[presets.Result]().NumField(); len(all) != n {
		t.Errorf("the example sets %d of presets.Result's %d fields: set them all", len(all), n)
	}
}
