// Package engine is what the Web Worker runs: one sim.Lab, driven by
// msg.Commands from the page and answering with msg.Updates. It has no
// browser code, so it is tested natively; worker/main.go connects it to the
// worker's messages, its event loop and IndexedDB.
//
// Work is split the way the Lab is: Handle does a command's quick part at
// once (a ranking, a setting), and a long job (training until paused, an
// auto-labelling batch) is done by Work, one Lab step per call, so that the
// worker returns to its event loop between steps and a Pause is seen within
// one step.
package engine

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"rlhfplayground/sim/kernels"
	"time"

	"rlhfplayground/sim"
	"rlhfplayground/worker/msg"
)

// Refresh intervals of what the screens show while a job runs.
const (
	samplesEvery = 2 * time.Second // pretraining sentences
	compareEvery = 3 * time.Second // SFT before/after answers
	probeEvery   = 2 * time.Second // the policy-shift panel (two sampled answers and their KL: ~2% of an iteration)
)

// Engine owns the session. Its methods are called from one goroutine.
type Engine struct {
	Lab   *sim.Lab
	data  sim.LabData
	fresh func() (*sim.Lab, error)
	emit  func(msg.Update)

	screen *rand.Rand // pretraining sentences for the screen; never a training stream

	job struct {
		stage       string // msg.Stage* or "label"; "" when idle
		done, total int    // total 0: until paused
		epochStart  int    // len(History.RewardEvals) when an RM job started
	}
	hidden bool // the tab is hidden: Work does nothing

	cand          *msg.Candidate
	candID        uint64
	sent          [5]int // history entries the page has: pretrain, sft, reward, evals, ppo
	stateChanged  bool
	saveWanted    time.Time // when a change asked for a save (zero: saved)
	savedAt       int64
	probe         *msg.Command // the policy-shift panel the page shows, refreshed after PPO steps
	probeRes      *msg.ProbeResult
	lastProbe     time.Time
	compare       string // the SFT screen's prompt
	lastSamples   time.Time
	lastCompare   time.Time
	wantSamples   bool
	personaScores []*sim.Persona
}

// New starts an engine on lab (restored or fresh); fresh makes the shipped
// session for Reset. emit receives every update.
func New(lab *sim.Lab, data sim.LabData, fresh func() (*sim.Lab, error), emit func(msg.Update)) *Engine {
	e := &Engine{Lab: lab, data: data, fresh: fresh, emit: emit, screen: rand.New(rand.NewPCG(lab.Settings.Seed, 0x5c4ee7))}
	for _, p := range sim.Personas() {
		p.Noise = 0 // agreement compares with the persona's own order, without its noise
		e.personaScores = append(e.personaScores, p)
	}
	return e
}

// Busy reports whether a job is waiting for Work.
func (e *Engine) Busy() bool { return e.job.stage != "" && !e.hidden }

// Job returns the running job's stage ("" when idle).
func (e *Engine) Job() string { return e.job.stage }

// SaveDue reports whether the session changed since the last save, and when
// the first unsaved change happened.
func (e *Engine) SaveDue() (time.Time, bool) { return e.saveWanted, !e.saveWanted.IsZero() }

// Snapshot writes the session for saving and marks it saved.
func (e *Engine) Snapshot() ([]byte, error) {
	var buf bytes.Buffer
	if err := e.Lab.WriteSnapshot(&buf); err != nil {
		return nil, err
	}
	e.saveWanted = time.Time{}
	return buf.Bytes(), nil
}

// Saved records a completed save (Unix ms) for the status line.
func (e *Engine) Saved(at int64) { e.savedAt, e.stateChanged = at, true }

func (e *Engine) changed(save bool) {
	e.stateChanged = true
	if save && e.saveWanted.IsZero() {
		e.saveWanted = time.Now()
	}
}

func (e *Engine) fail(err error) {
	e.emit(msg.Update{Error: err.Error(), Diverge: errors.Is(err, sim.ErrDiverged)})
}

