//go:build js && wasm

package main

import (
	"strings"

	"rlhfplayground/protocol"
)

// messageText words a message of the engine for the student: what happened
// and the way out. The developer's detail went to the console.
func messageText(m protocol.Message) string {
	switch m.Code {
	case protocol.Diverged:
		return "The last training step went wrong (its loss was not a number) and was undone. Lower the learning rate and try again."
	case protocol.NoRankings:
		return "The reward model has no rankings to learn from yet. Rank a few answers, or auto-label some, then train it."
	case protocol.NoRewardModel:
		return "PPO needs a reward model. Train one on the Label screen (step 2) first."
	case protocol.StaleAnswers:
		return "Those answers were replaced by new ones before your ranking arrived. Please rank the new answers."
	case protocol.BadSettings:
		return "The engine cannot use that setting, so the previous settings still hold. Choose another value."
	case protocol.UnknownWords:
		return "The model has no token for " + strings.Join(m.Words, ", ") + ". Write the demonstration with other words."
	case protocol.TooLong:
		return "That demonstration is longer than the model can read. Shorten the prompt or the answer."
	case protocol.NotSession:
		return "This file is not an RLHF Playground session (one saved with Export), so your session is unchanged."
	case protocol.DamagedSession:
		return "This session file is damaged or from an incompatible version, so it was not imported and your session is unchanged."
	case protocol.NotRestored:
		return "Your saved session could not be read, so the app started from the shipped models. Import an exported copy if you have one."
	case protocol.NoStorage:
		return "This browser does not let the app save your work, so it will be lost on reload. Use Export in Session & settings to keep it."
	case protocol.NotSaved:
		return "Your work could not be saved in this browser just now. Use Export in Session & settings to keep a copy."
	case protocol.NoEngine:
		return "The engine could not start. Reload the page; the browser console has the details."
	case protocol.Imported:
		return "Session imported."
	case protocol.WasReset:
		return "The session was reset to the shipped models."
	}
	return "Something went wrong in the engine and nothing was changed. Try again, or reload the page; the browser console has the details."
}
