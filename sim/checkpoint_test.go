package sim

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

func testCheckpoint() *Checkpoint {
	cfg := Config{Vocab: NumSpecial + 3, Context: 4, Embd: 4, Layers: 1, Heads: 2, MLP: 8}
	m := NewModel[float32](cfg)
	m.Params.Init(cfg, rand.New(rand.NewPCG(5, 5)).NormFloat64)
	tok := NewTokenizer(append(specialWords[:], "a", "b", "c"))
	c := NewCheckpoint("sft", m, tok)
	c.Norm = &RewardNorm{Gain: 2, Bias: -1}
	return c
}

func TestCheckpointRoundTrip(t *testing.T) {
	c := testCheckpoint()
	var buf bytes.Buffer
	if err := WriteCheckpoint(&buf, c); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCheckpoint(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != c.Name || got.Config != c.Config || *got.Norm != *c.Norm || strings.Join(got.Vocab, " ") != strings.Join(c.Vocab, " ") {
		t.Fatalf("header changed: %+v", got)
	}
	for i := range c.Params {
		if got.Params[i] != c.Params[i] {
			t.Fatalf("param %d: %v, want %v", i, got.Params[i], c.Params[i])
		}
	}
}

// TestCheckpointDamage: every truncation and a flipped byte anywhere give an error, never a panic.
func TestCheckpointDamage(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCheckpoint(&buf, testCheckpoint()); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	for n := 0; n < len(data); n++ {
		if _, err := ReadCheckpoint(bytes.NewReader(data[:n])); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(data))
		}
	}
	for i := 0; i < len(data); i++ {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x40
		if _, err := ReadCheckpoint(bytes.NewReader(bad)); err == nil {
			t.Fatalf("byte %d flipped: no error", i)
		}
	}
	if _, err := ReadCheckpoint(strings.NewReader("hello")); err == nil || !strings.Contains(err.Error(), "magic") {
		t.Fatalf("foreign file: %v", err)
	}
}

// FuzzReadCheckpoint is one model's weights, as a session file holds them:
// any bytes read as a checkpoint or give an error, never a panic, and a
// checkpoint that reads writes back to bytes that read the same.
//
//	go test -run '^$' -fuzz '^FuzzReadCheckpoint$' -fuzztime 1000000x -fuzzminimizetime 0 ./sim/
func FuzzReadCheckpoint(f *testing.F) {
	var buf bytes.Buffer
	WriteCheckpoint(&buf, testCheckpoint())
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadCheckpoint(bytes.NewReader(data))
		if err != nil {
			return
		}
		var again bytes.Buffer
		if err := WriteCheckpoint(&again, c); err != nil {
			t.Fatalf("a checkpoint that reads does not write: %v", err)
		}
		back, err := ReadCheckpoint(bytes.NewReader(again.Bytes()))
		if err != nil {
			t.Fatalf("written again, the checkpoint does not read: %v", err)
		}
		var third bytes.Buffer // compared as bytes: a NaN weight is not equal to itself
		if WriteCheckpoint(&third, back); !bytes.Equal(third.Bytes(), again.Bytes()) {
			t.Fatalf("written again and read, the checkpoint writes different bytes")
		}
	})
}
