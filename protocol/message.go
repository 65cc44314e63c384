package protocol

import (
	"errors"

	"rlhfplayground/sim"
)

// Message tells the student about a condition, named by Code; the page
// words it. Detail is the developer's account (an error's text), for the
// console only.
type Message struct {
	Code   Code     `json:"code"`
	Job    Job      `json:"job,omitempty"`    // the job that stopped, for Diverged: whose learning rate to lower
	Words  []string `json:"words,omitempty"`  // UnknownWords: the words the model has no token for
	Seq    uint64   `json:"seq,omitempty"`    // the journal action this is about: refused (the page forgets it), or, for Imported and WasReset, the newest the engine has seen (the page forgets the replaced session's actions up to it)
	Lang   string   `json:"lang,omitempty"`   // NoModel: the language without a model; ModelSwitched: the model's language; Imported, WasReset: the replaced session's ("en" for English, as Ready.Lang)
	Detail string   `json:"detail,omitempty"` // for the console
}

// Code names a condition the student is told about.
type Code string

// Errors: something did not happen, and the session is as it was.
const (
	Failed         Code = "failed"          // anything not listed: a bug, whose detail is in the console
	Diverged       Code = "diverged"        // a step diverged and was undone: lower Job's learning rate
	NoRankings     Code = "no-rankings"     // the reward model has nothing to train on
	NoRewardModel  Code = "no-reward-model" // PPO needs a trained reward model
	StaleAnswers   Code = "stale-answers"   // a ranking of answers that were replaced
	BadSettings    Code = "bad-settings"    // settings the engine refuses; the ones in force hold
	UnknownWords   Code = "unknown-words"   // a demonstration with words outside the vocabulary
	TooLong        Code = "too-long"        // a demonstration longer than the model's context, or than sim.MaxTextRunes
	TooMany        Code = "too-many"        // the session holds as many rankings or demonstrations as it can
	TooLarge       Code = "too-large"       // a file larger than its limit (sim.MaxSessionBytes)
	NotSession     Code = "not-session"     // an import that is not a session file
	DamagedSession Code = "damaged-session" // an import that is a damaged or incompatible session
	NotRestored    Code = "not-restored"    // the saved session could not be read: the app started afresh
	NotReplayed    Code = "not-replayed"    // an action of the journal (taken before a reload) could not be done again
	NoStorage      Code = "no-storage"      // the browser does not let the app save: the session lives in memory only
	NotSaved       Code = "not-saved"       // a save to the browser failed (storage full?): the session lives in memory until one succeeds
	NoJournal      Code = "no-journal"      // the page cannot write its journal (localStorage off or full): a change is stored within a second, not at once
	Elsewhere      Code = "elsewhere"       // another tab took the session over: this one stores nothing more
	NoEngine       Code = "no-engine"       // the engine could not start (worker.js sends this one too)
	EngineStopped  Code = "engine-stopped"  // the engine stopped (out of memory, a crash): reload to go on from the stored session
)

// Notices: something the student should know.
const (
	Imported      Code = "imported"       // an import replaced the session
	WasReset      Code = "reset"          // the session is the shipped one again
	ModelSwitched Code = "model-switched" // SwitchModel opened the session of Lang's model
	NoModel       Code = "no-model"       // this server has no model in Lang: the session stays
)

// IsNotice reports whether c is a notice rather than an error.
func (c Code) IsNotice() bool {
	return c == Imported || c == WasReset || c == ModelSwitched || c == NoModel
}

// codes maps the engine's error conditions to codes.
var codes = []struct {
	err  error
	code Code
}{
	{sim.ErrDiverged, Diverged},
	{sim.ErrNoRankings, NoRankings},
	{sim.ErrNoRewardModel, NoRewardModel},
	{sim.ErrStaleCandidate, StaleAnswers},
	{sim.ErrBadSettings, BadSettings},
	{sim.ErrUnknownWords, UnknownWords},
	{sim.ErrTooLong, TooLong},
	{sim.ErrTooMany, TooMany},
	{sim.ErrTooLarge, TooLarge},
	{sim.ErrNotSession, NotSession},
}

// Problem is the Message for err, which stopped job (Idle if none).
func Problem(err error, job Job) Message {
	m := Message{Code: Failed, Job: job, Detail: err.Error()}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			m.Code = c.code
			break
		}
	}
	return m
}
