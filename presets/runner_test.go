package presets

import (
	"reflect"
	"testing"

	"rlhfplayground/assets"
)

// TestRunnerMatchesRun: a Runner stepped to its end gives the Result Run
// gives with the same seed (but for the seconds), with the models passed
// in as the worker passes them, and stops at each progress report.
func TestRunnerMatchesRun(t *testing.T) {
	p, _ := ByName("sft-format")
	want, err := p.Run(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var reports int
	r := p.Start(Options{Models: assets.Models, Progress: func(Progress) { reports++ }})
	steps := 0
	for !r.Finished() {
		r.Step()
		if !r.Finished() {
			steps++
			if _, n := r.Progress(); n != steps || reports != steps {
				t.Fatalf("after %d steps: Progress says %d, %d reports", steps, n, reports)
			}
		}
	}
	got, err := r.Result()
	if err != nil {
		t.Fatal(err)
	}
	if steps < 2 {
		t.Errorf("the run took %d steps, want one per progress report (≥ 2)", steps)
	}
	got.Seconds, want.Seconds = 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the Runner's result differs from Run's:\n%+v\nvs\n%+v", got, want)
	}
	r.Step() // a finished runner stays finished
	if !r.Finished() {
		t.Error("Step after the end started again")
	}
}

// TestRunnerStop: a run stopped midway ends without a result, and its
// later Steps do nothing.
func TestRunnerStop(t *testing.T) {
	p, _ := ByName("label-noise")
	r := p.Start(Options{})
	for range 3 {
		r.Step()
	}
	if pr, n := r.Progress(); r.Finished() || n != 3 || pr.Stage != "label" || pr.Done != 3 {
		t.Fatalf("after 3 steps: finished %v, progress %+v after %d", r.Finished(), pr, n)
	}
	r.Stop()
	r.Step()
	if res, err := r.Result(); !r.Finished() || res != nil || err != nil {
		t.Errorf("a stopped run: finished %v, result %v, %v", r.Finished(), res, err)
	}
}
