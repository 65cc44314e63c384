package route

import (
	"strings"
	"testing"
)

func TestClass(t *testing.T) {
	for _, tc := range []struct {
		hash string
		want ClassLink
		ok   bool
	}{
		{"#join=K7MQ2X", ClassLink{Join: "K7MQ2X"}, true},
		{"join=k7mq2x", ClassLink{Join: "K7MQ2X"}, true},
		{"#teacher=tt_AbC-9", ClassLink{Teacher: "tt_AbC-9"}, true},
		{"#label", ClassLink{}, false},
		{"", ClassLink{}, false},
		{"#join=", ClassLink{}, false},
		{"#join=K7_MQ", ClassLink{}, false},
		{"#join=" + strings.Repeat("A", 17), ClassLink{}, false},
		{"#teacher=tt_x y", ClassLink{}, false},
		{"#teacher=" + strings.Repeat("t", 129), ClassLink{}, false},
		{"#student=K7MQ2X", ClassLink{}, false},
		{"#join=K7MQ2X&teacher=x", ClassLink{}, false},
	} {
		if got, ok := Class(tc.hash); got != tc.want || ok != tc.ok {
			t.Errorf("Class(%.30q) = %+v, %v; want %+v, %v", tc.hash, got, ok, tc.want, tc.ok)
		}
	}
}
