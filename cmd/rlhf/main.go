// Command rlhf runs the whole RLHF recipe without a screen, for teachers who
// want numbers and charts and for checks:
//
//	go run ./cmd/rlhf -persona likes-glad -ppo-iters 40 -out out
//
// It starts from the shipped SFT model (the one the app starts from, which
// cmd/mkcheckpoints makes from the shipped pretrained model with
// assets.Recipe) and runs, in order:
//
//  1. with -sft-steps N, supervised fine-tuning again, N steps from the
//     shipped pretrained model (or -base) on the built-in demonstrations;
//  2. answers of the SFT model to the held-out prompts (sft.samples), or to
//     a teacher's own prompts (-eval-prompts FILE, one per line), and their
//     quality (sft.quality: grammatical, on topic, voices, distinct);
//  3. -rankings auto-labelled rankings of -k answers by the persona;
//  4. the reward model, -rm-epochs passes over the rankings, then held-out accuracy;
//  5. -ppo-iters PPO iterations against the reward model;
//  6. answers of the policy to the same prompts (ppo.samples, ppo.quality).
//
// It writes DIR/metrics.json and PNG charts (rm, ppo_reward, ppo_kl,
// ppo_entropy, and sft_loss when it ran SFT), shows a progress bar per stage
// on stderr and a summary line per stage on stdout. The "break it" switches
// (-pad-with-end, -no-whitening, -no-temp-scaling, -kl-estimator,
// -adaptive-kl) set the matching fields of sim.PPOConfig; -gold-reward
// replaces the reward model by the persona's own score, a perfect reward
// model.
//
// With -preset NAME it runs one of the lessons' experiments instead
// (package presets; -preset list prints their names): its figures and
// claims on stdout, DIR/NAME.json and its charts (preset.go, preset_charts.go).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"rlhfplayground/assets"
	"rlhfplayground/quality"
	"rlhfplayground/sim"
)

const (
	minSamples    = 32 // fewest answers sampled to the held-out prompts per model
	samplesEach   = 2  // answers per held-out prompt: the gold means are then within ±0.15 SFT std
	samplesStream = 99 // second PCG word of the samples' random stream
)

