package sim

import (
	"archive/zip"
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// upgradeData is the built-in data the session in testdata/session-v1.zip
// was made with: a tiny model (context 24, d_model 8) over testCorpus.
func upgradeData() LabData {
	return LabData{Corpus: testCorpus, Prompts: []string{"the cat", "the dog"}, HeldoutPrompts: []string{"the cat"},
		Demonstrations: []Demonstration{{"the cat", "drinks milk ."}, {"the dog", "runs in the park ."}}}
}

// TestReadSessionV1 reads a session that the app's first session format
// wrote (commit 307eb90: one pretraining and one SFT step, a demonstration
// of the student's, 3 rankings of the student's and 7 by helpful-polite with
// K = 3, 3 reward-model steps and one PPO iteration), so that a student's
// saved work survives every upgrade: it must restore and train on.
func TestReadSessionV1(t *testing.T) {
	b, err := os.ReadFile("testdata/session-v1.zip")
	if err != nil {
		t.Fatal(err)
	}
	lab, err := ReadSnapshot(b, upgradeData())
	if err != nil {
		t.Fatal(err)
	}
	if len(lab.Rankings) != 10 || len(lab.UserDemos) != 1 || lab.Settings.K != 3 || lab.RM == nil || lab.Policy() == nil {
		t.Fatalf("restored %d rankings, %d demonstrations, K %d, reward model %v, policy %v; want 10, 1, 3 and both models",
			len(lab.Rankings), len(lab.UserDemos), lab.Settings.K, lab.RM != nil, lab.Policy() != nil)
	}
	for i, r := range lab.Rankings {
		if r.ID != uint64(i+1) {
			t.Fatalf("ranking %d restored with ID %d, want %d (saved before rankings had IDs)", i, r.ID, i+1)
		}
	}
	if c := lab.Candidate(); c.ID != 11 || len(c.Answers) != 3 {
		t.Errorf("first candidate after the restore: ID %d, %d answers; want 11 and 3", c.ID, len(c.Answers))
	}
	if lab.Settings.Reward.Epochs != DefaultRewardConfig().Epochs {
		t.Errorf("reward-model epochs %d in a session saved without them, want the default %d", lab.Settings.Reward.Epochs, DefaultRewardConfig().Epochs)
	}
	h := lab.History
	if len(h.Pretrain) != 1 || len(h.SFT) != 1 || len(h.Reward) != 3 || len(h.PPO) != 1 {
		t.Fatalf("restored history: %d pretraining, %d SFT, %d reward-model steps, %d PPO iterations; want 1, 1, 3, 1",
			len(h.Pretrain), len(h.SFT), len(h.Reward), len(h.PPO))
	}
	if _, err := lab.RewardStep(); err != nil {
		t.Fatal(err)
	}
	if _, err := lab.PPOStep(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := lab.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSnapshot(buf.Bytes(), upgradeData())
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Rankings) != 10 || back.Rankings[9].ID != 10 || len(back.History.PPO) != 2 {
		t.Errorf("saved again and read back: %d rankings, %d PPO iterations; want 10 and 2", len(back.Rankings), len(back.History.PPO))
	}
}

// fuzzSession is a session of the current format with something in every
// field a file can hold: the student's rankings and demonstration, a custom
// persona, a trained reward model, a journal position.
func fuzzSession(t testing.TB) []byte {
	tok := BuildTokenizer(testCorpus)
	cfg := Config{Vocab: tok.Size(), Context: 12, Embd: 4, Layers: 1, Heads: 1, MLP: 8} // small, so each exec is quick
	base := NewModel[float32](cfg)
	base.Params.Init(cfg, rand.New(rand.NewPCG(1, 1)).NormFloat64)
	s := DefaultSettings()
	s.K, s.PPO.MaxNew = 3, 4
	lab, err := NewLab(s, upgradeData(), tok, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	lab.CustomPersona = &Persona{Name: "likes-tea", Words: map[string]float64{"tea": 2}, PerToken: -0.1}
	for range 3 {
		c := lab.Candidate()
		if _, err := lab.Rank(c.ID, []int{2, 1, 0}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := lab.AddDemonstration(Demonstration{Prompt: "the dog", Response: "drinks ."}); err != nil {
		t.Fatal(err)
	}
	if _, err := lab.RewardStep(); err != nil {
		t.Fatal(err)
	}
	lab.Did(5)
	return snapshot(t, lab)
}

// sessionJSON returns the session.json of a session file.
func sessionJSON(t testing.TB, session []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(session), int64(len(session)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "session.json" {
			rc, _ := f.Open()
			defer rc.Close()
			b, _ := io.ReadAll(rc)
			return b
		}
	}
	t.Fatal("no session.json")
	return nil
}

// withSessionJSON returns the session zip with session.json replaced, its
// models kept.
func withSessionJSON(t testing.TB, session []byte, js []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(session), int64(len(session)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		if f.Name == "session.json" {
			w.Write(js)
			continue
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	zw.Close()
	return buf.Bytes()
}

// FuzzReadSnapshot is the session file a student imports (and the one the
// browser restores): any bytes, and any session.json inside a session's
// zip, restore or give an error, never a panic; the error wraps no session
// or names the damage (the page words both), and a restored session saves
// and restores again with the same work. The seed corpus is a session of
// today's format on a very small model (so that an execution takes about a
// millisecond) and the first format's session.json.
//
//	go test -run '^$' -fuzz '^FuzzReadSnapshot$' -fuzztime 1000000x -fuzzminimizetime 0 ./sim/
func FuzzReadSnapshot(f *testing.F) {
	v1, err := os.ReadFile("testdata/session-v1.zip")
	if err != nil {
		f.Fatal(err)
	}
	now := fuzzSession(f)
	f.Add(now, sessionJSON(f, now))
	f.Add([]byte("PK\x05\x06"), sessionJSON(f, v1))
	f.Add([]byte("not a zip"), []byte(`{"format": "rlhf-playground-session", "version": 1, "settings": {"k": 3}}`))
	f.Fuzz(func(t *testing.T, file, sessionJSON []byte) {
		for _, b := range [][]byte{file, withSessionJSON(t, now, sessionJSON)} {
			lab, err := ReadSnapshot(b, upgradeData())
			if err != nil {
				if lab != nil || !strings.HasPrefix(err.Error(), "sim: snapshot") && !strings.HasPrefix(err.Error(), "sim: ") {
					t.Fatalf("ReadSnapshot: %v, %v", lab, err)
				}
				continue
			}
			back, err := ReadSnapshot(snapshot(t, lab), upgradeData())
			if err != nil {
				t.Fatalf("a restored session does not restore again: %v", err)
			}
			if len(back.Rankings) != len(lab.Rankings) || len(back.UserDemos) != len(lab.UserDemos) || back.Journal() != lab.Journal() {
				t.Fatalf("restored twice: %d rankings, %d demonstrations, journal %d; once: %d, %d, %d",
					len(back.Rankings), len(back.UserDemos), back.Journal(), len(lab.Rankings), len(lab.UserDemos), lab.Journal())
			}
		}
	})
}
