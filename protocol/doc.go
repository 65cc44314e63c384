// Package protocol is the one seam between RLHF Playground's two programs:
// the page (wasm/, app.wasm, which draws) and the engine's Web Worker
// (worker/, worker.wasm, which owns the sim.Lab). Both import it, and
// nothing else crosses between them.
//
// The page sends Commands, and a command carries only what the page owns:
// a ranking is the waiting candidate's ID and an order, a probe is the
// index of a held-out prompt and a position. The worker answers with
// Updates: Progress, the State (sent whole whenever it changes; the page
// never edits its copy) with History tails (Tail: the entries the page does
// not have yet), the Candidate to rank, and what a screen asked to be shown. Stage
// and Job are the one vocabulary of the recipe's steps and of the work the
// engine does for them.
//
// A message is an envelope {"id", "kind", "body"} in JSON (Encode…,
// Decode…): kind is the Go type's name, id numbers the page's commands, and
// State.Done says which of them the engine has handled. Port (js/wasm only)
// posts the envelopes, with a session file beside them for Import and
// Export, between the page and the worker.
//
// What the student does (Rank, AddDemo, SetSettings) is acknowledged only
// once it is durable. The page writes each such action to its journal
// (sim.Action, numbered by Seq) before it sends the command; State.Applied
// says which actions the engine's session has, State.Stored which are in the
// session the browser has stored, and the page forgets an action only then
// (or when a Message with its Seq says it was refused). Hello carries the
// journal, so the actions a reload caught before the store are applied
// after it, once each.
//
// Each language's model has a session of its own (sim.Settings.Lang):
// Hello names the model language the page wants, SwitchModel changes it,
// and Ready says which is open. One journal holds the actions of all of
// them, each naming its session's language (sim.Action.Lang), and each is
// applied to that session only; State.Stored counts for the open session's
// language, State.Kept for the others'.
//
// A Message is a condition the student is told about, by Code: the page
// words it, in English or 繁體中文 (package i18n); Detail is for the console.
package protocol
