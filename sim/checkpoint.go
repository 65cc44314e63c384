package sim

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// A checkpoint is one model's weights with everything needed to use them:
//
//	magic   "RLHFCKPT"                 8 bytes
//	version uint32                     little-endian, checkpointVersion
//	hlen    uint32                     length of the header
//	header  JSON                       {"name", "config", "vocab", "half", ...}
//	params  float32 × config.NumParams() little-endian, in slab order,
//	        or float16 (IEEE 754 half precision) if the header says "half",
//	        or 8-bit blocks if it says "q8" (below)
//	crc     uint32                     CRC-32 (IEEE) of every byte before it
//
// Half precision halves the shipped checkpoints (a weight keeps 11
// significant bits, a relative error below 2⁻¹¹ ≈ 0.05%); sessions keep
// float32, so training that resumes from a saved session is not rounded.
//
// Q8 stores the parameters in blocks of q8Block (the last one may be
// shorter), as llama.cpp's Q8_0 does: a float16 scale d, the block's
// largest magnitude over 127 rounded to half precision, then one int8 q per
// weight, the weight being q·d. A weight is off by at most d/2, a 256th of
// its block's largest; the file is a little over a quarter of float32's
// (1 + 2/32 bytes a weight), which keeps the app's download small.
const (
	checkpointMagic   = "RLHFCKPT"
	checkpointVersion = 1
	// maxHeader bounds the header so a corrupted length cannot ask for gigabytes.
	maxHeader = 1 << 22
	// maxParams bounds the parameter count for the same reason (16M floats).
	maxParams = 1 << 24
)

// Checkpoint is a model's weights and the metadata saved with them.
type Checkpoint struct {
	Name   string   `json:"name"`   // what the weights are: "pretrained", "sft", "reward", "policy"
	Config Config   `json:"config"` // the model's shape
	Vocab  []string `json:"vocab"`  // the tokenizer's words in id order
	// Norm is the reward model's normalisation (gain, bias), when the weights are a reward model.
	Norm *RewardNorm `json:"norm,omitempty"`
	// Half stores the parameters as float16; ReadCheckpoint returns them
	// widened to float32 (HalfRound gives the same numbers before writing).
	Half bool `json:"half,omitempty"`
	// Quant8 stores the parameters in 8-bit blocks (Q8Round gives the same
	// numbers before writing); not with Half.
	Quant8 bool      `json:"q8,omitempty"`
	Params []float32 `json:"-"` // config.NumParams() numbers in slab order
}

// WriteCheckpoint writes c in the checkpoint format.
func WriteCheckpoint(w io.Writer, c *Checkpoint) error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	if len(c.Params) != c.Config.NumParams() || len(c.Vocab) != c.Config.Vocab {
		return fmt.Errorf("sim: checkpoint %q: %d params and %d words for a config of %d and %d", c.Name, len(c.Params), len(c.Vocab), c.Config.NumParams(), c.Config.Vocab)
	}
	if c.Half && c.Quant8 {
		return fmt.Errorf("sim: checkpoint %q: half and q8 at once", c.Name)
	}
	header, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("sim: checkpoint: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(checkpointMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(checkpointVersion))
	binary.Write(&buf, binary.LittleEndian, uint32(len(header)))
	buf.Write(header)
	b := make([]byte, 4)
	for i, p := range c.Params {
		if math.IsNaN(float64(p)) || math.IsInf(float64(p), 0) {
			return fmt.Errorf("sim: checkpoint %q: parameter %d is %v", c.Name, i, p)
		}
	}
	switch {
	case c.Quant8:
		for i := 0; i < len(c.Params); i += q8Block {
			block := c.Params[i:min(i+q8Block, len(c.Params))]
			d := q8Scale(block)
			if math.Abs(float64(d)) > maxHalf {
				return fmt.Errorf("sim: checkpoint %q: the block at parameter %d does not fit in q8", c.Name, i)
			}
			binary.LittleEndian.PutUint16(b, float32ToHalf(d))
			buf.Write(b[:2])
			for _, p := range block {
				buf.WriteByte(byte(q8Quantize(p, d)))
			}
		}
	case c.Half:
		for i, p := range c.Params {
			if math.Abs(float64(p)) > maxHalf {
				return fmt.Errorf("sim: checkpoint %q: parameter %d = %v does not fit in half precision", c.Name, i, p)
			}
			binary.LittleEndian.PutUint16(b, float32ToHalf(p))
			buf.Write(b[:2])
		}
	default:
		for _, p := range c.Params {
			binary.LittleEndian.PutUint32(b, math.Float32bits(p))
			buf.Write(b)
		}
	}
	binary.Write(&buf, binary.LittleEndian, crc32.ChecksumIEEE(buf.Bytes()))
	_, err = w.Write(buf.Bytes())
	return err
}

