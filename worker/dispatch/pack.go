package dispatch

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"rlhfplayground/sim"
)

// A Pack is one language's data and shipped models: what a session in that
// language starts from. English is built into worker.wasm (package assets);
// every other language is fetched from the server (/packs/<lang>/, see
// serve.go) only when a person chooses it, and read by ReadPack.
type Pack struct {
	Lang  string // BCP 47: "en", "zh-TW"
	Data  sim.LabData
	Fresh func() (*sim.Lab, error) // the session as shipped: default settings, the pack's models
}

// English is the language of sessions whose Settings.Lang is "".
const English = "en"

// PackFiles are the files of a language's pack, as the server serves them
// under /packs/<lang>/ and assets/<lang>/ holds them: the shipped
// checkpoints (made by cmd/mkcheckpoints) and the text data (made by
// assets/internal/gen).
var PackFiles = []string{"pretrained.ckpt", "sft.ckpt", "corpus.txt", "prompts.txt", "heldout_prompts.txt", "demonstrations.jsonl"}

// ErrNoModel is returned by an Open function for a language whose model
// the server does not have.
var ErrNoModel = errors.New("dispatch: no model in that language")

// ReadPack reads the pack of lang from its files (PackFiles), which read
// returns by name.
func ReadPack(lang string, read func(name string) ([]byte, error)) (*Pack, error) {
	files := map[string][]byte{}
	for _, name := range PackFiles {
		b, err := read(name)
		if err != nil {
			return nil, fmt.Errorf("dispatch: pack %s: %s: %w", lang, name, err)
		}
		files[name] = b
	}
	lines := func(name string) []string {
		var out []string
		for _, l := range strings.Split(string(files[name]), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	demos, err := sim.ParseDemonstrations(bytes.NewReader(files["demonstrations.jsonl"]))
	if err != nil {
		return nil, fmt.Errorf("dispatch: pack %s: %w", lang, err)
	}
	data := sim.LabData{Corpus: lines("corpus.txt"), Prompts: lines("prompts.txt"), HeldoutPrompts: lines("heldout_prompts.txt"), Demonstrations: demos}
	// The models are read again for every fresh session: each session trains its own copy.
	models := func() (base, sft *sim.GPT, tok *sim.Tokenizer, err error) {
		b, err := sim.ReadCheckpoint(bytes.NewReader(files["pretrained.ckpt"]))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("dispatch: pack %s: pretrained.ckpt: %w", lang, err)
		}
		s, err := sim.ReadCheckpoint(bytes.NewReader(files["sft.ckpt"]))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("dispatch: pack %s: sft.ckpt: %w", lang, err)
		}
		if b.Config != s.Config || strings.Join(b.Vocab, " ") != strings.Join(s.Vocab, " ") {
			return nil, nil, nil, fmt.Errorf("dispatch: pack %s: the checkpoints do not match each other", lang)
		}
		base, tok = b.Model()
		sft, _ = s.Model()
		return base, sft, tok, nil
	}
	if _, _, _, err := models(); err != nil {
		return nil, err
	}
	fresh := func() (*sim.Lab, error) {
		base, sft, tok, err := models()
		if err != nil {
			return nil, err
		}
		s := sim.DefaultSettings()
		s.Lang = lang
		return sim.NewLab(s, data, tok, base, sft)
	}
	return &Pack{Lang: lang, Data: data, Fresh: fresh}, nil
}
