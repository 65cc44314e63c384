//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"
	"time"

	"rlhfplayground/sim"
	"rlhfplayground/worker/msg"
)

// remote is the page's end of the engine's Web Worker (started by loader.js
// as window.rlhfWorker): it sends commands and keeps the latest of
// everything the worker sent, which is all the scenes draw from. It never
// holds weights.
type remote struct {
	worker js.Value
	in     chan incoming

	Ready    bool
	State    msg.State
	HasState bool
	Hist     sim.History
	Cand     *msg.Candidate
	CandSeq  int // counts candidates, so the Label scene resets its ranking on a new one
	Demos    msg.Demos
	Tok      *sim.Tokenizer // the vocabulary, for underlining unknown words as they are typed
	Personas []string
	Prompts  []string // held-out prompts for the probes
	Samples  *msg.Samples
	Compare  *msg.Compare
	Probe    *msg.ProbeResult
	Unknown  []string
	DemoSeq  int // counts accepted demonstrations

	// Versions of the chart data, so a chart re-renders only when its data changed.
	HistVersion int

	Message     string // the last error or notice, shown in a banner
	MessageErr  bool
	MessageDiv  bool // the error is a diverged step
	MessageTime time.Time
	MsgSeq      int

	PPOIterMs float64   // wall time of one PPO iteration while running, as seen by the page
	ppoSince  time.Time // the first arrival of PPO iterations in this run
	ppoSinceN int       // iterations done at ppoSince
}

type incoming struct {
	u     msg.Update
	bytes []byte
}

func newRemote() *remote {
	r := &remote{in: make(chan incoming, 256)}
	r.worker = js.Global().Get("rlhfWorker")
	if !r.worker.Truthy() { // loader.js did not create it (an old page): start it here
		r.worker = js.Global().Get("Worker").New("worker.js")
		start := js.Global().Get("Object").New()
		start.Set("start", true)
		r.worker.Call("postMessage", start)
	}
	receive := func(v js.Value) {
		var in incoming
		if err := json.Unmarshal([]byte(v.Get("json").String()), &in.u); err != nil {
			in.u = msg.Update{Error: "the page could not read the engine's message: " + err.Error()}
		}
		if b := v.Get("bytes"); b.Truthy() {
			in.bytes = make([]byte, b.Get("length").Int())
			js.CopyBytesToGo(in.bytes, b)
		}
		select {
		case r.in <- in:
		default:
			go func() { r.in <- in }() // Update is not draining (hidden tab): never block the JS callback
		}
		wake()
	}
	r.worker.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		receive(args[0].Get("data"))
		return nil
	}))
	if q := js.Global().Get("rlhfWorkerInbox"); q.Truthy() {
		for i := range q.Length() {
			receive(q.Index(i))
		}
		js.Global().Delete("rlhfWorkerInbox")
	}
	r.Send(msg.Command{Cmd: msg.CmdHello})
	return r
}

// Send posts a command to the worker.
func (r *remote) Send(c msg.Command) { r.send(c, nil) }

func (r *remote) send(c msg.Command, bytes []byte) {
	b, _ := json.Marshal(c)
	m := js.Global().Get("Object").New()
	m.Set("json", string(b))
	if bytes != nil {
		arr := js.Global().Get("Uint8Array").New(len(bytes))
		js.CopyBytesToJS(arr, bytes)
		m.Set("bytes", arr)
	}
	r.worker.Call("postMessage", m)
}

// SetSettings sends changed settings; the worker answers with the state
// holding the settings in force.
func (r *remote) SetSettings(s sim.Settings) {
	r.State.Settings = s // shown at once; the worker's answer overrides it
	r.Send(msg.Command{Cmd: msg.CmdSettings, Settings: &s})
}

// Busy reports whether the worker runs a job.
func (r *remote) Busy() bool { return r.State.Job != "" }

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
	u := in.u
	if u.Ready {
		if !r.Ready {
			Mark("engine-ready")
		}
		r.Ready = true
	}
	if u.Error != "" || u.Notice != "" {
		r.Message, r.MessageErr, r.MessageDiv = u.Error, u.Error != "", u.Diverge
		if u.Error == "" {
			r.Message = u.Notice
		}
		r.MessageTime = time.Now()
		r.MsgSeq++
	}
	if u.State != nil {
		r.State, r.HasState = *u.State, true
		if r.State.Job != msg.StagePPO {
			r.ppoSince = time.Time{}
		}
	}
	if h := u.History; h != nil {
		r.Hist.Pretrain = appendAt(r.Hist.Pretrain, h.PretrainFrom, h.Pretrain)
		r.Hist.SFT = appendAt(r.Hist.SFT, h.SFTFrom, h.SFT)
		r.Hist.Reward = appendAt(r.Hist.Reward, h.RewardFrom, h.Reward)
		r.Hist.RewardEvals = appendAt(r.Hist.RewardEvals, h.EvalsFrom, h.Evals)
		if len(h.PPO) > 0 && h.PPOFrom > 0 && r.State.Job == msg.StagePPO {
			// Time per iteration as the page sees it, averaged from the first
			// arrival of this run (the worker sends a few iterations at a time).
			n := h.PPOFrom + len(h.PPO)
			switch {
			case r.ppoSince.IsZero() || h.PPOFrom != len(r.Hist.PPO):
				r.ppoSince, r.ppoSinceN = time.Now(), n
			case n > r.ppoSinceN:
				r.PPOIterMs = float64(time.Since(r.ppoSince).Milliseconds()) / float64(n-r.ppoSinceN)
			}
		}
		r.Hist.PPO = appendAt(r.Hist.PPO, h.PPOFrom, h.PPO)
		r.HistVersion++
	}
	if u.Candidate != nil {
		if r.Cand == nil || r.Cand.Prompt != u.Candidate.Prompt || !sameStrings(r.Cand.Answers, u.Candidate.Answers) {
			r.CandSeq++
		}
		r.Cand = u.Candidate
	}
	if u.Demos != nil {
		r.Demos = *u.Demos
	}
	if u.Vocab != nil {
		r.Tok = sim.NewTokenizer(u.Vocab)
	}
	if u.Personas != nil {
		r.Personas = u.Personas
	}
	if u.Prompts != nil {
		r.Prompts = u.Prompts
	}

	if u.Samples != nil {
		r.Samples = u.Samples
	}
	if u.Compare != nil {
		r.Compare = u.Compare
	}
	if u.Probe != nil {
		r.Probe = u.Probe
	}
	if u.Unknown != nil || u.DemoAdded {
		r.Unknown = u.Unknown
	}
	if u.DemoAdded {
		r.DemoSeq++
	}
	if u.ExportSize > 0 && in.bytes != nil {
		download(in.bytes, "rlhf-playground-session.zip")
	}
}

// appendAt keeps dst[:from] and appends add: the worker sends each history
// from the first entry the page does not have (from 0 replaces it).
func appendAt[T any](dst []T, from int, add []T) []T {
	return append(dst[:min(from, len(dst))], add...)
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
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
