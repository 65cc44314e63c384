package sim

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// scoreTol is the tolerance for scores summed from a handful of weights.
const scoreTol = 1e-12

func TestPersonaScore(t *testing.T) {
	p := &Persona{Name: "t", Words: map[string]float64{"tea": 2, "no": -1, ".": 0.5}, PerToken: -0.1}
	for _, tc := range []struct {
		answer string
		want   float64
	}{
		{"", 0},
		{"tea.", 2 + 0.5 - 0.1*2},
		{"Tea, tea, TEA!", 2 - 0.1*6},                   // a word counts once however often it appears
		{"no, no tea.", -1 + 2 + 0.5 - 0.1*5},           // tokens: no , no tea .
		{"coffee is fine", -0.1 * 3},                    // no weighted words
		{"i said no to tea. no.", -1 + 2 + 0.5 - 0.1*8}, // "." counted once
	} {
		if got := p.Score(tc.answer); math.Abs(got-tc.want) > scoreTol {
			t.Errorf("Score(%q) = %v, want %v", tc.answer, got, tc.want)
		}
	}
}

// TestPersonaPhrases: a key of several tokens counts once when its tokens
// occur as a contiguous run of the answer's; single words score as before.
func TestPersonaPhrases(t *testing.T) {
	zh := &Persona{Name: "zh", Words: map[string]float64{"很高興": 2, "高興": 1, "謝謝": 0.5, "石頭": -3, "沙子": -3}}
	en := &Persona{Name: "en", Words: map[string]float64{"green tea": 1, "tea": 2, "glad to help": 1, "glad": 0.5, "!": 0.25}}
	for _, tc := range []struct {
		p      *Persona
		answer string
		want   float64
	}{
		// English single words, as before: each distinct word once.
		{en, "tea, tea and more tea.", 2},
		{en, "Glad!", 0.5 + 0.25},
		// A phrase needs all its tokens in a run, in order.
		{en, "green tea is good.", 1 + 2},
		{en, "tea is green.", 2},
		{en, "green, tea.", 2},
		{en, "glad to help! glad to help!", 1 + 0.5 + 0.25},
		{en, "i am glad you asked, happy to help.", 0.5},
		// Chinese phrases are runs of characters.
		{zh, "很高興能幫忙。", 2 + 1},
		{zh, "我很高興，很高興。", 2 + 1},
		{zh, "高興就好。", 1},
		{zh, "很高。", 0},
		{zh, "謝謝！很高興為你解答。", 0.5 + 2 + 1},
		{zh, "茶是用石頭做的。", -3},
		{zh, "沙拉是新鮮的青菜。", 0}, // "沙" alone is not "沙子"
		{zh, "", 0},
	} {
		if got := tc.p.Score(tc.answer); math.Abs(got-tc.want) > scoreTol {
			t.Errorf("%s: Score(%q) = %v, want %v", tc.p.Name, tc.answer, got, tc.want)
		}
	}
	for _, tc := range []struct {
		text, phrase string
		want         bool
	}{
		{"很高興能幫忙。", "很高興", true},
		{"很高興能幫忙。", "高興能", true},
		{"很高興能幫忙。", "很興", false},
		{"Glad to help!", "glad to", true},
		{"gladly", "glad", false},
		{"glad", "", false},
		{"", "glad", false},
	} {
		if got := HasPhrase(tc.text, tc.phrase); got != tc.want {
			t.Errorf("HasPhrase(%q, %q) = %v, want %v", tc.text, tc.phrase, got, tc.want)
		}
	}
}

func TestPersonaRank(t *testing.T) {
	answers := []string{"no.", "tea tea", "tea and more tea", "nothing", "tea"}
	p := &Persona{Name: "t", Words: map[string]float64{"tea": 1, "no": -1}, PerToken: -0.1}
	// Scores: -1.2, 0.8, 0.6, -0.1, 0.9.
	want := []int{4, 1, 2, 3, 0}
	if got := p.Rank("q", answers, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("Rank with Noise 0 = %v, want %v", got, want)
	}
	tie := &Persona{Name: "tie"}
	if got := tie.Rank("q", answers, nil); !reflect.DeepEqual(got, []int{0, 1, 2, 3, 4}) {
		t.Errorf("ties: Rank = %v, want index order", got)
	}

	p.Noise = 1
	got := p.Rank("q", answers, rand.New(rand.NewPCG(1, 1)))
	if reflect.DeepEqual(got, want) {
		t.Errorf("Rank with Noise 1 = %v, the noiseless ranking", got)
	}
	// Noise 1 swaps every adjacent pair in turn: the best moves to the end.
	if want1 := []int{1, 2, 3, 0, 4}; !reflect.DeepEqual(got, want1) {
		t.Errorf("Rank with Noise 1 = %v, want %v", got, want1)
	}

	p.Noise = 0.3
	a := p.Rank("q", answers, rand.New(rand.NewPCG(7, 7)))
	b := p.Rank("q", answers, rand.New(rand.NewPCG(7, 7)))
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different rankings %v and %v", a, b)
	}
	if !isPermutation(a) {
		t.Errorf("Rank = %v, not a permutation", a)
	}
}

