package protocol

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"rlhfplayground/sim"
)

// TestRoundTrip encodes one message of every kind and decodes it back.
func TestRoundTrip(t *testing.T) {
	ranking := sim.Ranking{ID: 7, Prompt: "p", Answers: []string{"a", "b"}, Order: []int{1, 0}, Labeler: sim.You}
	commands := []Command{Hello{Journal: []sim.Action{{Seq: 3, Ranking: &ranking}}, Tab: "t1", Lang: "zh-TW"}, Run{Job: JobPPO}, Step{Job: JobSFT}, Pause{}, TrainReward{}, AutoLabel{N: 20},
		Rank{Candidate: 7, Order: []int{2, 0, 1}, Seq: 4}, Skip{Candidate: 7}, SetSettings{Settings: sim.DefaultSettings(), Seq: 5},
		AddDemo{Demo: sim.Demonstration{Prompt: "p", Response: "r"}, Seq: 6}, ShowSamples{}, ShowCompare{Prompt: 3},
		ShowProbe{Prompt: 1, Pos: 2, Resample: true}, Visible{Visible: true}, Restart{Job: JobSFT}, Export{}, Import{}, Reset{},
		Save{}, Release{}, SwitchModel{Lang: "zh-TW", Journal: []sim.Action{{Seq: 8, Lang: "zh-TW", Ranking: &ranking}}},
		Offer{Prompt: "p", Answers: []string{"a", "b"}}, TrainClassReward{}, UseRewardModel{Source: "class v2"}, UseOwnRewardModel{},
		RunPreset{Name: "no-kl", Seed: 3}, PPOTrace{}}
	if len(commands) != len(commandKinds) {
		t.Fatalf("%d commands tried, %d registered", len(commands), len(commandKinds))
	}
	for i, c := range commands {
		b, err := EncodeCommand(uint64(i+1), c)
		if err != nil {
			t.Fatal(err)
		}
		id, back, err := DecodeCommand(b)
		if err != nil || id != uint64(i+1) || !reflect.DeepEqual(back, c) {
			t.Errorf("%T: %s decodes to %d %#v (%v)", c, b, id, back, err)
		}
	}
	one := 0.5
	updates := []Update{Ready{Vocab: []string{"<pad>"}, Personas: []string{"concise"}, Prompts: []string{"why?"}, Lang: "en", Models: []string{"en", "zh-TW"}},
		Progress{State: State{Status: sim.Status{Rankings: 3, Agreement: map[string]float64{"concise": 1}}, Done: 9, Applied: 8, Stored: 7,
			Storage: NotSaved, Job: JobReward, JobDone: 1, JobTotal: 4, Kept: map[string]uint64{"zh-TW": 5}},
			History: &History{PPO: Tail[sim.PPOStats]{From: 2, Items: []sim.PPOStats{{Iteration: 3, GoldMean: &one}}}}},
		Progress{},
		Demos{Builtin: 1, List: Tail[sim.Demonstration]{Items: []sim.Demonstration{{Prompt: "p", Response: "r"}}}},
		Candidate{ID: 4, Prompt: "p", Answers: []string{"a", "b"}, Scores: []float64{1, -1}}, Samples{Step: 1, Sentences: []string{"s"}},
		Compare{Prompt: "p", Before: []string{"a"}, After: []string{"b"}}, Probe{Prompt: "p", Tokens: []sim.TokenKL{{Word: "w", KL: 0.1}}},
		Message{Code: Diverged, Job: JobPPO, Detail: "loss NaN"}, Message{Code: WasReset, Seq: 9, Lang: "zh-TW"}, DemoAdded{}, SessionFile{}, Released{},
		ClassRewardModel{Rankings: 12, Eval: sim.RewardEval{Step: 8, Accuracy: 0.75, Pairs: 12}},
		PresetResult{Preset: "no-kl", Seed: 1, Seconds: 40.5, Figures: []PresetFigure{{Name: "kl.last_mean", Value: 18.2}},
			Charts: []PresetChart{{Name: "no-kl_kl", Title: "KL", XLabel: "PPO iteration", YLabel: "KL", Lines: []PresetLine{{Name: "KL", X: []float64{1, 2}, Y: []float64{0.5, 2}}},
				Categories: []string{"a"}, MarkX: []float64{1.5}, Scatter: true}},
			Answers: []PresetAnswer{{Prompt: "p", Before: "a", After: "b"}}, Claims: []PresetClaim{{Text: "the KL runs away", Held: true}}, TopSentence: "s"},
		Trace{Iteration: 2, Prompt: "p", Answer: "a .", Words: []string{"a", ".", "<eos>"}, Ended: true, Batch: 32, Score: 0.5, Beta: 0.05,
			LogProb: []float64{-1, -2, -0.5}, RefLogProb: []float64{-1.1, -2, -0.4}, KL: []float64{0.1, 0, -0.1}, Estimator: "k1", KLSum: 0,
			Rewards: []float64{-0.005, 0, 0.505}, Values: []float64{0.1, 0.2, 0.3}, AdvRaw: []float64{0.3, 0.2, 0.1}, Adv: []float64{1, 0, -1},
			AdvMean: 0.2, AdvStd: 0.1, Whitened: true, ClipRange: 0.2, Ratio: []float64{1, 1.3, 0.9}, Clipped: []bool{false, true, false},
			OldProb: []float64{0.37, 0.14, 0.6}, NewProb: []float64{0.38, 0.18, 0.55}}}
	if len(updates) != len(updateKinds)+2 { // Progress twice: with and without history; Message twice
		t.Fatalf("%d updates tried, %d registered", len(updates), len(updateKinds))
	}
	for _, u := range updates {
		b, err := EncodeUpdate(u)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeUpdate(b)
		if err != nil || !reflect.DeepEqual(back, u) {
			t.Errorf("%T: %s decodes to %#v (%v)", u, b, back, err)
		}
	}
	if _, _, err := DecodeCommand([]byte(`{"kind":"Progress","body":{}}`)); err == nil {
		t.Error("an update decoded as a command")
	}
}

