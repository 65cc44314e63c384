package sim

import "fmt"

// RewardJob is one "Train reward model": Settings.Reward.Epochs passes over
// the training rankings, one RewardStep at a time, ending with the reward
// model measured on the held-out rankings. The app's worker and cmd/rlhf
// both run it.
type RewardJob struct {
	lab         *Lab
	steps, done int
	evals       int // len(History.RewardEvals) when the job started
	eval        RewardEval
}

// StartRewardJob prepares a reward-model job of Epochs passes over the
// training rankings as they are now; it fails with ErrNoRankings without any.
func (l *Lab) StartRewardJob() (*RewardJob, error) {
	t, err := l.rewardTrainer()
	if err != nil {
		return nil, err
	}
	if train, _ := t.Sizes(); train == 0 {
		return nil, fmt.Errorf("sim: reward model: %d rankings, none for training: %w", len(l.Rankings), ErrNoRankings)
	}
	return &RewardJob{lab: l, steps: l.Settings.Reward.Epochs * t.StepsPerEpoch(), evals: len(l.History.RewardEvals)}, nil
}

// Steps is the job's length; Done counts the steps taken.
func (j *RewardJob) Steps() int { return j.steps }

// Done is the number of steps taken.
func (j *RewardJob) Done() int { return j.done }

// Finished reports whether every step is taken and the model evaluated.
func (j *RewardJob) Finished() bool { return j.done >= j.steps }

// Step takes the job's next step; the last one also evaluates the model on
// the held-out rankings, unless the step's own end-of-epoch evaluation just did.
func (j *RewardJob) Step() (RewardStats, error) {
	if j.Finished() {
		panic("sim: RewardJob.Step: the job is finished")
	}
	l := j.lab
	st, err := l.RewardStep()
	if err != nil {
		return st, err
	}
	j.done++
	if j.Finished() {
		if evals := l.History.RewardEvals; len(evals) > j.evals && evals[len(evals)-1].Step == len(l.History.Reward) {
			j.eval = evals[len(evals)-1]
		} else {
			j.eval = l.EvaluateReward()
		}
	}
	return st, nil
}

// Eval is the held-out evaluation at the job's end (Pairs 0 when no ranking
// is held out, or before the end).
func (j *RewardJob) Eval() RewardEval { return j.eval }
