// Package dispatch is what the Web Worker runs: it turns each protocol
// command into calls of one sim.Lab and answers with protocol updates. It
// decides nothing about the session (the Lab does); it decides when: what
// runs between commands, how often the screens' samples are refreshed, when
// the session is due to be saved. It has no browser code, so it is tested
// natively; worker/main.go connects it to the worker's messages, its event
// loop and IndexedDB.
//
// A command is handled at once (Handle); a job (training until paused, a
// reward-model job, an auto-labelling batch, an experiment of package
// presets) is done by Work, one Lab step (one presets.Runner step)
// per call, so that the worker returns to its event loop between steps and
// a Pause is seen within one step.
package dispatch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"rlhfplayground/presets"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
	"rlhfplayground/sim/kernels"
)

// Refresh intervals of what the screens show while a job runs.
const (
	samplesEvery = 2 * time.Second // pretraining sentences
	compareEvery = 3 * time.Second // SFT before/after answers
	probeEvery   = 2 * time.Second // the policy-shift panel (two sampled answers and their KL: ~2% of an iteration)
	samplesShown = 3               // sentences on the pretraining screen
)

// Emit sends an update to the page, with a session file when file is not nil.
type Emit func(u protocol.Update, file []byte)

// Dispatcher owns the session. Its methods are called from one goroutine.
type Dispatcher struct {
	Lab   *sim.Lab
	data  sim.LabData              // the session's language's
	fresh func() (*sim.Lab, error) // the same
	emit  Emit
	home  Pack // English: its data built in, its checkpoints fetched the first time a fresh session needs them

	// Open returns the pack of another language than the open session's,
	// or ErrNoModel (nil: none); Models are the languages it can open,
	// English first, as Ready tells the page.
	Open   func(lang string) (*Pack, error)
	Models []string
	// Shelf keeps the sessions of the languages that are not open (nil:
	// none is kept, and another language's session starts afresh each time).
	Shelf Shelf

	job         protocol.Job
	done, total int // steps of the job; total 0: until paused
	rm          *sim.RewardJob
	classRM     *sim.PooledRewardJob // the class reward model (TrainClassReward)
	hidden      bool                 // the tab is hidden: Work does nothing
	preset      *presets.Runner      // the experiment of JobPreset (RunPreset)
	presetName  string
	presetStage string // its Progress.Stage

	lastCmd             uint64            // the newest command handled
	seen                uint64            // the newest journal action the page has sent (sim.Action.Seq)
	snapJournal, stored uint64            // the session's journal position at the last snapshot; in the stored session
	kept                map[string]uint64 // State.Kept: the journal positions of the other languages' stored sessions
	storage             protocol.Code     // why the session is not being stored ("": it is)
	hist                protocol.HistoryCursor
	demos               int    // demonstrations the page has
	cand                uint64 // the candidate the page has
	stateChanged        bool
	saveWanted          time.Time // when a change asked for a save (zero: saved)
	savedAt             int64

	samples     bool                  // the pretraining screen's sentences are shown
	compare     *protocol.ShowCompare // the SFT screen's prompt
	probe       *protocol.ShowProbe   // the policy-shift panel
	lastSamples time.Time
	lastCompare time.Time
	lastProbe   time.Time
}

// New starts a dispatcher on lab (restored or fresh: for a restored one,
// call Saved); data and fresh are the English pack's (fresh makes the
// shipped session, for Reset). emit receives every update. Set Open,
// Models and Shelf for the other languages.
func New(lab *sim.Lab, data sim.LabData, fresh func() (*sim.Lab, error), emit Emit) *Dispatcher {
	home := Pack{Lang: English, Data: data, Fresh: fresh}
	return NewIn(lab, &home, home, emit)
}

