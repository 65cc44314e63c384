//go:build js && wasm

package main

import (
	"crypto/rand"
	"errors"
	"slices"
	"strings"
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
	Samples  *sim.Samples
	Compare  *sim.Compare
	Probe    *sim.Probe
	DemoSeq  int // counts accepted demonstrations

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

	lock *sessionLock
	tab  string // this tab's name (protocol.Hello.Tab)

	// What the page's callbacks (the worker's messages, page hide, another
	// tab's request) share with Update.
	mu       sync.Mutex
	lastID   uint64   // the newest command's number
	owner    owner    // where this tab stands with the session
	queue    [][]byte // commands made before Hello, sent after it
	helloID  uint64   // Hello's number: until it is handled, the journal is not trimmed
	jnl      journal.Journal
	jnlState jnlState
	released chan struct{} // the worker answered Release
}

// owner is where this tab stands with the session.
type owner int

const (
	claiming    owner = iota // waiting for the session lock
	owning                   // this tab's engine has the session
	handingOver              // another tab asked: the engine is storing the session
	elsewhere                // another tab has the session
)

var ownerNames = [...]string{claiming: "claiming", owning: "owner", handingOver: "handing-over", elsewhere: "elsewhere"}

// jnlState says whether actions are journaled.
type jnlState int

const (
	jnlOn       jnlState = iota
	jnlFailed            // localStorage refused a write (blocked or full): actions are kept only when stored
	jnlInMemory          // the engine cannot store the session at all: a journal would keep nothing
)

// handOverWithin is how long a tab waits for its engine to store the
// session before it stops the engine anyway and hands over.
const handOverWithin = 5 * time.Second

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

func newRemote() *remote {
	r := &remote{in: make(chan incoming, 256), tab: rand.Text(), released: make(chan struct{})}
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

// claim waits for the session lock, then says Hello with the journal and
// sends what was asked meanwhile; afterwards it hands the session over when
// another tab asks.
func (r *remote) claim() {
	<-r.lock.granted
	j, err := readJournal()
	r.mu.Lock()
	r.jnl = j
	if err != nil && !errors.Is(err, errNoLocalStorage) && !strings.HasPrefix(err.Error(), "localStorage") {
		// A journal that does not read is not the app's: start a new one.
		js.Global().Get("console").Call("warn", "rlhf: the journal in localStorage was unreadable and is replaced: "+err.Error())
	} else if err != nil {
		r.jnlState = jnlFailed
		r.deliver(incoming{u: protocol.Message{Code: protocol.NoJournal, Detail: err.Error()}})
	}
	r.owner = owning
	queued := r.queue
	r.queue = nil
	r.helloID = r.sendLocked(protocol.Hello{Journal: j.Actions, Tab: r.tab}, nil)
	for _, b := range queued {
		r.port.Post(b, nil)
	}
	r.mu.Unlock()
	wake()

	<-r.lock.asked
	r.handOver()
}

// handOver gives the session to the tab that asked: the engine stores it
// and stops (or is stopped, if it does not answer), the journal is written
// a last time, the lock released. This runs from JavaScript callbacks, not
// from Update: the tab giving the session up is usually hidden.
func (r *remote) handOver() {
	r.mu.Lock()
	r.owner = handingOver
	r.sendLocked(protocol.Release{}, nil)
	r.mu.Unlock()
	select {
	case <-r.released:
	case <-time.After(handOverWithin):
	}
	r.worker.Call("terminate")
	r.mu.Lock()
	// With a Web Lock the other tab reads the journal once this one
	// releases it: write it a last time, trimmed of what was stored.
	// Without one the other tab has started already, and its journal is
	// the one to keep.
	if r.jnlState == jnlOn && r.lock.Exclusive() {
		writeJournal(&r.jnl)
	}
	r.owner = elsewhere
	r.mu.Unlock()
	r.lock.Release()
	r.deliver(incoming{u: protocol.Message{Code: protocol.Elsewhere}})
}

// keep does, as an update arrives, what the journal and the hand-over need:
// stored and refused actions are forgotten, a replaced session's too.
func (r *remote) keep(u protocol.Update) {
	r.mu.Lock()
	defer r.mu.Unlock()
	changed := false
	switch u := u.(type) {
	case protocol.Progress:
		if u.State.Storage == protocol.NoStorage && r.jnlState != jnlInMemory {
			// Nothing is stored, so the journal would replay actions into
			// a session that no longer has them: the page works in memory.
			r.jnlState, r.jnl = jnlInMemory, journal.Journal{}
			localStore(func(ls js.Value) { ls.Call("removeItem", journalKey) })
			return
		}
		if r.helloID != 0 && u.State.Done >= r.helloID {
			changed = r.jnl.Forget(u.State.Stored)
		}
	case protocol.Message:
		switch {
		case u.Seq == 0:
		case u.Code == protocol.Imported || u.Code == protocol.WasReset:
			changed = r.jnl.Forget(u.Seq) // the replaced session's actions
		case !u.Code.IsNotice():
			changed = r.jnl.Drop(u.Seq) // refused
		}
	case protocol.Released:
		select {
		case <-r.released:
		default:
			close(r.released)
		}
	}
	if changed && r.jnlState == jnlOn {
		writeJournal(&r.jnl)
	}
}

// Owner is where this tab stands with the session.
func (r *remote) Owner() owner {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.owner
}

// Journaled returns the number of actions the store has not caught up with,
// and the number of the newest action journaled.
func (r *remote) Journaled() (waiting int, last uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.jnl.Actions), r.jnl.Last
}

