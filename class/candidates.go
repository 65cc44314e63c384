package class

// Candidate sets: a prompt and K answers sampled from the class's model,
// the same model the students' app labels with (the shipped SFT model).
// Set number seq of a class is a pure function of (class seed, seq, K, the
// model and the prompts): its random stream is PCG(seed, seq), so a class's
// sets are reproducible and two servers that make the same set agree.

import (
	"math/rand/v2"

	"rlhfplayground/sim"
)

// Generator samples candidate sets. It only reads the model, so it may be
// used from several goroutines.
type Generator struct {
	model   *sim.GPT
	tok     *sim.Tokenizer
	prompts []string
	opt     sim.SampleOptions
}

// maxDraws bounds how many rounds of K answers a set may draw to find K
// distinct ones that are not empty: two identical answers make a pair no
// one can order, so agreement on it means nothing (sim.Ranking.Pairs skips
// such pairs too), and an empty one (the model can end an answer at once)
// shows as a blank card.
const maxDraws = 3

// NewGenerator samples answers from model with the app's labelling
// settings (sim.DefaultSettings: temperature, and PPO's longest answer) to
// prompts drawn from prompts.
func NewGenerator(model *sim.GPT, tok *sim.Tokenizer, prompts []string) *Generator {
	if len(prompts) == 0 || model == nil || tok == nil || model.Config.Vocab != tok.Size() {
		panic("class: NewGenerator: needs a model, its tokenizer and prompts")
	}
	s := sim.DefaultSettings()
	return &Generator{model: model, tok: tok, prompts: prompts,
		opt: sim.SampleOptions{Temperature: s.LabelTemperature, MaxNew: s.PPO.MaxNew}}
}

// Set returns the prompt and k answers of set seq of the class with seed.
// The answers are distinct and not empty when maxDraws rounds find k such
// ones; otherwise the set is filled with the answers set aside.
func (g *Generator) Set(seed uint64, seq, k int) (prompt string, answers []string) {
	if k < sim.MinK || k > sim.MaxK {
		panic("class: Generator.Set: k outside sim.MinK…sim.MaxK")
	}
	rng := rand.New(rand.NewPCG(seed, uint64(seq)))
	prompt = g.prompts[rng.IntN(len(g.prompts))]
	ids := sim.ChatPrompt(g.tok, prompt)
	if n := g.model.Config.Context - 2; len(ids) > n { // room for at least one answer token
		ids = ids[:n]
	}
	rows := make([][]int, k)
	for i := range rows {
		rows[i] = ids
	}
	var setAside []string // repeats and empty answers
	seen := map[string]bool{}
	for range maxDraws {
		for _, a := range sim.Sample(g.model, rows, g.opt, rng) {
			text := sim.AnswerText(g.tok, a)
			if seen[text] || sim.BlankAnswer(text) {
				setAside = append(setAside, text)
				continue
			}
			seen[text] = true
			if answers = append(answers, text); len(answers) == k {
				return prompt, answers
			}
		}
	}
	return prompt, append(answers, setAside[:k-len(answers)]...)
}
