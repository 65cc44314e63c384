package sim

// The class: a classroom's students rank the same candidate sets (handed out
// by the class server, package class), the teacher's tab trains one reward
// model on everybody's rankings (PooledRewardJob), and each student may
// run PPO against it instead of their own (UseRewardModel) and go back
// (UseOwnRewardModel). A set from the server waits for the student's
// ranking as a drawn candidate does (Offer), so ranking it trains the
// student's own reward model too.

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Offer makes prompt and answers (a candidate set from the class server)
// the answers waiting for the student's ranking, in place of any waiting
// ones, under a new candidate ID. They are checked as a ranking of them
// would be.
func (l *Lab) Offer(prompt string, answers []string) (Candidate, error) {
	order := make([]int, len(answers))
	for i := range order {
		order[i] = i
	}
	if err := (Ranking{Prompt: prompt, Answers: answers, Order: order, Labeler: You}).Validate(); err != nil {
		return Candidate{}, fmt.Errorf("sim: offer: %w", err)
	}
	l.lastID++
	l.cand = &Candidate{ID: l.lastID, Prompt: prompt, Answers: slices.Clone(answers)}
	return l.Candidate(), nil
}

// classStream numbers the random stream of the class reward model (its
// head and batch order, and the answers that normalise it), beside the
// session's Streams, so training it changes none of the session's draws.
const classStream = 0xc1a55

// PooledRewardJob trains a reward model from the session's SFT model on a
// class's pooled rankings, apart from the session (whose rankings, reward
// model and history it leaves alone): Settings.Reward.Epochs passes, one
// Step at a time, then the held-out evaluation, then the normalisation on
// SFT answers that PPO would do, so the checkpoint it makes can be sent to
// the class as it is.
type PooledRewardJob struct {
	lab         *Lab
	rm          *RewardModel
	t           *RewardTrainer
	rng         *rand.Rand
	steps, done int
	used        int
	eval        RewardEval
	norm        *NormStats
}

// StartPooledRewardJob prepares the job on rankings; the invalid ones are
// left out (Used counts the others). Without a ranking to train on it
// fails with ErrNoRankings.
func (l *Lab) StartPooledRewardJob(rankings []Ranking) (*PooledRewardJob, error) {
	rng := rand.New(rand.NewPCG(l.Settings.Seed, classStream))
	rm := NewRewardModel(l.SFT, rng)
	t, err := NewRewardTrainer(l.Settings.Reward, rm, l.Tok, rng)
	if err != nil {
		return nil, err
	}
	used := 0
	for _, r := range rankings {
		if t.Add(r) == nil {
			used++
		}
	}
	if train, _ := t.Sizes(); train == 0 {
		return nil, fmt.Errorf("sim: class reward model: %d rankings, %d usable, none for training: %w", len(rankings), used, ErrNoRankings)
	}
	return &PooledRewardJob{lab: l, rm: rm, t: t, rng: rng, steps: l.Settings.Reward.Epochs * t.StepsPerEpoch(), used: used}, nil
}

// Steps is the job's length.
func (j *PooledRewardJob) Steps() int { return j.steps }

// Done is the number of steps taken.
func (j *PooledRewardJob) Done() int { return j.done }

// Used is the number of rankings the model trains on or is evaluated on.
func (j *PooledRewardJob) Used() int { return j.used }

// Finished reports whether every step is taken and the model evaluated and normalised.
func (j *PooledRewardJob) Finished() bool { return j.done >= j.steps }

// Step takes the next step; the last one also evaluates the model on the
// held-out rankings and normalises it. A step whose loss is not finite
// stops the job (ErrDiverged).
func (j *PooledRewardJob) Step() (RewardStats, error) {
	if j.Finished() {
		panic("sim: PooledRewardJob.Step: the job is finished")
	}
	st := j.t.Step()
	if math.IsNaN(st.Loss) || math.IsInf(st.Loss, 0) {
		j.done = j.steps
		return st, fmt.Errorf("sim: class reward model: step %d: %w", st.Step, ErrDiverged)
	}
	j.done++
	if j.Finished() {
		j.eval = j.t.Evaluate()
		n := j.lab.normalize(j.rm, j.rng)
		j.norm = &n
	}
	return st, nil
}