// Handle does one command. data is the session file of an Import.
func (e *Engine) Handle(c msg.Command, data []byte) {
	l := e.Lab
	switch c.Cmd {
	case msg.CmdHello:
		e.sent = [5]int{}
		if e.cand == nil {
			e.newCandidate()
		}
		e.emit(msg.Update{Ready: true, Vocab: l.Tok.Words(), Personas: personaNames(), Prompts: e.data.HeldoutPrompts, Demos: e.demos(), Candidate: e.cand})
		e.changed(false)
	case msg.CmdRun, msg.CmdStep:
		total := 0
		if c.Cmd == msg.CmdStep {
			total = 1
		}
		if c.Stage != msg.StagePretrain && c.Stage != msg.StageSFT && c.Stage != msg.StagePPO {
			e.fail(fmt.Errorf("engine: cannot run %q", c.Stage))
			return
		}
		e.startJob(c.Stage, total)
		if c.Stage == msg.StagePretrain {
			e.wantSamples = true
		}
	case msg.CmdTrainRM:
		if train, _ := l.RewardSizes(); train == 0 {
			e.fail(errors.New("rank some answers first: the reward model has no rankings to learn from"))
			return
		}
		epochs := max(c.Epochs, 1)
		e.startJob(msg.StageRM, epochs*l.RewardStepsPerEpoch())
		e.job.epochStart = len(l.History.RewardEvals)
	case msg.CmdAutoLabel:
		e.startJob("label", max(c.N, 1))
	case msg.CmdPause:
		e.job.stage = ""
		e.changed(true)
		e.refreshViews(true)
	case msg.CmdVisible:
		e.hidden = !c.Visible
		e.changed(false)
	case msg.CmdCandidate:
		e.newCandidate()
		e.emit(msg.Update{Candidate: e.cand})
	case msg.CmdRank:
		if c.Ranking == nil {
			e.fail(errors.New("engine: rank without a ranking"))
			return
		}
		if _, err := l.Rank(e.candID, c.Ranking.Order); err != nil {
			e.fail(err)
			return
		}
		e.newCandidate()
		e.emit(msg.Update{Candidate: e.cand})
		e.changed(true)
	case msg.CmdSettings:
		if c.Settings == nil {
			return
		}
		oldK := l.Settings.K
		if err := l.SetSettings(*c.Settings); err != nil {
			e.fail(err)
			e.changed(false) // the page shows the settings that hold
			return
		}
		if _, err := l.Persona(); err != nil {
			e.fail(err)
		}
		if l.Settings.K != oldK {
			e.newCandidate()
			e.emit(msg.Update{Candidate: e.cand})
		}
		e.changed(true)
	case msg.CmdAddDemo:
		if c.Demo == nil {
			return
		}
		unknown, err := l.AddDemonstration(*c.Demo)
		if err != nil {
			e.emit(msg.Update{Error: err.Error(), Unknown: unknown})
			return
		}
		e.emit(msg.Update{Demos: e.demos(), DemoAdded: true})
		e.changed(true)
	case msg.CmdSamples:
		e.wantSamples = true
		e.sendSamples()
	case msg.CmdCompareSFT:
		e.compare = c.Prompt
		e.sendCompare()
	case msg.CmdProbe:
		cc := c
		e.probe = &cc
		e.sendProbe()
	case msg.CmdRestartPPO:
		e.stopJob(msg.StagePPO)
		l.RestartPPO()
		e.probeRes = nil
		e.changed(true)
		e.sendProbe()
	case msg.CmdRestartSFT:
		e.stopJob(msg.StageSFT)
		e.stopJob(msg.StageRM)
		e.stopJob(msg.StagePPO)
		l.RestartSFT()
		e.changed(true)
		e.sendCompare()
	case msg.CmdExport:
		// handled by the caller, which has the bytes to send
	case msg.CmdImport:
		nl, err := sim.ReadSnapshot(data, e.data)
		if err != nil {
			if errors.Is(err, sim.ErrNotSession) {
				e.fail(errors.New("this file is not an RLHF Playground session (one saved with Export); your session is unchanged"))
			} else {
				e.fail(fmt.Errorf("this session file cannot be imported, and your session is unchanged: %v", err))
			}
			return
		}
		e.replace(nl, "Session imported.")
	case msg.CmdReset:
		nl, err := e.fresh()
		if err != nil {
			e.fail(err)
			return
		}
		e.replace(nl, "The session was reset to the shipped models.")
	default:
		e.fail(fmt.Errorf("engine: unknown command %q", c.Cmd))
	}
}

// replace swaps in a new session and sends the page everything again.
func (e *Engine) replace(l *sim.Lab, notice string) {
	e.Lab = l
	e.cand = nil
	e.probeRes = nil
	e.job.stage = ""
	e.sent = [5]int{}
	e.newCandidate()
	e.emit(msg.Update{Notice: notice, Vocab: l.Tok.Words(), Demos: e.demos(), Candidate: e.cand})
	e.changed(true)
	e.refreshViews(true)
}

func (e *Engine) startJob(stage string, total int) {
	e.job.stage, e.job.done, e.job.total = stage, 0, total
	e.changed(false)
}

