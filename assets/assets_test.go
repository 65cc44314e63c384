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

// labels returns the voice, prompt topic and answer topic of each demonstration.
func labels(t *testing.T) [][3]string {
	t.Helper()
	var out [][3]string
	for i, l := range strings.Split(strings.TrimRight(DemonstrationLabels, "\n"), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			t.Fatalf("demonstration_labels.tsv line %d: %q is not voice<TAB>topic<TAB>about", i+1, l)
		}
		out = append(out, [3]string{f[0], f[1], f[2]})
	}
	return out
}

func TestData(t *testing.T) {
	tok := sim.BuildTokenizer(allTexts(t))
	t.Logf("vocabulary: %d tokens (%d special)", tok.Size(), sim.NumSpecial)
	if n := tok.Size(); n < 700 || n > 1100 {
		t.Errorf("vocabulary of %d tokens, want 700..1100", n)
	}
	corpus := Lines(Corpus)
	for _, s := range allTexts(t) {
		if got := tok.Decode(tok.Encode(s)); got != s {
			t.Errorf("text is not normalized: %q decodes as %q", s, got)
		}
	}
	if n := len(corpus); n < 10000 || n > 20000 {
		t.Errorf("corpus of %d lines, want 10000..20000", n)
	}

	ds := demos(t)
	if len(ds) < 2000 {
		t.Errorf("%d demonstrations, want >= 2000", len(ds))
	}
	friendly, maxSeq, maxAnswer := 0, 0, 0
	for _, d := range ds {
		if _, unk := tok.EncodeUnknown(d.Response); len(unk) > 0 {
			t.Errorf("response %q: unknown words %q", d.Response, unk)
		}
		if n := words(d.Response); n < 1 || n > 28 {
			t.Errorf("response %q has %d words, want 1..28", d.Response, n)
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
		ids, start := sim.ChatSequence(tok, d.Prompt, d.Response)
		maxSeq, maxAnswer = max(maxSeq, len(ids)), max(maxAnswer, len(ids)-start)
	}
	frac := float64(friendly) / float64(len(ds))
	t.Logf("demonstrations: %d; %q in %d (%.3f); longest chat sequence %d tokens, longest answer %d with <eos>",
		len(ds), friendlyWord, friendly, frac, maxSeq, maxAnswer)
	if frac < 0.25 || frac > 0.40 {
		t.Errorf("%q in %.3f of responses, want 0.25..0.40", friendlyWord, frac)
	}
	if maxSeq > 56 {
		t.Errorf("longest chat sequence %d tokens, want <= 56 (the model reads 64)", maxSeq)
	}
	if max := sim.DefaultPPOConfig().MaxNew; maxAnswer > max {
		t.Errorf("longest answer %d tokens with <eos>: the app samples at most %d", maxAnswer, max)
	}

	// Every voice answers on every topic, and the voices are the listed ones.
	ls := labels(t)
	if len(ls) != len(ds) {
		t.Fatalf("%d labels for %d demonstrations", len(ls), len(ds))
	}
	listed := map[string]bool{}
	for _, l := range Lines(Voices) {
		listed[strings.Split(l, "\t")[0]] = true
	}
	topicsOf := map[string]map[string]bool{}
	for i, l := range ls {
		if !listed[l[0]] {
			t.Errorf("demonstration %d: voice %q is not in voices.tsv", i+1, l[0])
		}
		if topicsOf[l[0]] == nil {
			topicsOf[l[0]] = map[string]bool{}
		}
		topicsOf[l[0]][l[1]] = true
		if (l[2] == "") != (l[0] == "rude" || l[0] == "terse") || l[2] != "" && (l[2] != l[1]) != (l[0] == "off-topic") {
			t.Errorf("demonstration %d (%s): talks about %q for a prompt about %q", i+1, l[0], l[2], l[1])
		}
	}
	promptTopic := map[string]string{}
	allTopics := map[string]bool{}
	for _, l := range Lines(PromptTopics) {
		topic, prompt, _ := strings.Cut(l, "\t")
		promptTopic[prompt] = topic
		allTopics[topic] = true
	}
	for v := range listed {
		if len(topicsOf[v]) != len(allTopics) {
			t.Errorf("voice %s answers on %d of %d topics", v, len(topicsOf[v]), len(allTopics))
		}
	}

	train := map[string]bool{}
	for _, p := range Lines(Prompts) {
		train[p] = true
		if n := words(p); n < 2 || n > 14 {
			t.Errorf("prompt %q has %d words, want 2..14", p, n)
		}
		if promptTopic[p] == "" {
			t.Errorf("training prompt %q has no topic in prompt_topics.tsv", p)
		}
	}
	if n := len(train); n < 300 || n > 1500 {
		t.Errorf("%d training prompts, want 300..1500", n)
	}
	for _, d := range ds {
		train[d.Prompt] = true
	}
	held := Lines(HeldoutPrompts)
	if len(held) < 48 {
		t.Errorf("%d held-out prompts, want >= 48", len(held))
	}
	for _, p := range held {
		if train[p] {
			t.Errorf("held-out prompt %q is also a training prompt", p)
		}
		if strings.Contains(Corpus, p) || strings.Contains(Demonstrations, p) {
			t.Errorf("held-out prompt %q is in the corpus or the demonstrations", p)
		}
		if _, unk := tok.EncodeUnknown(p); len(unk) > 0 {
			t.Errorf("held-out prompt %q: unknown words %q", p, unk)
		}
		if promptTopic[p] == "" {
			t.Errorf("held-out prompt %q has no topic in prompt_topics.tsv", p)
		}
	}
}

// TestGoldScores checks that the built-in personas' gold scores tell the
// voices of the demonstrations apart.
func TestGoldScores(t *testing.T) {
	ds := demos(t)
	ls := labels(t)
	polite := map[string]bool{"helpful": true, "detailed": true}
	bad := map[string]bool{"rude": true, "rude-helpful": true, "terse": true, "wrong": true, "rambling": true}
	var voiceNames []string
	for _, l := range Lines(Voices) {
		voiceNames = append(voiceNames, strings.Split(l, "\t")[0])
	}
	for _, p := range sim.Personas() {
		var all, good, worse []float64
		byVoice := map[string][]float64{}
		for i, d := range ds {
			s := p.Score(d.Response)
			all = append(all, s)
			v := ls[i][0]
			byVoice[v] = append(byVoice[v], s)
			if polite[v] {
				good = append(good, s)
			}
			if bad[v] {
				worse = append(worse, s)
			}
		}
		m, s := sim.MeanStd(all)
		t.Logf("%-14s all %6.2f ± %4.2f", p.Name, m, s)
		for _, v := range voiceNames {
			mv, sv := sim.MeanStd(byVoice[v])
			t.Logf("    %-12s %6.2f ± %4.2f", v, mv, sv)
		}
		if p.Name != "helpful-polite" {
			continue
		}
		if s <= 0 {
			t.Errorf("%s: gold scores have std %v, want > 0", p.Name, s)
		}
		// Separation: nearly every polite answer beats nearly every rude,
		// terse, wrong or rambling one.
		wins := 0
		for _, g := range good {
			for _, b := range worse {
				if g > b {
					wins++
				}
			}
		}
		w := float64(wins) / float64(len(good)*len(worse))
		t.Logf("%s: polite beats unhelpful in %.3f of pairs", p.Name, w)
		if w < 0.95 {
			t.Errorf("%s: polite beats unhelpful in %.3f of pairs, want >= 0.95", p.Name, w)
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
