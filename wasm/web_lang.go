//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"

	"rlhfplayground/i18n"
	"rlhfplayground/jsglobal"
)

// The page's language in the browser: the URL's ?lang=, the choice saved in
// localStorage, navigator.languages, the <html lang> attribute. loader.js
// reads the same three with the same rule (i18n.Choose) for the loading
// screen, and fetches the Chinese font beside app.wasm when it chose
// Chinese (jsglobal.Font).

// Keys in localStorage.
const (
	langKey      = "rlhf-lang"       // the page's language, as last chosen
	modelLangKey = "rlhf-model-lang" // the model's language the page asks the worker for
)

// Lang chooses the page's language at start (i18n.Choose). A ?lang= that
// names one is remembered as the person's choice, so a teacher's link holds
// on the next visit too.
func (p *page) Lang() i18n.Lang {
	query := js.Global().Get("URLSearchParams").New(js.Global().Get("location").Get("search")).Call("get", "lang")
	q := ""
	if query.Truthy() {
		q = query.String()
	}
	var browser []string
	if langs := js.Global().Get("navigator").Get("languages"); langs.Truthy() {
		for i := range langs.Length() {
			browser = append(browser, langs.Index(i).String())
		}
	} else if l := js.Global().Get("navigator").Get("language"); l.Truthy() {
		browser = []string{l.String()}
	}
	lang := i18n.Choose(q, storageGet(langKey), browser)
	if _, ok := i18n.Match(q); ok {
		storageSet(langKey, string(lang))
	}
	return lang
}

// SaveLang remembers lang as the person's choice, and puts it in the URL if
// the URL names a language (a reload keeps the switch's choice).
func (p *page) SaveLang(lang i18n.Lang) {
	storageSet(langKey, string(lang))
	loc := js.Global().Get("location")
	params := js.Global().Get("URLSearchParams").New(loc.Get("search"))
	if params.Call("has", "lang").Bool() {
		params.Call("set", "lang", string(lang))
		js.Global().Get("history").Call("replaceState", nil, "", "?"+params.Call("toString").String()+loc.Get("hash").String())
	}
}

// shownLang is the language the page is drawn in, for ShowError.
var shownLang = i18n.English

// SetLang marks the document's language (<html lang>), for the browser's
// own text and assistive technology.
func (p *page) SetLang(lang i18n.Lang) {
	shownLang = lang
	js.Global().Get("document").Get("documentElement").Set("lang", string(lang))
}

// ModelLang is the language of the model the page asks for at start: the
// person's last answer to the language dialog, else the page's language.
func (p *page) ModelLang(page i18n.Lang) string {
	if l, ok := i18n.Match(storageGet(modelLangKey)); ok {
		return string(l)
	}
	return string(page)
}

// SaveModelLang remembers the model's language the person chose.
func (p *page) SaveModelLang(lang i18n.Lang) { storageSet(modelLangKey, string(lang)) }

// storageGet reads localStorage, "" where the browser forbids it
// (localStore: the getter itself throws when site data is blocked).
func storageGet(key string) string {
	v := ""
	localStore(func(ls js.Value) {
		if r := ls.Call("getItem", key); r.Type() == js.TypeString {
			v = r.String()
		}
	})
	return v
}

// storageSet writes localStorage, if the browser allows it; storage off or
// full, the choice lasts this visit only.
func storageSet(key, v string) {
	localStore(func(ls js.Value) { ls.Call("setItem", key, v) })
}

// fetchFont returns the Chinese font's bytes: from loader.js's fetch when
// it made one (jsglobal.Font), else from the server.
func fetchFont() ([]byte, error) {
	promise := js.Global().Get(jsglobal.Font)
	if !promise.Truthy() {
		promise = js.Global().Call("fetch", cjkFontURL).Call("then", js.FuncOf(func(_ js.Value, args []js.Value) any {
			if !args[0].Get("ok").Bool() {
				return js.Global().Get("Promise").Call("reject", fmt.Sprintf("HTTP %d", args[0].Get("status").Int()))
			}
			return args[0].Call("arrayBuffer")
		}))
	}
	js.Global().Delete(jsglobal.Font) // read once
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	var ok, fail js.Func
	ok = js.FuncOf(func(_ js.Value, args []js.Value) any {
		arr := js.Global().Get("Uint8Array").New(args[0])
		b := make([]byte, arr.Get("length").Int())
		js.CopyBytesToGo(b, arr)
		ch <- result{b: b}
		return nil
	})
	fail = js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: errors.New("fetching " + cjkFontURL + ": " + args[0].Call("toString").String())}
		return nil
	})
	promise.Call("then", ok, fail)
	r := <-ch
	ok.Release()
	fail.Release()
	return r.b, r.err
}

// consoleWarn writes s to the browser's console.
func consoleWarn(s string) { js.Global().Get("console").Call("warn", s) }