func (e *Engine) stopJob(stage string) {
	if e.job.stage == stage {
		e.job.stage = ""
	}
}

// Work does one step of the current job. It returns false when there was
// nothing to do.
func (e *Engine) Work() bool {
	if !e.Busy() {
		return false
	}
	l := e.Lab
	var err error
	switch e.job.stage {
	case msg.StagePretrain:
		_, err = l.PretrainStep()
	case msg.StageSFT:
		_, err = l.SFTStep()
	case msg.StageRM:
		_, err = l.RewardStep()
	case msg.StagePPO:
		_, err = l.PPOStep()
	case "label":
		err = l.AutoLabel(1)
	}
	e.job.done++
	e.changed(true)
	if err != nil {
		e.job.stage = ""
		e.fail(err)
		return true
	}
	if e.job.total > 0 && e.job.done >= e.job.total {
		e.finishJob()
		return true
	}
	e.refreshViews(false)
	return true
}

// finishJob ends a job that ran its count.
func (e *Engine) finishJob() {
	l := e.Lab
	stage := e.job.stage
	e.job.stage = ""
	switch stage {
	case msg.StageRM:
		// RewardStep evaluates at each epoch's end; make sure the last
		// step's model has a held-out figure even when an epoch was cut.
		evals := l.History.RewardEvals
		if len(evals) == e.job.epochStart || evals[len(evals)-1].Step != len(l.History.Reward) {
			l.EvaluateReward()
		}
		e.rescore()
		e.emit(msg.Update{Candidate: e.cand})
	}
	e.refreshViews(true)
}

// refreshViews redraws what the screens show from the models, at most every
// few seconds while a job runs (now: at once).
func (e *Engine) refreshViews(now bool) {
	t := time.Now()
	switch {
	case e.wantSamples && (now || t.Sub(e.lastSamples) > samplesEvery) && (now || e.job.stage == msg.StagePretrain):
		e.sendSamples()
	}
	if e.compare != "" && (now || (e.job.stage == msg.StageSFT && t.Sub(e.lastCompare) > compareEvery)) {
		e.sendCompare()
	}
	if e.probe != nil && (now || (e.job.stage == msg.StagePPO && t.Sub(e.lastProbe) > probeEvery)) {
		e.sendProbe()
	}
}

// Flush sends the new history entries and the state, if anything changed.
func (e *Engine) Flush() {
	if !e.stateChanged {
		return
	}
	e.stateChanged = false
	e.emit(msg.Update{State: e.state(), History: e.history()})
}

func (e *Engine) state() *msg.State {
	l := e.Lab
	s := &msg.State{Kernels: kernels.Current(), Job: e.job.stage, Paused: e.hidden && e.job.stage != "", JobDone: e.job.done, JobTotal: e.job.total,
		Settings: l.Settings, Beta: l.Beta(), Rankings: len(l.Rankings), Demonstrations: len(l.Demonstrations()),
		YourDemos: len(l.UserDemos), HasRM: l.RM != nil, HasPolicy: l.Policy() != nil, SavedAt: e.savedAt}
	if len(l.Rankings) > 0 {
		s.RMTrain, s.RMHeldout = l.RewardSizes()
	}
	agree := make([]float64, len(e.personaScores))
	for _, r := range l.Rankings {
		if r.Labeler != msg.You {
			continue
		}
		s.YourRankings++
		for i, p := range e.personaScores {
			agree[i] += sim.Agreement(r.Order, p.Rank(r.Prompt, r.Answers, nil))
		}
	}
	for i := len(l.Rankings) - 1; i >= 0 && len(s.Recent) < msg.RecentRankings; i-- {
		r := l.Rankings[i]
		s.Recent = append(s.Recent, msg.RecentRanking{Labeler: r.Labeler, Prompt: r.Prompt,
			Best: r.Answers[r.Order[0]], Worst: r.Answers[r.Order[len(r.Order)-1]]})
	}
	if s.YourRankings > 0 {
		s.Agreement = map[string]float64{}
		for i, p := range e.personaScores {
			s.Agreement[p.Name] = agree[i] / float64(s.YourRankings)
		}
	}
	return s
}

