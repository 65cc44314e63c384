// Package presets holds the lessons' experiments (issue 12) as data and a
// runner: each preset is a short run of sim.Lab steps from the shipped
// models, with its own default seed, that reports its progress and ends
// with a Result (its figures, its charts' data, its answers side by side)
// and a check of the point the lesson promises. It draws nothing:
// cmd/rlhf -preset NAME runs one and draws its charts, and the page's
// lesson screen can run the same steps.
//
// Every preset starts from the shipped SFT model (the shipped pretrained
// one too, for sft-format) rather than redoing SFT, which alone takes
// longer than a lesson has: a preset is a few hundred rankings, a few
// reward-model passes and at most ~60 PPO iterations, well under a minute
// natively (docs/presets.md has the measured seconds).
package presets

import (
	"fmt"
	"math/rand/v2"
	"time"

	"rlhfplayground/assets"
	"rlhfplayground/quality"
	"rlhfplayground/sim"
)

// A Preset is one experiment of the lessons.
type Preset struct {
	Name  string // what -preset takes and a link names: "kl-penalty"
	Title string // one line: "PPO with the KL penalty"
	Point string // what the lesson promises it shows
	Seed  uint64 // the default seed, the one the checks are made with
	// Baseline names the preset whose result Check compares with ("" for
	// none): no-kl's KL is measured against kl-penalty's.
	Baseline string

	run   func(e *env) error
	check func(r, base *Result) []Claim
}

// A Claim is one statement of a preset's point and whether the run bears it out.
type Claim struct {
	Text string `json:"text"` // "the KL at the end is at least 3 × kl-penalty's (18.2 vs 2.1 nats)"
	Held bool   `json:"held"`
}

// Options set a run.
type Options struct {
	Seed     uint64         // 0: the preset's default seed
	Progress func(Progress) // called after each step; nil for none
	// Models returns the shipped pretrained and SFT models and their
	// tokenizer (nil: the English pack's built-in checkpoints, which a
	// js/wasm build does not have: the worker passes the ones it fetched).
	// The run clones them and never changes them.
	Models func() (base, sft *sim.GPT, tok *sim.Tokenizer, err error)
}

// Progress is where a run is: a stage and its steps.
type Progress struct {
	Stage       string // "label", "rm", "ppo", "samples", …
	Done, Total int
}

// Figure is one named number of a result.
type Figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Line is one curve (or, in a bar chart, one group of bars) of a chart.
type Line struct {
	Name string    `json:"name"`
	X    []float64 `json:"x"`
	Y    []float64 `json:"y"`
}

// Chart is the data of one chart. With Categories it is a bar chart: each
// line has one bar per category (X is then 0, 1, …).
type Chart struct {
	Name       string    `json:"name"` // file stem: "kl-penalty_reward"
	Title      string    `json:"title"`
	XLabel     string    `json:"x_label"`
	YLabel     string    `json:"y_label"`
	Lines      []Line    `json:"lines"`
	Categories []string  `json:"categories,omitempty"`
	MarkX      []float64 `json:"mark_x,omitempty"`  // vertical marks (change-mind: the switch)
	Scatter    bool      `json:"scatter,omitempty"` // points, not lines
}

