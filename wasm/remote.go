//go:build js && wasm

package main

import (
	"crypto/rand"
	"sync"
	"syscall/js"
	"time"

	"rlhfplayground/jsglobal"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
	"rlhfplayground/wasm/journal"
)

// remote is the page's end of the engine's Web Worker (started by loader.js
// as the global jsglobal.Worker): it sends commands and keeps the latest of
// everything the worker sent, which is all the scenes draw from. It never
// holds weights, and it never edits what the worker sent: what the page
// asked for and the worker has not answered yet is kept apart (pending), so
// the screen can show it at once.
//
// The student's actions go through the journal (wasm/journal, kept in
// localStorage): Rank, AddDemo and SetSettings write the action there
// before they send it, so it is durable before the screen shows it taken.
// The worker's messages trim the journal as they arrive (in the JavaScript
// callback, so a hidden tab, which draws no frames, keeps it trimmed too).
type remote struct {
	port   protocol.Port
	worker js.Value
	in     chan incoming

	Ready    bool
	Session  int            // counts Ready updates: a new session (reset, import) starts its candidate IDs again
	State    protocol.State // as the worker last sent it
	HasState bool
	Hist     sim.History
	Cand     *sim.Candidate
	Demos    []sim.Demonstration
	Builtin  int            // the first Builtin demonstrations are the shipped ones
	Tok      *sim.Tokenizer // the vocabulary, for underlining unknown words as they are typed
	Personas []string
	Prompts  []string // held-out prompts for the probes
	Lang     string   // the session's language, "en" or another pack's (Ready.Lang)
	Models   []string // the languages whose models the server has
	Samples  *sim.Samples
	Compare  *sim.Compare
	Probe    *sim.Probe
	Trace    *sim.PPOTrace // the last slow-motion iteration (PPOTrace)
	DemoSeq  int           // counts accepted demonstrations

	ClassRM   *protocol.ClassRewardModel // the class reward model this tab's engine trained last (the teacher's), and its checkpoint
	ClassCkpt []byte

	Preset    *protocol.PresetResult // the experiment this tab's engine ran last (scene_presets.go)
	PresetSeq int                    // counts PresetResult updates

	// Versions of the chart data, so a chart re-renders only when its data changed.
	HistVersion int

	Message     protocol.Message // the last error or notice, shown in a banner
	MessageTime time.Time
	MsgSeq      int

	settings pending[sim.Settings] // sent, not yet in State
	job      pending[protocol.Job] // Run or Pause sent, not yet in State

	PPOIterMs float64   // wall time of one PPO iteration while running, as seen by the page
	ppoSince  time.Time // the first arrival of PPO iterations in this run
	ppoSinceN int       // iterations done at ppoSince

	lock      *sessionLock
	tab       string // this tab's name (protocol.Hello.Tab)
	modelLang string // the language of the model Hello asks for

	// What the page's callbacks (the worker's messages, page hide, another
	// tab's request) share with Update.
	mu        sync.Mutex
	lastID    uint64   // the newest command's number
	owner     owner    // where this tab stands with the session
	queue     [][]byte // commands made before Hello, sent after it
	helloID   uint64   // Hello's number: until it is handled, the journal is not trimmed
	replacing uint64   // the newest SwitchModel's, Import's or Reset's number: until it is handled, no action is taken
	jnl       journal.Journal
	jnlState  jnlState
	jnlTold   bool          // the student was told that an action could not be journaled
	released  chan struct{} // the worker answered Release
}

// pending is a value the page sent that the worker's state does not show yet.
type pending[T any] struct {
	v  *T
	id uint64 // the command that sent it
}

// or returns the pending value, else v.
func (p *pending[T]) or(v T) T {
	if p.v != nil {
		return *p.v
	}
	return v
}

// settle drops the value once the worker handled its command.
func (p *pending[T]) settle(done uint64) {
	if p.id <= done {
		p.v = nil
	}
}

type incoming struct {
	u    protocol.Update
	file []byte
}

// newRemote starts talking to the worker; once this tab owns the session
// it asks for the session of the model in lang.
func newRemote(lang string) *remote {
	r := &remote{in: make(chan incoming, 256), tab: rand.Text(), released: make(chan struct{}), modelLang: lang}
	worker := js.Global().Get(jsglobal.Worker)
	if !worker.Truthy() { // loader.js did not create it (an old page): start it here
		worker = js.Global().Get("Worker").New("worker.js")
		start := js.Global().Get("Object").New()
		start.Set("start", true)
		worker.Call("postMessage", start)
	}
	r.worker = worker
	// From now on a failure of the engine is the app's to report (loader.js
	// reported those before the app ran).
	worker.Set("onerror", js.FuncOf(func(_ js.Value, args []js.Value) any {
		detail := "the engine's worker failed"
		if e := args[0]; e.Truthy() && e.Get("message").Truthy() {
			detail += ": " + e.Get("message").String()
		}
		r.deliver(incoming{u: protocol.Message{Code: protocol.EngineStopped, Detail: detail}})
		return nil
	}))
	r.port = protocol.NewPort(worker)
	r.port.Listen(func(msg, file []byte) {
		u, err := protocol.DecodeUpdate(msg)
		if err != nil {
			u = protocol.Message{Code: protocol.Failed, Detail: "the page could not read the engine's message: " + err.Error()}
		}
		r.keep(u)
		r.deliver(incoming{u, file})
	})
	r.lock = claimSession()
	go r.claim()
	return r
}

// deliver hands an update to Update; it never blocks the JavaScript callback.
func (r *remote) deliver(in incoming) {
	select {
	case r.in <- in:
	default:
		go func() { r.in <- in }() // Update is not draining (hidden tab)
	}
	wake()
}

