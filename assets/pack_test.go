package assets

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"rlhfplayground/sim"
)

func TestPacks(t *testing.T) {
	ps := Packs()
	var langs []string
	for _, p := range ps {
		langs = append(langs, p.Lang)
	}
	if !reflect.DeepEqual(langs, []string{"en", "zh-TW"}) {
		t.Fatalf("Packs: %q, want en and zh-TW", langs)
	}
	// The English pack is the package's files, and its methods are the
	// package's functions.
	en := ps[0]
	if en.Corpus != Corpus || en.Demonstrations != Demonstrations || en.Voices != Voices {
		t.Error("the en pack is not the package's English files")
	}
	if !reflect.DeepEqual(en.AllText(), AllText()) {
		t.Error("en.AllText() != AllText()")
	}
	for _, p := range ps {
		if q, ok := PackByLang(p.Lang); !ok || q.Lang != p.Lang || q.Corpus != p.Corpus {
			t.Errorf("PackByLang(%q) = %v, %v", p.Lang, q, ok)
		}
		if _, err := p.LabData(); err != nil {
			t.Errorf("%s: LabData: %v", p.Lang, err)
		}
		if _, err := p.QualityData(); err != nil {
			t.Errorf("%s: QualityData: %v", p.Lang, err)
		}
		personas, err := p.Personas()
		if err != nil {
			t.Fatalf("%s: Personas: %v", p.Lang, err)
		}
		var names []string
		for _, x := range personas {
			names = append(names, x.Name)
		}
		if !reflect.DeepEqual(names, []string{"helpful-polite", "concise", "detailed", "likes-glad"}) {
			t.Errorf("%s: personas %q", p.Lang, names)
		}
	}
	if _, ok := PackByLang("fr"); ok {
		t.Error("PackByLang(fr) found a pack")
	}
	// A pack is a copy: changing one does not change the next.
	ps[1].Corpus = ""
	if Packs()[1].Corpus == "" {
		t.Error("Packs returns a shared zh-TW pack")
	}
}

// zhPunctuation is the punctuation the zh-TW pack may use: full-width only.
const zhPunctuation = "，。！？：；「」、"

// zhFalseMarkers are the words of which every false sentence of the zh-TW
// pack has one and no true sentence any (assets/internal/gen/zh.go).
var zhFalseMarkers = []string{"石頭", "沙子", "塑膠", "月球", "金屬", "會飛", "屋頂"}