// ReadCheckpoint reads a checkpoint. A truncated, corrupted or mismatched
// file gives an error that says which; it never panics.
func ReadCheckpoint(r io.Reader) (*Checkpoint, error) {
	data, err := io.ReadAll(io.LimitReader(r, 8+8+maxHeader+4*maxParams+4+1))
	if err != nil {
		return nil, fmt.Errorf("sim: checkpoint: %w", err)
	}
	if len(data) < len(checkpointMagic)+12 || string(data[:8]) != checkpointMagic {
		return nil, errors.New("sim: checkpoint: not a checkpoint file (bad magic)")
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != checkpointVersion {
		return nil, fmt.Errorf("sim: checkpoint: version %d, want %d", v, checkpointVersion)
	}
	hlen := int(binary.LittleEndian.Uint32(data[12:]))
	if hlen > maxHeader || 16+hlen+4 > len(data) {
		return nil, errors.New("sim: checkpoint: truncated header")
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errors.New("sim: checkpoint: checksum mismatch (the file is truncated or corrupted)")
	}
	c := new(Checkpoint)
	if err := json.Unmarshal(data[16:16+hlen], c); err != nil {
		return nil, fmt.Errorf("sim: checkpoint: header: %w", err)
	}
	if err := c.Config.Validate(); err != nil {
		return nil, fmt.Errorf("sim: checkpoint: %w", err)
	}
	n := c.Config.NumParams()
	if c.Half && c.Quant8 {
		return nil, errors.New("sim: checkpoint: header says both half and q8")
	}
	size := 4 * n
	switch {
	case c.Half:
		size = 2 * n
	case c.Quant8:
		size = n + 2*((n+q8Block-1)/q8Block)
	}
	if n > maxParams || len(body)-16-hlen != size {
		return nil, fmt.Errorf("sim: checkpoint: %d bytes of parameters, want %d for the config", len(body)-16-hlen, size)
	}
	if len(c.Vocab) != c.Config.Vocab {
		return nil, fmt.Errorf("sim: checkpoint: %d words, config says %d", len(c.Vocab), c.Config.Vocab)
	}
	if err := validVocab(c.Vocab); err != nil {
		return nil, fmt.Errorf("sim: checkpoint: %w", err)
	}
	c.Params = make([]float32, n)
	p := body[16+hlen:]
	if c.Quant8 {
		for i, at := 0, 0; i < n; i += q8Block {
			d := halfToFloat32(binary.LittleEndian.Uint16(p[at:]))
			if math.IsNaN(float64(d)) || math.IsInf(float64(d), 0) {
				return nil, fmt.Errorf("sim: checkpoint: the scale of the block at parameter %d is %v", i, d)
			}
			at += 2
			for j := i; j < min(i+q8Block, n); j++ {
				c.Params[j] = float32(int8(p[at])) * d
				at++
			}
		}
		return c, nil
	}
	for i := range c.Params {
		var v float32
		if c.Half {
			v = halfToFloat32(binary.LittleEndian.Uint16(p[2*i:]))
		} else {
			v = math.Float32frombits(binary.LittleEndian.Uint32(p[4*i:]))
		}
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("sim: checkpoint: parameter %d is %v", i, v)
		}
		c.Params[i] = v
	}
	return c, nil
}

