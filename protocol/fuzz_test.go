package protocol

import (
	"reflect"
	"testing"
)

// FuzzMessages feeds any bytes to both decoders, as the worker reads the
// page's messages and the page the worker's. A message either decodes or
// gets an error (which the reader turns into a Message the student sees as
// "nothing was changed"), never a panic; and one that decodes is encoded
// back to a message that decodes to the same value. The seed corpus in
// testdata/fuzz/FuzzMessages holds one message of every kind.
//
//	go test -run '^$' -fuzz '^FuzzMessages$' -fuzztime 1000000x -fuzzminimizetime 0 ./protocol/
func FuzzMessages(f *testing.F) {
	f.Add([]byte(`{"id":1,"kind":"Hello","body":{"Journal":null,"Tab":""}}`))
	f.Add([]byte(`{"kind":"Message","body":{"code":"no-engine","detail":"worker.js: TypeError"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if id, c, err := DecodeCommand(b); err == nil {
			again, err := EncodeCommand(id, c)
			if err != nil {
				t.Fatalf("%T decoded but does not encode: %v", c, err)
			}
			id2, c2, err := DecodeCommand(again)
			if err != nil || id2 != id || !reflect.DeepEqual(c, c2) {
				t.Fatalf("%#v encodes to %s, which decodes to %d %#v (%v)", c, again, id2, c2, err)
			}
		}
		if u, err := DecodeUpdate(b); err == nil {
			again, err := EncodeUpdate(u)
			if err != nil {
				t.Fatalf("%T decoded but does not encode: %v", u, err)
			}
			if u2, err := DecodeUpdate(again); err != nil || !reflect.DeepEqual(u, u2) {
				t.Fatalf("%#v encodes to %s, which decodes to %#v (%v)", u, again, u2, err)
			}
		}
	})
}