// Send posts a command to the worker and returns its number.
func (r *remote) Send(c protocol.Command) uint64 { return r.send(c, nil) }

func (r *remote) send(c protocol.Command, file []byte) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sendLocked(c, file)
}

// maxQueued bounds the commands kept until Hello (what the screens ask to
// be shown, while another tab hands the session over).
const maxQueued = 256

// sendLocked sends c, or keeps it until Hello if the session is not this
// tab's yet; a tab that gave the session up sends nothing.
func (r *remote) sendLocked(c protocol.Command, file []byte) uint64 {
	r.lastID++
	b, err := protocol.EncodeCommand(r.lastID, c)
	if err != nil {
		panic("wasm: " + err.Error()) // a command that is not registered: a bug
	}
	switch c.(type) {
	case protocol.SwitchModel, protocol.Import, protocol.Reset:
		r.replacing = r.lastID // another session is on its way (act)
	}
	switch _, release := c.(protocol.Release); {
	case r.owner == claiming && file == nil && len(r.queue) < maxQueued:
		r.queue = append(r.queue, b)
	case r.owner == owning, r.owner == handingOver && release:
		r.port.Post(b, file)
	}
	return r.lastID
}

// Settings are the settings the screens show: the ones just sent, until the
// worker's state says which hold.
func (r *remote) Settings() sim.Settings { return r.settings.or(r.State.Settings) }

// SetSettings sends changed settings.
func (r *remote) SetSettings(s sim.Settings) {
	if id, ok := r.act(sim.Action{Settings: &s}, func(seq uint64) protocol.Command { return protocol.SetSettings{Settings: s, Seq: seq} }); ok {
		r.settings = pending[sim.Settings]{&s, id}
	}
}

// Job is the job the screens show: the one just started or paused, until
// the worker's state says which runs.
func (r *remote) Job() protocol.Job { return r.job.or(r.State.Job) }

// Run starts job, until Pause.
func (r *remote) Run(job protocol.Job) {
	r.job = pending[protocol.Job]{&job, r.Send(protocol.Run{Job: job})}
}

// RunPreset starts the experiment called name (JobPreset), until it ends or Pause.
func (r *remote) RunPreset(name string) {
	job := protocol.JobPreset
	r.job = pending[protocol.Job]{&job, r.Send(protocol.RunPreset{Name: name})}
}

// Pause stops the running job after its current step.
func (r *remote) Pause() {
	idle := protocol.Idle
	r.job = pending[protocol.Job]{&idle, r.Send(protocol.Pause{})}
}

// Busy reports whether the worker runs a job.
func (r *remote) Busy() bool { return r.Job() != protocol.Idle }

// Poll applies every message that arrived; it reports whether any did.
func (r *remote) Poll() bool {
	got := false
	for {
		select {
		case in := <-r.in:
			r.apply(in)
			got = true
		default:
			return got
		}
	}
}

func (r *remote) apply(in incoming) {
	switch u := in.u.(type) {
	case protocol.Ready:
		if !r.Ready {
			Mark("engine-ready")
		}
		r.Ready = true
		r.Session++
		r.Tok = sim.NewTokenizer(u.Vocab)
		r.Personas, r.Prompts = u.Personas, u.Prompts
		r.Lang, r.Models = u.Lang, u.Models
	case protocol.Progress:
		r.State, r.HasState = u.State, true
		r.settings.settle(u.State.Done)
		r.job.settle(u.State.Done)
		if u.State.Job != protocol.JobPPO {
			r.ppoSince = time.Time{}
		}
		r.applyHistory(u.History)
	case protocol.Candidate:
		c := sim.Candidate(u)
		r.Cand = &c
	case protocol.Demos:
		r.Builtin, r.Demos = u.Builtin, u.List.Apply(r.Demos)
	case protocol.Samples:
		s := sim.Samples(u)
		r.Samples = &s
	case protocol.Compare:
		c := sim.Compare(u)
		r.Compare = &c
	case protocol.Probe:
		p := sim.Probe(u)
		r.Probe = &p
	case protocol.Trace:
		tr := sim.PPOTrace(u)
		r.Trace = &tr
	case protocol.DemoAdded:
		r.DemoSeq++
	case protocol.Message:
		if u.Detail != "" { // the developer's account goes to the console
			js.Global().Get("console").Call("warn", "rlhf: "+string(u.Code)+": "+u.Detail)
		}
		r.Message, r.MessageTime = u, time.Now()
		r.MsgSeq++
	case protocol.ClassRewardModel:
		r.ClassRM, r.ClassCkpt = &u, in.file
	case protocol.PresetResult:
		r.Preset = &u
		r.PresetSeq++
	case protocol.SessionFile:
		if in.file != nil {
			download(in.file, "rlhf-playground-session.zip")
		}
	}
}

// applyHistory continues the page's copy of the history (h may be nil),
// and times PPO iterations as the page sees them while PPO runs.
func (r *remote) applyHistory(h *protocol.History) {
	if h == nil {
		return
	}
	if n := h.PPO.From + len(h.PPO.Items); len(h.PPO.Items) > 0 && h.PPO.From > 0 && r.State.Job == protocol.JobPPO {
		// Averaged from the first arrival of this run (the worker sends a
		// few iterations at a time).
		switch {
		case r.ppoSince.IsZero() || h.PPO.From != len(r.Hist.PPO):
			r.ppoSince, r.ppoSinceN = time.Now(), n
		case n > r.ppoSinceN:
			r.PPOIterMs = float64(time.Since(r.ppoSince).Milliseconds()) / float64(n-r.ppoSinceN)
		}
	}
	h.Apply(&r.Hist)
	r.HistVersion++
}

// Tell shows the student a message the page itself has to give.
func (r *remote) Tell(m protocol.Message) { r.deliver(incoming{u: m}) }
