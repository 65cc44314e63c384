//go:build js && wasm

package main

import (
	"rlhfplayground/protocol"
	"rlhfplayground/worker/dispatch"
)

// Each language's model has a session of its own, stored apart: English
// under sessionKey (as before there were languages), another language under
// sessionKey+":"+lang. The session open at start is the English one; the
// page's Hello names the language it wants, and the dispatcher opens that
// one's session with the bytes stored for it.

// sessionKeyFor is the IndexedDB key of lang's session.
func sessionKeyFor(lang string) string {
	if lang == dispatch.English {
		return sessionKey
	}
	return sessionKey + ":" + lang
}

// langAsked is the language of the session a command asks for: Hello's
// and SwitchModel's; "" for any other command.
func langAsked(c protocol.Command) string {
	switch c := c.(type) {
	case protocol.Hello:
		return c.Lang
	case protocol.SwitchModel:
		return c.Lang
	}
	return ""
}
