//go:build js && wasm

package main

import "rlhfplayground/protocol"

// trainControls are a stage's Run/Pause and Step buttons: Run starts a job
// in the worker that goes on until paused, Step asks for one bounded step.
// The pretraining, SFT and PPO screens share them.
type trainControls struct {
	run, step button
}

// update labels and enables the buttons for job, places them from (x, y),
// sends the worker the command of a clicked one and returns the x after them.
// blocked disables both (PPO without a reward model, say). The buttons' ids
// for tests are the stage's ID+"-run" and +"-step".
func (t *trainControls) update(c *Context, job protocol.Job, runLabel, stepLabel string, blocked bool, x, y float64) float64 {
	r := c.R
	running := r.Job() == job
	id := job.Stage().ID()
	t.run.Label, t.run.Primary = runLabel, true
	if running {
		t.run.Label = c.T.Train.Pause
	}
	t.run.Disabled = blocked || !r.Ready || (r.Busy() && !running)
	t.step.Label, t.step.Disabled = stepLabel, blocked || !r.Ready || r.Busy()
	x = t.run.place(c, x, y)
	x = t.step.place(c, x, y)
	switch {
	case t.run.Update(c, id+"-run"):
		if running {
			r.Pause()
		} else {
			r.Run(job)
		}
	case t.step.Update(c, id+"-step"):
		r.Send(protocol.Step{Job: job})
	}
	return x
}