// history returns what the page has not been sent yet.
func (e *Engine) history() *msg.History {
	h := &e.Lab.History
	lens := [5]int{len(h.Pretrain), len(h.SFT), len(h.Reward), len(h.RewardEvals), len(h.PPO)}
	for i := range e.sent {
		if e.sent[i] > lens[i] { // a restart shortened it: send it all again
			e.sent[i] = 0
		}
	}
	out := &msg.History{
		PretrainFrom: e.sent[0], Pretrain: h.Pretrain[e.sent[0]:],
		SFTFrom: e.sent[1], SFT: h.SFT[e.sent[1]:],
		RewardFrom: e.sent[2], Reward: h.Reward[e.sent[2]:],
		EvalsFrom: e.sent[3], Evals: h.RewardEvals[e.sent[3]:],
		PPOFrom: e.sent[4], PPO: h.PPO[e.sent[4]:],
	}
	e.sent = lens
	return out
}

func (e *Engine) demos() *msg.Demos {
	return &msg.Demos{Builtin: len(e.Lab.Data.Demonstrations), List: e.Lab.Demonstrations()}
}

func (e *Engine) newCandidate() {
	if e.cand != nil {
		e.Lab.Skip(e.candID) // already gone after a ranking
	}
	c := e.Lab.Candidate()
	e.cand, e.candID = &msg.Candidate{Prompt: c.Prompt, Answers: c.Answers, Scores: c.Scores}, c.ID
}

// rescore puts the reward model's scores on the current candidate.
func (e *Engine) rescore() {
	if e.cand == nil {
		return
	}
	e.cand.Scores = e.Lab.Candidate().Scores
}

// sendSamples draws pretraining sentences from the base model with the
// engine's own screen stream (never a training stream).
func (e *Engine) sendSamples() {
	l := e.Lab
	const n = 3
	prompts := make([][]int, n)
	for i := range prompts {
		prompts[i] = []int{sim.BeginID}
	}
	out := sim.Sample(l.Base, prompts, sim.SampleOptions{Temperature: 0.8, MaxNew: 24}, e.screen)
	s := &msg.Samples{Step: len(l.History.Pretrain)}
	for _, ids := range out {
		s.Sentences = append(s.Sentences, sim.AnswerText(l.Tok, ids))
	}
	e.lastSamples = time.Now()
	e.emit(msg.Update{Samples: s})
}

// sendCompare answers the SFT screen's prompt with the pretrained and the SFT model.
func (e *Engine) sendCompare() {
	if e.compare == "" {
		return
	}
	l := e.Lab
	temp := l.Settings.PPO.Temperature
	c := &msg.Compare{Prompt: e.compare, Step: len(l.History.SFT),
		Before: l.Answers(l.Base, []string{e.compare, e.compare}, temp),
		After:  l.Answers(l.SFT, []string{e.compare, e.compare}, temp)}
	e.lastCompare = time.Now()
	e.emit(msg.Update{Compare: c})
}

// sendProbe fills the policy-shift panel: an answer of the reference (the
// SFT model) and of the policy to the probe prompt, the policy's answer with
// each token's log-ratio, and both next-token distributions at Pos.
func (e *Engine) sendProbe() {
	if e.probe == nil || e.probe.Prompt == "" {
		return
	}
	l := e.Lab
	prompt := e.probe.Prompt
	temp := l.Settings.PPO.Temperature
	ref, policy := l.SFT, l.Policy()
	if policy == nil {
		policy = l.SFT
	}
	p := &msg.ProbeResult{Prompt: prompt, Iteration: len(l.History.PPO)}
	if old := e.probeRes; old != nil && old.Prompt == prompt && old.Iteration == p.Iteration && !e.probe.Resample {
		p.Reference, p.Policy = old.Reference, old.Policy // a new position on the same answers
	} else {
		p.Reference = l.Answers(ref, []string{prompt}, temp)[0]
		p.Policy = l.Answers(policy, []string{prompt}, temp)[0]
	}
	e.probe.Resample = false
	e.probeRes = p
	e.lastProbe = time.Now()
	seq, start := sim.ChatSequence(l.Tok, prompt, p.Policy)
	if ctx := policy.Config.Context; len(seq) > ctx {
		seq = seq[:ctx]
	}
	if start < len(seq) {
		p.Tokens = sim.AnswerKL(policy, ref, l.Tok, seq, start, temp)
	}
	p.Pos = min(max(e.probe.Pos, 0), len(seq)-start)
	if start+p.Pos > 0 && start+p.Pos <= len(seq) && start+p.Pos < policy.Config.Context {
		p.Probs = sim.NextTokenProbs(policy, ref, l.Tok, seq[:start+p.Pos], temp, 6)
	}
	e.emit(msg.Update{Probe: p})
}

func personaNames() []string {
	var names []string
	for _, p := range sim.Personas() {
		names = append(names, p.Name)
	}
	return names
}
