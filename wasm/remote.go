//go:build js && wasm

package main

import (
	"syscall/js"
	"time"

	"rlhfplayground/jsglobal"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// remote is the page's end of the engine's Web Worker (started by loader.js
// as the global jsglobal.Worker): it sends commands and keeps the latest of
// everything the worker sent, which is all the scenes draw from. It never
// holds weights, and it never edits what the worker sent: what the page
// asked for and the worker has not answered yet is kept apart (pending), so
// the screen can show it at once.
type remote struct {
	port   protocol.Port
	in     chan incoming
	lastID uint64 // the newest command's number

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

// newRemote starts talking to the worker, asking for the session of the
// model in lang.
func newRemote(lang string) *remote {
	r := &remote{in: make(chan incoming, 256)}
	worker := js.Global().Get(jsglobal.Worker)
	if !worker.Truthy() { // loader.js did not create it (an old page): start it here
		worker = js.Global().Get("Worker").New("worker.js")
		start := js.Global().Get("Object").New()
		start.Set("start", true)
		worker.Call("postMessage", start)
	}
	r.port = protocol.NewPort(worker)
	r.port.Listen(func(msg, file []byte) {
		u, err := protocol.DecodeUpdate(msg)
		if err != nil {
			u = protocol.Message{Code: protocol.Failed, Detail: "the page could not read the engine's message: " + err.Error()}
		}
		select {
		case r.in <- incoming{u, file}:
		default:
			go func() { r.in <- incoming{u, file} }() // Update is not draining (hidden tab): never block the JS callback
		}
		wake()
	})
	r.Send(protocol.Hello{Lang: lang})
	return r
}

// Send posts a command to the worker and returns its number.
func (r *remote) Send(c protocol.Command) uint64 { return r.send(c, nil) }

func (r *remote) send(c protocol.Command, file []byte) uint64 {
	r.lastID++
	b, err := protocol.EncodeCommand(r.lastID, c)
	if err != nil {
		panic("wasm: " + err.Error()) // a command that is not registered: a bug
	}
	r.port.Post(b, file)
	return r.lastID
}

// Settings are the settings the screens show: the ones just sent, until the
// worker's state says which hold.
func (r *remote) Settings() sim.Settings { return r.settings.or(r.State.Settings) }

// SetSettings sends changed settings.
func (r *remote) SetSettings(s sim.Settings) {
	r.settings = pending[sim.Settings]{&s, r.Send(protocol.SetSettings{Settings: s})}
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

// pickFile opens the browser's file picker; the chosen file's bytes arrive
// on the returned channel (nothing arrives if the student cancels). It must
// run soon after a click: browsers open pickers only on a user gesture.
func pickFile(accept string) <-chan []byte {
	ch := make(chan []byte, 1)
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
		var then js.Func
		then = js.FuncOf(func(_ js.Value, args []js.Value) any {
			arr := js.Global().Get("Uint8Array").New(args[0])
			b := make([]byte, arr.Get("length").Int())
			js.CopyBytesToGo(b, arr)
			ch <- b
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
