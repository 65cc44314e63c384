package dispatch

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"

	"rlhfplayground/assets"
	"rlhfplayground/internal/testpack"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// recorder keeps the updates a dispatcher emits.
type recorder struct{ got []protocol.Update }

func (r *recorder) emit(u protocol.Update, _ []byte) { r.got = append(r.got, u) }

// last returns the newest update of type T.
func last[T protocol.Update](r *recorder) (T, bool) {
	for i := len(r.got) - 1; i >= 0; i-- {
		if u, ok := r.got[i].(T); ok {
			return u, true
		}
	}
	var zero T
	return zero, false
}

// TestSession drives a dispatcher the way the page does: hello, a ranking
// by the candidate's ID, a setting, an auto-labelling job and a reward-model
// job, then a snapshot that restores with the same rankings and settings.
func TestSession(t *testing.T) {
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
	ready, ok := last[protocol.Ready](&rec)
	cand, _ := last[protocol.Candidate](&rec)
	demos, _ := last[protocol.Demos](&rec)
	if !ok || len(ready.Vocab) == 0 || len(ready.Personas) != 4 || len(cand.Answers) != 4 || len(demos.List.Items) != demos.Builtin {
		t.Fatalf("hello: %+v", rec.got)
	}
	d.Handle(2, protocol.Rank{Candidate: cand.ID, Order: []int{1, 0, 3, 2}}, nil)
	if next, _ := last[protocol.Candidate](&rec); next.ID == cand.ID || len(lab.Rankings) != 1 || lab.Rankings[0].Answers[1] != cand.Answers[1] {
		t.Fatalf("after the ranking: candidate %d (was %d), %d rankings", next.ID, cand.ID, len(lab.Rankings))
	}
	s := lab.Settings
	s.Persona = "concise"
	d.Handle(3, protocol.SetSettings{Settings: s}, nil)
	d.Handle(4, protocol.AutoLabel{N: 9}, nil)
	for d.Work() {
	}
	d.Handle(5, protocol.TrainReward{}, nil)
	if !d.Busy() || d.total != d.rm.Steps() {
		t.Fatalf("reward-model job: busy %v, %d steps, want the job's %d", d.Busy(), d.total, d.rm.Steps())
	}
	for d.Work() {
	}
	if scored, _ := last[protocol.Candidate](&rec); len(scored.Scores) != 4 {
		t.Errorf("after the reward model: the candidate has %d scores, want 4", len(scored.Scores))
	}
	rec.got = nil
	d.Flush()
	p, _ := last[protocol.Progress](&rec)
	st := p.State
	if st.Rankings != 10 || st.YourRankings != 1 || !st.HasRM || st.Agreement == nil || st.Settings.Persona != "concise" || st.Done != 5 {
		t.Fatalf("state after the jobs: %+v", st)
	}
	if len(st.Newest) != sim.NewestRankings || st.Newest[0].Labeler != "concise" {
		t.Errorf("newest rankings: %+v, want %d, newest by concise", st.Newest, sim.NewestRankings)
	}
	h := p.History
	if h == nil || len(h.Reward.Items) == 0 || len(h.RewardEvals.Items) == 0 || h.Reward.From != 0 {
		t.Errorf("history: %+v; want every reward step and evaluation", h)
	}
	b, err := d.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	d.Saved(1)
	rec.got = nil
	d.Flush()
	if p, _ := last[protocol.Progress](&rec); p.State.Stored != 5 || p.State.SavedAt != 1 || p.History != nil {
		t.Errorf("after the save: %+v; want stored 5, saved at 1, no history", p)
	}
	back, err := sim.ReadSnapshot(b, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Rankings) != 10 || back.Settings.Persona != "concise" || back.RM == nil {
		t.Errorf("restored: %d rankings, persona %q, RM %v", len(back.Rankings), back.Settings.Persona, back.RM != nil)
	}
	// A foreign file is refused and the session stays.
	rec.got = nil
	d.Handle(6, protocol.Import{}, []byte("not a zip"))
	if m, _ := last[protocol.Message](&rec); m.Code != protocol.NotSession || d.Lab != lab {
		t.Errorf("import of a foreign file: %+v", rec.got)
	}
	// So is a zip that is not a session, and a damaged session, each with its own code.
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("notes.txt")
	w.Write([]byte("hello"))
	zw.Close()
	if _, err := sim.ReadSnapshot(zipped.Bytes(), data); !errors.Is(err, sim.ErrNotSession) {
		t.Errorf("a zip without session.json: %v, want ErrNotSession", err)
	}
	damaged := bytes.Clone(b)
	damaged[len(damaged)/2] ^= 0xff // in a stored file's data: a checksum error
	rec.got = nil
	d.Handle(7, protocol.Import{}, damaged)
	if m, _ := last[protocol.Message](&rec); m.Code != protocol.DamagedSession || d.Lab != lab {
		t.Errorf("import of a damaged session: %+v", rec.got)
	}
	// A good one replaces the session, and the page is sent everything anew.
	rec.got = nil
	d.Handle(8, protocol.Import{}, b)
	d.Flush()
	if m, _ := last[protocol.Message](&rec); m.Code != protocol.Imported || d.Lab == lab {
		t.Errorf("import of a session: %+v", rec.got)
	}
	if p, _ := last[protocol.Progress](&rec); p.History == nil || p.History.Reward.From != 0 || len(p.History.Reward.Items) != len(lab.History.Reward) {
		t.Errorf("after the import the history is not sent whole: %+v", p.History)
	}
}