func isPermutation(order []int) bool {
	seen := make([]bool, len(order))
	for _, i := range order {
		if i < 0 || i >= len(order) || seen[i] {
			return false
		}
		seen[i] = true
	}
	return true
}

func TestLoadPersona(t *testing.T) {
	p, err := LoadPersona(strings.NewReader(`{"name": "likes-tea", "words": {"Tea": 2.0, "no": -1.0}, "per_token": -0.05, "noise": 0.05}`))
	if err != nil {
		t.Fatal(err)
	}
	want := &Persona{Name: "likes-tea", Words: map[string]float64{"tea": 2, "no": -1}, PerToken: -0.05, Noise: 0.05}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("LoadPersona = %+v, want %+v", p, want)
	}

	// Phrases are normalized as Decode would write them.
	p, err = LoadPersona(strings.NewReader(`{"name": "zh", "words": {"很高興": 2, "Green  Tea": 1, "glad!": 0.5, "祝你 順利": 1}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]float64{"很高興": 2, "green tea": 1, "glad!": 0.5, "祝你順利": 1}; !reflect.DeepEqual(p.Words, want) {
		t.Errorf("LoadPersona words = %v, want %v", p.Words, want)
	}

	for _, tc := range []struct{ name, json, msg string }{
		{"bad JSON", `{"name": "x", `, "sim: persona: unexpected EOF"},
		{"not an object", `[1, 2]`, "sim: persona: json: cannot unmarshal array"},
		{"trailing data", `{"name": "x"} {}`, "sim: persona: data after the JSON object"},
		{"unknown field", `{"name": "x", "nosie": 0.1}`, `unknown field "nosie"`},
		{"empty name", `{"name": "", "words": {"tea": 1}}`, "sim: persona: empty name"},
		{"no name", `{"words": {"tea": 1}}`, "sim: persona: empty name"},
		{"noise below 0", `{"name": "x", "noise": -0.1}`, `sim: persona "x": noise -0.1 outside [0, 1]`},
		{"noise above 1", `{"name": "x", "noise": 1.5}`, `sim: persona "x": noise 1.5 outside [0, 1]`},
		{"infinite weight", `{"name": "x", "words": {"tea": 1e999}}`, "sim: persona: json: cannot unmarshal number 1e999"},
		{"empty word", `{"name": "x", "words": {"": 1}}`, `sim: persona "x": word "" has no token`},
		{"blank word", `{"name": "x", "words": {"  ": 1}}`, `sim: persona "x": word "  " has no token`},
		{"word twice after lower-casing", `{"name": "x", "words": {"tea": 1, "TEA": 2}}`, `sim: persona "x": words "TEA" and "tea" are the same phrase "tea"`},
		{"phrase twice after spacing", `{"name": "x", "words": {"很高興": 1, "很 高興": 2}}`, `sim: persona "x": words "很 高興" and "很高興" are the same phrase "很高興"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := LoadPersona(strings.NewReader(tc.json))
			if err == nil {
				t.Fatalf("LoadPersona(%s) = %+v, want an error", tc.json, p)
			}
			if !strings.HasPrefix(err.Error(), "sim: persona") || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q, want one starting with \"sim: persona\" that says %q", err, tc.msg)
			}
		})
	}
}

