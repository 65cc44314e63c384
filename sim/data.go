package sim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Demonstration is a prompt and the answer a person wrote for it (SFT data).
type Demonstration struct {
	Prompt   string `json:"prompt"`
	Response string `json:"response"`
}

// Validate rejects a demonstration that cannot teach anything.
func (d Demonstration) Validate() error {
	if strings.TrimSpace(d.Prompt) == "" {
		return fmt.Errorf("sim: demonstration: empty prompt")
	}
	if strings.TrimSpace(d.Response) == "" {
		return fmt.Errorf("sim: demonstration for %q: empty answer", d.Prompt)
	}
	return nil
}

// ParseDemonstrations reads one JSON object {"prompt", "response"} per line;
// blank lines are skipped.
func ParseDemonstrations(r io.Reader) ([]Demonstration, error) {
	var demos []Demonstration
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var d Demonstration
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			return nil, fmt.Errorf("sim: demonstrations line %d: %w", n, err)
		}
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("sim: demonstrations line %d: %w", n, err)
		}
		demos = append(demos, d)
	}
	return demos, sc.Err()
}

// Lines splits text into its non-empty, trimmed lines.
func Lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// lmBatch is a batch of sequences packed for next-token training: inputs and
// targets are (B,T), right-padded with PadID, and weights (B·T) is 1/count on
// the targets to learn and 0 elsewhere.
type lmBatch struct {
	inputs, targets []int
	weights         []float64
	B, T            int
}

// packBatch packs seqs; for sequence i only the tokens at index ≥ learnFrom[i]
// are targets (1 for pretraining: all after <bos>; the answer's start for SFT).
// Sequences longer than maxT are cut.
func packBatch(seqs [][]int, learnFrom []int, maxT int) lmBatch {
	T := 1
	for _, s := range seqs {
		T = max(T, min(len(s)-1, maxT))
	}
	b := lmBatch{B: len(seqs), T: T, inputs: make([]int, len(seqs)*T), targets: make([]int, len(seqs)*T), weights: make([]float64, len(seqs)*T)}
	count := 0
	for i, s := range seqs {
		for t := range T {
			n := i*T + t
			if t+1 >= len(s) {
				b.inputs[n], b.targets[n] = PadID, PadID
				continue
			}
			b.inputs[n], b.targets[n] = s[t], s[t+1]
			if t+1 >= learnFrom[i] {
				b.weights[n] = 1
				count++
			}
		}
	}
	for n := range b.weights {
		if count > 0 {
			b.weights[n] /= float64(count)
		}
	}
	return b
}
