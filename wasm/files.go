//go:build js && wasm

package main

import (
	"path"
	"syscall/js"
)

// Files the student exports and imports, through the browser.

// download offers bytes as a file through a Blob URL, typed by the name's
// extension.
func download(b []byte, name string) {
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	opts := js.Global().Get("Object").New()
	opts.Set("type", fileType(name))
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

// fileType is the media type of a file the app exports, by its extension.
func fileType(name string) string {
	switch path.Ext(name) {
	case ".zip":
		return "application/zip"
	case ".json":
		return "application/json"
	case ".csv":
		return "text/csv"
	}
	return "application/octet-stream"
}

// picked is a file the student chose: its bytes, or, for a file larger
// than the limit, only its size (it is not read).
type picked struct {
	b    []byte
	size int
}

// pickFile opens the browser's file picker; the chosen file arrives on the
// returned channel (nothing arrives if the student cancels), read only if
// it is at most limit bytes. It must run soon after a click: browsers open
// pickers only on a user gesture.
func pickFile(accept string, limit int) <-chan picked {
	ch := make(chan picked, 1)
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
		if size := files.Index(0).Get("size").Int(); size > limit {
			ch <- picked{size: size}
			wake()
			onChange.Release()
			input.Call("remove")
			return nil
		}
		var then js.Func
		then = js.FuncOf(func(_ js.Value, args []js.Value) any {
			arr := js.Global().Get("Uint8Array").New(args[0])
			b := make([]byte, arr.Get("length").Int())
			js.CopyBytesToGo(b, arr)
			ch <- picked{b: b, size: len(b)}
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
