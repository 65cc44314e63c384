// Package request decodes and checks the bodies of the class API's
// requests (package class serves them): each endpoint's body goes through
// one function here, which accepts exactly one JSON object with only the
// known fields and checks every value, or returns an *Error with a 4xx
// status and a message a person can act on. The fuzz tests feed them
// arbitrary bytes. The package imports only the standard library, sim and
// class/api, so the fuzzer's coverage map stays small (the store's SQLite,
// transpiled C, would make it millions of counters).
package request

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"rlhfplayground/class/api"
	"rlhfplayground/sim"
)

// Error is a 4xx answer: the status and the message of api.Error.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Bad is a 400 with the message.
func Bad(format string, args ...any) error {
	return &Error{Status: http.StatusBadRequest, Msg: fmt.Sprintf(format, args...)}
}

// Join codes: JoinCodeLen characters of JoinAlphabet, which has no 0/O,
// 1/I/L, so a code read aloud or from a projector is typed right. 31⁶ ≈
// 8.9·10⁸ codes, against a join rate limit of a few per second per address.
const (
	JoinCodeLen  = 6
	JoinAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
)

// NormalizeJoinCode accepts what a person types: lower case, spaces, dashes.
func NormalizeJoinCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToUpper(s))
}

// Decode decodes body into dst, which must be a pointer to a struct:
// one object, no unknown fields, nothing after it.
func Decode(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return Bad("the request body is empty; send a JSON object")
		case errors.As(err, &syn):
			return Bad("the request body is not valid JSON (at byte %d: %v)", syn.Offset, err)
		case errors.As(err, &typ) && typ.Field != "":
			return Bad("field %q must be a %s, not a JSON %s", typ.Field, jsonKind(typ.Type.String()), typ.Value)
		case errors.As(err, &typ):
			return Bad("the request body must be a JSON object, not a JSON %s", typ.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return Bad("unknown field %s in the request body", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return Bad("the request body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Bad("the request body has data after its JSON object")
	}
	return nil
}

// jsonKind names a Go type as JSON would ("int" is a number).
func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "float"), strings.HasPrefix(goType, "uint"):
		return "number"
	case goType == "string":
		return "string"
	case goType == "bool":
		return "boolean (true or false)"
	case strings.HasPrefix(goType, "[]"):
		return "list"
	}
	return goType
}

// Join returns the request with the code normalised (upper case, no
// spaces or dashes) and the nickname trimmed.
func Join(body []byte) (api.JoinRequest, error) {
	var r api.JoinRequest
	if err := Decode(body, &r); err != nil {
		return r, err
	}
	r.Code = NormalizeJoinCode(r.Code)
	if len(r.Code) != JoinCodeLen || strings.Trim(r.Code, JoinAlphabet) != "" {
		return r, Bad("a join code is %d letters and digits, such as K7MQ2X; check the code your teacher gave", JoinCodeLen)
	}
	nick, err := Nickname(r.Nickname)
	r.Nickname = nick
	return r, err
}

// Nickname trims n and checks it is 1…api.MaxNickname printable
// characters.
func Nickname(n string) (string, error) {
	n = strings.TrimSpace(n)
	switch count := utf8.RuneCountInString(n); {
	case count == 0:
		return n, Bad("choose a nickname (no real name needed)")
	case count > api.MaxNickname:
		return n, Bad("a nickname has at most %d characters; this one has %d", api.MaxNickname, count)
	}
	for _, c := range n {
		if !unicode.IsPrint(c) || c == utf8.RuneError {
			return n, Bad("a nickname may hold letters, digits, punctuation and spaces only (not %U)", c)
		}
	}
	return n, nil
}

// Next accepts an empty body as {"count": 1}.
func Next(body []byte) (api.NextRequest, error) {
	r := api.NextRequest{Count: 1}
	if len(bytes.TrimSpace(body)) == 0 {
		return r, nil
	}
	if err := Decode(body, &r); err != nil {
		return r, err
	}
	if r.Count < 1 || r.Count > api.MaxSetsAtOnce {
		return r, Bad("count %d: ask for 1 to %d sets", r.Count, api.MaxSetsAtOnce)
	}
	return r, nil
}

// Ranking checks the fields on their own; that the order fits the
// set's K, and that the set was handed to the student, is checked against
// the set.
func Ranking(body []byte) (api.RankingRequest, error) {
	var r api.RankingRequest
	if err := Decode(body, &r); err != nil {
		return r, err
	}
	if n := len(r.RankingID); n < api.MinRankingID || n > api.MaxRankingID || strings.Trim(r.RankingID, RankingIDChars) != "" {
		return r, Bad("ranking_id must be %d to %d characters of A–Z, a–z, 0–9, _ and -", api.MinRankingID, api.MaxRankingID)
	}
	if r.SetID < 1 {
		return r, Bad("set_id %d: sets are numbered from 1", r.SetID)
	}
	if len(r.Order) < sim.MinK || len(r.Order) > sim.MaxK || !IsPermutation(r.Order) {
		return r, Bad("order %v must list each answer's index once, best first (a permutation of 0…K-1)", r.Order)
	}
	return r, nil
}

// RankingIDChars are the characters of a ranking id.
const RankingIDChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// Settings applies the patch in body to cur.
func Settings(body []byte, cur api.Settings) (api.Settings, error) {
	var p api.SettingsPatch
	if err := Decode(body, &p); err != nil {
		return cur, err
	}
	if p.K != nil {
		cur.K = *p.K
	}
	if p.Replicas != nil {
		cur.Replicas = *p.Replicas
	}
	if p.Open != nil {
		cur.Open = *p.Open
	}
	return cur, ValidSettings(cur)
}

// ValidSettings checks K and replicas.
func ValidSettings(s api.Settings) error {
	if s.K < sim.MinK || s.K > sim.MaxK {
		return Bad("k %d: a candidate set has %d to %d answers", s.K, sim.MinK, sim.MaxK)
	}
	if s.Replicas < api.MinReplicas || s.Replicas > api.MaxReplicas {
		return Bad("replicas %d: each set goes to %d to %d students", s.Replicas, api.MinReplicas, api.MaxReplicas)
	}
	return nil
}

// RewardModel checks that body is a reward model checkpoint
// (sim.WriteCheckpoint with a normalisation) of the class's model shape and
// vocabulary, so that every student's app can load it.
func RewardModel(body []byte, want *sim.Checkpoint) (*sim.Checkpoint, error) {
	c, err := sim.ReadCheckpoint(bytes.NewReader(body))
	if err != nil {
		return nil, Bad("not a reward model checkpoint: %v", err)
	}
	if c.Norm == nil {
		return nil, Bad("checkpoint %q has no reward normalisation: send the reward model, not a policy", c.Name)
	}
	if c.Config != want.Config {
		return nil, Bad("checkpoint %q has the shape %+v; the class's model is %+v", c.Name, c.Config, want.Config)
	}
	for i, w := range c.Vocab {
		if w != want.Vocab[i] {
			return nil, Bad("checkpoint %q has another vocabulary (word %d is %q, want %q)", c.Name, i, w, want.Vocab[i])
		}
	}
	return c, nil
}

// IsPermutation reports whether order lists each of 0…len(order)-1 once.
func IsPermutation(order []int) bool {
	seen := make([]bool, len(order))
	for _, i := range order {
		if i < 0 || i >= len(order) || seen[i] {
			return false
		}
		seen[i] = true
	}
	return true
}