// config is everything the flags set.
type config struct {
	persona       string // built-in persona name or persona JSON file
	seed          uint64
	rankings      int
	k             int
	ppoIters      int
	beta          float64
	sftSteps      int
	rmEpochs      int
	out           string
	adaptiveKL    bool
	klEstimator   string
	padWithEnd    bool
	noWhitening   bool
	noTempScaling bool
	goldReward    bool
	constantLR    bool
	quiet         bool
	evalPrompts   string // file of prompts to evaluate on, one per line; "" for the held-out prompts
	base          string // pretrained checkpoint to start from; "" for the shipped one
	lang          string // the data pack and its models: "en" or "zh-TW"
	preset        string // -preset: a lesson's experiment, or "list"; "" for the recipe
	seedSet       bool   // -seed was given (a preset otherwise runs with its own default seed)
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	switch {
	case err == nil && cfg.preset != "":
		err = runPreset(cfg, os.Stdout, os.Stderr)
	case err == nil:
		err = run(cfg, os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// defaultConfig returns the flags' defaults.
func defaultConfig() config {
	s := sim.DefaultSettings()
	return config{persona: s.Persona, seed: 1, rankings: 200, k: 4, ppoIters: 40, beta: s.PPO.KLCoef,
		rmEpochs: s.Reward.Epochs, out: "out", klEstimator: s.PPO.KLEstimator, lang: "en"}
}

// pack returns the data pack of -lang.
func (c config) pack() (*assets.Pack, error) {
	p, ok := assets.PackByLang(c.lang)
	if !ok {
		var langs []string
		for _, p := range assets.Packs() {
			langs = append(langs, p.Lang)
		}
		return nil, fmt.Errorf("rlhf: -lang %q: want one of %s", c.lang, strings.Join(langs, ", "))
	}
	return p, nil
}

// recipe is how the shipped checkpoints were made; -sft-steps redoes its SFT.
func recipe() assets.Recipe {
	en, _ := assets.PackByLang("en")
	return en.Recipe()
}

// parseFlags reads the command line; usage and flag errors go to stderr.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := defaultConfig()
	fs := flag.NewFlagSet("rlhf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var names []string
	for _, p := range sim.Personas() {
		names = append(names, p.Name)
	}
	fs.StringVar(&cfg.persona, "persona", cfg.persona, "simulated labeler: a built-in name ("+strings.Join(names, ", ")+") or a persona JSON file")
	fs.Uint64Var(&cfg.seed, "seed", cfg.seed, "seed of every random stream")
	fs.IntVar(&cfg.rankings, "rankings", cfg.rankings, "rankings the persona labels for the reward model")
	fs.IntVar(&cfg.k, "k", cfg.k, "answers per ranking")
	fs.IntVar(&cfg.ppoIters, "ppo-iters", cfg.ppoIters, "PPO iterations")
	fs.Float64Var(&cfg.beta, "beta", cfg.beta, "β, the KL coefficient (the start value with -adaptive-kl)")
	fs.IntVar(&cfg.sftSteps, "sft-steps", cfg.sftSteps, fmt.Sprintf("if above 0, redo SFT: this many steps from the pretrained model, with the recipe's settings (it made the shipped SFT model in %d); 0 starts from the shipped SFT model", recipe().SFTSteps))
	fs.IntVar(&cfg.rmEpochs, "rm-epochs", cfg.rmEpochs, "reward-model passes over the training rankings")
	fs.StringVar(&cfg.lang, "lang", cfg.lang, "the data pack, its models and personas: en or zh-TW (繁體中文)")
	fs.StringVar(&cfg.out, "out", cfg.out, "directory for metrics.json and the charts")
	fs.BoolVar(&cfg.adaptiveKL, "adaptive-kl", false, "adapt β toward a KL target (Ziegler et al. 2019)")
	fs.StringVar(&cfg.klEstimator, "kl-estimator", cfg.klEstimator, "KL penalty estimator: k1 or k3")
	fs.BoolVar(&cfg.padWithEnd, "pad-with-end", false, "break it: <eos> doubles as padding, so the end is never learned")
	fs.BoolVar(&cfg.noWhitening, "no-whitening", false, "break it: use raw advantages")
	fs.BoolVar(&cfg.noTempScaling, "no-temp-scaling", false, "break it: log-probabilities ignore the sampling temperature")
	fs.BoolVar(&cfg.goldReward, "gold-reward", false, "a perfect reward model: PPO optimises the persona's own score (normalised like the reward model's)")
	fs.BoolVar(&cfg.constantLR, "constant-lr", false, "keep PPO's learning rate constant instead of annealing it to 0 over -ppo-iters")
	fs.BoolVar(&cfg.quiet, "quiet", false, "no progress bars")
	fs.StringVar(&cfg.evalPrompts, "eval-prompts", "", "evaluate the answers to the prompts of this file instead of the built-in held-out prompts: one per line, optionally \"topic<TAB>prompt\"")
	fs.StringVar(&cfg.base, "base", "", "start from this pretrained checkpoint instead of the shipped one (cmd/mkcheckpoints writes them)")
	fs.StringVar(&cfg.preset, "preset", "", "run one of the lessons' experiments instead of the recipe (\"list\" prints their names): its figures, DIR/NAME.json and its charts; it sets its own sizes and persona, so only -seed, -out and -quiet apply")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	fs.Visit(func(f *flag.Flag) { cfg.seedSet = cfg.seedSet || f.Name == "seed" })
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("rlhf: unexpected arguments %q", fs.Args())
	}
	return cfg, nil
}

// validate rejects counts the pipeline cannot run with; the Lab checks the rest.
func (c config) validate() error {
	switch {
	case c.sftSteps < 0, c.rankings < 1, c.rmEpochs < 1, c.ppoIters < 1:
		return fmt.Errorf("rlhf: -sft-steps %d must be at least 0, -rankings %d, -rm-epochs %d and -ppo-iters %d at least 1",
			c.sftSteps, c.rankings, c.rmEpochs, c.ppoIters)
	case c.base != "" && c.sftSteps == 0:
		return errors.New("rlhf: -base needs -sft-steps: the shipped SFT model was fine-tuned from the shipped pretrained model, not from -base")
	case c.out == "":
		return errors.New("rlhf: -out is empty")
	}
	return nil
}

// settings turns the flags into the Lab's settings.
func (c config) settings(persona string) sim.Settings {
	s := sim.DefaultSettings()
	s.Seed, s.K, s.Persona = c.seed, c.k, persona
	if c.lang != "en" {
		s.Lang = c.lang // a session's language; "" is English
	}
	s.SFT = recipe().SFT // the shipped SFT's settings
	if c.sftSteps > 0 {
		s.SFT = recipe().WithSteps(0, c.sftSteps).SFT // its schedule stretched to -sft-steps
	}
	s.Reward.Epochs = c.rmEpochs
	s.PPO.KLCoef = c.beta
	s.PPO.AdaptiveKL = c.adaptiveKL
	s.PPO.KLEstimator = c.klEstimator
	s.PPO.PadWithEnd = c.padWithEnd
	s.PPO.NoWhitening = c.noWhitening
	s.PPO.NoTempScaling = c.noTempScaling
	s.PPO.GoldReward = c.goldReward
	if !c.constantLR {
		s.PPO.LRDecay = c.ppoIters // annealed linearly to 0 over the run, as lm-human-preferences does
	}
	return s
}

// loadPersona returns the pack's persona called name (for English the
// built-in ones), or else the persona in the JSON file name.
func loadPersona(name string, pack *assets.Pack) (*sim.Persona, error) {
	personas, err := pack.Personas()
	if err != nil {
		return nil, fmt.Errorf("rlhf: %w", err)
	}
	for _, p := range personas {
		if p.Name == name {
			return p, nil
		}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("rlhf: -persona %q is neither a built-in persona nor a readable file: %w", name, err)
	}
	defer f.Close()
	p, err := sim.LoadPersona(f)
	if err != nil {
		return nil, fmt.Errorf("rlhf: -persona %s: %w", name, err)
	}
	return p, nil
}

// newLab builds the Lab from the pack's data and its shipped pretrained
// checkpoint. SFT starts from the pretrained model (sft = nil), so the run
// shows the whole recipe.
func newLab(cfg config, pack *assets.Pack, persona *sim.Persona) (*sim.Lab, error) {
	data, err := pack.LabData()
	if err != nil {
		return nil, fmt.Errorf("rlhf: %w", err)
	}
	if len(data.HeldoutPrompts) == 0 {
		return nil, errors.New("rlhf: the embedded data has no held-out prompts")
	}
	base, sft, tok, err := pack.Models()
	if err != nil {
		return nil, fmt.Errorf("rlhf: %w", err)
	}
	if cfg.base != "" {
		if base, tok, err = readCheckpoint(cfg.base); err != nil {
			return nil, err
		}
	}
	if cfg.sftSteps > 0 {
		sft = nil // SFT starts from base
	}
	lab, err := sim.NewLab(cfg.settings(persona.Name), data, tok, base, sft)
	if err != nil {
		return nil, err
	}
	lab.CustomPersona = persona
	return lab, nil
}

// readCheckpoint loads a pretrained checkpoint file and its tokenizer.
func readCheckpoint(path string) (*sim.GPT, *sim.Tokenizer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("rlhf: -base: %w", err)
	}
	defer f.Close()
	c, err := sim.ReadCheckpoint(f)
	if err != nil {
		return nil, nil, fmt.Errorf("rlhf: -base %s: %w", path, err)
	}
	m, tok := c.Model()
	return m, tok, nil
}

// runner carries one run through its stages.
type runner struct {
	cfg     config
	lab     *sim.Lab
	persona *sim.Persona
	stdout  io.Writer
	stderr  io.Writer
	m       metrics
	judge   *quality.Judge
	prompts []string          // the evaluation prompts
	topics  map[string]string // the topics -eval-prompts gives them
}

// run executes the pipeline and writes metrics.json and the charts to cfg.out.
func run(cfg config, stdout, stderr io.Writer) error {
	start := time.Now()
	if err := cfg.validate(); err != nil {
		return err
	}
	pack, err := cfg.pack()
	if err != nil {
		return err
	}
	persona, err := loadPersona(cfg.persona, pack)
	if err != nil {
		return err
	}
	lab, err := newLab(cfg, pack, persona)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return fmt.Errorf("rlhf: %w", err)
	}
	r := &runner{cfg: cfg, lab: lab, persona: persona, stdout: stdout, stderr: stderr, prompts: lab.Data.HeldoutPrompts}
	if cfg.evalPrompts != "" {
		var topics []string
		if r.prompts, topics, err = readEvalPrompts(cfg.evalPrompts); err != nil {
			return err
		}
		r.topics = map[string]string{}
		for i, p := range r.prompts {
			if topics[i] != "" {
				r.topics[p] = topics[i]
			}
		}
	}
	if r.judge, err = newJudge(pack); err != nil {
		return err
	}
	r.m.Settings = runSettings{Settings: lab.Settings, SFTSteps: cfg.sftSteps, RMEpochs: cfg.rmEpochs,
		Rankings: cfg.rankings, PPOIters: cfg.ppoIters, PersonaArg: cfg.persona}
	r.m.Persona = persona
	stages := []struct {
		secs *float64
		run  func() error
	}{
		{&r.m.Seconds.SFT, r.sft},
		{&r.m.Seconds.Label, r.label},
		{&r.m.Seconds.RM, r.reward},
		{&r.m.Seconds.PPO, r.ppo},
	}
	for _, s := range stages {
		t := time.Now()
		if err := s.run(); err != nil {
			return err
		}
		*s.secs = time.Since(t).Seconds()
	}
	r.m.finish(r.lab, r.persona)
	r.m.Seconds.Total = time.Since(start).Seconds()
	if err := writeJSON(filepath.Join(cfg.out, "metrics.json"), &r.m); err != nil {
		return err
	}
	charts, err := writeCharts(cfg.out, &r.m)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "done:  %.1f s; wrote %s (metrics.json and %d charts)\n", r.m.Seconds.Total, cfg.out, len(charts))
	return nil
}

