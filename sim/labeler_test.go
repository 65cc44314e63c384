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

	for _, tc := range []struct{ name, json string }{
		{"bad JSON", `{"name": "x", `},
		{"not an object", `[1, 2]`},
		{"trailing data", `{"name": "x"} {}`},
		{"unknown field", `{"name": "x", "nosie": 0.1}`},
		{"empty name", `{"name": "", "words": {"tea": 1}}`},
		{"no name", `{"words": {"tea": 1}}`},
		{"noise below 0", `{"name": "x", "noise": -0.1}`},
		{"noise above 1", `{"name": "x", "noise": 1.5}`},
		{"infinite weight", `{"name": "x", "words": {"tea": 1e999}}`},
		{"two-token word", `{"name": "x", "words": {"green tea": 1}}`},
		{"word with punctuation", `{"name": "x", "words": {"tea.": 1}}`},
		{"empty word", `{"name": "x", "words": {"": 1}}`},
		{"word twice after lower-casing", `{"name": "x", "words": {"tea": 1, "TEA": 2}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := LoadPersona(strings.NewReader(tc.json))
			if err == nil {
				t.Fatalf("LoadPersona(%s) = %+v, want an error", tc.json, p)
			}
			if !strings.HasPrefix(err.Error(), "sim: persona") {
				t.Errorf("error %q does not start with \"sim: persona\"", err)
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
			if toks := Split(w); len(toks) != 1 || toks[0] != w || !finite(x) {
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
