package sim

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// journalLab is a tinyLab that ranks 3 answers.
func journalLab(t testing.TB) *Lab {
	s := DefaultSettings()
	s.K = 3
	return tinyLab(t, s)
}

func snapshot(t testing.TB, l *Lab) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := l.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestJournalReplay is a reload before the save caught up: the page's
// journal holds actions 1…4, the stored session has 1 and 2. Replaying the
// whole journal into the restored session does 3 and 4 only, and replaying
// it again does nothing.
func TestJournalReplay(t *testing.T) {
	lab := journalLab(t)
	var journal []Action
	take := func(a Action) {
		t.Helper()
		a.Seq = uint64(len(journal) + 1)
		journal = append(journal, a)
	}
	// 1: a ranking, as the page journals it: the waiting candidate with its
	// text and the student's order; the live command is then done by Rank.
	c := lab.Candidate()
	r := Ranking{ID: c.ID, Prompt: c.Prompt, Answers: c.Answers, Order: []int{2, 0, 1}, Labeler: You}
	take(Action{Ranking: &r})
	if _, err := lab.Rank(c.ID, r.Order); err != nil {
		t.Fatal(err)
	}
	lab.Did(1)
	// 2: a demonstration.
	d := Demonstration{Prompt: "the dog", Response: "drinks water ."}
	take(Action{Demo: &d})
	if _, err := lab.AddDemonstration(d); err != nil {
		t.Fatal(err)
	}
	lab.Did(2)
	stored := snapshot(t, lab) // the browser has this one
	// 3: another ranking, 4: a setting; then the tab closes.
	c = lab.Candidate()
	r2 := Ranking{ID: c.ID, Prompt: c.Prompt, Answers: c.Answers, Order: []int{0, 1, 2}, Labeler: You}
	take(Action{Ranking: &r2})
	s := lab.Settings
	s.Persona = "concise"
	take(Action{Settings: &s})

	back, err := ReadSnapshot(stored, upgradeData())
	if err != nil {
		t.Fatal(err)
	}
	if back.Journal() != 2 {
		t.Fatalf("the stored session has journal %d, want 2", back.Journal())
	}
	for round := range 2 {
		var applied []uint64
		for _, a := range journal {
			ok, err := back.Apply(a)
			if err != nil {
				t.Fatalf("round %d: action %d: %v", round, a.Seq, err)
			}
			if ok {
				applied = append(applied, a.Seq)
			}
		}
		if want := [][]uint64{{3, 4}, nil}[round]; !slices.Equal(applied, want) {
			t.Errorf("round %d applied %v, want %v", round, applied, want)
		}
	}
	if len(back.Rankings) != 2 || back.Rankings[1].ID != r2.ID || len(back.UserDemos) != 1 || back.Settings.Persona != "concise" || back.Journal() != 4 {
		t.Fatalf("after the replay: %d rankings (last %d), %d demonstrations, persona %q, journal %d; want 2 (%d), 1, concise, 4",
			len(back.Rankings), back.Rankings[len(back.Rankings)-1].ID, len(back.UserDemos), back.Settings.Persona, back.Journal(), r2.ID)
	}
	if c := back.Candidate(); c.ID <= r2.ID {
		t.Errorf("the next candidate has ID %d, not after the replayed ranking's %d", c.ID, r2.ID)
	}
	if st := back.Status(); st.YourRankings != 2 {
		t.Errorf("%d rankings of yours after the replay, want 2", st.YourRankings)
	}
}