// NewIn starts a dispatcher on lab, a session of p's language (restored or
// fresh), with home the English pack: the worker opens the session of the
// language the page's Hello names at once, so that a Chinese page never
// makes an English model (whose checkpoints it would fetch).
func NewIn(lab *sim.Lab, p *Pack, home Pack, emit Emit) *Dispatcher {
	return &Dispatcher{Lab: lab, data: p.Data, fresh: p.Fresh, emit: emit, home: home, snapJournal: lab.Journal()}
}

// Busy reports whether a job is waiting for Work.
func (d *Dispatcher) Busy() bool { return d.job != protocol.Idle && !d.hidden }

// SaveDue reports whether the session changed since the last save, and when
// the first unsaved change happened.
func (d *Dispatcher) SaveDue() (time.Time, bool) { return d.saveWanted, !d.saveWanted.IsZero() }

// Snapshot writes the session for saving and marks it saved.
func (d *Dispatcher) Snapshot() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.Lab.WriteSnapshot(&buf); err != nil {
		return nil, err
	}
	d.saveWanted, d.snapJournal = time.Time{}, d.Lab.Journal()
	return buf.Bytes(), nil
}

// Saved records that the last Snapshot is stored (at, Unix ms), for the
// status line and State.Stored; saving works again if it had not.
func (d *Dispatcher) Saved(at int64) {
	d.savedAt, d.stored, d.stateChanged = at, d.snapJournal, true
	if d.storage == protocol.NotSaved {
		d.storage = ""
	}
}

// Storage is why the session is not being stored ("" while it is).
func (d *Dispatcher) Storage() protocol.Code { return d.storage }

// NotStored records why the session is not being stored (protocol.NoStorage,
// NotSaved or Elsewhere), for State.Storage, and that nothing waits for a
// save until the next change.
func (d *Dispatcher) NotStored(why protocol.Code) {
	d.storage, d.saveWanted, d.stateChanged = why, time.Time{}, true
}

func (d *Dispatcher) changed(save bool) {
	d.stateChanged = true
	if save && d.saveWanted.IsZero() {
		d.saveWanted = time.Now()
	}
}

func (d *Dispatcher) ready() protocol.Ready {
	l := d.Lab
	models := d.Models
	if len(models) == 0 {
		models = []string{English}
	}
	return protocol.Ready{Vocab: l.Tok.Words(), Personas: sim.PersonaNames(), Prompts: d.data.HeldoutPrompts, Lang: d.Lang(), Models: models}
}

// Fail tells the page about err, which stopped job (Idle if none).
func (d *Dispatcher) Fail(err error, job protocol.Job) { d.emit(protocol.Problem(err, job), nil) }

