//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"
)

// The session lives in IndexedDB: database "rlhfplayground", object store
// "session", one Uint8Array (the sim snapshot zip) under sessionKey.
const (
	dbName     = "rlhfplayground"
	storeName  = "session"
	sessionKey = "current"
)

type idb struct{ db js.Value }

var errNoDB = errors.New("no IndexedDB")

func (d *idb) ok() bool { return d != nil && d.db.Truthy() }

// await waits for an IDBRequest (or, with done "complete", an
// IDBTransaction) and returns its result.
func await(req js.Value, done string) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	var ok, fail js.Func
	ok = js.FuncOf(func(js.Value, []js.Value) any {
		if done == "complete" {
			ch <- result{v: js.Undefined()}
		} else {
			ch <- result{v: req.Get("result")}
		}
		return nil
	})
	fail = js.FuncOf(func(js.Value, []js.Value) any {
		msg := "IndexedDB request failed"
		if e := req.Get("error"); e.Truthy() {
			msg = "IndexedDB: " + e.Get("message").String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	req.Set("on"+done, ok)
	req.Set("onerror", fail)
	if done == "complete" {
		req.Set("onabort", fail)
	}
	r := <-ch
	return r.v, r.err
}

func openDB() (*idb, error) {
	factory := js.Global().Get("indexedDB")
	if !factory.Truthy() {
		return nil, errNoDB
	}
	req := factory.Call("open", dbName, 1)
	upgrade := js.FuncOf(func(js.Value, []js.Value) any {
		req.Get("result").Call("createObjectStore", storeName)
		return nil
	})
	defer upgrade.Release()
	req.Set("onupgradeneeded", upgrade)
	db, err := await(req, "success")
	if err != nil {
		return nil, err
	}
	return &idb{db: db}, nil
}

// get returns the bytes under key, nil if there are none.
func (d *idb) get(key string) ([]byte, error) {
	tx := d.db.Call("transaction", storeName, "readonly")
	v, err := await(tx.Call("objectStore", storeName).Call("get", key), "success")
	if err != nil || !v.Truthy() {
		return nil, err
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b, nil
}

// put stores b under key and waits until the transaction is durable.
func (d *idb) put(key string, b []byte) error {
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	tx := d.db.Call("transaction", storeName, "readwrite")
	tx.Call("objectStore", storeName).Call("put", arr, key)
	_, err := await(tx, "complete")
	return err
}

func (d *idb) remove(key string) error {
	tx := d.db.Call("transaction", storeName, "readwrite")
	tx.Call("objectStore", storeName).Call("delete", key)
	_, err := await(tx, "complete")
	return err
}
