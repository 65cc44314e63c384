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

// shelf is a Shelf in memory; a language in refuse is not stored.
type shelf struct {
	m      map[string][]byte
	refuse string
}

func (s *shelf) Stored(lang string) ([]byte, error) { return s.m[lang], nil }
func (s *shelf) Keep(lang string, b []byte) error {
	if lang == s.refuse {
		return errors.New("quota")
	}
	if s.m == nil {
		s.m = map[string][]byte{}
	}
	s.m[lang] = b
	return nil
}

// TestLanguages: the page's Hello and SwitchModel open another language's
// session (fresh, or the one stored for it, the open one stored first),
// Import follows a session file's language, a language without a model is
// refused with NoModel and the session stays, and no setting changes a
// session's language.
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
	sh := &shelf{m: map[string][]byte{English: english}}
	d.Shelf = sh
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
	s := d.Lab.Settings
	s.Lang, s.K = "", 3
	d.Handle(3, protocol.SetSettings{Settings: s}, nil)
	if d.Lab.Settings.Lang != testpack.Lang || d.Lab.Settings.K != 3 {
		t.Errorf("SetSettings: language %q, K %d; want %s kept, K 3", d.Lab.Settings.Lang, d.Lab.Settings.K, testpack.Lang)
	}

	rec.got = nil
	d.Handle(4, protocol.SwitchModel{Lang: English}, nil)
	m, _ := last[protocol.Message](&rec)
	ready, _ = last[protocol.Ready](&rec)
	if d.Lang() != English || ready.Lang != English || m.Code != protocol.ModelSwitched || m.Lang != English || len(d.Lab.UserDemos) != 0 {
		t.Fatalf("back to English: session %s, ready %s, message %+v", d.Lang(), ready.Lang, m)
	}
	if sh.m[testpack.Lang] == nil {
		t.Fatal("the Chinese session was not stored before the switch")
	}
	d.Handle(5, protocol.SwitchModel{Lang: testpack.Lang}, nil)
	if d.Lang() != testpack.Lang || len(d.Lab.UserDemos) != 1 || d.Lab.Settings.K != 3 {
		t.Fatalf("the stored Chinese session: %s, %d demonstrations of the student's, K %d; want 1, 3", d.Lang(), len(d.Lab.UserDemos), d.Lab.Settings.K)
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

// TestJournalLanguages: each of the journal's actions goes to the session of
// its language and to no other. A reload whose journal holds actions of the
// English and the Chinese sessions, with the Chinese asked for: the English
// ones go to the English session, stored before the switch, the Chinese ones
// to the Chinese session, an action of a language without a model is
// refused; a Hello in English takes the Chinese actions to the stored
// Chinese session; a Chinese session that could not be stored gets its
// actions back from the journal that SwitchModel carries; Reset names the
// session it replaced.
func TestJournalLanguages(t *testing.T) {
	data, err := assets.LabData()
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() (*sim.Lab, error) { return assets.NewLab(sim.DefaultSettings(), data) }
	files, err := testpack.Files()
	if err != nil {
		t.Fatal(err)
	}
	dispatcher := func(sh *shelf) (*Dispatcher, *recorder) {
		t.Helper()
		lab, err := fresh()
		if err != nil {
			t.Fatal(err)
		}
		if b := sh.m[English]; b != nil {
			if lab, err = sim.ReadSnapshot(b, data); err != nil {
				t.Fatal(err)
			}
		}
		rec := &recorder{}
		d := New(lab, data, fresh, rec.emit)
		d.Models, d.Shelf = []string{English, testpack.Lang}, sh
		d.Open = func(lang string) (*Pack, error) {
			if lang != testpack.Lang {
				return nil, ErrNoModel
			}
			return ReadPack(lang, func(name string) ([]byte, error) { return files[name], nil })
		}
		return d, rec
	}
	enDemo := data.Demonstrations[0]
	zhDemo := sim.Demonstration{Prompt: testpack.Prompt, Response: testpack.Answer}
	journal := []sim.Action{
		{Seq: 1, Demo: &enDemo},
		{Seq: 2, Lang: testpack.Lang, Demo: &zhDemo},
		{Seq: 3, Lang: "fr", Demo: &enDemo},
	}
	read := func(sh *shelf, lang string, d sim.LabData) *sim.Lab {
		t.Helper()
		l, err := sim.ReadSnapshot(sh.m[lang], d)
		if err != nil {
			t.Fatalf("the %s session on the shelf: %v", lang, err)
		}
		return l
	}
	zhPack, err := ReadPack(testpack.Lang, func(name string) ([]byte, error) { return files[name], nil })
	if err != nil {
		t.Fatal(err)
	}

	sh := &shelf{}
	d, rec := dispatcher(sh)
	d.Handle(1, protocol.Hello{Lang: testpack.Lang, Journal: journal}, nil)
	d.Flush()
	if d.Lang() != testpack.Lang || len(d.Lab.UserDemos) != 1 || d.Lab.UserDemos[0] != zhDemo || d.Lab.Journal() != 2 {
		t.Fatalf("the Chinese session after Hello: %s, demonstrations %v, journal %d; want the Chinese one, journal 2", d.Lang(), d.Lab.UserDemos, d.Lab.Journal())
	}
	if en := read(sh, English, data); len(en.UserDemos) != 1 || en.UserDemos[0] != enDemo || en.Journal() != 1 {
		t.Fatalf("the English session stored: demonstrations %v, journal %d; want the English one, journal 1", en.UserDemos, en.Journal())
	}
	p, _ := last[protocol.Progress](rec)
	if p.State.Kept[""] != 1 || p.State.Applied != 2 || p.State.Stored != 0 {
		t.Errorf("state: kept %v, applied %d, stored %d; want English kept to 1, applied 2, nothing stored yet", p.State.Kept, p.State.Applied, p.State.Stored)
	}
	var notReplayed []uint64
	for _, u := range rec.got {
		if m, ok := u.(protocol.Message); ok && m.Code == protocol.NotReplayed {
			notReplayed = append(notReplayed, m.Seq)
		}
	}
	if !slices.Equal(notReplayed, []uint64{3}) {
		t.Errorf("not replayed: %v, want the French action (3) only; %+v", notReplayed, rec.got)
	}

	// The Chinese session is stored; a new Chinese action is journaled, and
	// the page reloads in English before it is stored.
	zh, err := d.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sh.m[testpack.Lang] = zh
	zhDemo2 := sim.Demonstration{Prompt: testpack.Prompt, Response: "等三分鐘。"}
	journal = []sim.Action{{Seq: 4, Lang: testpack.Lang, Demo: &zhDemo2}}
	d, rec = dispatcher(sh)
	d.Handle(1, protocol.Hello{Lang: English, Journal: journal}, nil)
	d.Flush()
	if d.Lang() != English || len(d.Lab.UserDemos) != 1 {
		t.Fatalf("Hello in English: %s, %d demonstrations of the student's; want English, 1", d.Lang(), len(d.Lab.UserDemos))
	}
	if zh := read(sh, testpack.Lang, zhPack.Data); len(zh.UserDemos) != 2 || zh.UserDemos[1] != zhDemo2 || zh.Journal() != 4 {
		t.Errorf("the Chinese session stored again: %v, journal %d; want both Chinese demonstrations, journal 4", zh.UserDemos, zh.Journal())
	}
	if p, _ := last[protocol.Progress](rec); p.State.Kept[testpack.Lang] != 4 {
		t.Errorf("kept %v, want the Chinese session's 4", p.State.Kept)
	}

	// A Chinese action, then a switch to English whose store of the Chinese
	// session fails: the action waits in the journal, and the switch back
	// applies it.
	d.Handle(2, protocol.SwitchModel{Lang: testpack.Lang}, nil)
	zhDemo3 := sim.Demonstration{Prompt: testpack.Prompt, Response: "水煮開後沖進茶葉。"}
	journal = []sim.Action{{Seq: 5, Lang: testpack.Lang, Demo: &zhDemo3}}
	d.Handle(3, protocol.AddDemo{Demo: zhDemo3, Seq: 5}, nil)
	sh.refuse = testpack.Lang
	d.Handle(4, protocol.SwitchModel{Lang: English, Journal: journal}, nil)
	if d.Lang() != English || len(d.Lab.UserDemos) != 1 {
		t.Fatalf("back in English: %s, %d demonstrations; want English, 1 (the Chinese action is not its)", d.Lang(), len(d.Lab.UserDemos))
	}
	sh.refuse = ""
	d.Handle(5, protocol.SwitchModel{Lang: testpack.Lang, Journal: journal}, nil)
	if len(d.Lab.UserDemos) != 3 || d.Lab.UserDemos[2] != zhDemo3 || d.Lab.Journal() != 5 {
		t.Errorf("the Chinese session again: %v, journal %d; want the action from the journal, journal 5", d.Lab.UserDemos, d.Lab.Journal())
	}

	// Reset replaces the Chinese session: the page forgets its actions.
	rec.got = nil
	d.Handle(6, protocol.Reset{}, nil)
	if m, _ := last[protocol.Message](rec); m.Code != protocol.WasReset || m.Lang != testpack.Lang || m.Seq != 5 || d.Lab.Journal() != 5 || d.Lang() != testpack.Lang {
		t.Errorf("Reset: %+v, session %s at %d; want the Chinese session replaced, up to 5", m, d.Lang(), d.Lab.Journal())
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
