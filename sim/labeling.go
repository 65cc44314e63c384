package sim

// Labelling: the answers waiting for the student's ranking, the rankings
// filed (the student's and the personas'), and what the Label screen shows
// of them: how often each persona agrees with the student, and the newest.

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Candidate is a prompt with K sampled answers, waiting to be ranked. ID
// names it within the session; a ranking of it keeps the same ID.
type Candidate struct {
	ID      uint64    `json:"id"`
	Prompt  string    `json:"prompt"`
	Answers []string  `json:"answers"`
	Scores  []float64 `json:"scores,omitempty"` // the reward model's score of each answer, once there is one
}

// ErrStaleCandidate: a ranking or a skip named a candidate that is no longer
// the one waiting (it was ranked, skipped, or K changed).
var ErrStaleCandidate = errors.New("the answers were replaced")

// drawCandidate draws a training prompt and K answers to it from the SFT
// model. An answer that repeats an earlier one is drawn again, up to
// redraws times, so that a ranking is a choice between different answers
// as often as the model allows (a ranking of two equal answers says nothing
// about them, and the SFT model does repeat itself: a browser test's
// screenshot showed two equal cards of four).
func (l *Lab) drawCandidate() Candidate {
	prompt := l.Data.Prompts[l.streams.Sample.IntN(len(l.Data.Prompts))]
	prompts := make([]string, l.Settings.K)
	for i := range prompts {
		prompts[i] = prompt
	}
	answers := l.sampleAnswers(l.SFT, prompts, l.Settings.LabelTemperature, l.streams.Sample)
	const redraws = 2
	for range redraws {
		repeats := answersToRedraw(answers)
		if len(repeats) == 0 {
			break
		}
		again := l.sampleAnswers(l.SFT, prompts[:len(repeats)], l.Settings.LabelTemperature, l.streams.Sample)
		for j, i := range repeats {
			answers[i] = again[j]
		}
	}
	l.lastID++
	return Candidate{ID: l.lastID, Prompt: prompt, Answers: answers}
}

// BlankAnswer reports whether an answer has nothing to read: the model can
// end an answer at once, and a set shows it as a blank card, so the label
// screen and a class's sets draw again instead.
func BlankAnswer(answer string) bool { return strings.TrimSpace(answer) == "" }

// answersToRedraw returns the indices of the answers a student could not
// rank: those equal to an earlier one, and the blank ones.
func answersToRedraw(answers []string) []int {
	var repeats []int
	for i, a := range answers {
		if BlankAnswer(a) || slices.Contains(answers[:i], a) {
			repeats = append(repeats, i)
		}
	}
	return repeats
}

// Candidate returns the answers waiting for the student's ranking, drawn
// first if none wait, with the current reward model's scores once there is
// a reward model.
func (l *Lab) Candidate() Candidate {
	if l.cand == nil {
		c := l.drawCandidate()
		l.cand = &c
	}
	if l.cand.Scores == nil && l.RM != nil {
		l.cand.Scores = l.RM.Score(l.Tok, l.cand.Prompt, l.cand.Answers)
	}
	return *l.cand
}

// rescore drops the waiting candidate's scores after the reward model changed.
func (l *Lab) rescore() {
	if l.cand != nil {
		l.cand.Scores = nil
	}
}

// waiting returns the candidate with id, or ErrStaleCandidate.
func (l *Lab) waiting(id uint64) (*Candidate, error) {
	if l.cand == nil || l.cand.ID != id {
		return nil, fmt.Errorf("sim: lab: candidate %d: %w", id, ErrStaleCandidate)
	}
	return l.cand, nil
}

// Rank files the student's ranking of the waiting candidate id (order:
// indices into its answers, best first); the next Candidate draws new answers.
func (l *Lab) Rank(id uint64, order []int) (Ranking, error) {
	c, err := l.waiting(id)
	if err != nil {
		return Ranking{}, err
	}
	r := Ranking{ID: id, Prompt: c.Prompt, Answers: c.Answers, Order: slices.Clone(order), Labeler: You}
	if err := l.AddRanking(r); err != nil {
		return Ranking{}, err
	}
	l.cand = nil
	return r, nil
}

// Skip drops the waiting candidate id unranked.
func (l *Lab) Skip(id uint64) error {
	if _, err := l.waiting(id); err != nil {
		return err
	}
	l.cand = nil
	return nil
}

// ErrDuplicateRanking: a ranking with the ID of one already filed.
var ErrDuplicateRanking = errors.New("a ranking with this ID is already filed")

