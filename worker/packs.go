//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"syscall/js"

	"rlhfplayground/worker/dispatch"
)

// The packs of languages other than English are not in worker.wasm: the
// server serves them under packs/<lang>/ (serve.go), with packs/index.json
// listing the languages it has, and the worker fetches a pack the first
// time its language is chosen (a Chinese session, a teacher's ?lang=zh-TW).
// English's text is built in, its checkpoints are not: they are fetched
// from packs/en/ the first time an English session needs a fresh model
// (englishCheckpoint), so that a Chinese page does not download them.
// Each is fetched once for the worker's life; the browser's HTTP cache
// revalidates it on a reload (serve.go's ETag), and a stored session needs
// none of them.

// englishCheckpoint fetches the English checkpoint name (dispatch.CheckpointFiles).
func englishCheckpoint(name string) ([]byte, error) {
	return fetch("packs/" + dispatch.English + "/" + name)
}

// packIndex is packs/index.json.
type packIndex struct {
	Models []string `json:"models"` // languages with a pack, English not among them
}

// models returns the languages whose models the server has, English first.
func models() []string {
	out := []string{dispatch.English}
	b, err := fetch("packs/index.json")
	if err != nil {
		return out // a server without packs: English only
	}
	var idx packIndex
	if json.Unmarshal(b, &idx) != nil {
		return out
	}
	for _, l := range idx.Models {
		if l != dispatch.English {
			out = append(out, l)
		}
	}
	return out
}

// packOpener returns dispatch's Open: it fetches a language's pack once and
// keeps it for the worker's life (switching back and forth fetches nothing).
func packOpener(available []string) func(lang string) (*dispatch.Pack, error) {
	opened := map[string]*dispatch.Pack{}
	return func(lang string) (*dispatch.Pack, error) {
		if p := opened[lang]; p != nil {
			return p, nil
		}
		found := false
		for _, l := range available[1:] {
			found = found || l == lang
		}
		if !found {
			return nil, fmt.Errorf("%w: %q (the server has %q)", dispatch.ErrNoModel, lang, available)
		}
		p, err := dispatch.ReadPack(lang, func(name string) ([]byte, error) { return fetch("packs/" + lang + "/" + name) })
		if err != nil {
			return nil, err
		}
		opened[lang] = p
		return p, nil
	}
}

// fetch GETs url (relative to worker.js) and returns the body; it blocks
// this goroutine only, while the worker's event loop runs.
func fetch(url string) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	var onBody, onResponse, onError js.Func
	release := func() { onBody.Release(); onResponse.Release(); onError.Release() }
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: errors.New("worker: fetch " + url + ": " + args[0].Call("toString").String())}
		return nil
	})
	onBody = js.FuncOf(func(_ js.Value, args []js.Value) any {
		arr := js.Global().Get("Uint8Array").New(args[0])
		b := make([]byte, arr.Get("length").Int())
		js.CopyBytesToGo(b, arr)
		ch <- result{b: b}
		return nil
	})
	onResponse = js.FuncOf(func(_ js.Value, args []js.Value) any {
		res := args[0]
		if !res.Get("ok").Bool() {
			ch <- result{err: fmt.Errorf("worker: fetch %s: HTTP %d", url, res.Get("status").Int())}
			return nil
		}
		res.Call("arrayBuffer").Call("then", onBody, onError)
		return nil
	})
	js.Global().Call("fetch", url).Call("then", onResponse, onError)
	r := <-ch
	release()
	return r.b, r.err
}
