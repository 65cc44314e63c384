// Package journal is the page's write-ahead journal of what the student
// does: each ranking, demonstration and change of settings is numbered and
// written to the journal (which the page keeps in localStorage, synchronously)
// before the command goes to the engine and before the screen shows it as
// taken. The page forgets an action once the engine says it is in the
// session the browser has stored (protocol.State.Stored), or that it was
// refused; on start-up it sends what is left with protocol.Hello, and the
// engine applies, once each, the actions its restored session lacks (see
// sim/journal.go). The rules are here, pure and table-tested, as the
// ranking draft's are in wasm/draft.
//
// The journal is bounded (MaxActions, MaxBytes): it holds what the store has
// not caught up with, a handful of actions when storing works. When it is
// full the action still goes to the engine, unjournaled, and the page says
// that changes are no longer kept at once.
package journal

import (
	"encoding/json"
	"errors"
	"fmt"

	"rlhfplayground/sim"
)

// Bounds of the journal.
const (
	MaxActions = 1000    // actions waiting for the store
	MaxBytes   = 1 << 20 // the encoded journal (localStorage holds about 5 MB per site)
)

// ErrFull: the journal holds MaxActions actions or MaxBytes bytes.
var ErrFull = errors.New("journal: full")

// Journal is the actions the store has not caught up with, oldest first.
type Journal struct {
	Last    uint64       `json:"last"`    // the number given to the newest action, so numbers never repeat
	Actions []sim.Action `json:"actions"` // increasing Seq, each ≤ Last
}

// Decode reads an encoded journal. A journal that is too large, not JSON, or
// whose actions are not valid and numbered in order gives an error: the
// page then starts a new one (and says so).
func Decode(b []byte) (Journal, error) {
	var j Journal
	if len(b) > MaxBytes {
		return Journal{}, fmt.Errorf("journal: %d bytes, more than %d", len(b), MaxBytes)
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return Journal{}, fmt.Errorf("journal: %w", err)
	}
	if len(j.Actions) > MaxActions {
		return Journal{}, fmt.Errorf("journal: %d actions, more than %d", len(j.Actions), MaxActions)
	}
	var prev uint64
	for _, a := range j.Actions {
		if err := a.Validate(); err != nil {
			return Journal{}, err
		}
		if a.Seq <= prev || a.Seq > j.Last {
			return Journal{}, fmt.Errorf("journal: action %d after %d, of at most %d", a.Seq, prev, j.Last)
		}
		prev = a.Seq
	}
	return j, nil
}

// Encode writes the journal as Decode reads it.
func (j *Journal) Encode() []byte {
	b, err := json.Marshal(j)
	if err != nil {
		panic("journal: " + err.Error()) // an Action always encodes: a bug
	}
	return b
}

// Add numbers a after every action given out so far and after applied (the
// newest action the engine's session has handled, which may come from
// another journal: an imported session's), and appends it. A change of
// settings replaces the settings already waiting for the same session (of
// a's language): only the newest counts.
// When the journal would be full it is left as it was and Add returns
// ErrFull.
func (j *Journal) Add(a sim.Action, applied uint64) (sim.Action, error) {
	a.Seq = max(j.Last, applied) + 1
	if err := a.Validate(); err != nil {
		return sim.Action{}, err
	}
	next := Journal{Last: a.Seq, Actions: make([]sim.Action, 0, len(j.Actions)+1)}
	for _, old := range j.Actions {
		if a.Settings != nil && old.Settings != nil && old.Lang == a.Lang {
			continue
		}
		next.Actions = append(next.Actions, old)
	}
	next.Actions = append(next.Actions, a)
	if len(next.Actions) > MaxActions || len(next.Encode()) > MaxBytes {
		return sim.Action{}, ErrFull
	}
	*j = next
	return a, nil
}

// Forget drops the actions of the session in lang (sim.Action.Lang)
// numbered up to seq (that session is stored with them) and reports whether
// any were dropped. Each language's session is stored apart, so the actions
// of the others stay.
func (j *Journal) Forget(lang string, seq uint64) bool {
	kept := j.Actions[:0:0]
	for _, a := range j.Actions {
		if a.Lang != lang || a.Seq > seq {
			kept = append(kept, a)
		}
	}
	dropped := len(kept) < len(j.Actions)
	if dropped {
		j.Actions = kept
	}
	return dropped
}

// Drop drops the action numbered seq (the engine refused it) and reports
// whether it was there.
func (j *Journal) Drop(seq uint64) bool {
	for i, a := range j.Actions {
		if a.Seq == seq {
			j.Actions = append(j.Actions[:i:i], j.Actions[i+1:]...)
			return true
		}
	}
	return false
}