// TestJournalRefusals: an action the session refuses counts as handled and
// leaves the session as it was; an action without a number or with two
// things to do is not an action.
func TestJournalRefusals(t *testing.T) {
	lab := journalLab(t)
	bad := Ranking{ID: 7, Prompt: "the cat", Answers: []string{"a", "b"}, Order: []int{0, 0}, Labeler: You}
	s := lab.Settings
	s.Persona = "nobody"
	for i, a := range []Action{
		{Seq: 1, Ranking: &bad},
		{Seq: 2, Demo: &Demonstration{Prompt: "the cat", Response: "purrs loudly ."}}, // words outside the vocabulary
		{Seq: 3, Settings: &s},
		{Seq: 4, Ranking: &Ranking{Prompt: "the cat", Answers: []string{"a", "b"}, Order: []int{1, 0}}}, // no candidate ID
	} {
		ok, err := lab.Apply(a)
		if !ok || err == nil {
			t.Errorf("action %d: new %v, error %v; want a new action refused", i+1, ok, err)
		}
	}
	if len(lab.Rankings) != 0 || len(lab.UserDemos) != 0 || lab.Settings.Persona != DefaultSettings().Persona || lab.Journal() != 4 {
		t.Errorf("after refusals: %d rankings, %d demonstrations, persona %q, journal %d; want nothing changed but the journal (4)",
			len(lab.Rankings), len(lab.UserDemos), lab.Settings.Persona, lab.Journal())
	}
	for _, a := range []Action{{Demo: &Demonstration{}}, {Seq: 5}, {Seq: 5, Demo: &Demonstration{}, Settings: &s}} {
		if ok, err := lab.Apply(a); ok || err == nil {
			t.Errorf("%+v: new %v, error %v; want it refused as no action", a, ok, err)
		}
	}
	if lab.Journal() != 4 {
		t.Errorf("journal %d after actions that are not actions, want 4", lab.Journal())
	}
}

// TestJournalLanguages: an action of another language's session is left
// alone, not counted as handled, and a setting keeps the session's language.
func TestJournalLanguages(t *testing.T) {
	lab := journalLab(t)
	s := lab.Settings
	s.Persona, s.Lang = "concise", "zh-TW"
	d := Demonstration{Prompt: "the dog", Response: "drinks water ."}
	for _, a := range []Action{{Seq: 1, Lang: "zh-TW", Demo: &d}, {Seq: 2, Lang: "zh-TW", Settings: &s}} {
		if ok, err := lab.Apply(a); ok || !errors.Is(err, ErrOtherLanguage) {
			t.Errorf("action %d of a Chinese session: new %v, error %v; want ErrOtherLanguage", a.Seq, ok, err)
		}
	}
	if len(lab.UserDemos) != 0 || lab.Journal() != 0 || lab.Settings.Persona == "concise" {
		t.Fatalf("after another language's actions: %d demonstrations, journal %d, persona %q; want nothing changed",
			len(lab.UserDemos), lab.Journal(), lab.Settings.Persona)
	}
	if ok, err := lab.Apply(Action{Seq: 3, Settings: &s}); !ok || err != nil {
		t.Fatalf("an English setting: new %v, %v", ok, err)
	}
	if lab.Settings.Persona != "concise" || lab.Settings.Lang != "" || lab.Journal() != 3 {
		t.Errorf("settings %+v, journal %d; want persona concise in the English session, journal 3", lab.Settings, lab.Journal())
	}
}

// TestRankingsAreFiledOnce: a ranking's ID is filed once, whatever the door.
func TestRankingsAreFiledOnce(t *testing.T) {
	lab := journalLab(t)
	r := Ranking{ID: 3, Prompt: "the cat", Answers: []string{"drinks milk .", "sleeps ."}, Order: []int{0, 1}, Labeler: You}
	if err := lab.AddRanking(r); err != nil {
		t.Fatal(err)
	}
	if err := lab.AddRanking(r); !errors.Is(err, ErrDuplicateRanking) {
		t.Errorf("the same ranking filed twice: %v, want ErrDuplicateRanking", err)
	}
	if ok, err := lab.Apply(Action{Seq: 1, Ranking: &r}); !ok || err != nil {
		t.Errorf("a journalled ranking already filed: new %v, error %v; want handled without an error", ok, err)
	}
	if len(lab.Rankings) != 1 || lab.Status().YourRankings != 1 {
		t.Errorf("%d rankings (%d yours), want 1", len(lab.Rankings), lab.Status().YourRankings)
	}
}

