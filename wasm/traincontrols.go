//go:build js && wasm

package main

import "rlhfplayground/worker/msg"

// trainControls are a stage's Run/Pause and Step buttons: Run starts a job
// in the worker that goes on until paused, Step asks for one bounded step.
// The pretraining, SFT and PPO screens share them.
type trainControls struct {
	run, step button
}

// update labels and enables the buttons for stage, places them from (x, y),
// sends the worker the command of a clicked one and returns the x after them.
// blocked disables both (PPO without a reward model, say). The buttons' ids
// for tests are stage+"-run" and stage+"-step".
func (t *trainControls) update(c *Context, stage, runLabel, stepLabel string, blocked bool, x, y float64) float64 {
	r := c.R
	running := r.State.Job == stage
	t.run.Label, t.run.Primary = runLabel, true
	if running {
		t.run.Label = "Pause"
	}
	t.run.Disabled = blocked || !r.Ready || (r.Busy() && !running)
	t.step.Label, t.step.Disabled = stepLabel, blocked || !r.Ready || r.Busy()
	x = t.run.place(c, x, y)
	x = t.step.place(c, x, y)
	switch {
	case t.run.Update(c, stage+"-run"):
		if running {
			r.Send(msg.Command{Cmd: msg.CmdPause})
		} else {
			r.Send(msg.Command{Cmd: msg.CmdRun, Stage: stage})
			r.State.Job = stage
		}
	case t.step.Update(c, stage+"-step"):
		r.Send(msg.Command{Cmd: msg.CmdStep, Stage: stage})
	}
	return x
}