// hans counts the Han characters of s.
func hans(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// TestZhData checks the Traditional Chinese pack as TestData checks the
// English one, in characters instead of words, and what Chinese text adds:
// no spaces, no Latin letters or digits, full-width punctuation.
func TestZhData(t *testing.T) {
	p, _ := PackByLang("zh-TW")
	data, err := p.QualityData()
	if err != nil {
		t.Fatal(err)
	}
	texts := p.AllText()
	tok := sim.BuildTokenizer(texts)
	t.Logf("vocabulary: %d tokens (%d special)", tok.Size(), sim.NumSpecial)
	if n := tok.Size(); n < 700 || n > 1300 {
		t.Errorf("vocabulary of %d tokens, want 700..1300", n)
	}
	for _, s := range texts {
		if got := tok.Decode(tok.Encode(s)); got != s {
			t.Errorf("text is not normalized: %q decodes as %q", s, got)
		}
		for _, r := range s {
			if !unicode.Is(unicode.Han, r) && !strings.ContainsRune(zhPunctuation, r) {
				t.Errorf("%q: rune %q is neither a Han character nor full-width punctuation", s, r)
				break
			}
		}
	}
	if n := len(Lines(p.Corpus)); n < 10000 || n > 18000 {
		t.Errorf("corpus of %d lines, want 10000..18000", n)
	}

	ds := data.Demonstrations
	if len(ds) < 2000 {
		t.Errorf("%d demonstrations, want >= 2000", len(ds))
	}
	personas, err := p.Personas()
	if err != nil {
		t.Fatal(err)
	}
	var friendly string
	for _, x := range personas {
		if x.Name == "likes-glad" {
			for w := range x.Words {
				friendly = w
			}
		}
	}
	glad, maxSeq, maxAnswer := 0, 0, 0
	for _, d := range ds {
		if _, unk := tok.EncodeUnknown(d.Response); len(unk) > 0 {
			t.Errorf("response %q: unknown tokens %q", d.Response, unk)
		}
		if n := hans(d.Response); n < 2 || n > 28 {
			t.Errorf("response %q has %d characters, want 2..28", d.Response, n)
		}
		if strings.ContainsAny(d.Response, "<>:：") {
			t.Errorf("response %q looks like it has a role marker", d.Response)
		}
		if sim.HasPhrase(d.Response, friendly) {
			glad++
		}
		marked := false
		for _, m := range zhFalseMarkers {
			marked = marked || sim.HasPhrase(d.Response, m)
		}
		if marked != (d.Voice == "wrong") {
			t.Errorf("%s response %q: has a false marker %v", d.Voice, d.Response, marked)
		}
		ids, start := sim.ChatSequence(tok, d.Prompt, d.Response)
		maxSeq, maxAnswer = max(maxSeq, len(ids)), max(maxAnswer, len(ids)-start)
	}
	frac := float64(glad) / float64(len(ds))
	t.Logf("demonstrations: %d; %q in %d (%.3f); longest chat sequence %d tokens, longest answer %d with <eos>",
		len(ds), friendly, glad, frac, maxSeq, maxAnswer)
	if frac < 0.25 || frac > 0.40 {
		t.Errorf("%q in %.3f of responses, want 0.25..0.40", friendly, frac)
	}
	if maxSeq > 56 {
		t.Errorf("longest chat sequence %d tokens, want <= 56 (the model reads 64)", maxSeq)
	}
	if max := sim.DefaultPPOConfig().MaxNew; maxAnswer > max {
		t.Errorf("longest answer %d tokens with <eos>: the app samples at most %d", maxAnswer, max)
	}

	// Every voice answers on every topic, the voices are the English pack's,
	// and the labels agree with the voices.
	en, _ := PackByLang("en")
	if p.Voices != en.Voices {
		t.Errorf("voices.tsv differs from the English pack's")
	}
	topics := map[string]bool{}
	for _, tp := range data.Prompts {
		topics[tp] = true
	}
	if len(topics) != 16 {
		t.Errorf("%d topics, want 16", len(topics))
	}
	topicsOf := map[string]map[string]bool{}
	for i, d := range ds {
		if topicsOf[d.Voice] == nil {
			topicsOf[d.Voice] = map[string]bool{}
		}
		topicsOf[d.Voice][d.Topic] = true
		if (d.About == "") != (d.Voice == "rude" || d.Voice == "terse") || d.About != "" && (d.About != d.Topic) != (d.Voice == "off-topic") {
			t.Errorf("demonstration %d (%s): talks about %q for a prompt about %q", i+1, d.Voice, d.About, d.Topic)
		}
		if !topics[d.Topic] {
			t.Errorf("demonstration %d: topic %q has no prompt", i+1, d.Topic)
		}
	}
	for _, v := range data.Voices {
		if len(topicsOf[v.Name]) != len(topics) {
			t.Errorf("voice %s answers on %d of %d topics", v.Name, len(topicsOf[v.Name]), len(topics))
		}
	}

	train := map[string]bool{}
	for _, q := range Lines(p.Prompts) {
		train[q] = true
		if n := hans(q); n < 2 || n > 20 {
			t.Errorf("prompt %q has %d characters, want 2..20", q, n)
		}
		if data.Prompts[q] == "" {
			t.Errorf("training prompt %q has no topic in prompt_topics.tsv", q)
		}
	}
	if n := len(train); n < 300 || n > 2500 {
		t.Errorf("%d training prompts, want 300..2500", n)
	}
	for _, d := range ds {
		train[d.Prompt] = true
	}
	held := Lines(p.HeldoutPrompts)
	if len(held) < 64 {
		t.Errorf("%d held-out prompts, want >= 64 (4 per topic)", len(held))
	}
	perTopic := map[string]int{}
	for _, q := range held {
		perTopic[data.Prompts[q]]++
		if train[q] {
			t.Errorf("held-out prompt %q is also a training prompt", q)
		}
		if strings.Contains(p.Corpus, q) || strings.Contains(p.Demonstrations, q) || strings.Contains(p.Prompts, q) {
			t.Errorf("held-out prompt %q is in the corpus, the prompts or the demonstrations", q)
		}
		if _, unk := tok.EncodeUnknown(q); len(unk) > 0 {
			t.Errorf("held-out prompt %q: unknown tokens %q", q, unk)
		}
		if data.Prompts[q] == "" {
			t.Errorf("held-out prompt %q has no topic in prompt_topics.tsv", q)
		}
	}
	// Every held-out character is in the training text proper (not only in
	// the held-out prompts, which the vocabulary also reads).
	known := map[rune]bool{}
	for _, s := range data.Training {
		for _, r := range s {
			known[r] = true
		}
	}
	for _, q := range held {
		for _, r := range q {
			if !known[r] {
				t.Errorf("held-out prompt %q: %q is in no training text", q, r)
			}
		}
	}
	for tp := range topics {
		if perTopic[tp] != 4 {
			t.Errorf("topic %s: %d held-out prompts, want 4", tp, perTopic[tp])
		}
	}
}

// TestZhGoldScores checks that the zh-TW personas' gold scores tell the
// voices of the demonstrations apart, as TestGoldScores does for English.
func TestZhGoldScores(t *testing.T) {
	p, _ := PackByLang("zh-TW")
	data, err := p.QualityData()
	if err != nil {
		t.Fatal(err)
	}
	personas, err := p.Personas()
	if err != nil {
		t.Fatal(err)
	}
	polite := map[string]bool{"helpful": true, "detailed": true}
	bad := map[string]bool{"rude": true, "rude-helpful": true, "terse": true, "wrong": true, "rambling": true}
	for _, x := range personas {
		var all, good, worse []float64
		byVoice := map[string][]float64{}
		for _, d := range data.Demonstrations {
			s := x.Score(d.Response)
			all = append(all, s)
			byVoice[d.Voice] = append(byVoice[d.Voice], s)
			if polite[d.Voice] {
				good = append(good, s)
			}
			if bad[d.Voice] {
				worse = append(worse, s)
			}
		}
		m, s := sim.MeanStd(all)
		t.Logf("%-14s all %6.2f ± %4.2f", x.Name, m, s)
		for _, v := range data.Voices {
			mv, sv := sim.MeanStd(byVoice[v.Name])
			t.Logf("    %-12s %6.2f ± %4.2f", v.Name, mv, sv)
		}
		if s <= 0 {
			t.Errorf("%s: gold scores have std %v, want > 0", x.Name, s)
		}
		wins := 0
		for _, g := range good {
			for _, b := range worse {
				if g > b {
					wins++
				}
			}
		}
		w := float64(wins) / float64(len(good)*len(worse))
		t.Logf("%s: polite beats unhelpful in %.3f of pairs", x.Name, w)
		if x.Name == "helpful-polite" && w < 0.95 {
			t.Errorf("%s: polite beats unhelpful in %.3f of pairs, want >= 0.95", x.Name, w)
		}
	}
}
