package route

import "strings"

// ClassLink is what a class server's link asks for (class.Links): #join=CODE,
// a student's invitation to the class with that join code, or
// #teacher=TOKEN, the teacher's dashboard. Both secrets are in the fragment,
// which the browser never sends to a server.
type ClassLink struct {
	Join    string // the join code, upper-cased
	Teacher string // the teacher's token
}

// Bounds of what a class link may carry (the server makes 6-character
// codes and 46-character tokens).
const (
	maxJoinCode = 16
	maxToken    = 128
)

// Class reads a class link from location.hash; ok is false for any other
// hash, and for a code or token with characters the server never makes.
func Class(hash string) (link ClassLink, ok bool) {
	hash = strings.TrimPrefix(clip(hash), "#")
	key, value, found := strings.Cut(hash, "=")
	if !found {
		return ClassLink{}, false
	}
	switch key {
	case "join":
		if value = strings.ToUpper(value); secretOK(value, maxJoinCode, false) {
			return ClassLink{Join: value}, true
		}
	case "teacher":
		if secretOK(value, maxToken, true) {
			return ClassLink{Teacher: value}, true
		}
	}
	return ClassLink{}, false
}

// secretOK reports whether s is 1…max characters of A-Z, a-z, 0-9 (and _
// and - if token).
func secretOK(s string, max int, token bool) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case token && (r == '_' || r == '-'):
		default:
			return false
		}
	}
	return true
}
