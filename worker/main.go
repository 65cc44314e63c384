//go:build js && wasm

// Command worker is RLHF Playground's engine program, built with GOOS=js
// GOARCH=wasm as worker.wasm and run by worker.js in a dedicated Web Worker.
// It owns the sim.Lab: the page (wasm/) sends protocol commands, which
// package dispatch turns into Lab calls, and draws the updates sent back, so
// a PPO iteration of half a second never blocks a frame. The session is
// saved to IndexedDB after every change (see save below) and restored on
// start, once the page's Hello says this tab owns it (idb.go: the fence
// between tabs); each language's model has a session of its own, stored
// apart (lang.go), and the page's Hello names the one it wants.
package main

import (
	"errors"
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
	// English's models are fetched the first time a fresh English session
	// is made (packs.go), not at start: a stored session has its own.
	home := dispatch.Pack{Lang: dispatch.English, Data: data, Fresh: dispatch.Checkpoints(dispatch.English, data, englishCheckpoint)}

	// The page says Hello once its tab owns the session (wasm/lock.go):
	// only then is the stored session read. Anything sent before waits.
	var early []inbound
	var hello protocol.Hello
	for in := range inbox {
		if h, ok := in.cmd.(protocol.Hello); ok {
			hello = h
			early = append([]inbound{in}, early...)
			break
		}
		early = append(early, in)
	}
	db, stored, dbErr := restore(hello.Tab)
	available := models()
	open := packOpener(available)
	// The session opened first is the one of the language Hello names, so
	// that a Chinese page makes no English model (nor fetches its
	// checkpoints). A pack that does not arrive, or a stored session that
	// does not read now, leaves English open: Hello then tries the switch
	// and tells the page why it did not happen (a fresh session must not
	// be stored over one that is there).
	pack := &home
	if lang := dispatch.StartLang(hello.Lang, available); lang != dispatch.English {
		if p, err := open(lang); err == nil {
			var b []byte
			if db.ok() {
				b, err = db.get(sessionKeyFor(lang))
			}
			if err == nil {
				pack, stored = p, b
			}
		}
	}
	var lab *sim.Lab
	if stored != nil {
		if lab, err = sim.ReadSnapshot(stored, pack.Data); err != nil {
			problem(protocol.NotRestored, err)
		}
	}
	restored := lab != nil
	if lab == nil {
		if lab, err = pack.Fresh(); err != nil {
			problem(protocol.NoEngine, err)
			return
		}
	}
	d := dispatch.NewIn(lab, pack, home, post)
	d.Models = available
	d.Open = open
	switch {
	case dbErr != nil:
		problem(protocol.NoStorage, dbErr)
		d.NotStored(protocol.NoStorage)
	case restored: // what the browser holds is this session: say when it was read
		d.Saved(time.Now().UnixMilli())
	}

	lastPost := time.Time{}
	lastSave := time.Now()
	released := false // another tab took the session over: store nothing more
	// put stores b as lang's session; a failure is told to the page (once
	// while saves keep failing).
	put := func(lang string, b []byte) error {
		if released {
			return errElsewhere
		}
		err := db.put(sessionKeyFor(lang), b)
		switch {
		case errors.Is(err, errElsewhere):
			released = true
			d.NotStored(protocol.Elsewhere)
			problem(protocol.Elsewhere, err)
		case err != nil:
			if d.Storage() != protocol.NotSaved { // say it once, not at every change
				problem(protocol.NotSaved, err)
			}
			d.NotStored(protocol.NotSaved)
		}
		return err
	}
	d.Shelf = &shelf{db: db, put: put}
	// save stores the open session if a change waits for it.
	save := func() {
		if _, due := d.SaveDue(); !due {
			return
		}
		switch {
		case released:
			d.NotStored(protocol.Elsewhere)
			return
		case !db.ok():
			d.NotStored(protocol.NoStorage)
			return
		}
		lastSave = time.Now()
		b, err := d.Snapshot()
		if err != nil {
			problem(protocol.NotSaved, err)
			return
		}
		if put(d.Lang(), b) == nil {
			d.Saved(time.Now().UnixMilli())
		}
	}
	handle := func(in inbound) {
		// Reset and Import replace the session of their language, which is
		// stored at once below; SwitchModel and Hello store the session they
		// leave, and take the journal's actions of the sessions not open to
		// them, through the dispatcher's Shelf.
		d.Handle(in.id, in.cmd, in.file)
		switch in.cmd.(type) {
		case protocol.Save, protocol.Reset, protocol.Import:
			// The tab is going away, or the session was replaced (the
			// stored one must not come back on a reload): store now.
			save()
		case protocol.Release:
			save()
			released = true
			d.NotStored(protocol.Elsewhere)
			d.Flush()
			post(protocol.Released{}, nil)
		}
	}
	for _, in := range early {
		handle(in)
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

// restore opens the browser's store for tab, claims the session for it and
// returns what is stored (nil if nothing); with an error, the session lives
// in memory only.
func restore(tab string) (*idb, []byte, error) {
	db, err := openDB(tab)
	if err != nil {
		return nil, nil, err
	}
	b, err := db.claim()
	if err != nil {
		return nil, nil, err
	}
	return db, b, nil
}
