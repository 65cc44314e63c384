//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"

	"rlhfplayground/wasm/journal"
)

// journalKey is the localStorage key of the page's journal (wasm/journal).
// localStorage is the browser's one synchronous store: setItem has handed
// the value to the browser when it returns, so a reload or a closed tab
// that comes next finds it.
const journalKey = "rlhfplayground.journal"

// errNoLocalStorage: the browser does not let the page use localStorage.
var errNoLocalStorage = errors.New("localStorage: not available")

// storageError is a failure of localStorage itself (as opposed to what it
// holds).
type storageError struct{ error }

// localStore runs f on window.localStorage, turning a missing store and
// the exceptions it throws (SecurityError when site data is blocked,
// QuotaExceededError when it is full) into errors.
func localStore(f func(ls js.Value)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			err = storageError{fmt.Errorf("localStorage: %s: %s", e.Value.Get("name").String(), e.Value.Get("message").String())}
		}
	}()
	// The getter itself throws when site data is blocked; Value.Get would let
	// that exception through Go, Reflect.get through Call turns it into a panic.
	ls := js.Global().Get("Reflect").Call("get", js.Global(), "localStorage")
	if !ls.Truthy() {
		return storageError{errNoLocalStorage}
	}
	f(ls)
	return nil
}

// readJournal returns the journal in localStorage (an empty one if there
// is none). A journal that does not decode is returned empty with its
// error, and is replaced at the next write; a storage that cannot be read
// gives a storageError.
func readJournal() (journal.Journal, error) {
	var raw js.Value
	if err := localStore(func(ls js.Value) { raw = ls.Call("getItem", journalKey) }); err != nil {
		return journal.Journal{}, err
	}
	if raw.Type() != js.TypeString {
		return journal.Journal{}, nil
	}
	return journal.Decode([]byte(raw.String()))
}

// writeJournal replaces the journal in localStorage; when it returns nil,
// the journal is durable.
func writeJournal(j *journal.Journal) error {
	b := j.Encode()
	return localStore(func(ls js.Value) {
		if len(j.Actions) == 0 && j.Last == 0 {
			ls.Call("removeItem", journalKey)
			return
		}
		ls.Call("setItem", journalKey, string(b))
	})
}