// bar returns a progress bar on stderr, invisible with -quiet.
func (r *runner) bar(stage string, n int) *progressbar.ProgressBar {
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(r.stderr),
		progressbar.OptionSetVisibility(!r.cfg.quiet),
		progressbar.OptionSetDescription(fmt.Sprintf("%-6s", stage)),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() {
			if !r.cfg.quiet {
				fmt.Fprintln(r.stderr)
			}
		}))
}

// sft fine-tunes the pretrained model (with -sft-steps) and samples the SFT
// model's answers to the held-out prompts.
func (r *runner) sft() error {
	what := fmt.Sprintf("the shipped SFT model (%d steps of the recipe)", recipe().SFTSteps)
	if r.cfg.sftSteps > 0 {
		bar := r.bar("sft", r.cfg.sftSteps)
		for range r.cfg.sftSteps {
			st, err := r.lab.SFTStep()
			if err != nil {
				return err
			}
			r.m.SFT.Loss = append(r.m.SFT.Loss, st.Loss)
			bar.Add(1)
		}
		loss := r.m.SFT.Loss
		what = fmt.Sprintf("%d steps, loss %.3f → %.3f", len(loss), loss[0], loss[len(loss)-1])
	}
	r.m.SFT.Samples = r.samples(r.lab.SFT)
	r.m.SFT.judge(r.judge, r.topics)
	fmt.Fprintf(r.stdout, "sft:   %s; %s answers: %.0f%% end properly, gold %.3f ± %.3f; %s\n",
		what, r.promptsName(), 100*endedShare(r.m.SFT.Samples), goldMean(r.m.SFT.Samples), goldStd(r.m.SFT.Samples),
		qualityLine(r.m.SFT.Quality))
	return nil
}

