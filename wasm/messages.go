//go:build js && wasm

package main

import (
	"fmt"
	"strings"

	"rlhfplayground/protocol"
	"rlhfplayground/sim"
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
		return fmt.Sprintf("That demonstration is longer than the model can read (or than %d characters). Shorten the prompt or the answer.", sim.MaxTextRunes)
	case protocol.TooMany:
		return fmt.Sprintf("This session holds as many rankings (%d) or demonstrations (%d) as it can. Export it to keep it, then reset to start a new one.", sim.MaxRankings, sim.MaxUserDemos)
	case protocol.TooLarge:
		return fmt.Sprintf("That file is larger than a session can be (%d MB), so it was not imported and your session is unchanged.", sim.MaxSessionBytes>>20)
	case protocol.NotSession:
		return "This file is not an RLHF Playground session (one saved with Export), so your session is unchanged."
	case protocol.DamagedSession:
		return "This session file is damaged or from an incompatible version, so it was not imported and your session is unchanged."
	case protocol.NotRestored:
		return "Your saved session could not be read, so the app started from the shipped models. Import an exported copy if you have one."
	case protocol.NotReplayed:
		return "A change you made just before the page closed could not be made again, so it was left out. The rest of your work is here."
	case protocol.NoStorage:
		return "This browser does not let the app save (a private window?), so your work lives in this tab only. Export it to keep it."
	case protocol.NotSaved:
		return "Your work could not be saved (the browser's storage may be full), so it lives in this tab until a save works. Export it to keep it."
	case protocol.NoJournal:
		return "This browser does not let the app keep each change at once: one made just before the tab closes may be lost. Export to keep a copy."
	case protocol.Elsewhere:
		return "This session is now open in another tab, so this one saves nothing more."
	case protocol.NoEngine:
		return "The engine could not start. Reload the page; the browser console has the details."
	case protocol.EngineStopped:
		return "The engine stopped (out of memory?). Reload to go on from your last saved work: your rankings, demonstrations and settings are kept."
	case protocol.Imported:
		return "Session imported."
	case protocol.WasReset:
		return "The session was reset to the shipped models."
	}
	return "Something went wrong in the engine and nothing was changed. Try again, or reload the page; the browser console has the details."
}
