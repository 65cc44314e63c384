//go:build js && wasm

// Command worker is RLHF Playground's engine program, built with GOOS=js
// GOARCH=wasm as worker.wasm and run by worker.js in a dedicated Web Worker.
// It owns the sim.Lab: the page (wasm/) sends protocol commands, which
// package dispatch turns into Lab calls, and draws the updates sent back, so
// a PPO iteration of half a second never blocks a frame. The session is
// saved to IndexedDB after every change (see save below) and restored on
// start.
package main

import (
	"fmt"
	"syscall/js"
	"time"

	"rlhfplayground/assets"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
	"rlhfplayground/worker/dispatch"
	"rlhfplayground/worker/jskernels"
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

// inbound is one command from the page.
type inbound struct {
	id   uint64
	cmd  protocol.Command
	file []byte
}

var port = protocol.NewPort(js.Global())

// post sends an update to the page, with a session file when file is not nil.
func post(u protocol.Update, file []byte) {
	b, err := protocol.EncodeUpdate(u)
	if err != nil {
		b, _ = protocol.EncodeUpdate(protocol.Message{Code: protocol.Failed, Detail: fmt.Sprintf("worker: %v", err)})
		file = nil
	}
	port.Post(b, file)
}

// problem tells the page about a condition, with the developer's detail.
func problem(code protocol.Code, err error) {
	post(protocol.Message{Code: code, Detail: "worker: " + err.Error()}, nil)
}

func main() {
	jskernels.Register() // worker.js loaded the SIMD module before go.run, if the browser has SIMD
	inbox := make(chan inbound, 64)
	port.Listen(func(msg, file []byte) {
		id, cmd, err := protocol.DecodeCommand(msg)
		if err != nil {
			problem(protocol.Failed, err)
			return
		}
		inbox <- inbound{id, cmd, file}
	})

	data, err := assets.LabData()
	if err != nil {
		problem(protocol.NoEngine, err)
		return
	}
	fresh := func() (*sim.Lab, error) { return assets.NewLab(sim.DefaultSettings(), data) }
	db, dbErr := openDB()
	var lab *sim.Lab
	if dbErr == nil {
		if b, err := db.get(sessionKey); err == nil && b != nil {
			if lab, err = sim.ReadSnapshot(b, data); err != nil {
				problem(protocol.NotRestored, err)
			}
		}
	} else {
		problem(protocol.NoStorage, dbErr)
	}
	restored := lab != nil
	if lab == nil {
		if lab, err = fresh(); err != nil {
			problem(protocol.NoEngine, err)
			return
		}
	}
	d := dispatch.New(lab, data, fresh, post)
	d.Models = models()
	d.Open = packOpener(d.Models)
	if restored { // what the browser holds is this session: say when it was read
		d.Saved(time.Now().UnixMilli())
	}

	lastPost := time.Time{}
	lastSave := time.Now()
	save := func() {
		b, err := d.Snapshot()
		if err != nil {
			problem(protocol.NotSaved, err)
			return
		}
		if db.ok() {
			if err := db.put(sessionKeyFor(d.Lang()), b); err != nil {
				problem(protocol.NotSaved, err)
				return
			}
			d.Saved(time.Now().UnixMilli())
		}
		lastSave = time.Now()
	}
	handle := func(in inbound) {
		if _, reset := in.cmd.(protocol.Reset); reset && db.ok() {
			db.remove(sessionKeyFor(d.Lang()))
		}
		if lang := langAsked(in.cmd); lang != "" && lang != d.Lang() {
			// Another language's session: store this one, bring that one's.
			if _, due := d.SaveDue(); due {
				save()
			}
			if db.ok() {
				in.file, _ = db.get(sessionKeyFor(lang))
			}
		}
		d.Handle(in.id, in.cmd, in.file)
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
		if d.Busy() {
			d.Work()
			if time.Since(lastPost) >= postEvery || !d.Busy() {
				d.Flush()
				lastPost = time.Now()
			}
			if since, due := d.SaveDue(); due && time.Since(lastSave) > saveRunning && time.Since(since) > 0 {
				save()
			}
			// Return to the event loop, so that onmessage can run: Go's
			// js/wasm scheduler yields to JavaScript while every goroutine sleeps.
			time.Sleep(time.Millisecond)
			continue
		}
		d.Flush()
		lastPost = time.Now()
		var timer <-chan time.Time
		if since, due := d.SaveDue(); due {
			wait := saveQuiet - time.Since(since)
			if wait <= 0 {
				save()
				d.Flush()
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
