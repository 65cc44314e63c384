//go:build js && wasm

package main

import (
	"sync"
	"syscall/js"
)

// One session per browser, one tab at a time: the tab that holds the Web
// Lock lockName owns it (its engine restores and stores the session, its
// page writes the journal). A tab that opens while another holds the lock
// asks for it on the BroadcastChannel channelName and waits in the lock's
// queue; the owner hands over (remote.handOver: its engine stores the
// session and stops, its journal is written a last time) and releases the
// lock, and the new tab starts from what was stored. The newest tab wins,
// and the other says so plainly, with a button to take the session back.
//
// Web Locks need a secure context (https, or localhost). On a plain-http
// classroom address the newest tab takes the session at once and tells the
// others on the channel; the fence in the engine's store (worker/idb.go)
// keeps an older tab from overwriting the session even if it never hears.
const (
	lockName    = "rlhfplayground.session"
	channelName = "rlhfplayground.session"
)

// sessionLock is this tab's claim on the session.
type sessionLock struct {
	granted chan struct{} // closed when this tab owns the session
	asked   chan struct{} // another tab asks for the session
	waiting bool          // another tab holds it: this one waits (read in Update)

	mu      sync.Mutex
	release js.Value // resolves the promise that holds the Web Lock (undefined without Web Locks)
	channel js.Value
	funcs   []js.Func
}

// claimSession asks for the session; granted closes when this tab has it.
func claimSession() *sessionLock {
	l := &sessionLock{granted: make(chan struct{}), asked: make(chan struct{}, 1)}
	if bc := js.Global().Get("BroadcastChannel"); bc.Truthy() {
		l.channel = bc.New(channelName)
		l.channel.Set("onmessage", l.fn(func(args []js.Value) any {
			if d := args[0].Get("data"); d.Truthy() && d.Get("take").Truthy() && l.owns() {
				select {
				case l.asked <- struct{}{}:
				default:
				}
				wake()
			}
			return nil
		}))
	}
	locks := js.Global().Get("navigator").Get("locks")
	if !locks.Truthy() {
		l.ask()
		l.grant(js.Undefined())
		return l
	}
	// hold keeps the lock until release resolves the promise it returns.
	hold := l.fn(func(args []js.Value) any {
		var resolve js.Value
		p := js.Global().Get("Promise").New(l.fn(func(a []js.Value) any { resolve = a[0]; return nil }))
		l.grant(resolve)
		return p
	})
	// Without the lock (a sandboxed frame refuses it): own the session; the
	// store's fence still guards it.
	refused := l.fn(func([]js.Value) any { l.grant(js.Undefined()); return nil })
	opts := js.Global().Get("Object").New()
	opts.Set("ifAvailable", true)
	first := l.fn(func(args []js.Value) any {
		if !args[0].IsNull() {
			return hold.Invoke(args[0])
		}
		l.mu.Lock()
		l.waiting = true
		l.mu.Unlock()
		wake()
		l.ask()
		locks.Call("request", lockName, hold).Call("catch", refused)
		return nil
	})
	locks.Call("request", lockName, opts, first).Call("catch", refused)
	return l
}

// fn makes a JavaScript function that lives as long as the page.
func (l *sessionLock) fn(f func(args []js.Value) any) js.Func {
	jf := js.FuncOf(func(_ js.Value, args []js.Value) any { return f(args) })
	l.funcs = append(l.funcs, jf)
	return jf
}

// ask tells the other tabs that this one takes the session.
func (l *sessionLock) ask() {
	if l.channel.Truthy() {
		m := js.Global().Get("Object").New()
		m.Set("take", true)
		l.channel.Call("postMessage", m)
	}
}

func (l *sessionLock) grant(release js.Value) {
	l.mu.Lock()
	l.release, l.waiting = release, false
	l.mu.Unlock()
	close(l.granted)
	wake()
}

// owns reports whether this tab has the session (and has not released it).
func (l *sessionLock) owns() bool {
	select {
	case <-l.granted:
	default:
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.release.Type() != js.TypeNull
}

// Exclusive reports whether this tab holds a Web Lock: the tab that takes
// the session over waits for its release (and then reads the journal), so
// the journal is this tab's to write until it releases.
func (l *sessionLock) Exclusive() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.release.Type() == js.TypeFunction
}

// Waiting reports whether another tab holds the session and this one waits
// for it.
func (l *sessionLock) Waiting() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waiting
}

// Release gives the session up: the next tab in the lock's queue gets it.
func (l *sessionLock) Release() {
	l.mu.Lock()
	r := l.release
	l.release = js.Null()
	l.mu.Unlock()
	if r.Type() == js.TypeFunction {
		r.Invoke()
	}
}
