//go:build js && wasm

package main

import (
	"errors"
	"slices"
	"syscall/js"
	"time"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
	"rlhfplayground/wasm/journal"
)

// This tab's hold on the session: the lock (lock.go) that makes it the
// session's one owner, the hand-over when another tab asks, and the journal
// (wasm/journal, in localStorage) that makes each of the student's actions
// durable before the screen shows it taken.

// owner is where this tab stands with the session.
type owner int

const (
	claiming    owner = iota // waiting for the session lock
	owning                   // this tab's engine has the session
	handingOver              // another tab asked: the engine is storing the session
	elsewhere                // another tab has the session
)

var ownerNames = [...]string{claiming: "claiming", owning: "owner", handingOver: "handing-over", elsewhere: "elsewhere"}

// jnlState says whether actions are journaled.
type jnlState int

const (
	jnlOn       jnlState = iota
	jnlFailed            // localStorage cannot be used: actions are kept only when stored
	jnlInMemory          // the engine cannot store the session at all: a journal would keep nothing
)

// handOverWithin is how long a tab waits for its engine to store the
// session before it stops the engine anyway and hands over.
const handOverWithin = 5 * time.Second

// claim waits for the session lock, then says Hello with the journal and
// the model language the page wants, and sends what was asked meanwhile;
// afterwards it hands the session over when another tab asks.
func (r *remote) claim() {
	<-r.lock.granted
	j, err := readJournal()
	r.mu.Lock()
	r.jnl = j
	var unusable storageError
	switch {
	case errors.As(err, &unusable):
		r.jnlState = jnlFailed
		r.deliver(incoming{u: protocol.Message{Code: protocol.NoJournal, Detail: err.Error()}})
	case err != nil: // a journal that does not read is not this app's: start a new one
		js.Global().Get("console").Call("warn", "rlhf: the journal in localStorage was unreadable and is replaced: "+err.Error())
	}
	r.owner = owning
	queued := r.queue
	r.queue = nil
	r.helloID = r.sendLocked(protocol.Hello{Journal: j.Actions, Tab: r.tab, Lang: r.modelLang}, nil)
	for _, b := range queued {
		r.port.Post(b, nil)
	}
	r.mu.Unlock()
	wake()

	<-r.lock.asked
	r.handOver()
}

// handOver gives the session to the tab that asked: the engine stores it
// and stops (or is stopped, if it does not answer), the journal is written
// a last time, the lock released. This runs from JavaScript callbacks, not
// from Update: the tab giving the session up is usually hidden.
func (r *remote) handOver() {
	r.mu.Lock()
	r.owner = handingOver
	r.sendLocked(protocol.Release{}, nil)
	r.mu.Unlock()
	select {
	case <-r.released:
	case <-time.After(handOverWithin):
	}
	r.worker.Call("terminate")
	r.mu.Lock()
	// With a Web Lock the other tab reads the journal once this one
	// releases it: write it a last time, trimmed of what was stored.
	// Without one the other tab has started already, and its journal is
	// the one to keep.
	if r.jnlState == jnlOn && r.lock.Exclusive() {
		writeJournal(&r.jnl)
	}
	r.owner = elsewhere
	r.mu.Unlock()
	r.lock.Release()
	r.deliver(incoming{u: protocol.Message{Code: protocol.Elsewhere}})
}

