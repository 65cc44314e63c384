package class

// Request decoding: each endpoint's body goes through one parseXxx
// function, which accepts exactly one JSON object with only the known
// fields and checks every value, or returns a requestError whose message a
// person can act on. The fuzz tests (fuzz_test.go) feed them arbitrary
// bytes.

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

// requestError is a 4xx answer: the status and the message of api.Error.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &requestError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// decodeJSON decodes body into dst, which must be a pointer to a struct:
// one object, no unknown fields, nothing after it.
func decodeJSON(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return badRequest("the request body is empty; send a JSON object")
		case errors.As(err, &syn):
			return badRequest("the request body is not valid JSON (at byte %d: %v)", syn.Offset, err)
		case errors.As(err, &typ) && typ.Field != "":
			return badRequest("field %q must be a %s, not a JSON %s", typ.Field, jsonKind(typ.Type.String()), typ.Value)
		case errors.As(err, &typ):
			return badRequest("the request body must be a JSON object, not a JSON %s", typ.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return badRequest("unknown field %s in the request body", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return badRequest("the request body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest("the request body has data after its JSON object")
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

// parseJoin returns the request with the code normalised (upper case, no
// spaces or dashes) and the nickname trimmed.
func parseJoin(body []byte) (api.JoinRequest, error) {
	var r api.JoinRequest
	if err := decodeJSON(body, &r); err != nil {
		return r, err
	}
	r.Code = normalizeJoinCode(r.Code)
	if len(r.Code) != JoinCodeLen || strings.Trim(r.Code, joinAlphabet) != "" {
		return r, badRequest("a join code is %d letters and digits, such as K7MQ2X; check the code your teacher gave", JoinCodeLen)
	}
	nick, err := validNickname(r.Nickname)
	r.Nickname = nick
	return r, err
}

// validNickname trims n and checks it is 1…api.MaxNickname printable
// characters.
func validNickname(n string) (string, error) {
	n = strings.TrimSpace(n)
	switch count := utf8.RuneCountInString(n); {
	case count == 0:
		return n, badRequest("choose a nickname (no real name needed)")
	case count > api.MaxNickname:
		return n, badRequest("a nickname has at most %d characters; this one has %d", api.MaxNickname, count)
	}
	for _, c := range n {
		if !unicode.IsPrint(c) || c == utf8.RuneError {
			return n, badRequest("a nickname may hold letters, digits, punctuation and spaces only (not %U)", c)
		}
	}
	return n, nil
}

// parseNext accepts an empty body as {"count": 1}.
func parseNext(body []byte) (api.NextRequest, error) {
	r := api.NextRequest{Count: 1}
	if len(bytes.TrimSpace(body)) == 0 {
		return r, nil
	}
	if err := decodeJSON(body, &r); err != nil {
		return r, err
	}
	if r.Count < 1 || r.Count > api.MaxSetsAtOnce {
		return r, badRequest("count %d: ask for 1 to %d sets", r.Count, api.MaxSetsAtOnce)
	}
	return r, nil
}

// parseRanking checks the fields on their own; that the order fits the
// set's K, and that the set was handed to the student, is checked against
// the set.
func parseRanking(body []byte) (api.RankingRequest, error) {
	var r api.RankingRequest
	if err := decodeJSON(body, &r); err != nil {
		return r, err
	}
	if n := len(r.RankingID); n < api.MinRankingID || n > api.MaxRankingID || strings.TrimLeft(r.RankingID, rankingIDChars) != "" {
		return r, badRequest("ranking_id must be %d to %d characters of A–Z, a–z, 0–9, _ and -", api.MinRankingID, api.MaxRankingID)
	}
	if r.SetID < 1 {
		return r, badRequest("set_id %d: sets are numbered from 1", r.SetID)
	}
	if len(r.Order) < sim.MinK || len(r.Order) > sim.MaxK || !isPermutation(r.Order) {
		return r, badRequest("order %v must list each answer's index once, best first (a permutation of 0…K-1)", r.Order)
	}
	return r, nil
}

const rankingIDChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// parseSettings applies the patch in body to cur.
func parseSettings(body []byte, cur api.Settings) (api.Settings, error) {
	var p api.SettingsPatch
	if err := decodeJSON(body, &p); err != nil {
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
	return cur, validSettings(cur)
}

func validSettings(s api.Settings) error {
	if s.K < sim.MinK || s.K > sim.MaxK {
		return badRequest("k %d: a candidate set has %d to %d answers", s.K, sim.MinK, sim.MaxK)
	}
	if s.Replicas < api.MinReplicas || s.Replicas > api.MaxReplicas {
		return badRequest("replicas %d: each set goes to %d to %d students", s.Replicas, api.MinReplicas, api.MaxReplicas)
	}
	return nil
}

// parseRewardModel checks that body is a reward model checkpoint
// (sim.WriteCheckpoint with a normalisation) of the class's model shape and
// vocabulary, so that every student's app can load it.
func parseRewardModel(body []byte, want *sim.Checkpoint) (*sim.Checkpoint, error) {
	c, err := sim.ReadCheckpoint(bytes.NewReader(body))
	if err != nil {
		return nil, badRequest("not a reward model checkpoint: %v", err)
	}
	if c.Norm == nil {
		return nil, badRequest("checkpoint %q has no reward normalisation: send the reward model, not a policy", c.Name)
	}
	if c.Config != want.Config {
		return nil, badRequest("checkpoint %q has the shape %+v; the class's model is %+v", c.Name, c.Config, want.Config)
	}
	for i, w := range c.Vocab {
		if w != want.Vocab[i] {
			return nil, badRequest("checkpoint %q has another vocabulary (word %d is %q, want %q)", c.Name, i, w, want.Vocab[i])
		}
	}
	return c, nil
}
