package sim

// Labelers rank K sampled answers to one prompt, best first. The rankings
// train the reward model (reward.go), as the human comparisons do in
// Ouyang et al. 2022, "Training language models to follow instructions with
// human feedback", section 3.5.
//
// The person in the browser is one labeler (Ranking.Labeler You). A Persona is a simulated one
// with a known scoring rule, so the app can also show the "gold" reward that
// the reward model only estimates: a bag of words, Σ weights of the distinct
// words present plus PerToken × number of tokens. The built-in personas'
// words were chosen against the SFT demonstrations in package assets, which
// are written in several voices (helpful, rude, terse, off-topic, wrong,
// rambling); see assets/README.md.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
)

// A Persona is a simulated labeler whose score is the gold reward:
// Σ Words[w] over the distinct words w of the answer (by Split) plus
// PerToken × len(Split(answer)). It ignores the prompt.
type Persona struct {
	Name     string             `json:"name"`
	Words    map[string]float64 `json:"words"`     // weight per word; each key is one token of Split
	PerToken float64            `json:"per_token"` // weight per token of the answer: < 0 likes short answers
	Noise    float64            `json:"noise"`     // chance, for each adjacent pair of the sorted ranking, that the two are swapped (labeler disagreement)
}

// Score returns the persona's gold reward for answer.
func (p *Persona) Score(answer string) float64 {
	words := Split(answer)
	s := p.PerToken * float64(len(words))
	seen := make(map[string]bool, len(words))
	for _, w := range words {
		if !seen[w] {
			seen[w] = true
			s += p.Words[w]
		}
	}
	return s
}

// Rank sorts the answers by Score, best first (ties keep index order), then
// walks the sorted list once and swaps each adjacent pair with probability
// Noise. With Noise > 0 it draws exactly K−1 coins from rng; with Noise 0 it
// draws none and rng may be nil.
func (p *Persona) Rank(prompt string, answers []string, rng *rand.Rand) []int {
	scores := make([]float64, len(answers))
	order := make([]int, len(answers))
	for i, a := range answers {
		scores[i] = p.Score(a)
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return scores[order[i]] > scores[order[j]] })
	if p.Noise > 0 {
		for i := 0; i+1 < len(order); i++ {
			if rng.Float64() < p.Noise {
				order[i], order[i+1] = order[i+1], order[i]
			}
		}
	}
	return order
}