// Handle does command c, numbered id by the page; file is the session file
// of an Import.
func (d *Dispatcher) Handle(id uint64, c protocol.Command, file []byte) {
	d.lastCmd = max(d.lastCmd, id)
	d.changed(false) // State.Done moves
	l := d.Lab
	switch c := c.(type) {
	case protocol.Hello:
		d.see(c.Journal)
		first := d.Lab.Settings.Lang
		d.replay(c.Journal) // the actions of the session open now, restored
		if c.Lang != "" && c.Lang != d.Lang() {
			d.switchTo(c.Lang, c.Journal) // the one open now is stored first; NoModel if there is no such model
		}
		d.replayElsewhere(c.Journal, first, d.Lab.Settings.Lang)
		d.hist.Reset()
		d.demos, d.cand = 0, 0
		d.emit(d.ready(), nil)
		d.sendDemos()
		d.sendCandidate(true)
	case protocol.Run:
		d.train(c.Job, 0)
	case protocol.Step:
		d.train(c.Job, 1)
	case protocol.Pause:
		d.job = protocol.Idle
		d.dropPreset()
		d.changed(true)
		d.refreshViews(true)
	case protocol.TrainReward:
		job, err := l.StartRewardJob()
		if err != nil {
			d.Fail(err, protocol.JobReward)
			return
		}
		d.rm = job
		d.start(protocol.JobReward, job.Steps())
	case protocol.AutoLabel:
		d.start(protocol.JobAutoLabel, max(c.N, 1))
	case protocol.Visible:
		d.hidden = !c.Visible
	case protocol.Rank:
		_, err := l.Rank(c.Candidate, c.Order)
		d.did(c.Seq)
		if err != nil {
			d.refuse(err, c.Seq)
		}
		d.changed(true)
		d.sendCandidate(false)
	case protocol.Skip:
		l.Skip(c.Candidate) // a stale skip has nothing left to skip
		d.sendCandidate(false)
	case protocol.SetSettings:
		err := l.SetSettings(c.Settings) // keeps the session's language: SwitchModel changes it
		d.did(c.Seq)
		d.changed(true)
		if err != nil {
			d.refuse(err, c.Seq) // the state, sent again, holds the settings in force
			return
		}
		d.sendCandidate(false) // new answers after a new K
	case protocol.AddDemo:
		unknown, err := l.AddDemonstration(c.Demo)
		d.did(c.Seq)
		d.changed(true)
		if err != nil {
			m := protocol.Problem(err, protocol.Idle)
			m.Words, m.Seq = unknown, c.Seq
			d.emit(m, nil)
			return
		}
		d.sendDemos()
		d.emit(protocol.DemoAdded{}, nil)
	case protocol.ShowSamples:
		d.samples = true
		d.sendSamples()
	case protocol.ShowCompare:
		if d.heldout(c.Prompt) {
			d.compare = &c
			d.sendCompare()
		}
	case protocol.ShowProbe:
		if d.heldout(c.Prompt) {
			d.probe = &c
			d.sendProbe()
		}
	case protocol.Restart:
		switch c.Job {
		case protocol.JobPPO:
			d.stop(protocol.JobPPO)
			l.RestartPPO()
			d.sendProbe()
		case protocol.JobSFT:
			d.stop(protocol.JobSFT, protocol.JobReward, protocol.JobPPO)
			l.RestartSFT()
			d.sendCompare()
		default:
			d.Fail(fmt.Errorf("dispatch: cannot restart %q", c.Job), protocol.Idle)
			return
		}
		d.changed(true)
	case protocol.Export:
		var buf bytes.Buffer
		if err := l.WriteSnapshot(&buf); err != nil {
			d.Fail(err, protocol.Idle)
			return
		}
		d.emit(protocol.SessionFile{}, buf.Bytes())
	case protocol.Import:
		nl, err := sim.ReadSnapshot(file, d.data)
		p := &Pack{Lang: d.Lang(), Data: d.data, Fresh: d.fresh}
		if err == nil && langOf(nl) != d.Lang() { // a session in another language: read it with that language's data
			if p, err = d.pack(langOf(nl)); err != nil {
				d.emit(protocol.Message{Code: protocol.NoModel, Lang: langOf(nl), Detail: err.Error()}, nil)
				return
			}
			nl, err = sim.ReadSnapshot(file, p.Data)
		}
		if err != nil {
			m := protocol.Problem(err, protocol.Idle)
			if m.Code != protocol.NotSession && m.Code != protocol.TooLarge && m.Code != protocol.TooMany {
				m.Code = protocol.DamagedSession
			}
			d.emit(m, nil)
			return
		}
		// The imported session replaces the one of its language, whose
		// journal actions it counts as handled (so they are never applied
		// to it) and the page forgets; another language's open session is
		// stored first.
		seq := d.newest(nl)
		nl.Did(seq)
		if nl.Settings.Lang != l.Settings.Lang {
			d.shelve()
		}
		d.use(nl, p, false)
		d.replace(nl, protocol.Message{Code: protocol.Imported, Seq: seq, Lang: d.Lang()})
	case protocol.Reset:
		nl, err := d.fresh()
		if err != nil {
			d.Fail(err, protocol.Idle)
			return
		}
		seq := d.newest(nl)
		nl.Did(seq)
		d.use(nl, &Pack{Lang: d.Lang(), Data: d.data, Fresh: d.fresh}, false)
		d.replace(nl, protocol.Message{Code: protocol.WasReset, Seq: seq, Lang: d.Lang()})
	case protocol.Save:
		// worker/main.go stores the session now, if a change waits
	case protocol.Release:
		d.job = protocol.Idle // another tab takes over; worker/main.go stores the session a last time
	case protocol.SwitchModel:
		d.see(c.Journal)
		if c.Lang == "" || c.Lang == d.Lang() {
			return
		}
		if d.switchTo(c.Lang, c.Journal) {
			d.replace(d.Lab, protocol.Message{Code: protocol.ModelSwitched, Lang: c.Lang})
		}
	case protocol.Offer:
		if _, err := l.Offer(c.Prompt, c.Answers); err != nil {
			d.Fail(err, protocol.Idle)
			return
		}
		d.sendCandidate(false)
	case protocol.TrainClassReward:
		var rankings []sim.Ranking
		if err := json.Unmarshal(file, &rankings); err != nil {
			d.Fail(fmt.Errorf("dispatch: the class's rankings: %w", err), protocol.JobClassReward)
			return
		}
		job, err := l.StartPooledRewardJob(rankings)
		if err != nil {
			d.Fail(err, protocol.JobClassReward)
			return
		}
		d.classRM = job
		d.start(protocol.JobClassReward, job.Steps())
	case protocol.UseRewardModel:
		ckpt, err := sim.ReadCheckpoint(bytes.NewReader(file))
		if err == nil {
			err = l.UseRewardModel(ckpt, c.Source)
		}
		if err != nil {
			d.Fail(err, protocol.Idle)
			return
		}
		d.switchedRM()
	case protocol.UseOwnRewardModel:
		l.UseOwnRewardModel()
		d.switchedRM()
	case protocol.RunPreset:
		p, ok := presets.ByName(c.Name)
		if !ok {
			d.Fail(fmt.Errorf("dispatch: no experiment %q", c.Name), protocol.JobPreset)
			return
		}
		// The experiment starts from the English pack's shipped models,
		// whatever the open session's language: the presets are English.
		shipped, err := d.home.Fresh()
		if err != nil {
			d.Fail(err, protocol.JobPreset)
			return
		}
		models := func() (base, sft *sim.GPT, tok *sim.Tokenizer, err error) {
			return shipped.Base, shipped.SFT, shipped.Tok, nil
		}
		d.start(protocol.JobPreset, 0)
		d.preset, d.presetName, d.presetStage = p.Start(presets.Options{Seed: c.Seed, Models: models}), p.Name, ""
	case protocol.PPOTrace:
		d.stop(protocol.JobPPO)
		_, tr, err := l.PPOTraceStep()
		d.changed(true)
		if err != nil {
			d.Fail(err, protocol.JobPPO)
			return
		}
		d.emit(protocol.Trace(*tr), nil)
		d.refreshViews(true)
	default:
		d.Fail(fmt.Errorf("dispatch: no handler for %T", c), protocol.Idle)
	}
}

