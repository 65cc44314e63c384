package dispatch

import (
	"archive/zip"
	"bytes"
	"errors"
	"slices"
	"testing"

	"rlhfplayground/assets"
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
	d.Handle(2, protocol.Rank{Candidate: cand.ID, Order: []int{1, 0, 3, 2}, Seq: 1}, nil)
	if next, _ := last[protocol.Candidate](&rec); next.ID == cand.ID || len(lab.Rankings) != 1 || lab.Rankings[0].Answers[1] != cand.Answers[1] {
		t.Fatalf("after the ranking: candidate %d (was %d), %d rankings", next.ID, cand.ID, len(lab.Rankings))
	}
	s := lab.Settings
	s.Persona = "concise"
	d.Handle(3, protocol.SetSettings{Settings: s, Seq: 2}, nil)
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
	if st.Rankings != 10 || st.YourRankings != 1 || !st.HasRM || st.Agreement == nil || st.Settings.Persona != "concise" || st.Done != 5 ||
		st.Applied != 2 || st.Stored != 0 {
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
	if p, _ := last[protocol.Progress](&rec); p.State.Stored != 2 || p.State.SavedAt != 1 || p.History != nil {
		t.Errorf("after the save: %+v; want stored 2 (the journal's actions), saved at 1, no history", p)
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
	if m, _ := last[protocol.Message](&rec); m.Code != protocol.Imported || m.Seq != 2 || d.Lab == lab || d.Lab.Journal() != 2 {
		t.Errorf("import of a session: %+v; want the notice to name the replaced session's journal (2), and the new one to count it handled", rec.got)
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

// TestJournalOnHello is a reload that came before the store caught up: the
// stored session has the page's first action, the page's journal all four.
// Hello applies the three the session lacks, reports the refused one by its
// number, and a second Hello with the same journal changes nothing.
func TestJournalOnHello(t *testing.T) {
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
	// The page journals each action (with the candidate's text) before it sends it.
	var journal []sim.Action
	rank := func(id uint64) {
		c, _ := last[protocol.Candidate](&rec)
		r := sim.Ranking{ID: c.ID, Prompt: c.Prompt, Answers: c.Answers, Order: []int{3, 2, 1, 0}, Labeler: sim.You}
		journal = append(journal, sim.Action{Seq: uint64(len(journal) + 1), Ranking: &r})
		d.Handle(id, protocol.Rank{Candidate: c.ID, Order: r.Order, Seq: uint64(len(journal))}, nil)
	}
	rank(2)
	stored, err := d.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	rank(3)
	demo := data.Demonstrations[0]
	journal = append(journal, sim.Action{Seq: 3, Demo: &demo})
	d.Handle(4, protocol.AddDemo{Demo: demo, Seq: 3}, nil)
	bad := lab.Settings
	bad.Persona = "nobody"
	journal = append(journal, sim.Action{Seq: 4, Settings: &bad})
	rec.got = nil
	d.Handle(5, protocol.SetSettings{Settings: bad, Seq: 4}, nil)
	if m, _ := last[protocol.Message](&rec); m.Code != protocol.BadSettings || m.Seq != 4 {
		t.Errorf("a refused setting: %+v, want BadSettings for action 4", rec.got)
	}

	back, err := sim.ReadSnapshot(stored, data)
	if err != nil {
		t.Fatal(err)
	}
	rec.got = nil
	d2 := New(back, data, fresh, rec.emit)
	d2.Saved(1)
	d2.Handle(1, protocol.Hello{Journal: journal}, nil)
	d2.Flush()
	p, _ := last[protocol.Progress](&rec)
	st := p.State
	if st.YourRankings != 2 || st.YourDemos != 1 || st.Settings.Persona != lab.Settings.Persona || st.Applied != 4 || st.Stored != 1 {
		t.Fatalf("after the replay: %d rankings of yours, %d demonstrations, persona %q, applied %d, stored %d; want 2, 1, %q, 4, 1",
			st.YourRankings, st.YourDemos, st.Settings.Persona, st.Applied, st.Stored, lab.Settings.Persona)
	}
	if m, _ := last[protocol.Message](&rec); m.Code != protocol.NotReplayed || m.Seq != 4 {
		t.Errorf("the refused action replayed: %+v, want NotReplayed for action 4", m)
	}
	if back.Rankings[1].ID != lab.Rankings[1].ID || !slices.Equal(back.Rankings[1].Answers, lab.Rankings[1].Answers) {
		t.Errorf("the replayed ranking is %+v, want %+v", back.Rankings[1], lab.Rankings[1])
	}
	if c, _ := last[protocol.Candidate](&rec); c.ID <= lab.Rankings[1].ID {
		t.Errorf("the first candidate after the replay has ID %d, not after the replayed ranking's %d", c.ID, lab.Rankings[1].ID)
	}
	d2.Handle(2, protocol.Hello{Journal: journal}, nil)
	if len(back.Rankings) != 2 || len(back.UserDemos) != 1 {
		t.Errorf("a second Hello with the same journal: %d rankings, %d demonstrations; want 2 and 1", len(back.Rankings), len(back.UserDemos))
	}
}
