//go:build js && wasm

// Command worker is RLHF Playground's engine, built with GOOS=js
// GOARCH=wasm as worker.wasm and run by worker.js in a dedicated Web Worker.
// It owns the sim.Lab: the page (wasm/) sends commands and draws what it is
// sent back, so a PPO iteration of half a second never blocks a frame.
//
// Messages in both directions are objects {json: string, bytes?: Uint8Array}:
// json is a msg.Command (page → worker) or a msg.Update (worker → page);
// bytes carry a session file for Import and Export. The session is saved to
// IndexedDB after every change (see save below) and restored on start.
package main

import (
	"encoding/json"
	"fmt"
	"syscall/js"
	"time"

	"rlhfplayground/assets"
	"rlhfplayground/sim"
	"rlhfplayground/worker/engine"
	"rlhfplayground/worker/msg"
)

// Pacing of the worker's messages and saves.
const (
	// One progress update a second while training: each one makes the page
	// draw and present a frame, the costliest thing the page does (with
	// software WebGL the browser reads every presented frame back, while this
	// worker keeps one of two cores busy: 50-150 ms). At two a second, 3-7%
	// of frames while PPO ran were late; at one, 1-3%. A job's end, and the
	// answer to any command, is sent at once.
	postEvery   = time.Second
	saveQuiet   = 400 * time.Millisecond // after a ranking or a setting, save once the student pauses
	saveRunning = 5 * time.Second        // while training, save this often
)

// inbound is one message from the page.
type inbound struct {
	cmd  msg.Command
	data []byte
}

func main() {
	self := js.Global()
	inbox := make(chan inbound, 64)
	// worker.js queued messages that arrived while this wasm was loading.
	receive := func(v js.Value) {
		var in inbound
		if err := json.Unmarshal([]byte(v.Get("json").String()), &in.cmd); err != nil {
			post(msg.Update{Error: "worker: bad command: " + err.Error()}, nil)
			return
		}
		if b := v.Get("bytes"); b.Truthy() {
			in.data = make([]byte, b.Get("length").Int())
			js.CopyBytesToGo(in.data, b)
		}
		inbox <- in
	}
	self.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		receive(args[0].Get("data"))
		return nil
	}))
	if q := self.Get("rlhfInbox"); q.Truthy() {
		for i := range q.Length() {
			receive(q.Index(i))
		}
		self.Delete("rlhfInbox")
	}

	data, err := assets.LabData()
	if err != nil {
		post(msg.Update{Error: "worker: " + err.Error()}, nil)
		return
	}
	fresh := func() (*sim.Lab, error) {
		base, sft, tok, err := assets.Models()
		if err != nil {
			return nil, err
		}
		return sim.NewLab(sim.DefaultSettings(), data, tok, base, sft)
	}
	db, dbErr := openDB()
	var lab *sim.Lab
	notice := ""
	if dbErr == nil {
		if b, err := db.get(sessionKey); err == nil && b != nil {
			if lab, err = sim.ReadSnapshot(b, data); err != nil {
				notice = "Your saved session could not be restored (" + err.Error() + "); starting from the shipped models."
			}
		}
	} else {
		notice = "This browser does not let the app save your work (" + dbErr.Error() + "): it will be lost on reload."
	}
	restored := lab != nil
	if lab == nil {
		if lab, err = fresh(); err != nil {
			post(msg.Update{Error: "worker: " + err.Error()}, nil)
			return
		}
	}
	e := engine.New(lab, data, fresh, func(u msg.Update) { post(u, nil) })
	if restored { // what the browser holds is this session: say when it was read
		e.Saved(time.Now().UnixMilli())
	}
	if notice != "" {
		post(msg.Update{Notice: notice}, nil)
	}

	lastPost := time.Time{}
	lastSave := time.Now()
	save := func() {
		b, err := e.Snapshot()
		if err != nil {
			post(msg.Update{Error: "saving the session: " + err.Error()}, nil)
			return
		}
		if db.ok() {
			if err := db.put(sessionKey, b); err != nil {
				post(msg.Update{Error: "saving the session: " + err.Error()}, nil)
				return
			}
			e.Saved(time.Now().UnixMilli())
		}
		lastSave = time.Now()
	}
	handle := func(in inbound) {
		switch in.cmd.Cmd {
		case msg.CmdExport:
			var buf []byte
			if buf, err = e.Snapshot(); err != nil {
				post(msg.Update{Error: "export: " + err.Error()}, nil)
				return
			}
			post(msg.Update{ExportSize: len(buf)}, buf)
			return
		case msg.CmdReset:
			if db.ok() {
				db.remove(sessionKey)
			}
		}
		e.Handle(in.cmd, in.data)
	}
	for {
		// Commands first: a Pause must win over the next step.
		for drained := false; !drained; {
			select {
			case in := <-inbox:
				handle(in)
			default:
				drained = true
			}
		}
		if e.Busy() {
			e.Work()
			if time.Since(lastPost) >= postEvery || !e.Busy() {
				e.Flush()
				lastPost = time.Now()
			}
			if since, due := e.SaveDue(); due && time.Since(lastSave) > saveRunning && time.Since(since) > 0 {
				save()
			}
			// Return to the event loop, so that onmessage can run: Go's
			// js/wasm scheduler yields to JavaScript while every goroutine sleeps.
			time.Sleep(time.Millisecond)
			continue
		}
		e.Flush()
		lastPost = time.Now()
		var timer <-chan time.Time
		if since, due := e.SaveDue(); due {
			wait := saveQuiet - time.Since(since)
			if wait <= 0 {
				save()
				e.Flush()
				continue
			}
			timer = time.After(wait)
		}
		select {
		case in := <-inbox:
			handle(in)
		case <-timer:
		}
	}
}

// post sends an update to the page, with a session file when bytes is not nil.
func post(u msg.Update, bytes []byte) {
	b, err := json.Marshal(u)
	if err != nil {
		b, _ = json.Marshal(msg.Update{Error: fmt.Sprintf("worker: %v", err)})
	}
	m := js.Global().Get("Object").New()
	m.Set("json", string(b))
	if bytes != nil {
		arr := js.Global().Get("Uint8Array").New(len(bytes))
		js.CopyBytesToJS(arr, bytes)
		m.Set("bytes", arr)
		js.Global().Call("postMessage", m, []any{arr.Get("buffer")})
		return
	}
	js.Global().Call("postMessage", m)
}
