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

	"rlhfplayground/class/request"
)

// newJoinCode draws a code (request.JoinCodeLen characters of
// request.JoinAlphabet) with crypto/rand, without modulo bias.
func newJoinCode() string {
	const alphabet = request.JoinAlphabet
	b := make([]byte, 0, request.JoinCodeLen)
	var one [1]byte
	for len(b) < request.JoinCodeLen {
		rand.Read(one[:])
		if int(one[0]) < 256/len(alphabet)*len(alphabet) {
			b = append(b, alphabet[int(one[0])%len(alphabet)])
		}
	}
	return string(b)
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
