//go:build js && wasm

package protocol

import (
	"syscall/js"

	"rlhfplayground/jsglobal"
)

// Port is this program's end of the page↔worker channel: on the page the
// Worker object, in the worker its global scope. A message is a JavaScript
// object {json: string, bytes?: Uint8Array}: json an envelope, bytes a
// session file (Import, SessionFile).
type Port struct{ v js.Value }

// NewPort wraps the object that has postMessage and onmessage.
func NewPort(v js.Value) Port { return Port{v} }

// Post sends an encoded envelope and, if file is not nil, the file beside it
// (its buffer transferred, not copied).
func (p Port) Post(msg, file []byte) {
	m := js.Global().Get("Object").New()
	m.Set("json", string(msg))
	if file == nil {
		p.v.Call("postMessage", m)
		return
	}
	arr := js.Global().Get("Uint8Array").New(len(file))
	js.CopyBytesToJS(arr, file)
	m.Set("bytes", arr)
	p.v.Call("postMessage", m, []any{arr.Get("buffer")})
}

// Listen calls f for every message that arrives: first for those the
// JavaScript bootstrap kept in the global jsglobal.Inbox before this program
// started, then for each as it comes. f runs in a JavaScript callback, so it
// must not block.
func (p Port) Listen(f func(msg, file []byte)) {
	receive := func(v js.Value) {
		var file []byte
		if b := v.Get("bytes"); b.Truthy() {
			file = make([]byte, b.Get("length").Int())
			js.CopyBytesToGo(file, b)
		}
		f([]byte(v.Get("json").String()), file)
	}
	p.v.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		receive(args[0].Get("data"))
		return nil
	}))
	if q := js.Global().Get(jsglobal.Inbox); q.Truthy() {
		for i := range q.Length() {
			receive(q.Index(i))
		}
		js.Global().Delete(jsglobal.Inbox)
	}
}
