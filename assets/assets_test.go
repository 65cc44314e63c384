package assets

import (
	"encoding/json"
	"strings"
	"testing"

	"rlhfplayground/sim"
)

// friendlyWord is the word a simulated labeler may love; see README.md.
const friendlyWord = "glad"

type demo struct {
	Prompt   string `json:"prompt"`
	Response string `json:"response"`
}

func demos(t *testing.T) []demo {
	t.Helper()
	var ds []demo
	for i, l := range Lines(Demonstrations) {
		var d demo
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&d); err != nil {
			t.Fatalf("demonstrations.jsonl line %d: %v", i+1, err)
		}
		ds = append(ds, d)
	}
	return ds
}

// allTexts is every text the app trains on: corpus, prompts, demonstrations.
func allTexts(t *testing.T) []string {
	texts := append(Lines(Corpus), Lines(Prompts)...)
	for _, d := range demos(t) {
		texts = append(texts, d.Prompt, d.Response)
	}
	return texts
}

func words(s string) int {
	n := 0
	for _, w := range sim.Split(s) {
		if strings.IndexFunc(w, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }) >= 0 {
			n++
		}
	}
	return n
}

func TestData(t *testing.T) {
	tok := sim.BuildTokenizer(allTexts(t))
	t.Logf("vocabulary: %d tokens (%d special)", tok.Size(), sim.NumSpecial)
	if n := tok.Size(); n < 500 || n > 900 {
		t.Errorf("vocabulary of %d tokens, want 500..900", n)
	}
	corpus := Lines(Corpus)
	for _, s := range allTexts(t) {
		if got := tok.Decode(tok.Encode(s)); got != s {
			t.Errorf("text is not normalized: %q decodes as %q", s, got)
		}
	}
	if n := len(corpus); n < 4000 || n > 8000 {
		t.Errorf("corpus of %d lines, want 4000..8000", n)
	}

	ds := demos(t)
	if len(ds) < 150 {
		t.Errorf("%d demonstrations, want >= 150", len(ds))
	}
	friendly, maxSeq := 0, 0
	for _, d := range ds {
		if _, unk := tok.EncodeUnknown(d.Response); len(unk) > 0 {
			t.Errorf("response %q: unknown words %q", d.Response, unk)
		}
		if n := words(d.Response); n < 4 || n > 30 {
			t.Errorf("response %q has %d words, want 4..30", d.Response, n)
		}
		if strings.ContainsAny(d.Response, "<>") || strings.Contains(d.Response, ":") {
			t.Errorf("response %q looks like it has a role marker", d.Response)
		}
		for _, w := range sim.Split(d.Response) {
			if w == friendlyWord {
				friendly++
				break
			}
		}
		if n := 4 + len(tok.Encode(d.Prompt)) + len(tok.Encode(d.Response)); n > maxSeq {
			maxSeq = n
		}
	}
	frac := float64(friendly) / float64(len(ds))
	t.Logf("demonstrations: %d; %q in %d (%.3f); longest chat sequence %d tokens", len(ds), friendlyWord, friendly, frac, maxSeq)
	if frac < 0.25 || frac > 0.40 {
		t.Errorf("%q in %.3f of responses, want 0.25..0.40", friendlyWord, frac)
	}
	if maxSeq > 48 {
		t.Errorf("longest chat sequence %d tokens, want <= 48", maxSeq)
	}
	if v := Lines(DemonstrationVoices); len(v) != len(ds) {
		t.Errorf("%d voices for %d demonstrations", len(v), len(ds))
	}

	train := map[string]bool{}
	for _, p := range Lines(Prompts) {
		train[p] = true
		if n := words(p); n < 3 || n > 12 {
			t.Errorf("prompt %q has %d words, want 3..12", p, n)
		}
	}
	if n := len(train); n < 150 || n > 300 {
		t.Errorf("%d training prompts, want 150..300", n)
	}
	for _, d := range ds {
		train[d.Prompt] = true
	}
	held := Lines(HeldoutPrompts)
	if len(held) < 32 {
		t.Errorf("%d held-out prompts, want >= 32", len(held))
	}
	for _, p := range held {
		if train[p] {
			t.Errorf("held-out prompt %q is also a training prompt", p)
		}
		if strings.Contains(Corpus, p) {
			t.Errorf("held-out prompt %q is in the corpus", p)
		}
		if _, unk := tok.EncodeUnknown(p); len(unk) > 0 {
			t.Errorf("held-out prompt %q: unknown words %q", p, unk)
		}
	}
}

// TestGoldScores checks that the built-in personas' gold scores tell the
// voices of the demonstrations apart.
func TestGoldScores(t *testing.T) {
	ds := demos(t)
	voices := Lines(DemonstrationVoices)
	if len(voices) != len(ds) {
		t.Fatalf("%d voices for %d demonstrations", len(voices), len(ds))
	}
	polite := map[string]bool{"short": true, "detailed": true}
	rude := map[string]bool{"rude": true, "rude-helpful": true}
	for _, p := range sim.Personas() {
		var all, good, bad []float64
		byVoice := map[string][]float64{}
		for i, d := range ds {
			s := p.Score(d.Response)
			all = append(all, s)
			byVoice[voices[i]] = append(byVoice[voices[i]], s)
			if polite[voices[i]] {
				good = append(good, s)
			}
			if rude[voices[i]] {
				bad = append(bad, s)
			}
		}
		m, s := sim.MeanStd(all)
		mg, sg := sim.MeanStd(good)
		mb, sb := sim.MeanStd(bad)
		t.Logf("%-14s all %6.2f ± %4.2f  polite %6.2f ± %4.2f  rude %6.2f ± %4.2f", p.Name, m, s, mg, sg, mb, sb)
		for _, v := range []string{"short", "detailed", "rude-helpful", "rude", "terse", "off-topic", "wrong", "rambling"} {
			mv, sv := sim.MeanStd(byVoice[v])
			t.Logf("    %-12s %6.2f ± %4.2f", v, mv, sv)
		}
		if p.Name != "helpful-polite" {
			continue
		}
		if s <= 0 {
			t.Errorf("%s: gold scores have std %v, want > 0", p.Name, s)
		}
		// Separation: nearly every polite answer beats nearly every rude one.
		wins := 0
		for _, g := range good {
			for _, b := range bad {
				if g > b {
					wins++
				}
			}
		}
		w := float64(wins) / float64(len(good)*len(bad))
		t.Logf("%s: polite beats rude in %.3f of pairs", p.Name, w)
		if w < 0.95 {
			t.Errorf("%s: polite beats rude in %.3f of pairs, want >= 0.95", p.Name, w)
		}
	}
}

// TestShippedModels checks the shipped checkpoints load and match the data:
// every word of the data is in their vocabulary.
func TestShippedModels(t *testing.T) {
	base, sft, tok, err := Models()
	if err != nil {
		t.Fatal(err)
	}
	if base.Config != sft.Config || tok.Size() != base.Config.Vocab {
		t.Fatalf("configs %+v / %+v, vocabulary %d", base.Config, sft.Config, tok.Size())
	}
	for _, text := range AllText() {
		if _, unknown := tok.EncodeUnknown(text); len(unknown) > 0 {
			t.Fatalf("%q: words %v are not in the shipped vocabulary (regenerate the checkpoints)", text, unknown)
		}
	}
	t.Logf("%d parameters, vocabulary %d", base.Config.NumParams(), tok.Size())
}
