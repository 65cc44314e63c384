package protocol

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// envelope is a message on the wire: Kind is the Go type's name, ID the
// page's number for a command (0 for updates).
type envelope struct {
	ID   uint64          `json:"id,omitempty"`
	Kind string          `json:"kind"`
	Body json.RawMessage `json:"body"`
}

// kinds maps the type name of each message to its type.
func kinds[T any](msgs ...T) map[string]reflect.Type {
	m := make(map[string]reflect.Type, len(msgs))
	for _, v := range msgs {
		t := reflect.TypeOf(v)
		m[t.Name()] = t
	}
	return m
}

func encode(id uint64, v any, known map[string]reflect.Type) ([]byte, error) {
	t := reflect.TypeOf(v)
	if known[t.Name()] != t {
		return nil, fmt.Errorf("protocol: %T is not a message", v)
	}
	body, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("protocol: %s: %w", t.Name(), err)
	}
	return json.Marshal(envelope{ID: id, Kind: t.Name(), Body: body})
}

func decode(b []byte, known map[string]reflect.Type) (uint64, any, error) {
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil {
		return 0, nil, fmt.Errorf("protocol: %w", err)
	}
	t, ok := known[e.Kind]
	if !ok {
		return 0, nil, fmt.Errorf("protocol: unknown kind %q", e.Kind)
	}
	v := reflect.New(t)
	if err := json.Unmarshal(e.Body, v.Interface()); err != nil {
		return 0, nil, fmt.Errorf("protocol: %s: %w", e.Kind, err)
	}
	return e.ID, v.Elem().Interface(), nil
}

// MaxCommandBytes bounds an encoded command (a session file travels beside
// its envelope, not in it): the largest is a Hello with a full journal.
const MaxCommandBytes = 4 << 20

// EncodeCommand writes command c, numbered id by the page.
func EncodeCommand(id uint64, c Command) ([]byte, error) { return encode(id, c, commandKinds) }

// DecodeCommand reads a command and its number.
func DecodeCommand(b []byte) (uint64, Command, error) {
	if len(b) > MaxCommandBytes {
		return 0, nil, fmt.Errorf("protocol: a command of %d bytes, more than %d", len(b), MaxCommandBytes)
	}
	id, v, err := decode(b, commandKinds)
	if err != nil {
		return 0, nil, err
	}
	return id, v.(Command), nil
}

// EncodeUpdate writes update u.
func EncodeUpdate(u Update) ([]byte, error) { return encode(0, u, updateKinds) }

// DecodeUpdate reads an update.
func DecodeUpdate(b []byte) (Update, error) {
	_, v, err := decode(b, updateKinds)
	if err != nil {
		return nil, err
	}
	return v.(Update), nil
}
