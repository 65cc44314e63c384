package journal

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"rlhfplayground/sim"
)

func seqs(j Journal) []uint64 {
	var out []uint64
	for _, a := range j.Actions {
		out = append(out, a.Seq)
	}
	return out
}

func ranking(id uint64) sim.Action {
	return sim.Action{Ranking: &sim.Ranking{ID: id, Prompt: "p", Answers: []string{"a", "b"}, Order: []int{1, 0}, Labeler: sim.You}}
}

func settings(k int) sim.Action {
	s := sim.DefaultSettings()
	s.K = k
	return sim.Action{Settings: &s}
}

// TestJournal walks the journal through a session: actions are numbered
// after everything given out and after the engine's position, settings keep
// only the newest, stored actions are forgotten, refused ones dropped, and
// an encoded journal reads back the same.
func TestJournal(t *testing.T) {
	var j Journal
	add := func(a sim.Action, applied uint64) uint64 {
		t.Helper()
		a, err := j.Add(a, applied)
		if err != nil {
			t.Fatal(err)
		}
		return a.Seq
	}
	for i, step := range []struct {
		do   func()
		want []uint64
	}{
		{func() { add(ranking(1), 0) }, []uint64{1}},
		{func() { add(settings(3), 0) }, []uint64{1, 2}},
		{func() { add(ranking(2), 0) }, []uint64{1, 2, 3}},
		{func() { add(settings(5), 0) }, []uint64{1, 3, 4}},     // the newest settings replace the older
		{func() { add(ranking(3), 10) }, []uint64{1, 3, 4, 11}}, // an imported session has handled 10
		{func() { j.Forget("", 3) }, []uint64{4, 11}},           // the store has 1…3
		{func() { j.Drop(11) }, []uint64{4}},                    // the engine refused 11
		{func() { add(ranking(4), 0) }, []uint64{4, 12}},        // numbers never repeat
		{func() { j.Forget("", 99) }, nil},                      // everything stored
		{func() { add(settings(2), 0) }, []uint64{13}},          // an empty journal still counts on
		{func() { j.Drop(5) }, []uint64{13}},                    // not there: nothing to drop
		{func() { j.Forget("", 12) }, []uint64{13}},             // nothing that old
		{func() { add(sim.Action{Demo: &sim.Demonstration{Prompt: "p", Response: "r"}}, 0) }, []uint64{13, 14}},
	} {
		step.do()
		if got := seqs(j); !slices.Equal(got, step.want) {
			t.Fatalf("step %d: journal %v, want %v", i, got, step.want)
		}
	}
	back, err := Decode(j.Encode())
	if err != nil || !reflect.DeepEqual(back, j) {
		t.Errorf("read back: %+v (%v), want %+v", back, err, j)
	}
	if _, err := j.Add(sim.Action{}, 0); err == nil {
		t.Error("an action with nothing to do was journaled")
	}
}

// TestJournalLanguages: one journal numbers the actions of every
// language's session; a change of settings replaces only its own session's,
// and the store of one session forgets only that session's actions.
func TestJournalLanguages(t *testing.T) {
	var j Journal
	in := func(lang string, a sim.Action) sim.Action { a.Lang = lang; return a }
	for _, a := range []sim.Action{in("", settings(3)), in("zh-TW", settings(5)), in("zh-TW", ranking(1)), in("", settings(2))} {
		if _, err := j.Add(a, 0); err != nil {
			t.Fatal(err)
		}
	}
	if got := seqs(j); !slices.Equal(got, []uint64{2, 3, 4}) {
		t.Fatalf("journal %v, want the Chinese settings and ranking (2, 3) and the newest English settings (4)", got)
	}
	if j.Forget("", 3) {
		t.Errorf("the English session's store forgot %v", seqs(j))
	}
	if !j.Forget("zh-TW", 3) || !slices.Equal(seqs(j), []uint64{4}) {
		t.Errorf("after the Chinese session's store: %v, want the English action (4)", seqs(j))
	}
	back, err := Decode(j.Encode())
	if err != nil || !reflect.DeepEqual(back, j) || back.Actions[0].Lang != "" {
		t.Errorf("read back: %+v (%v), want %+v", back, err, j)
	}
}

// TestJournalBounds: a full journal refuses the next action and stays as
// it was; Decode refuses what Add could never have written.
func TestJournalBounds(t *testing.T) {
	var j Journal
	for i := range MaxActions {
		if _, err := j.Add(ranking(uint64(i+1)), 0); err != nil {
			t.Fatalf("action %d: %v", i+1, err)
		}
	}
	before := j.Encode()
	if _, err := j.Add(ranking(MaxActions+1), 0); !errors.Is(err, ErrFull) || string(j.Encode()) != string(before) {
		t.Errorf("action %d: %v, want ErrFull and the journal as it was", MaxActions+1, err)
	}
	var big Journal
	long := strings.Repeat("a", sim.MaxTextBytes)
	for n := 0; ; n++ {
		_, err := big.Add(sim.Action{Ranking: &sim.Ranking{ID: uint64(n + 1), Prompt: long, Answers: []string{long, long}, Order: []int{0, 1}}}, 0)
		if errors.Is(err, ErrFull) {
			if len(big.Encode()) > MaxBytes {
				t.Errorf("the journal grew to %d bytes, more than %d", len(big.Encode()), MaxBytes)
			}
			break
		}
	}
	for _, bad := range []string{
		``, `[]`, `{"last": 1, "actions": [{"seq": 1}]}`,
		`{"last": 1, "actions": [{"seq": 2, "demo": {"prompt": "p", "response": "r"}}]}`,
		`{"last": 5, "actions": [{"seq": 3, "demo": {"prompt": "p", "response": "r"}}, {"seq": 3, "demo": {"prompt": "p", "response": "r"}}]}`,
		`{"last": 1, "actions": [` + strings.Repeat(`{},`, MaxActions) + `{}]}`,
	} {
		if j, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%.60s) = %+v, want an error", bad, j)
		}
	}
}

// FuzzDecode is the journal a page finds in localStorage, which anything
// (a curious student, another version of the app, a full disk) may have
// left there: it decodes or gives an error, never a panic; what decodes is
// a journal Add can continue, and encodes back to itself.
//
//	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 1000000x -fuzzminimizetime 0 ./wasm/journal/
func FuzzDecode(f *testing.F) {
	var j Journal
	j.Add(ranking(4), 0)
	j.Add(settings(3), 0)
	f.Add(j.Encode())
	f.Add([]byte(`{"last": 9, "actions": []}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := Decode(b)
		if err != nil {
			return
		}
		back, err := Decode(j.Encode())
		if err != nil || !reflect.DeepEqual(back, j) {
			t.Fatalf("%s decodes to %+v, which encodes to one that decodes to %+v (%v)", b, j, back, err)
		}
		last := j.Last
		if a, err := j.Add(ranking(1), 0); err == nil && (a.Seq <= last || j.Last != a.Seq) {
			t.Fatalf("after %d an action was numbered %d, last %d", last, a.Seq, j.Last)
		}
	})
}