// AnswerPair is one prompt answered by two models (sft-format).
type AnswerPair struct {
	Prompt string `json:"prompt"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Result is what a run of a preset found.
type Result struct {
	Preset  string       `json:"preset"`
	Seed    uint64       `json:"seed"`
	Seconds float64      `json:"seconds"`
	Figures []Figure     `json:"figures"`
	Charts  []Chart      `json:"charts"`
	Answers []AnswerPair `json:"answers,omitempty"`
	Claims  []Claim      `json:"claims"` // the preset's point checked without its baseline
	// TopSentence is the sentence most of the policy's answers contain
	// (kl-penalty, no-kl): what a collapse collapses onto.
	TopSentence string `json:"top_sentence,omitempty"`
}

// Figure returns the figure called name.
func (r *Result) Figure(name string) (float64, bool) {
	for _, f := range r.Figures {
		if f.Name == name {
			return f.Value, true
		}
	}
	return 0, false
}

// Must returns the figure called name and panics without one: for checks of
// figures a preset always writes.
func (r *Result) Must(name string) float64 {
	x, ok := r.Figure(name)
	if !ok {
		panic(fmt.Sprintf("presets: %s has no figure %q", r.Preset, name))
	}
	return x
}

func (r *Result) set(name string, x float64) {
	for i := range r.Figures {
		if r.Figures[i].Name == name {
			r.Figures[i].Value = x
			return
		}
	}
	r.Figures = append(r.Figures, Figure{name, x})
}

// Check states the preset's point about r, comparing with base (a result
// of the Baseline preset) where the point needs it; with base nil those
// claims are left out.
func (p Preset) Check(r, base *Result) []Claim {
	if p.check == nil {
		return nil
	}
	return p.check(r, base)
}

// Held reports whether every claim held.
func Held(claims []Claim) bool {
	for _, c := range claims {
		if !c.Held {
			return false
		}
	}
	return len(claims) > 0
}

// All returns the presets in the lessons' order.
func All() []Preset { return presets() }

// Names returns the presets' names in order.
func Names() []string {
	var n []string
	for _, p := range presets() {
		n = append(n, p.Name)
	}
	return n
}

// ByName returns the preset called name.
func ByName(name string) (Preset, bool) {
	for _, p := range presets() {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

// Run runs the preset from the shipped English models.
func (p Preset) Run(opt Options) (*Result, error) {
	start := time.Now()
	e, err := newEnv(opt)
	if err != nil {
		return nil, err
	}
	if e.seed == 0 {
		e.seed = p.Seed
	}
	e.res = &Result{Preset: p.Name, Seed: e.seed}
	if err := p.run(e); err != nil {
		return nil, fmt.Errorf("presets: %s: %w", p.Name, err)
	}
	e.res.Claims = p.Check(e.res, nil)
	e.res.Seconds = time.Since(start).Seconds()
	return e.res, nil
}

// env is what a run works with: the shipped models and data, the judge,
// the result being filled.
type env struct {
	seed     uint64
	progress func(Progress)
	data     sim.LabData
	base     *sim.GPT
	sft      *sim.GPT
	tok      *sim.Tokenizer
	judge    *quality.Judge
	res      *Result
}

func newEnv(opt Options) (*env, error) {
	// The English pack's functions, not assets.PackByLang: that would link
	// every language's files into the worker, which fetches the others.
	data, err := assets.LabData()
	if err != nil {
		return nil, err
	}
	models := assets.Models
	if opt.Models != nil {
		models = opt.Models
	}
	base, sft, tok, err := models()
	if err != nil {
		return nil, err
	}
	qd, err := assets.QualityData()
	if err != nil {
		return nil, err
	}
	j, err := quality.New(qd)
	if err != nil {
		return nil, err
	}
	return &env{seed: opt.Seed, progress: opt.Progress, data: data, base: base, sft: sft, tok: tok, judge: j}, nil
}

func (e *env) report(stage string, done, total int) {
	if e.progress != nil {
		e.progress(Progress{stage, done, total})
	}
}

// lab starts a Lab from the shipped SFT model with settings s and persona
// p (a built-in persona or one of the preset's own).
func (e *env) lab(s sim.Settings, p *sim.Persona) (*sim.Lab, error) {
	s.Seed, s.Persona = e.seed, p.Name
	lab, err := sim.NewLab(s, e.data, e.tok, e.base.Clone(), e.sft.Clone())
	if err != nil {
		return nil, err
	}
	lab.CustomPersona = p
	return lab, nil
}

// label has the lab's persona rank n sets of answers.
func (e *env) label(lab *sim.Lab, n int) error {
	for i := range n {
		if err := lab.AutoLabel(1); err != nil {
			return err
		}
		e.report("label", i+1, n)
	}
	return nil
}

// trainRM runs one reward-model job over the lab's rankings.
func (e *env) trainRM(lab *sim.Lab) error {
	job, err := lab.StartRewardJob()
	if err != nil {
		return err
	}
	for !job.Finished() {
		if _, err := job.Step(); err != nil {
			return err
		}
		e.report("rm", job.Done(), job.Steps())
	}
	return nil
}

// ppo runs n PPO iterations; after each, each is called with the iteration's
// answers (may be nil).
func (e *env) ppo(lab *sim.Lab, n int, each func(sim.PPOStats, []sim.Rollout)) error {
	for i := range n {
		st, err := lab.PPOStep()
		if err != nil {
			return err
		}
		if each != nil {
			each(st, lab.LastRollouts())
		}
		e.report("ppo", i+1, n)
	}
	return nil
}

// Evaluation answers: samplesEach answers to each held-out prompt, at least
// minSamples, drawn from their own stream so that two models' answers are
// drawn alike (as cmd/rlhf does).
const (
	minSamples    = 32
	samplesEach   = 2
	samplesStream = 99
)

// answer is one evaluation answer.
type answer struct {
	Prompt, Text string
	Ended        bool
	Tokens       int
}

// samples draws model m's answers to the held-out prompts at temperature.
func (e *env) samples(m *sim.GPT, temperature float64) []answer {
	held := e.data.HeldoutPrompts
	n := max(minSamples, samplesEach*len(held))
	rng := rand.New(rand.NewPCG(e.seed, samplesStream))
	ids := make([][]int, n)
	prompts := make([]string, n)
	for i := range ids {
		prompts[i] = held[i%len(held)]
		ids[i] = sim.ChatPrompt(e.tok, prompts[i])
		if limit := m.Config.Context - 2; len(ids[i]) > limit {
			ids[i] = ids[i][:limit]
		}
	}
	e.report("samples", 0, 1)
	out := sim.Sample(m, ids, sim.SampleOptions{Temperature: temperature}, rng)
	e.report("samples", 1, 1)
	a := make([]answer, n)
	for i, x := range out {
		a[i] = answer{Prompt: prompts[i], Text: sim.AnswerText(e.tok, x), Ended: sim.EndsProperly(x), Tokens: len(x)}
	}
	return a
}

// report judges answers.
func (e *env) quality(a []answer) quality.Report {
	qa := make([]quality.Answer, len(a))
	for i, x := range a {
		qa[i] = quality.Answer{Prompt: x.Prompt, Text: x.Text, Ended: x.Ended}
	}
	return e.judge.Report(qa)
}