// TestRankCarriesNoText: a ranking on the wire is the candidate's ID, an
// order and the number of its journal entry.
func TestRankCarriesNoText(t *testing.T) {
	b, _ := EncodeCommand(12, Rank{Candidate: 3, Order: []int{1, 0, 3, 2}, Seq: 40})
	if want := `{"id":12,"kind":"Rank","body":{"Candidate":3,"Order":[1,0,3,2],"Seq":40}}`; string(b) != want {
		t.Errorf("a ranking on the wire: %s, want %s", b, want)
	}
}

// TestCommandLimit: a command longer than MaxCommandBytes is refused unread.
func TestCommandLimit(t *testing.T) {
	big := []byte(`{"kind":"Hello","body":{"Tab":"` + strings.Repeat("x", MaxCommandBytes) + `"}}`)
	if _, _, err := DecodeCommand(big); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("a command of %d bytes: %v, want it refused", len(big), err)
	}
}

// TestHistoryTails: the cursor sends what the page lacks, the page's copy
// follows, and a shortened list (a restart) is sent whole.
func TestHistoryTails(t *testing.T) {
	var h, page sim.History
	var c HistoryCursor
	for step := range 5 {
		h.SFT = append(h.SFT, sim.SFTStats{Step: step + 1})
		if step%2 == 0 {
			h.PPO = append(h.PPO, sim.PPOStats{Iteration: step + 1})
		}
		u, ok := c.Next(&h)
		if !ok {
			t.Fatalf("step %d: nothing to send", step)
		}
		u.Apply(&page)
		if !reflect.DeepEqual(page.SFT, h.SFT) || !reflect.DeepEqual(page.PPO, h.PPO) {
			t.Fatalf("step %d: the page has %v %v, want %v %v", step, page.SFT, page.PPO, h.SFT, h.PPO)
		}
	}
	if u, ok := c.Next(&h); ok {
		t.Errorf("nothing new, yet %+v was sent", u)
	}
	h.PPO = h.PPO[:1:1] // RestartPPO, then one iteration
	u, _ := c.Next(&h)
	if u.PPO.From != 0 || len(u.PPO.Items) != 1 {
		t.Errorf("after a restart: %+v, want the list whole", u.PPO)
	}
	u.Apply(&page)
	if len(page.PPO) != 1 || !slices.Equal(sftSteps(page.SFT), []int{1, 2, 3, 4, 5}) {
		t.Errorf("the page has %v and %d PPO iterations", page.SFT, len(page.PPO))
	}
}

func sftSteps(s []sim.SFTStats) []int {
	var out []int
	for _, x := range s {
		out = append(out, x.Step)
	}
	return out
}

// TestProblemCodes: each condition the engine names has its code, whatever
// the developer detail around it; anything else is Failed.
func TestProblemCodes(t *testing.T) {
	for _, c := range codes {
		err := fmt.Errorf("sim: somewhere: %w", c.err)
		if m := Problem(err, JobPPO); m.Code != c.code || m.Detail != err.Error() || m.Job != JobPPO {
			t.Errorf("%v: %+v, want code %s", err, m, c.code)
		}
	}
	if m := Problem(errors.New("dispatch: bug"), Idle); m.Code != Failed || m.Code.IsNotice() {
		t.Errorf("an unnamed error: %+v", m)
	}
	if !Imported.IsNotice() || !WasReset.IsNotice() {
		t.Error("the notices are not notices")
	}
}

func TestStages(t *testing.T) {
	for s := range NumStages {
		if back, ok := StageByID(s.ID()); !ok || back != s {
			t.Errorf("stage %d: ID %q reads back as %d", s, s.ID(), back)
		}
	}
	for j, want := range map[Job]Stage{JobPretrain: Pretrain, JobSFT: SFT, JobReward: Label, JobAutoLabel: Label, JobPPO: PPO} {
		if j.Stage() != want {
			t.Errorf("job %q is shown on %s, want %s", j, j.Stage().ID(), want.ID())
		}
	}
}

// TestWorkerJSMessage: the messages written in JavaScript (worker.js, when
// the engine's wasm cannot start or stops) decode as the Messages they stand
// for, with codes this package defines.
func TestWorkerJSMessage(t *testing.T) {
	u, err := DecodeUpdate([]byte(`{"kind":"Message","body":{"code":"no-engine","detail":"worker.js: TypeError"}}`))
	if m, ok := u.(Message); err != nil || !ok || m.Code != NoEngine || m.Detail != "worker.js: TypeError" {
		t.Errorf("worker.js's message decodes to %#v (%v)", u, err)
	}
	js, err := os.ReadFile("../worker.js")
	if err != nil {
		t.Fatal(err)
	}
	told := regexp.MustCompile(`"(no-engine|engine-stopped|[a-z-]+)"`).FindAllStringSubmatch(string(js), -1)
	want := map[Code]bool{NoEngine: false, EngineStopped: false}
	for _, m := range told {
		if _, ok := want[Code(m[1])]; ok {
			want[Code(m[1])] = true
		}
	}
	for c, seen := range want {
		if !seen {
			t.Errorf("worker.js never sends %q", c)
		}
	}
}
