package lesson

import (
	"slices"
	"testing"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// facts builds what the page would have after the given work.
func facts(pretrain, sft, demos, rankings int, acc []float64, kl []float64) Facts {
	st := &protocol.State{}
	st.YourDemos, st.YourRankings = demos, rankings
	h := &sim.History{Pretrain: make([]sim.PretrainStats, pretrain), SFT: make([]sim.SFTStats, sft)}
	for _, a := range acc {
		h.RewardEvals = append(h.RewardEvals, sim.RewardEval{Accuracy: a})
	}
	for _, k := range kl {
		h.PPO = append(h.PPO, sim.PPOStats{KLMean: k})
	}
	return Facts{State: st, Hist: h}
}

// TestChecks: each card's check, on the facts just short of its goal and
// just at it.
func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		id       string
		before   Facts
		after    Facts
		have     float64 // Have, after
		nothing0 bool    // a fresh session is short of the goal
	}{
		{"pretrain", facts(4, 0, 0, 0, nil, nil), facts(5, 0, 0, 0, nil, nil), 5, true},
		{"sft-demo", facts(9, 9, 0, 0, nil, nil), facts(0, 0, 1, 0, nil, nil), 1, true},
		{"sft-train", facts(0, 9, 3, 0, nil, nil), facts(0, 10, 0, 0, nil, nil), 10, true},
		{"rank", facts(0, 0, 0, 4, nil, nil), facts(0, 0, 0, 5, nil, nil), 5, true},
		// The newest evaluation counts, not the best.
		{"reward-model", facts(0, 0, 0, 40, []float64{0.8, 0.69}, nil), facts(0, 0, 0, 40, []float64{0.5, 0.7}, nil), 0.7, true},
		{"ppo", facts(0, 0, 0, 0, nil, []float64{1, 1, 1, 1}), facts(0, 0, 0, 0, nil, []float64{1, 1, 1, 1, 1}), 5, true},
		{"kl", facts(0, 0, 0, 0, nil, []float64{3, 1.99}), facts(0, 0, 0, 0, nil, []float64{0.1, 2.5}), 2.5, true},
	} {
		i := Index(tc.id)
		if i < 0 {
			t.Fatalf("no card %q", tc.id)
		}
		c := Cards[i]
		if ch := c.Check(tc.before); ch.Done || ch.Goal != c.Goal {
			t.Errorf("%s: %+v before its goal", tc.id, ch)
		}
		if ch := c.Check(tc.after); !ch.Done || ch.Have != tc.have {
			t.Errorf("%s: %+v, want done with %v", tc.id, ch, tc.have)
		}
		if ch := c.Check(facts(0, 0, 0, 0, nil, nil)); ch.Done == tc.nothing0 {
			t.Errorf("%s: %+v on a fresh session", tc.id, ch)
		}
	}
	last := Cards[len(Cards)-1]
	if ch := last.Check(facts(0, 0, 0, 0, nil, nil)); !ch.Done || last.Measure != nil {
		t.Errorf("the last card is read, not done: %+v", ch)
	}
}

// TestOrder: the lesson follows the chapter: pretraining, SFT, the reward
// model, PPO, never back to an earlier stage; the IDs are unique.
func TestOrder(t *testing.T) {
	var ids []string
	for i, c := range Cards {
		if i > 0 && c.Stage < Cards[i-1].Stage {
			t.Errorf("card %d (%s) on %s after %s", i+1, c.ID, c.Stage.ID(), Cards[i-1].Stage.ID())
		}
		if slices.Contains(ids, c.ID) {
			t.Errorf("two cards %q", c.ID)
		}
		ids = append(ids, c.ID)
	}
	for s := range protocol.NumStages {
		if !slices.ContainsFunc(Cards, func(c Card) bool { return c.Stage == s }) {
			t.Errorf("no card on %s", s.ID())
		}
	}
}

// TestWalk: Next waits for the check, a pass stays passed, Skip passes
// over a card, Back returns, and the last card closes the lesson on Skip.
func TestWalk(t *testing.T) {
	var p Progress
	f := facts(0, 0, 0, 0, nil, nil)
	if _, changed := p.Observe(f); changed || p.CanNext() || p.Next() || p.Back() {
		t.Fatalf("a fresh lesson moved: %+v", p)
	}
	f = facts(5, 0, 0, 0, nil, nil)
	if ch, changed := p.Observe(f); !ch.Done || !changed {
		t.Fatalf("5 pretraining steps: %+v %v", ch, changed)
	}
	if _, changed := p.Observe(f); changed {
		t.Errorf("a pass noticed twice")
	}
	if !p.Next() || p.Number() != 2 || p.Current().ID != "sft-demo" {
		t.Fatalf("Next after the pass: %+v", p)
	}
	if p.Next() {
		t.Errorf("Next before the demonstration")
	}
	p.Skip()
	if p.Number() != 3 {
		t.Errorf("Skip: card %d", p.Number())
	}
	if !p.Back() || !p.Back() || !p.CurrentPassed() || !p.CanNext() {
		t.Errorf("back on the first card, which passed before: %+v", p)
	}
	if !p.Go(7) || p.Current().ID != "kl" || p.Go(0) || p.Go(len(Cards)+1) || p.Number() != 7 {
		t.Errorf("Go: %+v", p)
	}
	// The KL passed once and fell again: the card stays passed.
	p.Observe(facts(0, 0, 0, 0, nil, []float64{2.1}))
	if p.Observe(facts(0, 0, 0, 0, nil, []float64{2.1, 0.5})); !p.CanNext() {
		t.Errorf("the KL card forgot its pass")
	}
	p.Next()
	if p.CanNext() {
		t.Errorf("Next on the last card")
	}
	p.Skip()
	if p.Open || p.Number() != len(Cards) {
		t.Errorf("Skip on the last card: %+v", p)
	}
	if !p.Go(1) || !p.Open {
		t.Errorf("Go opens the lesson: %+v", p)
	}
}

// TestStore: progress survives encoding, and what does not decode gives
// the start of the lesson with an error.
func TestStore(t *testing.T) {
	p := Progress{Card: 4, Open: true, Passed: []string{"pretrain", "rank"}}
	got, err := Decode(p.Encode())
	if err != nil || got.Card != 4 || !got.Open || !slices.Equal(got.Passed, p.Passed) {
		t.Errorf("round trip: %+v, %v", got, err)
	}
	got, err = Decode([]byte(`{"card":1,"open":true,"passed":["pretrain","gone"]}`))
	if err != nil || !got.Open || !slices.Equal(got.Passed, []string{"pretrain"}) {
		t.Errorf("a card that no longer exists: %+v, %v", got, err)
	}
	for _, bad := range []string{"", "{", `{"card":-1}`, `{"card":99}`, `{"card":"x"}`} {
		if got, err := Decode([]byte(bad)); err == nil || got.Card != 0 || got.Open {
			t.Errorf("Decode(%q) = %+v, %v", bad, got, err)
		}
	}
}

// TestWords: every card has its words in each language, and a check line
// exactly when it has a check.
func TestWords(t *testing.T) {
	for _, lang := range i18n.Langs {
		words := i18n.For(lang).Lesson.Cards
		if len(words) != len(Cards) {
			t.Fatalf("%s: %d cards of words for %d cards", lang, len(words), len(Cards))
		}
		for i, c := range Cards {
			if w := words[i]; w.Title == "" || w.Do == "" || w.Look == "" || (w.Check == "") != (c.Measure == nil) {
				t.Errorf("%s: card %d (%s): %+v", lang, i+1, c.ID, w)
			}
		}
	}
}
