package presets

import (
	"errors"
	"iter"
)

// A Runner runs a preset step by step: each Step runs it to its next
// progress report (one ranking, one reward-model step, one PPO iteration,
// one batch of samples) and returns, so that a program that cannot
// pre-empt a long computation (the Web Worker: Go's js/wasm has one
// thread) can answer its other messages between steps. A Runner gives the
// same Result as Run with the same Options: it is Run, suspended at each
// report.
type Runner struct {
	next     func() (Progress, bool)
	stop     func()
	last     Progress
	steps    int
	res      *Result
	err      error
	finished bool
}

// errStopped unwinds a run whose Runner was stopped.
var errStopped = errors.New("presets: the run was stopped")

// Start prepares a run of the preset; nothing runs before the first Step.
func (p Preset) Start(opt Options) *Runner {
	r := &Runner{}
	report := opt.Progress
	run := func(yield func(Progress) bool) {
		defer func() {
			if x := recover(); x != nil && x != errStopped { // the sentinel itself is the run ending early
				panic(x)
			}
		}()
		o := opt
		o.Progress = func(pr Progress) {
			if report != nil {
				report(pr)
			}
			if !yield(pr) {
				panic(errStopped)
			}
		}
		r.res, r.err = p.Run(o)
	}
	r.next, r.stop = iter.Pull(run)
	return r
}

// Step runs the preset to its next progress report, or to its end.
func (r *Runner) Step() {
	if r.finished {
		return
	}
	pr, ok := r.next()
	if !ok {
		r.finished = true
		return
	}
	r.last, r.steps = pr, r.steps+1
}

// Finished reports whether the run has ended (Result has its outcome).
func (r *Runner) Finished() bool { return r.finished }

// Progress is the last progress report, and the number of steps so far.
func (r *Runner) Progress() (Progress, int) { return r.last, r.steps }

// Result is the run's outcome once Finished (nil, nil before).
func (r *Runner) Result() (*Result, error) { return r.res, r.err }

// Stop abandons the run; Finished is then true and Result nil.
func (r *Runner) Stop() {
	if !r.finished {
		r.stop()
		r.finished = true
	}
}