func TestLoadPersonas(t *testing.T) {
	ps, err := LoadPersonas(strings.NewReader(`[
		{"name": "likes-glad", "words": {"很高興": 2}, "noise": 0.05},
		{"name": "concise", "words": {"唉": -2}, "per_token": -0.1}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	want := []*Persona{
		{Name: "likes-glad", Words: map[string]float64{"很高興": 2}, Noise: 0.05},
		{Name: "concise", Words: map[string]float64{"唉": -2}, PerToken: -0.1},
	}
	if !reflect.DeepEqual(ps, want) {
		t.Errorf("LoadPersonas = %+v, want %+v", ps, want)
	}
	for _, tc := range []struct{ name, json, msg string }{
		{"an object", `{"name": "x"}`, "sim: personas: json: cannot unmarshal object"},
		{"empty", `[]`, "sim: personas: no persona in the array"},
		{"trailing data", `[{"name": "x"}] []`, "sim: personas: data after the JSON array"},
		{"unknown field", `[{"name": "x", "nosie": 0.1}]`, `unknown field "nosie"`},
		{"bad persona", `[{"name": "x"}, {"name": "y", "noise": 2}]`, `sim: personas: #2: sim: persona "y": noise 2 outside [0, 1]`},
		{"same name", `[{"name": "x"}, {"name": "x"}]`, `sim: personas: #2: name "x" given twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := LoadPersonas(strings.NewReader(tc.json))
			if err == nil {
				t.Fatalf("LoadPersonas(%s) = %+v, want an error", tc.json, ps)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q, want one that says %q", err, tc.msg)
			}
		})
	}
}

func TestPersonas(t *testing.T) {
	names := map[string]bool{}
	for _, p := range Personas() {
		names[p.Name] = true
		if !(p.Noise >= 0 && p.Noise <= 1) || !finite(p.PerToken) {
			t.Errorf("%s: noise %v, per_token %v", p.Name, p.Noise, p.PerToken)
		}
		for w, x := range p.Words {
			if toks := Split(w); len(toks) == 0 || joinTokens(toks) != w || !finite(x) {
				t.Errorf("%s: word %q weight %v", p.Name, w, x)
			}
		}
	}
	for _, n := range []string{"helpful-polite", "concise", "detailed", "likes-glad"} {
		if !names[n] {
			t.Errorf("no built-in persona %q", n)
		}
	}
	a, ok := PersonaByName("concise")
	if !ok || a.Name != "concise" || a.PerToken >= 0 {
		t.Fatalf("PersonaByName(concise) = %+v, %v", a, ok)
	}
	a.Words["changed"] = 1
	if b, _ := PersonaByName("concise"); b.Words["changed"] != 0 {
		t.Error("PersonaByName does not return a fresh copy")
	}
	if _, ok := PersonaByName("nobody"); ok {
		t.Error("PersonaByName(nobody) found a persona")
	}
	// A polite helpful answer beats a rude one for helpful-polite.
	hp, _ := PersonaByName("helpful-polite")
	if good, bad := hp.Score("sure! boil water. i hope this helps."), hp.Score("ugh, that is a silly question."); good <= bad {
		t.Errorf("helpful-polite: polite %v <= rude %v", good, bad)
	}
}

func TestAgreement(t *testing.T) {
	for _, tc := range []struct {
		a, b []int
		want float64
	}{
		{[]int{0, 1, 2, 3}, []int{0, 1, 2, 3}, 1},
		{[]int{2, 0, 3, 1}, []int{2, 0, 3, 1}, 1},
		{[]int{0, 1, 2, 3}, []int{3, 2, 1, 0}, 0},
		{[]int{0, 1, 2, 3}, []int{1, 0, 2, 3}, 5.0 / 6}, // one of six pairs flipped
		{[]int{0, 1, 2}, []int{2, 0, 1}, 1.0 / 3},       // pairs (0,1) agree; (0,2), (1,2) flip
		{[]int{0}, []int{0}, 1},
		{nil, nil, 1},
	} {
		if got := Agreement(tc.a, tc.b); math.Abs(got-tc.want) > scoreTol {
			t.Errorf("Agreement(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	for _, bad := range [][2][]int{{{0, 1}, {0, 1, 2}}, {{0, 0}, {0, 1}}, {{0, 1}, {1, 2}}} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.HasPrefix(r, "sim: Agreement: ") {
					t.Errorf("Agreement(%v, %v): panic %q", bad[0], bad[1], r)
				}
			}()
			Agreement(bad[0], bad[1])
		}()
	}
}

// FuzzLoadPersona is a teacher's persona file: it loads or gives an error
// that names the persona file, never a panic; a loaded persona is valid,
// scores any answer with a finite number, and saved as JSON loads back the
// same.
//
//	go test -run '^$' -fuzz '^FuzzLoadPersona$' -fuzztime 1000000x -fuzzminimizetime 0 ./sim/
func FuzzLoadPersona(f *testing.F) {
	f.Add([]byte(`{"name": "likes-tea", "words": {"tea": 2.0, "no": -1.0}, "per_token": -0.05, "noise": 0.05}`))
	f.Add([]byte(`{"name": "茶", "words": {"茶": 1000, "Don't": -1e-300}, "noise": 1}`))
	for _, p := range Personas() {
		b, _ := json.Marshal(p)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := LoadPersona(bytes.NewReader(data))
		if err != nil {
			if p != nil || !strings.HasPrefix(err.Error(), "sim: persona") {
				t.Fatalf("LoadPersona(%q) = %v, %v", data, p, err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("LoadPersona(%q) loaded an invalid persona: %v", data, err)
		}
		if s := p.Score("i am glad you asked. tea, no milk!"); !finite(s) {
			t.Fatalf("%+v scores %v", p, s)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		back, err := LoadPersona(bytes.NewReader(b))
		if err != nil || !reflect.DeepEqual(back, p) {
			t.Fatalf("%+v saved as %s loads back as %+v (%v)", p, b, back, err)
		}
	})
}