// switchedRM tells the page about the reward model put in place: PPO
// starts again, the answers get its scores.
func (d *Dispatcher) switchedRM() {
	d.stop(protocol.JobPPO, protocol.JobReward)
	d.changed(true)
	d.sendCandidate(true)
	d.sendProbe()
}

// classDone sends the class reward model's checkpoint.
func (d *Dispatcher) classDone() {
	var buf bytes.Buffer
	if err := sim.WriteCheckpoint(&buf, d.classRM.Checkpoint()); err != nil {
		d.Fail(err, protocol.JobClassReward)
		return
	}
	d.emit(protocol.ClassRewardModel{Rankings: d.classRM.Used(), Eval: d.classRM.Eval()}, buf.Bytes())
	d.classRM = nil
}

// refuse tells the page that the action numbered seq was refused.
func (d *Dispatcher) refuse(err error, seq uint64) {
	m := protocol.Problem(err, protocol.Idle)
	m.Seq = seq
	d.emit(m, nil)
}

// replace sends the page everything again about l, the new open session
// (made so by use or switchTo), after the notice.
func (d *Dispatcher) replace(l *sim.Lab, notice protocol.Message) {
	d.Lab, d.job = l, protocol.Idle
	d.dropPreset()
	d.hist.Reset()
	d.demos = 0
	d.emit(notice, nil)
	d.emit(d.ready(), nil)
	d.sendDemos()
	d.sendCandidate(true)
	d.changed(true)
	d.refreshViews(true)
}