// AddRanking files a ranking for the reward model. A ranking without an ID
// (one saved before rankings had IDs) is given the next one; a ranking with
// the ID of one filed before is refused (ErrDuplicateRanking), and so is any
// beyond MaxRankings (ErrTooMany).
func (l *Lab) AddRanking(r Ranking) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if len(l.Rankings) >= MaxRankings {
		return fmt.Errorf("sim: lab: %d rankings: %w", len(l.Rankings), ErrTooMany)
	}
	if r.ID == 0 {
		l.lastID++
		r.ID = l.lastID
	}
	if l.rankingIDs[r.ID] {
		return fmt.Errorf("sim: lab: ranking %d: %w", r.ID, ErrDuplicateRanking)
	}
	if l.rankingIDs == nil {
		l.rankingIDs = map[uint64]bool{}
	}
	l.rankingIDs[r.ID] = true
	l.lastID = max(l.lastID, r.ID)
	if l.rmTrainer != nil {
		l.rmTrainer.add(r)
	}
	if r.Labeler == You {
		l.agree.add(r)
	}
	l.Rankings = append(l.Rankings, r)
	return nil
}

// AutoLabel draws n candidates and has the settings' persona rank them.
func (l *Lab) AutoLabel(n int) error {
	p, err := l.Persona()
	if err != nil {
		return err
	}
	for range n {
		c := l.drawCandidate()
		order := p.Rank(c.Prompt, c.Answers, l.streams.Labeler)
		if err := l.AddRanking(Ranking{ID: c.ID, Prompt: c.Prompt, Answers: c.Answers, Order: order, Labeler: p.Name}); err != nil {
			return err
		}
	}
	return nil
}

// agreement sums, per built-in persona, the share of pairs it orders as the
// student did, over the student's rankings. The personas rank without their
// noise: the comparison is with their own taste.
type agreement struct {
	personas []*Persona
	sum      []float64
	n        int
}

func (a *agreement) add(r Ranking) {
	if a.personas == nil {
		a.personas = Personas()
		for _, p := range a.personas {
			p.Noise = 0
		}
		a.sum = make([]float64, len(a.personas))
	}
	for i, p := range a.personas {
		a.sum[i] += Agreement(r.Order, p.Rank(r.Prompt, r.Answers, nil))
	}
	a.n++
}

// shares returns the mean agreement per persona name, nil before any ranking.
func (a *agreement) shares() map[string]float64 {
	if a.n == 0 {
		return nil
	}
	m := make(map[string]float64, len(a.personas))
	for i, p := range a.personas {
		m[p.Name] = a.sum[i] / float64(a.n)
	}
	return m
}

// RankingSummary is one ranking in short: who ranked, the prompt, and the
// answers put first and last.
type RankingSummary struct {
	ID      uint64 `json:"id"`
	Labeler string `json:"labeler"` // You or a persona's name
	Prompt  string `json:"prompt"`
	Best    string `json:"best"`
	Worst   string `json:"worst"`
}

// NewestRankings is how many rankings Status.Newest lists.
const NewestRankings = 8

// newest returns the n newest rankings in short, newest first.
func (l *Lab) newest(n int) []RankingSummary {
	var out []RankingSummary
	for i := len(l.Rankings) - 1; i >= 0 && len(out) < n; i-- {
		r := l.Rankings[i]
		out = append(out, RankingSummary{ID: r.ID, Labeler: r.Labeler, Prompt: r.Prompt,
			Best: r.Answers[r.Order[0]], Worst: r.Answers[r.Order[len(r.Order)-1]]})
	}
	return out
}

// Rerank has the settings' persona rank again the answers of every ranking
// that a persona made (the student's own rankings are kept as they are), and
// restarts the reward model: the next reward job trains a new one from the
// SFT model on the new orders. The policy and its PPO history stay, so PPO
// goes on from where it was toward the new reward model ("changing your
// mind"). It returns how many rankings were re-ranked.
func (l *Lab) Rerank() (int, error) {
	p, err := l.Persona()
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range l.Rankings {
		r := &l.Rankings[i]
		if r.Labeler == You {
			continue
		}
		r.Order = p.Rank(r.Prompt, r.Answers, l.streams.Labeler)
		r.Labeler = p.Name
		n++
	}
	l.RestartRewardModel()
	return n, nil
}

// RestartRewardModel drops the reward model and its history: the next
// reward job trains a new one from the SFT model on the rankings as they
// are. A running PPO keeps its policy and, at its next iteration, scores
// with the new reward model once there is one.
func (l *Lab) RestartRewardModel() {
	l.RM, l.rmTrainer = nil, nil
	l.History.Reward, l.History.RewardEvals, l.History.Norm = nil, nil, nil
	l.rescore()
}
