package class

// Secrets and codes. The join code is short, for reading out in a
// classroom, and only lets someone join; the tokens are long random strings
// (crypto/rand), sent in the Authorization header. The store keeps a
// student's token only as its SHA-256.

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// JoinCodeLen is the length of a join code: 31⁶ ≈ 8.9·10⁸ codes, against a
// join rate limit of a few per second per address.
const JoinCodeLen = 6

// joinAlphabet has no 0/O, 1/I/L: a code read aloud or from a projector is
// typed right.
const joinAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newJoinCode draws a code with crypto/rand, without modulo bias.
func newJoinCode() string {
	b := make([]byte, 0, JoinCodeLen)
	var one [1]byte
	for len(b) < JoinCodeLen {
		rand.Read(one[:])
		if int(one[0]) < 256/len(joinAlphabet)*len(joinAlphabet) {
			b = append(b, joinAlphabet[int(one[0])%len(joinAlphabet)])
		}
	}
	return string(b)
}

// normalizeJoinCode accepts what a person types: lower case, spaces, dashes.
func normalizeJoinCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
}

// newToken returns prefix followed by 32 random bytes in base64url (43
// characters): 256 bits, beyond guessing.
func newToken(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// newID returns 16 random bytes in hex, for ids that are not secrets.
func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// hashToken is what the store keeps of a token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Token prefixes tell a student's token from a teacher's at a glance.
const (
	studentTokenPrefix = "st_"
	teacherTokenPrefix = "tt_"
)