// label has the persona rank answers of the SFT model.
func (r *runner) label() error {
	bar := r.bar("label", r.cfg.rankings)
	// One ranking per call: each draws its K answers in one batch anyway, so
	// larger chunks would only make the bar jumpier.
	for range r.cfg.rankings {
		if err := r.lab.AutoLabel(1); err != nil {
			return err
		}
		bar.Add(1)
	}
	r.m.Label = judgeLabelSets(r.judge, r.lab.Rankings)
	fmt.Fprintf(r.stdout, "label: %d rankings of %d answers by %s; the answers: every voice %v, median %d voices in a ranking, %.0f%% with at least 2; %s\n",
		len(r.lab.Rankings), r.cfg.k, r.persona.Name, r.m.Label.EveryVoice, r.m.Label.MedianVoices, 100*r.m.Label.TwoOrMore, qualityLine(r.m.Label.Quality))
	return nil
}

// reward trains the reward model (the Lab's reward-model job: -rm-epochs
// passes, then the held-out evaluation).
func (r *runner) reward() error {
	job, err := r.lab.StartRewardJob()
	if err != nil {
		return err
	}
	steps := job.Steps()
	bar := r.bar("rm", steps)
	for !job.Finished() {
		st, err := job.Step()
		if err != nil {
			return err
		}
		r.m.RM.Loss = append(r.m.RM.Loss, st.Loss)
		r.m.RM.Accuracy = append(r.m.RM.Accuracy, st.Accuracy)
		bar.Add(1)
	}
	last := job.Eval()
	r.m.RM.TrainRankings, r.m.RM.HeldoutRankings = r.lab.RewardSizes()
	if last.Pairs == 0 {
		fmt.Fprintf(r.stdout, "rm:    %d steps, loss %.3f; no held-out rankings (label more)\n", steps, r.m.RM.Loss[steps-1])
		return nil
	}
	acc := last.Accuracy
	r.m.RM.HeldoutAccuracy = &acc
	fmt.Fprintf(r.stdout, "rm:    %d steps on %d rankings, loss %.3f; held-out accuracy %.1f%% on %d pairs\n",
		steps, r.m.RM.TrainRankings, r.m.RM.Loss[steps-1], 100*acc, last.Pairs)
	return nil
}

