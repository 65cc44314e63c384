package sim

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
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

// TestHalf: every float16 widens and narrows back to itself, and rounding a
// float32 to half precision is as close as a float16 can be.
func TestHalf(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := halfToFloat32(uint16(h))
		if math.IsNaN(float64(f)) {
			continue
		}
		if back := float32ToHalf(f); back != uint16(h) {
			t.Fatalf("half %#04x → %v → %#04x", h, f, back)
		}
	}
	for _, c := range []struct {
		in   float32
		want float32
	}{
		{0, 0}, {1, 1}, {-2.5, -2.5}, {65504, 65504}, {1 + 1.0/2048, 1}, // a tie rounds to even
		{1 + 3.0/2048, 1 + 2.0/1024}, {5.9604645e-8, 5.9604645e-8}, // the smallest subnormal
		{2e-8, 0}, {0.1, 0.099975586},
	} {
		if got := halfToFloat32(float32ToHalf(c.in)); got != c.want {
			t.Errorf("half(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if h := float32ToHalf(1e6); h != 0x7c00 {
		t.Errorf("half(1e6) = %#04x, want +Inf", h)
	}
	// Normal numbers: relative error at most 2⁻¹¹.
	rng := rand.New(rand.NewPCG(1, 1))
	for range 100000 {
		x := float32(rng.NormFloat64() * math.Pow(10, rng.Float64()*8-5))
		if math.Abs(float64(x)) < 6.2e-5 || math.Abs(float64(x)) > 65000 {
			continue
		}
		y := halfToFloat32(float32ToHalf(x))
		if rel := math.Abs(float64(y-x)) / math.Abs(float64(x)); rel > 1.0/2048 {
			t.Fatalf("half(%v) = %v: relative error %v > 2^-11", x, y, rel)
		}
	}
}

// TestHalfCheckpoint writes a checkpoint in half precision and reads back the
// rounded weights, at half the size.
func TestHalfCheckpoint(t *testing.T) {
	c := testCheckpoint()
	var full bytes.Buffer
	if err := WriteCheckpoint(&full, c); err != nil {
		t.Fatal(err)
	}
	c.Half = true
	var half bytes.Buffer
	if err := WriteCheckpoint(&half, c); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCheckpoint(bytes.NewReader(half.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want := append([]float32(nil), c.Params...)
	HalfRound(want)
	if !back.Half || !slices.Equal(back.Params, want) {
		t.Errorf("half checkpoint read back other numbers (half %v)", back.Half)
	}
	t.Logf("float32 %d bytes, float16 %d bytes", full.Len(), half.Len())
	// Two bytes fewer per parameter, and the header says so.
	if want := 2*len(c.Params) - len(`,"half":true`); full.Len()-half.Len() != want {
		t.Errorf("half checkpoint is %d bytes smaller, want %d", full.Len()-half.Len(), want)
	}
	c.Params[0] = 1e5
	if err := WriteCheckpoint(&half, c); err == nil || !strings.Contains(err.Error(), "half precision") {
		t.Errorf("a weight of 1e5 in half precision: err %v", err)
	}
}

// TestQ8Checkpoint writes a checkpoint in 8-bit blocks and reads back the
// numbers Q8Round gives, each within half a step of its block's scale, at a
// little over a quarter of the size; rounding twice changes nothing.
func TestQ8Checkpoint(t *testing.T) {
	c := testCheckpoint()
	c.Params[3] = 0 // a zero stays zero
	for i := 64; i < 64+q8Block; i++ {
		c.Params[i] = 0 // a block of zeros has scale 0
	}
	var full bytes.Buffer
	if err := WriteCheckpoint(&full, c); err != nil {
		t.Fatal(err)
	}
	c.Quant8 = true
	var q8 bytes.Buffer
	if err := WriteCheckpoint(&q8, c); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCheckpoint(bytes.NewReader(q8.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want := append([]float32(nil), c.Params...)
	Q8Round(want)
	if !back.Quant8 || !slices.Equal(back.Params, want) {
		t.Fatalf("q8 checkpoint read back other numbers (q8 %v)", back.Quant8)
	}
	again := append([]float32(nil), want...)
	Q8Round(again)
	if !slices.Equal(again, want) {
		t.Error("Q8Round of rounded numbers changed them")
	}
	for i := 0; i < len(c.Params); i += q8Block {
		block := c.Params[i:min(i+q8Block, len(c.Params))]
		d := q8Scale(block)
		for j, x := range block {
			if diff := math.Abs(float64(want[i+j] - x)); diff > float64(d)/2*1.001+1e-12 {
				t.Fatalf("parameter %d: %v → %v, off by %v > d/2 = %v", i+j, x, want[i+j], diff, d/2)
			}
		}
	}
	if want[3] != 0 || want[64] != 0 {
		t.Errorf("zeros came back as %v, %v", want[3], want[64])
	}
	n := len(c.Params)
	t.Logf("float32 %d bytes, q8 %d bytes", full.Len(), q8.Len())
	if saved := 4*n - (n + 2*((n+q8Block-1)/q8Block)) - len(`,"q8":true`); full.Len()-q8.Len() != saved {
		t.Errorf("q8 checkpoint is %d bytes smaller, want %d", full.Len()-q8.Len(), saved)
	}
	c.Half = true
	if err := WriteCheckpoint(&q8, c); err == nil {
		t.Error("a checkpoint both half and q8 was written")
	}
}
