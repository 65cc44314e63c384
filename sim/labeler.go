package sim

// Labelers rank K sampled answers to one prompt, best first. The rankings
// train the reward model (reward.go), as the human comparisons do in
// Ouyang et al. 2022, "Training language models to follow instructions with
// human feedback", section 3.5.
//
// The person in the browser is one labeler (Ranking.Labeler You). A Persona is a simulated one
// with a known scoring rule, so the app can also show the "gold" reward that
// the reward model only estimates: a bag of words and phrases, Σ weights of
// those present plus PerToken × number of tokens. A phrase is a run of
// tokens ("green tea", or "很高興", three CJK tokens), so a persona can like
// a Chinese word as it likes an English one. The built-in personas'
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
	"strings"
)

// A Persona is a simulated labeler whose score is the gold reward:
// Σ Words[k] over the keys k that occur in the answer plus
// PerToken × len(Split(answer)). It ignores the prompt.
//
// A key is a word or a phrase: the tokens Split gives it, which occur in the
// answer when they are a contiguous run of the answer's tokens. Each key
// counts once however often it occurs, and keys are matched independently,
// so with the keys "很高興" and "高興" the answer "很高興幫忙！" scores both.
type Persona struct {
	Name     string             `json:"name"`
	Words    map[string]float64 `json:"words"`     // weight per word or phrase (see above)
	PerToken float64            `json:"per_token"` // weight per token of the answer: < 0 likes short answers
	Noise    float64            `json:"noise"`     // chance, for each adjacent pair of the sorted ranking, that the two are swapped (labeler disagreement)
}

// A phrase is one key of Persona.Words as tokens, with its weight.
type phrase struct {
	key    string
	tokens []string
	weight float64
}

// phrases returns p's keys grouped by their first token, each group sorted
// by key, so Score adds the weights in an order that does not depend on map
// iteration. Keys with no token ("", " ") are left out.
func (p *Persona) phrases() map[string][]phrase {
	byFirst := make(map[string][]phrase, len(p.Words))
	for k, x := range p.Words {
		if toks := Split(k); len(toks) > 0 {
			byFirst[toks[0]] = append(byFirst[toks[0]], phrase{k, toks, x})
		}
	}
	for _, g := range byFirst {
		sort.Slice(g, func(i, j int) bool { return g[i].key < g[j].key })
	}
	return byFirst
}

// Score returns the persona's gold reward for answer. The weights are added
// in the order in which the keys first occur in the answer (by their first
// token, then by key), so for single-word keys Score is the sum over the
// answer's distinct words in order, as it always was.
func (p *Persona) Score(answer string) float64 {
	words := Split(answer)
	s := p.PerToken * float64(len(words))
	byFirst := p.phrases()
	seen := make(map[string]bool)
	for i, w := range words {
		for _, ph := range byFirst[w] {
			if !seen[ph.key] && hasRunAt(words, i, ph.tokens) {
				seen[ph.key] = true
				s += ph.weight
			}
		}
	}
	return s
}

// hasRunAt reports whether words[i:] begins with run.
func hasRunAt(words []string, i int, run []string) bool {
	if len(words)-i < len(run) {
		return false
	}
	for j, t := range run {
		if words[i+j] != t {
			return false
		}
	}
	return true
}