// train starts the training job of Run or Step.
func (d *Dispatcher) train(job protocol.Job, total int) {
	switch job {
	case protocol.JobPretrain:
		d.samples = true
	case protocol.JobSFT, protocol.JobPPO:
	default:
		d.Fail(fmt.Errorf("dispatch: cannot run %q", job), protocol.Idle)
		return
	}
	d.start(job, total)
}

func (d *Dispatcher) start(job protocol.Job, total int) {
	d.dropPreset() // one job at a time: another abandons the experiment
	d.job, d.done, d.total = job, 0, total
}

// dropPreset abandons the experiment being run, if any.
func (d *Dispatcher) dropPreset() {
	if d.preset != nil {
		d.preset.Stop()
		d.preset, d.presetName, d.presetStage = nil, "", ""
	}
}

// presetStep runs the experiment to its next progress report, and sends
// its result when it has ended. The session is not touched, so nothing
// waits for a save.
func (d *Dispatcher) presetStep() {
	r := d.preset
	r.Step()
	d.changed(false)
	if !r.Finished() {
		pr, _ := r.Progress()
		d.done, d.total, d.presetStage = pr.Done, pr.Total, pr.Stage
		return
	}
	d.job, d.preset, d.presetName, d.presetStage = protocol.Idle, nil, "", ""
	res, err := r.Result()
	if err != nil {
		d.Fail(err, protocol.JobPreset)
		return
	}
	d.emit(PresetResult(res), nil)
}

// PresetResult is res as the protocol carries it.
func PresetResult(res *presets.Result) protocol.PresetResult {
	out := protocol.PresetResult{Preset: res.Preset, Seed: res.Seed, Seconds: res.Seconds, TopSentence: res.TopSentence}
	for _, f := range res.Figures {
		out.Figures = append(out.Figures, protocol.PresetFigure{Name: f.Name, Value: f.Value})
	}
	for _, c := range res.Charts {
		pc := protocol.PresetChart{Name: c.Name, Title: c.Title, XLabel: c.XLabel, YLabel: c.YLabel,
			Categories: c.Categories, MarkX: c.MarkX, Scatter: c.Scatter}
		for _, l := range c.Lines {
			pc.Lines = append(pc.Lines, protocol.PresetLine{Name: l.Name, X: l.X, Y: l.Y})
		}
		out.Charts = append(out.Charts, pc)
	}
	for _, a := range res.Answers {
		out.Answers = append(out.Answers, protocol.PresetAnswer{Prompt: a.Prompt, Before: a.Before, After: a.After})
	}
	for _, c := range res.Claims {
		out.Claims = append(out.Claims, protocol.PresetClaim{Text: c.Text, Held: c.Held})
	}
	return out
}

// stop ends the running job if it is one of jobs.
func (d *Dispatcher) stop(jobs ...protocol.Job) {
	for _, j := range jobs {
		if d.job == j {
			d.job = protocol.Idle
		}
	}
}

