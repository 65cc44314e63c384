package dispatch

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"rlhfplayground/sim"
)

// A Pack is one language's data and shipped models: what a session in that
// language starts from. English's data is built into worker.wasm (package
// assets), its checkpoints are not: they are fetched from the server
// (/packs/en/, CheckpointFiles) the first time an English session needs a
// fresh model (Checkpoints). Every other language is fetched whole
// (/packs/<lang>/, see serve.go) only when a person chooses it, and read by
// ReadPack.
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

// CheckpointFiles are the files of a pack that hold its models, the first
// two of PackFiles: all that /packs/en/ serves, English's text being built
// into worker.wasm.
var CheckpointFiles = PackFiles[:2]

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
	if _, _, _, err := readModels(lang, files); err != nil {
		return nil, err
	}
	return &Pack{Lang: lang, Data: data, Fresh: freshFrom(lang, data, func() (map[string][]byte, error) { return files, nil })}, nil
}

// Checkpoints returns the Fresh of lang's pack over data, whose models are
// in the checkpoints (CheckpointFiles) that read returns by name. read is
// called the first time a fresh session is made, and again only after it
// failed (the server was out of reach): the checkpoints it returned are
// kept for the worker's life.
func Checkpoints(lang string, data sim.LabData, read func(name string) ([]byte, error)) func() (*sim.Lab, error) {
	var files map[string][]byte
	return freshFrom(lang, data, func() (map[string][]byte, error) {
		if files != nil {
			return files, nil
		}
		got := map[string][]byte{}
		for _, name := range CheckpointFiles {
			b, err := read(name)
			if err != nil {
				return nil, fmt.Errorf("dispatch: pack %s: %s: %w", lang, name, err)
			}
			got[name] = b
		}
		if _, _, _, err := readModels(lang, got); err != nil {
			return nil, err
		}
		files = got
		return files, nil
	})
}

// freshFrom makes fresh sessions of lang over data, with the models of the
// checkpoints that files returns.
func freshFrom(lang string, data sim.LabData, files func() (map[string][]byte, error)) func() (*sim.Lab, error) {
	return func() (*sim.Lab, error) {
		f, err := files()
		if err != nil {
			return nil, err
		}
		// The models are read again for every fresh session: each session trains its own copy.
		base, sft, tok, err := readModels(lang, f)
		if err != nil {
			return nil, err
		}
		s := sim.DefaultSettings()
		if lang != English {
			s.Lang = lang
		}
		return sim.NewLab(s, data, tok, base, sft)
	}
}

// readModels reads the pretrained and SFT models of a pack's checkpoints.
func readModels(lang string, files map[string][]byte) (base, sft *sim.GPT, tok *sim.Tokenizer, err error) {
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