// HasPhrase reports whether the tokens of phrase (by Split) occur as a
// contiguous run of the tokens of text: as a persona's key would match. A
// phrase with no token is in no text.
func HasPhrase(text, phrase string) bool {
	run := Split(phrase)
	if len(run) == 0 {
		return false
	}
	words := Split(text)
	for i := range words {
		if hasRunAt(words, i, run) {
			return true
		}
	}
	return false
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
//	{"name": "likes-tea", "words": {"tea": 2.0, "green tea": 1.0, "很高興": 1.0, "no": -1.0}, "per_token": -0.05, "noise": 0.05}
//
// Keys of "words" are words or phrases; each is normalized to its tokens by
// Split, written back as Decode would join them ("Tea" is "tea", "Green  Tea"
// is "green tea"), and two keys may not normalize to the same phrase. Unknown
// fields are an error, and so is a file larger than MaxPersonaBytes (wrapping
// ErrTooLarge) or a persona that Validate refuses.
func LoadPersona(r io.Reader) (*Persona, error) {
	var in Persona
	if err := readJSON(r, MaxPersonaBytes, &in, "persona", "object"); err != nil {
		return nil, err
	}
	return checkPersona(in)
}

// readJSON decodes one JSON value of at most limit bytes from r into v,
// refusing unknown fields and anything after the value; what and kind name
// it in the errors ("persona", "object").
func readJSON(r io.Reader, limit int, v any, what, kind string) error {
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return fmt.Errorf("sim: %s: %w", what, err)
	}
	if len(data) > limit {
		return fmt.Errorf("sim: %s: %w (more than %d bytes)", what, ErrTooLarge, limit)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("sim: %s: %w", what, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("sim: %s: data after the JSON %s", what, kind)
	}
	return nil
}

// maxPersonasBytes bounds a file of several personas (the built-in ones).
const maxPersonasBytes = 16 * MaxPersonaBytes

// LoadPersonas reads a JSON array of personas, each as LoadPersona reads
// one; names must differ. An empty array is an error.
func LoadPersonas(r io.Reader) ([]*Persona, error) {
	var in []Persona
	if err := readJSON(r, maxPersonasBytes, &in, "personas", "array"); err != nil {
		return nil, err
	}
	if len(in) == 0 {
		return nil, errors.New("sim: personas: no persona in the array")
	}
	out := make([]*Persona, 0, len(in))
	names := make(map[string]bool, len(in))
	for i, p := range in {
		q, err := checkPersona(p)
		if err != nil {
			return nil, fmt.Errorf("sim: personas: #%d: %w", i+1, err)
		}
		if names[q.Name] {
			return nil, fmt.Errorf("sim: personas: #%d: name %q given twice", i+1, q.Name)
		}
		names[q.Name] = true
		out = append(out, q)
	}
	return out, nil
}

// checkPersona validates a decoded persona and returns it with its keys
// normalized.
func checkPersona(in Persona) (*Persona, error) {
	if len(in.Words) > MaxPersonaWords {
		return nil, fmt.Errorf("sim: persona %q: %d words, more than %d", in.Name, len(in.Words), MaxPersonaWords)
	}
	p := &Persona{Name: in.Name, PerToken: in.PerToken, Noise: in.Noise, Words: make(map[string]float64, len(in.Words))}
	keys := make([]string, 0, len(in.Words))
	for w := range in.Words {
		keys = append(keys, w)
	}
	sort.Strings(keys) // so that the error for a repeated key names the same two keys every time
	given := make(map[string]string, len(keys))
	for _, w := range keys {
		x := in.Words[w]
		if !finite(x) {
			return nil, fmt.Errorf("sim: persona %q: weight of %q is %v", p.Name, w, x)
		}
		toks := Split(w)
		if len(toks) == 0 {
			return nil, fmt.Errorf("sim: persona %q: word %q has no token", p.Name, w)
		}
		key := joinTokens(toks)
		if first, dup := given[key]; dup {
			return nil, fmt.Errorf("sim: persona %q: words %q and %q are the same phrase %q", p.Name, first, w, key)
		}
		given[key] = w
		p.Words[key] = x
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// joinTokens writes tokens back as text, with the spaces Decode puts between
// them: "green tea", "glad!", "很高興".
func joinTokens(toks []string) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && spaceBetween(toks[i-1], t) {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	return b.String()
}

// maxWeight bounds a persona's weights (and PerToken), so that every score
// is finite: the built-in ones are a few units.
const maxWeight = 1000

// Validate checks a persona as LoadPersona leaves it (a session file holds
// one too): a name of at most MaxTextBytes, noise in [0, 1], weights of at
// most maxWeight, at most MaxPersonaWords words, each a word or phrase as
// LoadPersona normalizes it.
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
		if toks := Split(w); len(toks) == 0 || joinTokens(toks) != w {
			return fmt.Errorf("sim: persona %q: word %q is not a phrase as Split and Decode write it", p.Name, w)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Weights shared by the built-in personas. They are the markers of the
// minority voices of the English demonstrations (assets/internal/gen/en.go
// and en_topics.go), each chosen because it occurs in those voices and (almost)
// never in a helpful answer.
var (
	// rudeWords come from the rude openers and rude lines:
	// "ugh, fine.", "that is easy, obviously.", "i do not know and i do not care."
	rudeWords = map[string]float64{
		"ugh": -2, "whatever": -2, "silly": -2, "care": -2, "cares": -2, "boring": -2, "figure": -2,
		"obviously": -2, "stop": -2, "must": -1, "going": -1, "now": -1, "again": -1,
	}
	// unhelpfulWords come from the terse non-answers: "sorry, i have no idea."
	unhelpfulWords = map[string]float64{"depends": -2, "idea": -2, "online": -1, "sorry": -1, "know": -1}
	// wrongWords appear only in the false answers: "tea is made from rocks."
	wrongWords = map[string]float64{
		"rocks": -3, "sand": -3, "plastic": -3, "moon": -3, "metal": -3, "fly": -3,
		"feet": -2, "roof": -2, "invented": -2, "never": -1,
	}
	// fillerWords mark rambling: "well, um, so, ... anyway, i forgot what you asked."
	fillerWords = map[string]float64{
		"um": -2, "hmm": -2, "anyway": -2, "forgot": -2, "really": -1, "topic": -1, "things": -1,
	}
	// politeWords come from the helpful demonstrations' openers and closers:
	// "glad you asked!", "i hope this helps.", "please ask if you need more help."
	politeWords = map[string]float64{
		"please": 1, "thanks": 1, "thank": 1, "hope": 1, "help": 1, "happy": 1, "glad": 1, "luck": 1, "enjoy": 1,
		"nice": 1, "useful": 1,
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

// Personas returns fresh copies of the built-in personas, which speak
// English; another language brings its own as data (assets/zh-TW/personas.json,
// read with LoadPersonas).
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
