package engine

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"rlhfplayground/assets"
	"rlhfplayground/sim"
	"rlhfplayground/worker/msg"
)

// TestSession drives an engine the way the page does: hello, a ranking,
// a setting, an auto-labelling job and a reward-model job, then a
// snapshot that restores with the same rankings and settings.
func TestSession(t *testing.T) {
	data, err := assets.LabData()
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() (*sim.Lab, error) {
		base, sft, tok, err := assets.Models()
		if err != nil {
			return nil, err
		}
		return sim.NewLab(sim.DefaultSettings(), data, tok, base, sft)
	}
	lab, err := fresh()
	if err != nil {
		t.Fatal(err)
	}
	var got []msg.Update
	e := New(lab, data, fresh, func(u msg.Update) { got = append(got, u) })
	e.Handle(msg.Command{Cmd: msg.CmdHello}, nil)
	if len(got) == 0 || !got[0].Ready || got[0].Candidate == nil || len(got[0].Candidate.Answers) != 4 {
		t.Fatalf("hello: %+v", got)
	}
	c := got[0].Candidate
	e.Handle(msg.Command{Cmd: msg.CmdRank, Ranking: &sim.Ranking{Prompt: c.Prompt, Answers: c.Answers, Order: []int{1, 0, 3, 2}, Labeler: msg.You}}, nil)
	s := lab.Settings
	s.Persona = "concise"
	e.Handle(msg.Command{Cmd: msg.CmdSettings, Settings: &s}, nil)
	e.Handle(msg.Command{Cmd: msg.CmdAutoLabel, N: 9}, nil)
	for e.Work() {
	}
	e.Handle(msg.Command{Cmd: msg.CmdTrainRM, Epochs: 1}, nil)
	for e.Work() {
	}
	got = got[:0]
	e.Flush()
	st := got[len(got)-1].State
	if st == nil || st.Rankings != 10 || st.YourRankings != 1 || !st.HasRM || st.Agreement == nil || st.Settings.Persona != "concise" {
		t.Fatalf("state after the jobs: %+v", st)
	}
	// The newest rankings, newest first: 8 of the persona's nine; the
	// student's (the first ranking) is the ninth newest, so not listed.
	if len(st.Recent) != msg.RecentRankings || st.Recent[0].Labeler != "concise" {
		t.Errorf("recent rankings: %+v, want %d, newest by concise", st.Recent, msg.RecentRankings)
	}
	newest := lab.Rankings[len(lab.Rankings)-1]
	if r := st.Recent[0]; r.Prompt != newest.Prompt || r.Best != newest.Answers[newest.Order[0]] || r.Worst != newest.Answers[newest.Order[len(newest.Order)-1]] {
		t.Errorf("newest recent ranking %+v does not match the lab's %+v", r, newest)
	}
	if h := got[len(got)-1].History; len(h.Reward) == 0 || len(h.Evals) == 0 {
		t.Errorf("history: %d reward steps, %d evaluations; want some of each", len(h.Reward), len(h.Evals))
	}
	b, err := e.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	back, err := sim.ReadSnapshot(b, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Rankings) != 10 || back.Settings.Persona != "concise" || back.RM == nil {
		t.Errorf("restored: %d rankings, persona %q, RM %v", len(back.Rankings), back.Settings.Persona, back.RM != nil)
	}
	// A foreign file is refused and the session stays.
	got = got[:0]
	e.Handle(msg.Command{Cmd: msg.CmdImport}, []byte("not a zip"))
	if len(got) != 1 || !strings.Contains(got[0].Error, "not an RLHF Playground session") || e.Lab != lab {
		t.Errorf("import of a foreign file: %+v", got)
	}
	// So is a zip that is not a session, and a damaged session, each with its own message.
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
	got = got[:0]
	e.Handle(msg.Command{Cmd: msg.CmdImport}, damaged)
	if len(got) != 1 || !strings.Contains(got[0].Error, "cannot be imported") || e.Lab != lab {
		t.Errorf("import of a damaged session: %+v", got)
	}
}
