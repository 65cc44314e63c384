package sim

// The journal: what the student does to a session (a ranking, a
// demonstration, a change of settings) as numbered Actions, so that whoever
// takes the action from the student can make it durable at once, before the
// Lab has it, and do it again later if the session the Lab was restored from
// is older than the action. The app's page writes each action to
// localStorage (synchronously) before its screen shows the action as taken,
// and replays the journal into the engine when it starts.
//
// The Lab keeps the number of the newest action it has handled (Journal),
// and a snapshot saves it with the session. Actions are numbered in the
// order they are taken, so an action is in a session exactly when its Seq
// is at most the session's Journal: Replay skips those, and an action is
// never applied twice. An action that the Lab refuses (a ranking of answers
// that were replaced, a setting it cannot use) counts as handled too: it is
// not tried again.

import (
	"errors"
	"fmt"
)

// An Action is one thing the student did, complete enough to be done again
// without the screen that made it: a ranking carries its prompt and answers
// (and the candidate's ID, which names it within the session). Exactly one
// of Ranking, Demo and Settings is set.
//
// Each language's model has a session of its own (Settings.Lang), and one
// journal numbers the actions of all of them: Lang names the session an
// action belongs to, and only a session in that language applies it.
type Action struct {
	Seq      uint64         `json:"seq"`            // its number in the journal, from 1
	Lang     string         `json:"lang,omitempty"` // the language of its session, as Settings.Lang ("" English)
	Ranking  *Ranking       `json:"ranking,omitempty"`
	Demo     *Demonstration `json:"demo,omitempty"`
	Settings *Settings      `json:"settings,omitempty"`
}

// Validate checks that a has a number and exactly one thing to do.
func (a Action) Validate() error {
	n := 0
	for _, set := range []bool{a.Ranking != nil, a.Demo != nil, a.Settings != nil} {
		if set {
			n++
		}
	}
	switch {
	case a.Seq == 0:
		return errors.New("sim: journal: an action without a number")
	case n != 1:
		return fmt.Errorf("sim: journal: action %d does %d things, want 1", a.Seq, n)
	}
	return nil
}

// Journal returns the number of the newest action the session has handled
// (0 before any).
func (l *Lab) Journal() uint64 { return l.journal }

// Did records that the action numbered seq was handled as it was taken (by
// Rank, AddDemonstration or SetSettings, done or refused), so that Replay
// will not do it again. Seq 0 (an action that is in no journal) changes
// nothing.
func (l *Lab) Did(seq uint64) { l.journal = max(l.journal, seq) }

// ErrOtherLanguage: an action of a session in another language, which
// this session never applies (nor counts as handled).
var ErrOtherLanguage = errors.New("sim: journal: an action of another language's session")

// Apply does action a if the session has not handled it yet, and reports
// whether it was new. A new action is handled whether it is done or refused:
// the error says why it was refused, and the session is as it was. A
// ranking that is already filed (its ID is in Rankings) is not filed twice.
// An action of another language's session is left alone (ErrOtherLanguage).
func (l *Lab) Apply(a Action) (bool, error) {
	if err := a.Validate(); err != nil {
		return false, err
	}
	if a.Lang != l.Settings.Lang {
		return false, fmt.Errorf("%w: action %d is %q's, the session %q's", ErrOtherLanguage, a.Seq, a.Lang, l.Settings.Lang)
	}
	if a.Seq <= l.journal {
		return false, nil
	}
	l.journal = a.Seq
	switch {
	case a.Ranking != nil:
		r := *a.Ranking
		if r.ID == 0 {
			return true, errors.New("sim: journal: a ranking without its candidate's ID")
		}
		if err := l.AddRanking(r); err != nil && !errors.Is(err, ErrDuplicateRanking) {
			return true, err
		}
		if l.cand != nil && l.cand.ID == r.ID {
			l.cand = nil // the waiting answers are the ones just ranked
		}
	case a.Demo != nil:
		if _, err := l.AddDemonstration(*a.Demo); err != nil {
			return true, err
		}
	case a.Settings != nil:
		if err := l.SetSettings(*a.Settings); err != nil {
			return true, err
		}
	}
	return true, nil
}