// TestLimits: each limit of limits.go is enforced where the input arrives,
// with an error that names the condition.
func TestLimits(t *testing.T) {
	lab := journalLab(t)
	long := strings.Repeat("猫", MaxTextRunes+1)
	if _, err := lab.AddDemonstration(Demonstration{Prompt: long, Response: "milk ."}); !errors.Is(err, ErrTooLong) {
		t.Errorf("a prompt of %d characters: %v, want ErrTooLong", MaxTextRunes+1, err)
	}
	if err := (Ranking{Prompt: strings.Repeat("a", MaxTextBytes+1), Answers: []string{"a", "b"}, Order: []int{0, 1}}).Validate(); err == nil {
		t.Error("a ranking with a prompt over MaxTextBytes is valid")
	}
	s := lab.Settings
	s.Persona = "nobody"
	if err := lab.SetSettings(s); !errors.Is(err, ErrBadSettings) || lab.Settings.Persona == "nobody" {
		t.Errorf("an unknown persona: %v, persona now %q; want ErrBadSettings and the old persona", err, lab.Settings.Persona)
	}
	s = lab.Settings
	s.PPO.Batch, s.PPO.MiniBatch = 1<<20, 1
	if err := lab.SetSettings(s); !errors.Is(err, ErrBadSettings) {
		t.Errorf("a PPO batch of 2^20: %v, want ErrBadSettings", err)
	}
	s = lab.Settings
	s.SFT.Dropout = 1
	if err := lab.SetSettings(s); !errors.Is(err, ErrBadSettings) {
		t.Errorf("SFT dropout 1: %v, want ErrBadSettings", err)
	}
	if _, err := LoadPersona(strings.NewReader(`{"name": "x", "words": {"a": 1}, "per_token": 0` + strings.Repeat(" ", MaxPersonaBytes) + `}`)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a persona file over MaxPersonaBytes: %v, want ErrTooLarge", err)
	}
	if _, err := ReadSnapshot(make([]byte, MaxSessionBytes+1), upgradeData()); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a session file over MaxSessionBytes: %v, want ErrTooLarge", err)
	}
	for range MaxRankings - len(lab.Rankings) {
		lab.Rankings = append(lab.Rankings, Ranking{}) // as full as a session may be, cheaply
	}
	if err := lab.AddRanking(Ranking{Prompt: "the cat", Answers: []string{"a", "b"}, Order: []int{0, 1}}); !errors.Is(err, ErrTooMany) {
		t.Errorf("ranking %d: %v, want ErrTooMany", MaxRankings+1, err)
	}
}

// TestSnapshotRefusesABadPersona: a session file's custom persona is checked
// as a persona file is.
func TestSnapshotRefusesABadPersona(t *testing.T) {
	lab := journalLab(t)
	for _, word := range []string{"Green  Tea", "", "glad !"} { // not as LoadPersona writes a phrase
		lab.CustomPersona = &Persona{Name: "likes-tea", Words: map[string]float64{word: 1}}
		if _, err := ReadSnapshot(snapshot(t, lab), upgradeData()); err == nil || !strings.Contains(err.Error(), "persona") {
			t.Errorf("a session whose persona weighs %q: %v, want a persona error", word, err)
		}
	}
	lab.CustomPersona = &Persona{Name: "likes-tea", Words: map[string]float64{"green tea": 1, "glad!": 1}}
	if _, err := ReadSnapshot(snapshot(t, lab), upgradeData()); err != nil {
		t.Errorf("a session whose persona weighs phrases: %v", err)
	}
	lab.CustomPersona = &Persona{Name: "likes-tea", Words: map[string]float64{"tea": 2}}
	back, err := ReadSnapshot(snapshot(t, lab), upgradeData())
	if err != nil || back.CustomPersona == nil || back.CustomPersona.Words["tea"] != 2 {
		t.Errorf("a good persona: %v, %+v", err, back)
	}
}
