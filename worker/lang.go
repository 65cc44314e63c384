//go:build js && wasm

package main

import "rlhfplayground/worker/dispatch"

// Each language's model has a session of its own, stored apart: English
// under sessionKey (as before there were languages), another language under
// sessionKey+":"+lang, all behind the same fence (idb.go). The session open
// at start is the English one; the page's Hello names the language it
// wants, and the dispatcher switches to that one's session through its
// Shelf (shelf below), where it also takes the journal's actions of the
// other languages.

// sessionKeyFor is the IndexedDB key of lang's session.
func sessionKeyFor(lang string) string {
	if lang == dispatch.English {
		return sessionKey
	}
	return sessionKey + ":" + lang
}

// shelf is the dispatcher's Shelf: the sessions of the languages that are
// not open, in IndexedDB; in memory, for this tab's life, when the browser
// stores nothing.
type shelf struct {
	db     *idb
	put    func(lang string, b []byte) error // main's store: the fence, and the page told of a failure
	memory map[string][]byte
}

func (s *shelf) Stored(lang string) ([]byte, error) {
	if !s.db.ok() {
		return s.memory[lang], nil
	}
	return s.db.get(sessionKeyFor(lang))
}

func (s *shelf) Keep(lang string, b []byte) error {
	if !s.db.ok() {
		if s.memory == nil {
			s.memory = map[string][]byte{}
		}
		s.memory[lang] = b
		return nil
	}
	return s.put(lang, b)
}
