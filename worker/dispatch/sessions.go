package dispatch

// A session per language. Each language's model has a session of its own
// (sim.Settings.Lang), and one of them is open at a time; the others wait
// on the Shelf (worker/main.go's is IndexedDB). Switching stores the open
// session there first and brings the other one back.
//
// The page's journal numbers the student's actions of every session in one
// sequence, and names the session each belongs to (sim.Action.Lang). A
// journal's action is applied to the session of its language only: Hello
// and SwitchModel apply the open session's, and Hello takes those of the
// other languages to their sessions on the shelf, which it stores again.
// State.Stored says how far the open session is stored, State.Kept how far
// the shelved ones are, so that the page forgets each language's actions
// once its session has them.

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// A Shelf keeps one stored session per language (as Pack.Lang names it:
// "en", "zh-TW").
type Shelf interface {
	// Stored returns the session stored for lang (a snapshot), nil if
	// there is none; an error if the store cannot be read now.
	Stored(lang string) ([]byte, error)
	// Keep stores snapshot as lang's session. An error says it was not
	// stored; the shelf has told the page why.
	Keep(lang string, snapshot []byte) error
}

// Lang is the open session's language: "en" or another pack's.
func (d *Dispatcher) Lang() string { return langOf(d.Lab) }

func langOf(l *sim.Lab) string { return packLang(l.Settings.Lang) }

// packLang is the pack's name of a session's language (Settings.Lang).
func packLang(settingsLang string) string {
	if settingsLang == "" {
		return English
	}
	return settingsLang
}

// StartLang is the language of the session the worker opens at start:
// the one the page's Hello names (hello, a Settings.Lang: "" is English)
// if the server has its model (models, as Ready lists them), else English.
func StartLang(hello string, models []string) string {
	if l := packLang(hello); l != English && slices.Contains(models, l) {
		return l
	}
	return English
}

// pack returns the pack of lang.
func (d *Dispatcher) pack(lang string) (*Pack, error) {
	switch {
	case lang == d.Lang():
		return &Pack{Lang: lang, Data: d.data, Fresh: d.fresh}, nil
	case lang == English:
		return &d.home, nil
	case d.Open == nil:
		return nil, ErrNoModel
	}
	return d.Open(lang)
}

// open returns the session of lang's model: the one on the shelf if it
// reads (stored reports that), else a fresh one. A language without a
// model is told to the page, and open returns nil; so it does when the
// shelf cannot be read now (a fresh session would be stored over the one
// it holds).
func (d *Dispatcher) open(lang string) (*sim.Lab, *Pack, bool) {
	p, err := d.pack(lang)
	if err != nil {
		d.emit(protocol.Message{Code: protocol.NoModel, Lang: lang, Detail: err.Error()}, nil)
		return nil, nil, false
	}
	b, err := d.shelved(lang)
	if err != nil {
		d.Fail(err, protocol.Idle)
		return nil, nil, false
	}
	if b != nil {
		l, err := sim.ReadSnapshot(b, p.Data)
		if err == nil && langOf(l) == lang {
			return l, p, true
		}
		if err == nil {
			err = fmt.Errorf("dispatch: the session stored for %s is in %s", lang, langOf(l))
		}
		d.emit(protocol.Message{Code: protocol.NotRestored, Detail: err.Error()}, nil)
	}
	l, err := p.Fresh()
	if err != nil {
		d.Fail(err, protocol.Idle)
		return nil, nil, false
	}
	return l, p, false
}

// shelved returns the shelf's session of lang, nil without a shelf.
func (d *Dispatcher) shelved(lang string) ([]byte, error) {
	if d.Shelf == nil {
		return nil, nil
	}
	return d.Shelf.Stored(lang)
}

// use makes l, in p's language, the open session; stored says it is the
// one on the shelf, stored as far as its journal goes. The screens'
// held-out prompts are another language's now: they start again at the
// first.
func (d *Dispatcher) use(l *sim.Lab, p *Pack, stored bool) {
	if p.Lang != d.Lang() {
		if d.compare != nil {
			d.compare.Prompt = 0
		}
		if d.probe != nil {
			d.probe.Prompt, d.probe.Pos = 0, 0
		}
	}
	d.Lab, d.data, d.fresh, d.job = l, p.Data, p.Fresh, protocol.Idle
	d.snapJournal, d.stored = 0, 0
	if stored {
		d.snapJournal, d.stored = l.Journal(), l.Journal()
	}
	delete(d.kept, l.Settings.Lang)
}

