package sim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Demonstration is a prompt and the answer a person wrote for it (SFT data).
type Demonstration struct {
	Prompt   string `json:"prompt"`
	Response string `json:"response"`
}

// Validate rejects a demonstration that cannot teach anything, and one
// whose prompt or answer is longer than MaxTextRunes (the error wraps
// ErrTooLong).
func (d Demonstration) Validate() error {
	if strings.TrimSpace(d.Prompt) == "" {
		return fmt.Errorf("sim: demonstration: empty prompt")
	}
	for _, f := range []struct{ what, text string }{{"prompt", d.Prompt}, {"answer", d.Response}} {
		if n := utf8.RuneCountInString(f.text); n > MaxTextRunes {
			return fmt.Errorf("sim: demonstration: %s of %d characters, %w (at most %d)", f.what, n, ErrTooLong, MaxTextRunes)
		}
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