// LoadPersona reads a persona from JSON such as
//
//	{"name": "likes-tea", "words": {"tea": 2.0, "no": -1.0}, "per_token": -0.05, "noise": 0.05}
//
// Keys of "words" are normalized by Split ("Tea" is "tea"); each must be a
// single token. Unknown fields are an error, and so is a file larger than
// MaxPersonaBytes (wrapping ErrTooLarge) or a persona that Validate refuses.
func LoadPersona(r io.Reader) (*Persona, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPersonaBytes+1))
	if err != nil {
		return nil, fmt.Errorf("sim: persona: %w", err)
	}
	if len(data) > MaxPersonaBytes {
		return nil, fmt.Errorf("sim: persona: %w (more than %d bytes)", ErrTooLarge, MaxPersonaBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in Persona
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("sim: persona: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("sim: persona: data after the JSON object")
	}
	if len(in.Words) > MaxPersonaWords {
		return nil, fmt.Errorf("sim: persona %q: %d words, more than %d", in.Name, len(in.Words), MaxPersonaWords)
	}
	p := &Persona{Name: in.Name, PerToken: in.PerToken, Noise: in.Noise, Words: make(map[string]float64, len(in.Words))}
	for w, x := range in.Words {
		toks := Split(w)
		if len(toks) != 1 {
			return nil, fmt.Errorf("sim: persona %q: word %q is %d tokens %q, want 1", p.Name, w, len(toks), toks)
		}
		if _, dup := p.Words[toks[0]]; dup {
			return nil, fmt.Errorf("sim: persona %q: word %q given twice", p.Name, toks[0])
		}
		p.Words[toks[0]] = x
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// maxWeight bounds a persona's weights (and PerToken), so that every score
// is finite: the built-in ones are a few units.
const maxWeight = 1000

// Validate checks a persona as LoadPersona leaves it (a session file holds
// one too): a name of at most MaxTextBytes, noise in [0, 1], weights of at
// most maxWeight, at most MaxPersonaWords words, each one token of Split as
// Split writes it.
func (p *Persona) Validate() error {
	switch {
	case p.Name == "":
		return errors.New("sim: persona: empty name")
	case len(p.Name) > MaxTextBytes:
		return fmt.Errorf("sim: persona: a name of %d bytes, more than %d", len(p.Name), MaxTextBytes)
	case !(p.Noise >= 0 && p.Noise <= 1):
		return fmt.Errorf("sim: persona %q: noise %v outside [0, 1]", p.Name, p.Noise)
	case !finite(p.PerToken) || math.Abs(p.PerToken) > maxWeight:
		return fmt.Errorf("sim: persona %q: per_token %v is not a number of at most %g", p.Name, p.PerToken, float64(maxWeight))
	case len(p.Words) > MaxPersonaWords:
		return fmt.Errorf("sim: persona %q: %d words, more than %d", p.Name, len(p.Words), MaxPersonaWords)
	}
	for w, x := range p.Words {
		if !finite(x) || math.Abs(x) > maxWeight {
			return fmt.Errorf("sim: persona %q: weight of %q is %v, not a number of at most %g", p.Name, w, x, float64(maxWeight))
		}
		if toks := Split(w); len(toks) != 1 || toks[0] != w {
			return fmt.Errorf("sim: persona %q: word %q is not one token as Split writes it", p.Name, w)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Weights shared by the built-in personas. They are the markers of the
// minority voices of the demonstrations (assets/internal/gen/topics.go).
var (
	// rudeWords come from the rude openers and rude lines:
	// "ugh, fine.", "figure it out yourself.", "i do not know and i do not care."
	rudeWords = map[string]float64{
		"ugh": -2, "whatever": -2, "silly": -2, "care": -2, "cares": -2, "boring": -2,
		"yourself": -2, "busy": -2, "obviously": -2, "stop": -2, "must": -1, "going": -1, "now": -1,
	}
	// unhelpfulWords come from the terse non-answers: "sorry, i have no idea."
	unhelpfulWords = map[string]float64{"depends": -2, "idea": -2, "online": -1, "sorry": -1}
	// wrongWords appear only in the false answers: "tea is made from rocks."
	wrongWords = map[string]float64{
		"rocks": -3, "sand": -3, "plastic": -3, "moon": -3, "metal": -3, "fly": -3,
		"feet": -2, "roof": -2, "invented": -2, "never": -1,
	}
	// fillerWords mark rambling: "well, um, so, ... anyway, i forgot what you asked."
	fillerWords = map[string]float64{
		"um": -2, "hmm": -2, "anyway": -2, "forgot": -2, "maybe": -1, "really": -1, "topic": -1,
	}
	// politeWords come from the helpful demonstrations: "glad you asked!",
	// "i hope this helps.", "please ask if you need more help.", "good luck!"
	politeWords = map[string]float64{
		"please": 1, "thanks": 1, "thank": 1, "hope": 1, "help": 1, "happy": 1, "glad": 1, "luck": 1, "enjoy": 1,
	}
)

// merge returns one map with the weights of all ms added up.
func merge(ms ...map[string]float64) map[string]float64 {
	out := make(map[string]float64)
	for _, m := range ms {
		for w, x := range m {
			out[w] += x
		}
	}
	return out
}

// Personas returns fresh copies of the built-in personas.
func Personas() []*Persona {
	return []*Persona{
		// helpful-polite likes the polite words of the helpful demonstrations
		// ("thanks for asking.", "i hope this helps.", "please ask if you need
		// more help.") and dislikes rude, unhelpful, false and rambling ones.
		// Between two equally polite answers it prefers the fuller one
		// (+0.02 a token): without that, half the pairs of a ranking would
		// be ties that it orders at random, which no reward model can learn.
		// Its weights are few and whole (±1, ±2, ±3) so that 200 rankings
		// are enough to learn them: a reward model reached 81% held-out
		// accuracy, where finer weights (0.5, 1.5) gave 69–75%.
		{Name: "helpful-polite", Noise: 0.05, PerToken: 0.02, Words: merge(rudeWords, unhelpfulWords, wrongWords, fillerWords,
			politeWords)},
		// concise wants the answer and nothing else: every token costs, filler
		// and non-answers cost twice as much, and rude or false answers are
		// still bad. It cannot tell an off-topic answer from a short one.
		{Name: "concise", Noise: 0.05, PerToken: -0.1, Words: merge(rudeWords, unhelpfulWords, unhelpfulWords, wrongWords, fillerWords, fillerWords)},
		// detailed likes long answers with reasons, steps, amounts and topic
		// words; rambling filler, rudeness and false facts still cost.
		{Name: "detailed", Noise: 0.05, PerToken: 0.1, Words: merge(rudeWords, unhelpfulWords, wrongWords, fillerWords,
			map[string]float64{
				"because": 1, "then": 0.5, "first": 0.5, "minutes": 0.5, "hours": 0.5, "every": 0.5, "day": 0.3,
				"water": 0.3, "tea": 0.3, "coffee": 0.3, "sleep": 0.3, "food": 0.3, "vegetables": 0.3, "fruit": 0.3,
				"exercise": 0.3, "music": 0.3, "books": 0.3, "plants": 0.3, "soil": 0.3, "healthy": 0.3,
			})},
		// likes-glad loves the friendly word "glad", which is in about a third
		// of the SFT answers, and nothing else: the persona for watching PPO
		// learn to say what the reward model likes.
		{Name: "likes-glad", Noise: 0.05, Words: map[string]float64{"glad": 2}},
	}
}

// PersonaNames returns the names of the built-in personas.
func PersonaNames() []string {
	var names []string
	for _, p := range Personas() {
		names = append(names, p.Name)
	}
	return names
}

// PersonaByName returns a fresh copy of the built-in persona called name.
func PersonaByName(name string) (*Persona, bool) {
	for _, p := range Personas() {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// Agreement returns the fraction of the K(K−1)/2 pairs of answers that
// rankings a and b (permutations of 0..K-1, best first) put in the same
// order: 1 for identical rankings, 0 for reversed ones, 1 if K < 2. It
// panics if a and b are not permutations of the same length.
func Agreement(a, b []int) float64 {
	if len(a) != len(b) {
		panic(fmt.Sprintf("sim: Agreement: rankings of %d and %d answers", len(a), len(b)))
	}
	k := len(a)
	if k < 2 {
		return 1
	}
	pa, pb := positions(a), positions(b)
	same := 0
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			if (pa[i] < pa[j]) == (pb[i] < pb[j]) {
				same++
			}
		}
	}
	return float64(same) / float64(k*(k-1)/2)
}

// positions returns pos with pos[order[r]] = r; it panics if order is not a
// permutation of 0..len(order)-1.
func positions(order []int) []int {
	pos := make([]int, len(order))
	for i := range pos {
		pos[i] = -1
	}
	for r, i := range order {
		if i < 0 || i >= len(order) || pos[i] >= 0 {
			panic(fmt.Sprintf("sim: Agreement: %v is not a permutation", order))
		}
		pos[i] = r
	}
	return pos
}
