//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"
	"time"
)

// The session lives in IndexedDB: database "rlhfplayground", object store
// "session", one Uint8Array (the sim snapshot zip) under sessionKey (the
// English session; each other language's under its own key, lang.go) and,
// under ownerKey, the name of the tab whose engine stores them
// (protocol.Hello's Tab).
//
// The owner is the fence between tabs: a tab claims the session when it
// starts (claim writes its name and reads the session in one transaction),
// and every store checks, in the transaction that writes, that the name is
// still its own. A tab whose session another tab has claimed therefore
// cannot overwrite that tab's work, whatever the timing; the page's lock
// (wasm/lock.go) makes the hand-over orderly, the fence makes it safe.
const (
	dbName     = "rlhfplayground"
	storeName  = "session"
	sessionKey = "current"
	ownerKey   = "owner"
	openWithin = 10 * time.Second // an IndexedDB that has not opened by then is treated as missing
)

// errElsewhere: another tab claimed the session.
var errElsewhere = errors.New("another tab has claimed the session")

type idb struct {
	db  js.Value
	tab string
}

func (d *idb) ok() bool { return d != nil && d.db.Truthy() }

// jsCall calls f and turns a JavaScript exception (IndexedDB throws when
// the browser forbids storage, or the connection was closed) into an error.
func jsCall(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(js.Error); ok {
				err = fmt.Errorf("IndexedDB: %s", e.Value.Get("message").String())
				return
			}
			panic(r)
		}
	}()
	f()
	return nil
}

// idbError is the message of a request's or transaction's error.
func idbError(target js.Value, what string) error {
	if e := target.Get("error"); e.Truthy() {
		return fmt.Errorf("IndexedDB: %s: %s: %s", what, e.Get("name").String(), e.Get("message").String())
	}
	return fmt.Errorf("IndexedDB: %s failed", what)
}

// listen sets handlers on target for the named events and returns a channel
// that receives the first event's name (its handlers released then).
func listen(target js.Value, events ...string) <-chan string {
	ch := make(chan string, 1)
	fns := make([]js.Func, len(events))
	for i, ev := range events {
		fns[i] = js.FuncOf(func(js.Value, []js.Value) any {
			select {
			case ch <- ev:
			default:
			}
			return nil
		})
		target.Set("on"+ev, fns[i])
	}
	out := make(chan string, 1)
	go func() {
		ev := <-ch
		for i, name := range events {
			target.Set("on"+name, js.Null())
			fns[i].Release()
		}
		out <- ev
	}()
	return out
}

// openDB opens the database for tab within openWithin; a browser that
// forbids storage, an open that is blocked or never answers, give an error.
func openDB(tab string) (*idb, error) {
	// Reflect.get, not Value.Get: a getter that throws (storage blocked)
	// must become an error, which only Call gives.
	var factory, req js.Value
	if err := jsCall(func() { factory = js.Global().Get("Reflect").Call("get", js.Global(), "indexedDB") }); err != nil {
		return nil, err
	}
	if !factory.Truthy() {
		return nil, errors.New("IndexedDB: not in this browser")
	}
	if err := jsCall(func() { req = factory.Call("open", dbName, 1) }); err != nil {
		return nil, err
	}
	upgrade := js.FuncOf(func(js.Value, []js.Value) any {
		jsCall(func() { req.Get("result").Call("createObjectStore", storeName) })
		return nil
	})
	defer upgrade.Release()
	req.Set("onupgradeneeded", upgrade)
	select {
	case ev := <-listen(req, "success", "error", "blocked"):
		if ev != "success" {
			if ev == "blocked" {
				return nil, errors.New("IndexedDB: the database is blocked by another connection")
			}
			return nil, idbError(req, "open")
		}
	case <-time.After(openWithin):
		return nil, fmt.Errorf("IndexedDB: no answer to open within %v", openWithin)
	}
	return &idb{db: req.Get("result"), tab: tab}, nil
}

// transaction starts a read-write transaction (stored durably: complete
// fires once the data is on disk) and returns its object store.
func (d *idb) transaction() (tx, store js.Value, err error) {
	err = jsCall(func() {
		opts := js.Global().Get("Object").New()
		opts.Set("durability", "strict")
		tx = d.db.Call("transaction", storeName, "readwrite", opts)
		store = tx.Call("objectStore", storeName)
	})
	return tx, store, err
}

// finish waits for the transaction to complete.
func finish(tx js.Value, what string) error {
	if ev := <-listen(tx, "complete", "error", "abort"); ev != "complete" {
		return idbError(tx, what)
	}
	return nil
}

// claim makes this tab the session's owner and returns the stored session
// (nil if there is none), in one transaction.
func (d *idb) claim() ([]byte, error) {
	tx, store, err := d.transaction()
	if err != nil {
		return nil, err
	}
	var get js.Value
	if err := jsCall(func() {
		store.Call("put", d.tab, ownerKey)
		get = store.Call("get", sessionKey)
	}); err != nil {
		return nil, err
	}
	if err := finish(tx, "claim"); err != nil {
		return nil, err
	}
	return bytesOf(get.Get("result")), nil
}

// get returns what is stored under key (nil if nothing).
func (d *idb) get(key string) ([]byte, error) {
	var tx, get js.Value
	if err := jsCall(func() {
		tx = d.db.Call("transaction", storeName, "readonly")
		get = tx.Call("objectStore", storeName).Call("get", key)
	}); err != nil {
		return nil, err
	}
	if err := finish(tx, "read"); err != nil {
		return nil, err
	}
	return bytesOf(get.Get("result")), nil
}

// bytesOf copies a stored Uint8Array (nil for none).
func bytesOf(v js.Value) []byte {
	if !v.Truthy() {
		return nil
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}

// put stores b under key (a session's) if this tab is still the sessions'
// owner (errElsewhere if not), and waits until it is durable. The check
// and the write are one transaction, so no other tab's claim comes between
// them.
func (d *idb) put(key string, b []byte) error {
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	tx, store, err := d.transaction()
	if err != nil {
		return err
	}
	elsewhere, putErr := false, error(nil)
	var owner js.Value
	if err := jsCall(func() { owner = store.Call("get", ownerKey) }); err != nil {
		return err
	}
	// The write is queued from the read's success handler, inside the
	// transaction (which would commit once no request is pending).
	onOwner := js.FuncOf(func(js.Value, []js.Value) any {
		if owner.Get("result").String() != d.tab {
			elsewhere = true
			jsCall(func() { tx.Call("abort") })
			return nil
		}
		if putErr = jsCall(func() { store.Call("put", arr, key) }); putErr != nil {
			jsCall(func() { tx.Call("abort") })
		}
		return nil
	})
	defer onOwner.Release()
	owner.Set("onsuccess", onOwner)
	err = finish(tx, "store")
	switch {
	case elsewhere:
		return errElsewhere
	case putErr != nil:
		return putErr
	}
	return err
}