// keep does, as an update arrives, what the journal and the hand-over need:
// stored and refused actions are forgotten, a replaced session's too. Each
// language's session is stored apart, so an action is forgotten when the
// session of its language has it (State.Stored for the open one, State.Kept
// for the others).
func (r *remote) keep(u protocol.Update) {
	r.mu.Lock()
	defer r.mu.Unlock()
	changed := false
	switch u := u.(type) {
	case protocol.Progress:
		if u.State.Storage == protocol.NoStorage && r.jnlState != jnlInMemory {
			// Nothing is stored, so the journal would replay actions into
			// a session that no longer has them: the page works in memory.
			r.jnlState, r.jnl = jnlInMemory, journal.Journal{}
			localStore(func(ls js.Value) { ls.Call("removeItem", journalKey) })
			return
		}
		if r.helloID != 0 && u.State.Done >= r.helloID {
			changed = r.jnl.Forget(u.State.Settings.Lang, u.State.Stored)
			for lang, seq := range u.State.Kept {
				changed = r.jnl.Forget(lang, seq) || changed
			}
		}
	case protocol.Message:
		switch {
		case u.Seq == 0:
		case u.Code == protocol.Imported || u.Code == protocol.WasReset:
			changed = r.jnl.Forget(sessionLang(u.Lang), u.Seq) // the replaced session's actions
		case !u.Code.IsNotice():
			changed = r.jnl.Drop(u.Seq) // refused
		}
	case protocol.Released:
		select {
		case <-r.released:
		default:
			close(r.released)
		}
	}
	if changed && r.jnlState == jnlOn {
		writeJournal(&r.jnl)
	}
}

// Owner is where this tab stands with the session.
func (r *remote) Owner() owner {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.owner
}

// Journaled returns the number of actions the store has not caught up with,
// and the number of the newest action journaled.
func (r *remote) Journaled() (waiting int, last uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.jnl.Actions), r.jnl.Last
}

// act journals the student's action a, in the open session's language,
// and then sends the command that does it (made by cmd from a's number). It
// reports whether the action was taken: not when the session is not this
// tab's, the engine not ready, or another session on its way (SwitchModel,
// Import, Reset: the screens still show the one it replaces, whose
// language the action would be journaled in).
func (r *remote) act(a sim.Action, cmd func(seq uint64) protocol.Command) (uint64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.owner != owning || !r.HasState || r.replacing > r.State.Done {
		return 0, false
	}
	a.Lang = r.State.Settings.Lang
	if r.jnlState == jnlOn {
		ja, err := r.jnl.Add(a, r.State.Applied)
		if err == nil {
			if err = writeJournal(&r.jnl); err != nil {
				r.jnl.Drop(ja.Seq)
			}
		}
		switch {
		case err == nil:
			a.Seq, r.jnlTold = ja.Seq, false
		case !r.jnlTold: // the journal is full, or localStorage refused the write: the action goes unjournaled
			r.jnlTold = true
			r.deliver(incoming{u: protocol.Message{Code: protocol.NoJournal, Detail: err.Error()}})
		}
	}
	return r.sendLocked(cmd(a.Seq), nil), true
}

// Rank files the student's ranking of the waiting candidate.
func (r *remote) Rank(c *sim.Candidate, order []int) bool {
	rk := sim.Ranking{ID: c.ID, Prompt: c.Prompt, Answers: c.Answers, Order: slices.Clone(order), Labeler: sim.You}
	_, ok := r.act(sim.Action{Ranking: &rk}, func(seq uint64) protocol.Command {
		return protocol.Rank{Candidate: c.ID, Order: rk.Order, Seq: seq}
	})
	return ok
}

// AddDemo adds the student's demonstration.
func (r *remote) AddDemo(d sim.Demonstration) bool {
	_, ok := r.act(sim.Action{Demo: &d}, func(seq uint64) protocol.Command { return protocol.AddDemo{Demo: d, Seq: seq} })
	return ok
}

// SwitchModel asks for the session of the model in lang ("en", "zh-TW"),
// with the journal's actions of that session: those its store may lack.
func (r *remote) SwitchModel(lang string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var actions []sim.Action
	for _, a := range r.jnl.Actions {
		if a.Lang == sessionLang(lang) {
			actions = append(actions, a)
		}
	}
	r.sendLocked(protocol.SwitchModel{Lang: lang, Journal: actions}, nil)
}

// sessionLang is a session's sim.Settings.Lang for a model's language as
// the protocol names it ("en" is "").
func sessionLang(lang string) string {
	if lang == string(i18n.English) {
		return ""
	}
	return lang
}

// Save asks the engine to store the session now (the tab is being hidden).
func (r *remote) Save() { r.Send(protocol.Save{}) }
