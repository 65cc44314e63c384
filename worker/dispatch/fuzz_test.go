package dispatch

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// tinyDispatchers returns a maker of dispatchers, each on a new session
// with a model small enough that any command, and a step of any job, takes
// well under a millisecond.
func tinyDispatchers(t testing.TB) func() (*Dispatcher, *recorder) {
	t.Helper()
	corpus := []string{"the cat drinks milk .", "the dog runs in the park .", "i like tea ."}
	tok := sim.BuildTokenizer(corpus)
	cfg := sim.Config{Vocab: tok.Size(), Context: 16, Embd: 8, Layers: 1, Heads: 2, MLP: 16}
	base := sim.NewModel[float32](cfg)
	base.Params.Init(cfg, rand.New(rand.NewPCG(1, 1)).NormFloat64)
	data := sim.LabData{Corpus: corpus, Prompts: []string{"the cat", "the dog"}, HeldoutPrompts: []string{"i like"},
		Demonstrations: []sim.Demonstration{{Prompt: "the cat", Response: "drinks milk ."}}}
	s := sim.DefaultSettings()
	s.K, s.Pretrain.Batch, s.SFT.Batch, s.Reward.Batch = 3, 2, 2, 2
	s.PPO.Batch, s.PPO.MiniBatch, s.PPO.MaxNew = 4, 2, 6
	fresh := func() (*sim.Lab, error) { return sim.NewLab(s, data, tok, base.Clone(), nil) }
	if _, err := fresh(); err != nil {
		t.Fatal(err)
	}
	return func() (*Dispatcher, *recorder) {
		lab, _ := fresh()
		rec := &recorder{}
		return New(lab, data, fresh, rec.emit), rec
	}
}

// session is what a refused command must leave as it was: the student's
// work and the settings.
type session struct {
	lab      *sim.Lab
	rankings int
	demos    int
	settings sim.Settings
	journal  uint64
}

func sessionOf(l *sim.Lab) session {
	return session{l, len(l.Rankings), len(l.UserDemos), l.Settings, l.Journal()}
}

// FuzzCommands is the worker's door: each line of the input is one message
// from the page, decoded and handled as worker/main.go does, followed by one
// step of whatever job runs. Nothing panics; a message that does not decode
// is refused before the dispatcher sees it; and a command answered with an
// error leaves the session as it was (its journal position aside: a refused
// action counts as handled). The seed corpus in testdata/fuzz/FuzzCommands
// holds one command of every kind.
//
//	go test -run '^$' -fuzz '^FuzzCommands$' -fuzztime 1000000x -fuzzminimizetime 0 ./worker/dispatch/
func FuzzCommands(f *testing.F) {
	f.Add([]byte(`{"id":1,"kind":"Hello","body":{}}` + "\n" + `{"id":2,"kind":"Rank","body":{"Candidate":1,"Order":[2,0,1],"Seq":1}}`))
	f.Add([]byte(`{"id":1,"kind":"AutoLabel","body":{"N":3}}` + "\n" + `{"id":2,"kind":"TrainReward","body":{}}`))
	dispatcher := tinyDispatchers(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		d, rec := dispatcher()
		for i, line := range bytes.SplitN(b, []byte("\n"), 8) {
			id, c, err := protocol.DecodeCommand(line)
			if err != nil {
				continue // worker/main.go answers it with a Failed message
			}
			before := sessionOf(d.Lab)
			rec.got = rec.got[:0]
			d.Handle(id, c, nil)
			if _, hello := c.(protocol.Hello); !hello && refused(rec.got) {
				after := sessionOf(d.Lab)
				after.journal = before.journal
				if !reflect.DeepEqual(before, after) {
					t.Fatalf("command %d (%#v) was refused but changed the session: %+v, was %+v", i, c, after, before)
				}
			}
			d.Work()
		}
	})
}

// refused reports whether the updates hold an error.
func refused(us []protocol.Update) bool {
	for _, u := range us {
		if m, ok := u.(protocol.Message); ok && !m.Code.IsNotice() {
			return true
		}
	}
	return false
}
