//go:build js && wasm

package main

import (
	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// messageText words a message of the engine for the student, in t's
// language: what happened and the way out. The developer's detail went to
// the console. kept is the session's language, whose model stays when
// another language has none.
func messageText(t *i18n.Text, m protocol.Message, kept string) string {
	w := &t.Messages
	switch m.Code {
	case protocol.Diverged:
		return w.Diverged
	case protocol.NoRankings:
		return w.NoRankings
	case protocol.NoRewardModel:
		return w.NoRewardModel
	case protocol.StaleAnswers:
		return w.StaleAnswers
	case protocol.BadSettings:
		return w.BadSettings
	case protocol.UnknownWords:
		return i18n.Sprintf(w.UnknownWords, t.List(m.Words))
	case protocol.TooLong:
		return i18n.Sprintf(w.TooLong, sim.MaxTextRunes)
	case protocol.TooMany:
		return i18n.Sprintf(w.TooMany, sim.MaxRankings, sim.MaxUserDemos)
	case protocol.TooLarge:
		return i18n.Sprintf(w.TooLarge, sim.MaxSessionBytes>>20)
	case protocol.NotSession:
		return w.NotSession
	case protocol.DamagedSession:
		return w.DamagedSession
	case protocol.NotRestored:
		return w.NotRestored
	case protocol.NotReplayed:
		return w.NotReplayed
	case protocol.NoStorage:
		return w.NoStorage
	case protocol.NotSaved:
		return w.NotSaved
	case protocol.NoJournal:
		return w.NoJournal
	case protocol.Elsewhere:
		return w.Elsewhere
	case protocol.NoEngine:
		return w.NoEngine
	case protocol.EngineStopped:
		return w.EngineStopped
	case protocol.Imported:
		return w.Imported
	case protocol.WasReset:
		return w.WasReset
	case protocol.NoModel:
		return i18n.Sprintf(w.NoModel, t.Model(i18n.Lang(m.Lang)), t.Model(i18n.Lang(kept)))
	case protocol.ModelSwitched:
		return i18n.Sprintf(w.ModelSwitched, t.Model(i18n.Lang(m.Lang)))
	}
	return w.Failed
}