// TestDivergedStep: a step that diverges stops its job and is reported by
// code, with the job whose learning rate to lower; the detail is kept for
// the console, and the weights are the ones from before the step.
func TestDivergedStep(t *testing.T) {
	data, err := assets.LabData()
	if err != nil {
		t.Fatal(err)
	}
	s := sim.DefaultSettings()
	s.Reward.LR = 1e39 // beyond float32: the first update makes the weights infinite
	lab, err := assets.NewLab(s, data)
	if err != nil {
		t.Fatal(err)
	}
	var rec recorder
	d := New(lab, data, nil, rec.emit)
	d.Handle(1, protocol.AutoLabel{N: 4}, nil)
	for d.Work() {
	}
	d.Handle(2, protocol.TrainReward{}, nil)
	d.Work()
	m, ok := last[protocol.Message](&rec)
	if !ok || m.Code != protocol.Diverged || m.Job != protocol.JobReward || m.Detail == "" || d.Busy() {
		t.Fatalf("after a diverged step: %+v, busy %v; want Diverged for the reward model's job, stopped", m, d.Busy())
	}
	if len(lab.History.Reward) != 0 {
		t.Errorf("the diverged step was recorded: %d reward-model steps", len(lab.History.Reward))
	}
	for _, w := range lab.RM.Model.Params.Data {
		if w != w || w > 1e30 || w < -1e30 {
			t.Fatalf("a weight is %v after the step was undone", w)
		}
	}
}