// Eval is the held-out evaluation at the end (Pairs 0 when no ranking is held out).
func (j *PooledRewardJob) Eval() RewardEval { return j.eval }

// Checkpoint is the trained, normalised reward model, as the class server
// takes it; nil before the job is finished.
func (j *PooledRewardJob) Checkpoint() *Checkpoint {
	if j.norm == nil {
		return nil
	}
	c := NewCheckpoint("reward", j.rm.Model, j.lab.Tok)
	norm := j.rm.Norm
	c.Norm = &norm
	return c
}

// normalize sets rm's gain and bias so that its scores of the SFT model's
// answers to training prompts have mean 0 and std 1, drawing from rng.
func (l *Lab) normalize(rm *RewardModel, rng *rand.Rand) NormStats {
	const n = 64
	prompts := make([]string, n)
	for i := range prompts {
		prompts[i] = l.Data.Prompts[rng.IntN(len(l.Data.Prompts))]
	}
	answers := l.sampleAnswers(l.SFT, prompts, l.Settings.PPO.Temperature, rng)
	seqs := make([][]int, n)
	for i := range seqs {
		seqs[i], _ = ChatSequence(l.Tok, prompts[i], answers[i])
		seqs[i] = clip(seqs[i], l.SFT.Config.Context)
	}
	return rm.Normalize(seqs)
}

// ErrNotRewardModel: a checkpoint that is no reward model of this session's
// shape and vocabulary.
var ErrNotRewardModel = errors.New("not a reward model for this model")

// UseRewardModel makes the reward model in c (the class's, named source,
// such as "class v2") the one the Label screen scores with and PPO
// optimises; the student's own is kept aside (UseOwnRewardModel brings it
// back), and so are the rankings. PPO starts again. It also measures the
// class model on the student's held-out rankings (the ones the student's
// own model is evaluated on), for the comparison (Status.ClassRMAccuracy).
func (l *Lab) UseRewardModel(c *Checkpoint, source string) error {
	switch {
	case source == "" || len(source) > MaxTextBytes:
		return fmt.Errorf("sim: reward model: a source name of %d bytes", len(source))
	case c.Config != l.SFT.Config || !slices.Equal(c.Vocab, l.Tok.Words()):
		return fmt.Errorf("sim: reward model %q: %w (another shape or vocabulary)", source, ErrNotRewardModel)
	case c.Norm == nil:
		return fmt.Errorf("sim: reward model %q: %w (no normalisation: a policy?)", source, ErrNotRewardModel)
	}
	m, _ := c.Model()
	rm := &RewardModel{Model: m, Norm: *c.Norm}
	if l.rmSource == "" {
		l.ownRM = l.RM
	}
	l.RM, l.rmTrainer, l.rmSource = rm, nil, source
	l.classEval = nil
	t, err := NewRewardTrainer(l.Settings.Reward, rm, l.Tok, rand.New(rand.NewPCG(l.Settings.Seed, classStream+1)))
	if err == nil {
		for _, r := range l.Rankings {
			t.add(r)
		}
		if e := t.Evaluate(); e.Pairs > 0 {
			l.classEval = &e
		}
	}
	l.switchedRM()
	return nil
}

// UseOwnRewardModel goes back to the student's own reward model (none if
// they had not trained one) after UseRewardModel; PPO starts again.
func (l *Lab) UseOwnRewardModel() {
	if l.rmSource == "" {
		return
	}
	l.RM, l.ownRM, l.rmTrainer, l.rmSource, l.classEval = l.ownRM, nil, nil, "", nil
	l.switchedRM()
}

// RewardSource is the source of the reward model in use: "" for the
// student's own, else the name UseRewardModel was given.
func (l *Lab) RewardSource() string { return l.rmSource }

// switchedRM starts PPO again on the reward model just put in place.
func (l *Lab) switchedRM() {
	l.History.Norm = nil
	l.RestartPPO()
	l.rescore()
}