// ppo runs PPO and samples the policy's answers to the held-out prompts.
func (r *runner) ppo() error {
	bar := r.bar("ppo", r.cfg.ppoIters)
	for range r.cfg.ppoIters {
		st, err := r.lab.PPOStep()
		if err != nil {
			return err
		}
		bar.Describe(fmt.Sprintf("ppo rm %+.2f kl %.2f", st.ScoreMean, st.KLMean))
		bar.Add(1)
	}
	r.m.PPO.Samples = r.samples(r.lab.Policy())
	r.m.PPO.judge(r.judge, r.topics)
	its := r.lab.History.PPO
	first, last := its[0], its[len(its)-1]
	gold := ""
	if first.GoldMean != nil && last.GoldMean != nil {
		gold = fmt.Sprintf(", gold %.3f → %.3f", *first.GoldMean, *last.GoldMean)
	}
	reward := "rm score"
	if r.lab.Settings.PPO.GoldReward {
		reward = "gold reward (normalised)"
	}
	fmt.Fprintf(r.stdout, "ppo:   %d iterations, %s %+.3f → %+.3f%s, KL %.3f nats, β %.4g; %s answers: %.0f%% end properly, gold %.3f; %s\n",
		len(its), reward, first.ScoreMean, last.ScoreMean, gold, last.KLMean, last.Beta, r.promptsName(), 100*endedShare(r.m.PPO.Samples), goldMean(r.m.PPO.Samples),
		qualityLine(r.m.PPO.Quality))
	return nil
}

// promptsName says which prompts the answers are to.
func (r *runner) promptsName() string {
	if r.cfg.evalPrompts != "" {
		return "-eval-prompts"
	}
	return "held-out"
}

// samples draws samplesEach answers of model m to each evaluation prompt (and
// at least minSamples in all), cycling through the prompts. Each call uses a fresh stream from the
// same seed, so the SFT and PPO answers are drawn the same way.
func (r *runner) samples(m *sim.GPT) []sample {
	held := r.prompts
	n := max(minSamples, samplesEach*len(held))
	rng := rand.New(rand.NewPCG(r.cfg.seed, samplesStream))
	prompts := make([]string, n)
	ids := make([][]int, n)
	for i := range prompts {
		prompts[i] = held[i%len(held)]
		ids[i] = sim.ChatPrompt(r.lab.Tok, prompts[i])
		if limit := m.Config.Context - 2; len(ids[i]) > limit {
			ids[i] = ids[i][:limit] // room for at least one answer token
		}
	}
	ppo := r.lab.Settings.PPO
	// No cap but the context: "ends properly" means the model stops by itself.
	out := sim.Sample(m, ids, sim.SampleOptions{Temperature: ppo.Temperature}, rng)
	s := make([]sample, n)
	for i, a := range out {
		answer := sim.AnswerText(r.lab.Tok, a)
		s[i] = sample{Prompt: prompts[i], Answer: answer, Gold: r.persona.Score(answer), Ended: sim.EndsProperly(a), tokens: len(a)}
	}
	return s
}