// validVocab checks what NewTokenizer would otherwise panic on.
func validVocab(words []string) error {
	if len(words) < NumSpecial {
		return errors.New("vocabulary lacks the special tokens")
	}
	for i := range NumSpecial {
		if words[i] != specialWords[i] {
			return fmt.Errorf("vocabulary word %d is %q, want %q", i, words[i], specialWords[i])
		}
	}
	seen := make(map[string]bool, len(words))
	for _, w := range words {
		if seen[w] || w == "" {
			return fmt.Errorf("vocabulary has a duplicate or empty word %q", w)
		}
		seen[w] = true
	}
	return nil
}

// NewCheckpoint captures a model's weights (copied) and its tokenizer.
func NewCheckpoint(name string, m *GPT, tok *Tokenizer) *Checkpoint {
	return &Checkpoint{Name: name, Config: m.Config, Vocab: tok.Words(), Params: append([]float32(nil), m.Params.Data...)}
}

// Model builds the model and tokenizer a checkpoint holds.
func (c *Checkpoint) Model() (*GPT, *Tokenizer) {
	m := NewModel[float32](c.Config)
	copy(m.Params.Data, c.Params)
	return m, NewTokenizer(c.Vocab)
}

// q8Block is the number of weights that share one scale in a Q8 checkpoint.
const q8Block = 32

// q8Scale is the scale of a block: its largest magnitude over 127, rounded
// to half precision (as the file stores it).
func q8Scale(block []float32) float32 {
	var m float32
	for _, x := range block {
		m = max(m, float32(math.Abs(float64(x))))
	}
	return halfToFloat32(float32ToHalf(m / 127))
}

// q8Quantize is x's 8-bit code at scale d: round(x/d), within ±127.
func q8Quantize(x, d float32) int8 {
	if d == 0 {
		return 0
	}
	q := math.Round(float64(x / d))
	return int8(max(-127, min(127, q)))
}

// Q8Round rounds xs in place to the numbers a checkpoint written with
// Quant8 stores.
func Q8Round(xs []float32) {
	for i := 0; i < len(xs); i += q8Block {
		block := xs[i:min(i+q8Block, len(xs))]
		d := q8Scale(block)
		for j, x := range block {
			block[j] = float32(q8Quantize(x, d)) * d
		}
	}
}

// maxHalf is the largest finite float16, 65504.
const maxHalf = 65504

// HalfRound rounds every number of xs to the nearest float16 in place, as a
// checkpoint written with Half stores it.
func HalfRound(xs []float32) {
	for i, x := range xs {
		xs[i] = halfToFloat32(float32ToHalf(x))
	}
}

// float32ToHalf returns the IEEE 754 binary16 nearest to f (ties to even);
// magnitudes beyond 65504 become infinity, NaN stays NaN.
func float32ToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23&0xff) - 127 + 15
	mant := b & 0x7fffff
	switch {
	case b&0x7fffffff > 0x7f800000: // NaN
		return sign | 0x7e00
	case b>>23&0xff == 0xff || exp >= 31: // infinity, or too large
		return sign | 0x7c00
	case exp <= 0: // subnormal half (or zero)
		if exp < -10 {
			return sign
		}
		mant |= 0x800000 // the implicit leading 1
		shift := uint(14 - exp)
		half := uint16(mant >> shift)
		rest, mid := mant&(1<<shift-1), uint32(1)<<(shift-1)
		if rest > mid || rest == mid && half&1 == 1 {
			half++
		}
		return sign | half
	}
	half := uint16(exp)<<10 | uint16(mant>>13)
	rest := mant & 0x1fff
	if rest > 0x1000 || rest == 0x1000 && half&1 == 1 {
		half++ // may carry into the exponent, which is the right rounding
	}
	return sign | half
}

// halfToFloat32 widens an IEEE 754 binary16 exactly.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f: // infinity or NaN
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0:
		if mant == 0 {
			return math.Float32frombits(sign)
		}
		// subnormal: mant × 2⁻²⁴
		f := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			f = -f
		}
		return f
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}
