// Package lesson is the guided lesson: the chapter's recipe in its own
// order — unsupervised pretraining, step 1 supervised fine-tuning, step 2
// the reward model from the student's rankings, step 3 PPO — one card at
// a time. A card names the stage it is done on and a check: a number
// measured from what the page already has of the engine (protocol.State
// and the metric history) and the goal it must reach ("you ranked 5
// prompts", "the reward model's held-out accuracy passed 70%", "the KL
// rose above 2 nats"). The next card is offered once the check has passed
// (or the student skips the card).
//
// The words of each card are the catalog's (i18n.Text.Lesson.Cards, in
// the order of Cards); this package holds the rules only, so it is tested
// without a browser.
package lesson

import (
	"encoding/json"
	"slices"

	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// Facts are what a check reads: the engine's state as the worker last sent
// it, and the page's copy of the metric history.
type Facts struct {
	State *protocol.State
	Hist  *sim.History
}

// Card is one step of the lesson.
type Card struct {
	ID    string         // stable name, in the saved progress
	Stage protocol.Stage // the screen the card is done on
	// Measure is the number the check watches; Goal is what it must
	// reach (Measure ≥ Goal). A card without Measure is read, not done.
	Measure func(Facts) float64
	Goal    float64
	Percent bool // Measure and Goal are shares, shown as percentages
}

// Cards are the lesson, in the chapter's order.
var Cards = []Card{
	{ID: "pretrain", Stage: protocol.Pretrain, Measure: pretrainSteps, Goal: 5},
	{ID: "sft-demo", Stage: protocol.SFT, Measure: yourDemos, Goal: 1},
	{ID: "sft-train", Stage: protocol.SFT, Measure: sftSteps, Goal: 10},
	{ID: "rank", Stage: protocol.Label, Measure: yourRankings, Goal: 5},
	{ID: "reward-model", Stage: protocol.Label, Measure: rmAccuracy, Goal: 0.7, Percent: true},
	{ID: "ppo", Stage: protocol.PPO, Measure: ppoIterations, Goal: 5},
	{ID: "kl", Stage: protocol.PPO, Measure: lastKL, Goal: 2},
	{ID: "done", Stage: protocol.PPO},
}

func pretrainSteps(f Facts) float64 { return float64(len(f.Hist.Pretrain)) }
func sftSteps(f Facts) float64      { return float64(len(f.Hist.SFT)) }
func ppoIterations(f Facts) float64 { return float64(len(f.Hist.PPO)) }
func yourDemos(f Facts) float64     { return float64(f.State.YourDemos) }
func yourRankings(f Facts) float64  { return float64(f.State.YourRankings) }

// rmAccuracy is the held-out accuracy of the newest reward-model evaluation.
func rmAccuracy(f Facts) float64 {
	if n := len(f.Hist.RewardEvals); n > 0 {
		return f.Hist.RewardEvals[n-1].Accuracy
	}
	return 0
}

// lastKL is the mean KL (nats per answer) of the newest PPO iteration.
func lastKL(f Facts) float64 {
	if n := len(f.Hist.PPO); n > 0 {
		return f.Hist.PPO[n-1].KLMean
	}
	return 0
}

// Check is what a card's check found: the number it watches and whether
// it reached the goal.
type Check struct {
	Have, Goal float64
	Done       bool
}

// Check measures card c in f. A card without a check is done.
func (c Card) Check(f Facts) Check {
	if c.Measure == nil {
		return Check{Done: true}
	}
	v := c.Measure(f)
	return Check{Have: v, Goal: c.Goal, Done: v >= c.Goal}
}

// Progress is the student's place in the lesson, as the page stores it.
type Progress struct {
	Card   int      `json:"card"`   // index into Cards
	Open   bool     `json:"open"`   // the card is shown: the header's Lesson button or a link's card opened the lesson, and it was not closed since
	Passed []string `json:"passed"` // the cards whose check has passed, by ID: a passed card stays passed (the KL may fall again)
}

// Current is the card the student is on.
func (p *Progress) Current() Card { return Cards[p.Card] }

// CurrentPassed reports whether the current card's check has passed, now or before.
func (p *Progress) CurrentPassed() bool { return slices.Contains(p.Passed, Cards[p.Card].ID) }

// Observe runs the current card's check on f and remembers a pass; it
// returns the check and whether the progress changed (to be stored).
func (p *Progress) Observe(f Facts) (Check, bool) {
	ch := p.Current().Check(f)
	if ch.Done && !p.CurrentPassed() {
		p.Passed = append(p.Passed, p.Current().ID)
		return ch, true
	}
	return ch, false
}

// CanNext reports whether Next is offered: the current card has passed and
// it is not the last.
func (p *Progress) CanNext() bool { return p.CurrentPassed() && p.Card+1 < len(Cards) }

// Next goes to the following card if the current one has passed.
func (p *Progress) Next() bool {
	if !p.CanNext() {
		return false
	}
	p.Card++
	return true
}

// Skip goes to the following card without its check; on the last card it
// closes the lesson.
func (p *Progress) Skip() {
	if p.Card+1 < len(Cards) {
		p.Card++
		return
	}
	p.Open = false
}

// Back goes to the previous card.
func (p *Progress) Back() bool {
	if p.Card == 0 {
		return false
	}
	p.Card--
	return true
}

// Go opens the lesson at card n, counted from 1 as links count it; a card
// the lesson does not have changes nothing.
func (p *Progress) Go(n int) bool {
	if n < 1 || n > len(Cards) {
		return false
	}
	p.Card, p.Open = n-1, true
	return true
}

// Number is the current card counted from 1, as links and the panel show it.
func (p *Progress) Number() int { return p.Card + 1 }

// Encode is the progress as stored.
func (p *Progress) Encode() []byte {
	b, _ := json.Marshal(p) // a struct of ints, bools and strings always encodes
	return b
}

// Decode reads stored progress. What does not decode, or names a card the
// lesson does not have, gives the start of the lesson and an error; IDs
// of cards that no longer exist are dropped.
func Decode(b []byte) (Progress, error) {
	var p Progress
	if err := json.Unmarshal(b, &p); err != nil {
		return Progress{}, err
	}
	if p.Card < 0 || p.Card >= len(Cards) {
		return Progress{}, errBadCard
	}
	p.Passed = slices.DeleteFunc(p.Passed, func(id string) bool { return Index(id) < 0 })
	return p, nil
}

// Index returns the index in Cards of the card called id, −1 if none.
func Index(id string) int {
	return slices.IndexFunc(Cards, func(c Card) bool { return c.ID == id })
}

type lessonError string

func (e lessonError) Error() string { return string(e) }

const errBadCard = lessonError("lesson: the stored card is not in the lesson")