// Send posts a command to the worker and returns its number.
func (r *remote) Send(c protocol.Command) uint64 { return r.send(c, nil) }

func (r *remote) send(c protocol.Command, file []byte) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sendLocked(c, file)
}

// sendLocked sends c, or keeps it until Hello if the session is not this
// tab's yet; a tab that gave the session up sends nothing.
func (r *remote) sendLocked(c protocol.Command, file []byte) uint64 {
	r.lastID++
	b, err := protocol.EncodeCommand(r.lastID, c)
	if err != nil {
		panic("wasm: " + err.Error()) // a command that is not registered: a bug
	}
	switch _, release := c.(protocol.Release); {
	case r.owner == claiming && file == nil:
		r.queue = append(r.queue, b)
	case r.owner == owning, r.owner == handingOver && release:
		r.port.Post(b, file)
	}
	return r.lastID
}

// act journals the student's action a and then sends the command that
// does it (made by cmd from a's number). It reports whether the action was
// taken: not when the session is not this tab's, or the engine not ready.
func (r *remote) act(a sim.Action, cmd func(seq uint64) protocol.Command) (uint64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.owner != owning || !r.HasState {
		return 0, false
	}
	if r.jnlState == jnlOn {
		ja, err := r.jnl.Add(a, r.State.Applied)
		if err == nil {
			err = writeJournal(&r.jnl)
		}
		if err == nil {
			a.Seq = ja.Seq
		} else {
			r.jnl.Drop(ja.Seq)
			r.jnlState = jnlFailed
			r.deliver(incoming{u: protocol.Message{Code: protocol.NoJournal, Detail: err.Error()}})
		}
	}
	return r.sendLocked(cmd(a.Seq), nil), true
}

// Rank files the student's ranking of the waiting candidate.
func (r *remote) Rank(c *sim.Candidate, order []int) bool {
	rk := sim.Ranking{ID: c.ID, Prompt: c.Prompt, Answers: c.Answers, Order: slices.Clone(order), Labeler: sim.You}
	_, ok := r.act(sim.Action{Ranking: &rk}, func(seq uint64) protocol.Command {
		return protocol.Rank{Candidate: c.ID, Order: rk.Order, Seq: seq}
	})
	return ok
}

// AddDemo adds the student's demonstration.
func (r *remote) AddDemo(d sim.Demonstration) bool {
	_, ok := r.act(sim.Action{Demo: &d}, func(seq uint64) protocol.Command { return protocol.AddDemo{Demo: d, Seq: seq} })
	return ok
}

// Save asks the engine to store the session now (the tab is being hidden).
func (r *remote) Save() { r.Send(protocol.Save{}) }

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
	case protocol.DemoAdded:
		r.DemoSeq++
	case protocol.Message:
		if u.Detail != "" { // the developer's account goes to the console
			js.Global().Get("console").Call("warn", "rlhf: "+string(u.Code)+": "+u.Detail)
		}
		r.Message, r.MessageTime = u, time.Now()
		r.MsgSeq++
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

// download offers bytes as a file through a Blob URL.
func download(b []byte, name string) {
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	opts := js.Global().Get("Object").New()
	opts.Set("type", "application/zip")
	blob := js.Global().Get("Blob").New([]any{arr}, opts)
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	a := js.Global().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	js.Global().Get("document").Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	js.Global().Call("setTimeout", js.FuncOf(func(js.Value, []js.Value) any {
		js.Global().Get("URL").Call("revokeObjectURL", url)
		return nil
	}), 10000)
}

// Tell shows the student a message the page itself has to give.
func (r *remote) Tell(m protocol.Message) { r.deliver(incoming{u: m}) }

// picked is a file the student chose: its bytes, or, for a file larger
// than the limit, only its size (it is not read).
type picked struct {
	b    []byte
	size int
}

// pickFile opens the browser's file picker; the chosen file arrives on the
// returned channel (nothing arrives if the student cancels), read only if
// it is at most limit bytes. It must run soon after a click: browsers open
// pickers only on a user gesture.
func pickFile(accept string, limit int) <-chan picked {
	ch := make(chan picked, 1)
	doc := js.Global().Get("document")
	input := doc.Call("createElement", "input")
	input.Set("type", "file")
	input.Set("accept", accept)
	input.Set("id", "rlhf-import")
	input.Get("style").Set("display", "none")
	var onChange js.Func
	onChange = js.FuncOf(func(js.Value, []js.Value) any {
		files := input.Get("files")
		if files.Length() == 0 {
			return nil
		}
		if size := files.Index(0).Get("size").Int(); size > limit {
			ch <- picked{size: size}
			wake()
			onChange.Release()
			input.Call("remove")
			return nil
		}
		var then js.Func
		then = js.FuncOf(func(_ js.Value, args []js.Value) any {
			arr := js.Global().Get("Uint8Array").New(args[0])
			b := make([]byte, arr.Get("length").Int())
			js.CopyBytesToGo(b, arr)
			ch <- picked{b: b, size: len(b)}
			wake()
			then.Release()
			onChange.Release()
			input.Call("remove")
			return nil
		})
		files.Index(0).Call("arrayBuffer").Call("then", then)
		return nil
	})
	input.Call("addEventListener", "change", onChange)
	doc.Get("body").Call("appendChild", input)
	input.Call("click")
	return ch
}