// TestLanguages: the page's Hello and SwitchModel open another language's
// session (fresh, or the one stored for it), Import follows a session file's
// language, a language without a model is refused with NoModel and the
// session stays, and no setting changes a session's language.
func TestLanguages(t *testing.T) {
	data, err := assets.LabData()
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() (*sim.Lab, error) { return assets.NewLab(sim.DefaultSettings(), data) }
	lab, err := fresh()
	if err != nil {
		t.Fatal(err)
	}
	files, err := testpack.Files()
	if err != nil {
		t.Fatal(err)
	}
	opened := 0
	var rec recorder
	d := New(lab, data, fresh, rec.emit)
	d.Models = []string{English, testpack.Lang}
	d.Open = func(lang string) (*Pack, error) {
		if lang != testpack.Lang {
			return nil, ErrNoModel
		}
		opened++
		return ReadPack(lang, func(name string) ([]byte, error) { return files[name], nil })
	}
	english, err := d.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	d.Handle(1, protocol.ShowCompare{Prompt: len(data.HeldoutPrompts) - 1}, nil) // beyond the Chinese pack's prompts

	d.Handle(2, protocol.Hello{Lang: testpack.Lang}, nil)
	ready, _ := last[protocol.Ready](&rec)
	if d.Lang() != testpack.Lang || ready.Lang != testpack.Lang || !slices.Equal(ready.Models, d.Models) || ready.Prompts[0] != "茶要泡多久？" {
		t.Fatalf("Hello in Chinese: session %s, %+v", d.Lang(), ready)
	}
	if m, ok := last[protocol.Message](&rec); ok {
		t.Errorf("Hello in Chinese: %+v", m)
	}
	if _, err := d.Lab.AddDemonstration(sim.Demonstration{Prompt: testpack.Prompt, Response: testpack.Answer}); err != nil {
		t.Fatal(err)
	}
	chinese, err := d.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	s := d.Lab.Settings
	s.Lang, s.K = "", 3
	d.Handle(3, protocol.SetSettings{Settings: s}, nil)
	if d.Lab.Settings.Lang != testpack.Lang || d.Lab.Settings.K != 3 {
		t.Errorf("SetSettings: language %q, K %d; want %s kept, K 3", d.Lab.Settings.Lang, d.Lab.Settings.K, testpack.Lang)
	}

	rec.got = nil
	d.Handle(4, protocol.SwitchModel{Lang: English}, english)
	m, _ := last[protocol.Message](&rec)
	ready, _ = last[protocol.Ready](&rec)
	if d.Lang() != English || ready.Lang != English || m.Code != protocol.ModelSwitched || m.Lang != English || len(d.Lab.UserDemos) != 0 {
		t.Fatalf("back to English: session %s, ready %s, message %+v", d.Lang(), ready.Lang, m)
	}
	d.Handle(5, protocol.SwitchModel{Lang: testpack.Lang}, chinese)
	if d.Lang() != testpack.Lang || len(d.Lab.UserDemos) != 1 || d.Lab.Settings.K != 4 {
		t.Fatalf("the stored Chinese session: %s, %d demonstrations of the student's", d.Lang(), len(d.Lab.UserDemos))
	}
	if opened != 2 {
		t.Errorf("the Chinese pack was opened %d times, want 2", opened)
	}

	// No model in French: the session stays, and the page is told.
	before := d.Lab
	rec.got = nil
	d.Handle(6, protocol.SwitchModel{Lang: "fr"}, nil)
	if m, _ := last[protocol.Message](&rec); m.Code != protocol.NoModel || m.Lang != "fr" || d.Lab != before {
		t.Errorf("a language without a model: %+v", rec.got)
	}
	rec.got = nil
	d.Handle(7, protocol.Hello{Lang: "fr"}, nil)
	ready, _ = last[protocol.Ready](&rec)
	if m, _ := last[protocol.Message](&rec); m.Code != protocol.NoModel || d.Lab != before || ready.Lang != testpack.Lang {
		t.Errorf("Hello in a language without a model: %+v", rec.got)
	}

	// Importing the English session while the Chinese one is open opens English.
	rec.got = nil
	d.Handle(8, protocol.Import{}, english)
	if m, _ := last[protocol.Message](&rec); m.Code != protocol.Imported || d.Lang() != English || d.data.HeldoutPrompts[0] != data.HeldoutPrompts[0] {
		t.Errorf("import of an English session: %s, %+v", d.Lang(), rec.got)
	}
	d.Handle(9, protocol.Reset{}, nil)
	if d.Lang() != English {
		t.Errorf("Reset: %s, want the English session", d.Lang())
	}
}

// TestReadPack: a pack whose checkpoints do not match is refused.
func TestReadPack(t *testing.T) {
	files, err := testpack.Files()
	if err != nil {
		t.Fatal(err)
	}
	en := assets.SFT
	_, err = ReadPack("zh-TW", func(name string) ([]byte, error) {
		if name == "sft.ckpt" {
			return en, nil
		}
		return files[name], nil
	})
	if err == nil {
		t.Error("a pack with another vocabulary's SFT model was read")
	}
	if _, err := ReadPack("zh-TW", func(name string) ([]byte, error) { return nil, fmt.Errorf("404") }); err == nil {
		t.Error("a pack without files was read")
	}
}