// shelve stores the open session on the shelf, if it changed since it was
// last stored, before another session takes its place, and notes for the
// page how far its journal is stored (State.Kept). Without a shelf, or
// when the store fails, its changes since are lost with it, but their
// actions stay in the page's journal for the next time it is opened.
func (d *Dispatcher) shelve() {
	if _, due := d.SaveDue(); due && d.Shelf != nil {
		b, err := d.Snapshot()
		switch {
		case err != nil:
			d.Fail(err, protocol.Idle)
		case d.Shelf.Keep(d.Lang(), b) == nil:
			d.stored = d.snapJournal
		}
	}
	d.keptTo(d.Lab.Settings.Lang, d.stored)
}

// switchTo makes lang's session the open one: the session open now is
// shelved, lang's opened and the journal's actions in lang that it lacks
// applied to it. It reports false, and the session stays, for a language
// without a model.
func (d *Dispatcher) switchTo(lang string, journal []sim.Action) bool {
	l, p, stored := d.open(lang)
	if l == nil {
		return false
	}
	d.shelve()
	d.use(l, p, stored)
	if !stored {
		d.changed(true) // a fresh session is stored at once
	}
	d.replay(journal)
	return true
}

// see notes the journal's newest action.
func (d *Dispatcher) see(journal []sim.Action) {
	for _, a := range journal {
		d.seen = max(d.seen, a.Seq)
	}
}

// did records that the open session handled the action numbered seq as
// it was taken.
func (d *Dispatcher) did(seq uint64) {
	d.Lab.Did(seq)
	d.seen = max(d.seen, seq)
}

// newest is the newest journal action of any session the engine knows of,
// with l's: a session that replaces another counts the actions up to it as
// handled.
func (d *Dispatcher) newest(l *sim.Lab) uint64 { return max(d.seen, d.Lab.Journal(), l.Journal()) }

// replay applies the journal's actions of the open session's language that
// the session has not handled, oldest first; each refused one is reported
// by its Seq.
func (d *Dispatcher) replay(journal []sim.Action) {
	for _, a := range journal {
		if a.Lang != d.Lab.Settings.Lang {
			continue
		}
		if d.apply(d.Lab, a) {
			d.changed(true)
		}
	}
}

// apply applies a to l, reports a refusal as NotReplayed, and reports
// whether a was new to l.
func (d *Dispatcher) apply(l *sim.Lab, a sim.Action) bool {
	applied, err := l.Apply(a)
	if err != nil {
		d.notReplayed(a, err)
	}
	return applied
}

// notReplayed tells the page that action a was not done again, and why.
func (d *Dispatcher) notReplayed(a sim.Action, err error) {
	m := protocol.Problem(err, protocol.Idle)
	m.Code, m.Seq = protocol.NotReplayed, a.Seq
	d.emit(m, nil)
}

// replayElsewhere takes the journal's actions of the languages other than
// done (as Settings.Lang names them) to their own sessions on the shelf,
// which it stores again: the actions of a session that was not open when
// the page closed, or that another tab could not store before it handed
// over. Without a shelf, or when a session cannot be read or stored now,
// the actions wait in the journal; those of a language this server has no
// model for are refused.
func (d *Dispatcher) replayElsewhere(journal []sim.Action, done ...string) {
	if d.Shelf == nil {
		return
	}
	byLang := map[string][]sim.Action{}
	var langs []string
	for _, a := range journal {
		if slices.Contains(done, a.Lang) {
			continue
		}
		if byLang[a.Lang] == nil {
			langs = append(langs, a.Lang)
		}
		byLang[a.Lang] = append(byLang[a.Lang], a)
	}
	for _, lang := range langs {
		actions, name := byLang[lang], packLang(lang)
		p, err := d.pack(name)
		if errors.Is(err, ErrNoModel) {
			for _, a := range actions {
				d.notReplayed(a, err)
			}
			continue
		}
		if err != nil {
			continue // the pack did not arrive: next time
		}
		var l *sim.Lab
		switch b, err := d.Shelf.Stored(name); {
		case err != nil:
			continue // the store does not read now: next time
		case b != nil:
			if l, err = sim.ReadSnapshot(b, p.Data); err != nil || l.Settings.Lang != lang {
				continue // left as it is: the student is told when they open it
			}
		default:
			if l, err = p.Fresh(); err != nil {
				continue
			}
		}
		applied := false
		for _, a := range actions {
			applied = d.apply(l, a) || applied
		}
		if applied {
			var buf bytes.Buffer
			if l.WriteSnapshot(&buf) != nil || d.Shelf.Keep(name, buf.Bytes()) != nil {
				continue
			}
		}
		d.keptTo(lang, l.Journal())
	}
}

// keptTo notes that the stored session of lang (Settings.Lang's) has the
// journal up to seq, for State.Kept.
func (d *Dispatcher) keptTo(lang string, seq uint64) {
	if seq == 0 {
		return
	}
	if d.kept == nil {
		d.kept = map[string]uint64{}
	}
	d.kept[lang] = seq
	d.stateChanged = true
}
