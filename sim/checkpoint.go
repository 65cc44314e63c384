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
//	header  JSON                       {"name", "config", "vocab", "head_scale"...}
//	params  float32 × config.NumParams() little-endian, in slab order
//	crc     uint32                     CRC-32 (IEEE) of every byte before it
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
	Norm   *RewardNorm `json:"norm,omitempty"`
	Params []float32   `json:"-"` // config.NumParams() numbers in slab order
}

// WriteCheckpoint writes c in the checkpoint format.
func WriteCheckpoint(w io.Writer, c *Checkpoint) error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	if len(c.Params) != c.Config.NumParams() || len(c.Vocab) != c.Config.Vocab {
		return fmt.Errorf("sim: checkpoint %q: %d params and %d words for a config of %d and %d", c.Name, len(c.Params), len(c.Vocab), c.Config.NumParams(), c.Config.Vocab)
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
	for _, p := range c.Params {
		binary.LittleEndian.PutUint32(b, math.Float32bits(p))
		buf.Write(b)
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
	if n > maxParams || len(body)-16-hlen != 4*n {
		return nil, fmt.Errorf("sim: checkpoint: %d bytes of parameters, want %d for the config", len(body)-16-hlen, 4*n)
	}
	if len(c.Vocab) != c.Config.Vocab {
		return nil, fmt.Errorf("sim: checkpoint: %d words, config says %d", len(c.Vocab), c.Config.Vocab)
	}
	if err := validVocab(c.Vocab); err != nil {
		return nil, fmt.Errorf("sim: checkpoint: %w", err)
	}
	c.Params = make([]float32, n)
	p := body[16+hlen:]
	for i := range c.Params {
		v := math.Float32frombits(binary.LittleEndian.Uint32(p[4*i:]))
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