// Work does one step of the current job. It returns false when there was
// nothing to do.
func (d *Dispatcher) Work() bool {
	if !d.Busy() {
		return false
	}
	if d.job == protocol.JobPreset {
		d.presetStep()
		return true
	}
	l := d.Lab
	var err error
	switch d.job {
	case protocol.JobPretrain:
		_, err = l.PretrainStep()
	case protocol.JobSFT:
		_, err = l.SFTStep()
	case protocol.JobReward:
		_, err = d.rm.Step()
	case protocol.JobPPO:
		_, err = l.PPOStep()
	case protocol.JobAutoLabel:
		err = l.AutoLabel(1)
	case protocol.JobClassReward:
		_, err = d.classRM.Step()
	}
	d.done++
	d.changed(true)
	if err != nil {
		job := d.job
		d.job = protocol.Idle
		d.Fail(err, job)
		return true
	}
	if d.total > 0 && d.done >= d.total {
		job := d.job
		d.job = protocol.Idle
		switch job {
		case protocol.JobReward:
			d.sendCandidate(true) // scored by the new reward model
		case protocol.JobClassReward:
			d.classDone()
		}
		d.refreshViews(true)
		return true
	}
	d.refreshViews(false)
	return true
}

// refreshViews sends again what the screens show from the models, at most
// every few seconds while a job runs (now: at once).
func (d *Dispatcher) refreshViews(now bool) {
	t := time.Now()
	if d.samples && (now || (d.job == protocol.JobPretrain && t.Sub(d.lastSamples) > samplesEvery)) {
		d.sendSamples()
	}
	if now || (d.job == protocol.JobSFT && t.Sub(d.lastCompare) > compareEvery) {
		d.sendCompare()
	}
	if now || (d.job == protocol.JobPPO && t.Sub(d.lastProbe) > probeEvery) {
		d.sendProbe()
	}
}

// Flush sends the state and the new history entries, if anything changed.
func (d *Dispatcher) Flush() {
	if !d.stateChanged {
		return
	}
	d.stateChanged = false
	p := protocol.Progress{State: protocol.State{Status: d.Lab.Status(), Done: d.lastCmd, Applied: d.Lab.Journal(), Stored: d.stored,
		Storage: d.storage, Job: d.job, Paused: d.hidden && d.job != protocol.Idle, JobDone: d.done, JobTotal: d.total,
		SavedAt: d.savedAt, Kernels: kernels.Current(), Kept: maps.Clone(d.kept), Preset: d.presetName, PresetStage: d.presetStage}}
	if h, ok := d.hist.Next(&d.Lab.History); ok {
		p.History = &h
	}
	d.emit(p, nil)
}

func (d *Dispatcher) sendDemos() {
	list, _ := protocol.TailOf(d.Lab.Demonstrations(), &d.demos)
	d.emit(protocol.Demos{Builtin: len(d.Lab.Data.Demonstrations), List: list}, nil)
}

// sendCandidate sends the waiting answers if the page has others (always
// if force: their scores changed).
func (d *Dispatcher) sendCandidate(force bool) {
	c := d.Lab.Candidate()
	if force || c.ID != d.cand {
		d.cand = c.ID
		d.emit(protocol.Candidate(c), nil)
	}
}

func (d *Dispatcher) sendSamples() {
	d.lastSamples = time.Now()
	d.emit(protocol.Samples(d.Lab.Samples(samplesShown)), nil)
}

func (d *Dispatcher) sendCompare() {
	if c := d.compare; c != nil {
		d.lastCompare = time.Now()
		d.emit(protocol.Compare(d.Lab.Compare(d.data.HeldoutPrompts[c.Prompt])), nil)
	}
}

func (d *Dispatcher) sendProbe() {
	if p := d.probe; p != nil {
		d.lastProbe = time.Now()
		d.emit(protocol.Probe(d.Lab.Probe(d.data.HeldoutPrompts[p.Prompt], p.Pos, p.Resample)), nil)
		p.Resample = false
	}
}

// heldout reports whether Ready.Prompts has a prompt i, and fails if not.
func (d *Dispatcher) heldout(i int) bool {
	if i < 0 || i >= len(d.data.HeldoutPrompts) {
		d.Fail(fmt.Errorf("dispatch: no held-out prompt %d", i), protocol.Idle)
		return false
	}
	return true
}
