// Command mkcheckpoints makes the two checkpoints shipped in assets/: a model
// pretrained on the corpus and the same model after supervised fine-tuning on
// the built-in demonstrations. The result depends only on the flags, the
// data and the kernel set (the native avx2 set fuses multiply-adds, so its
// numbers round differently from the pure-Go set's: the same on every
// machine with AVX2 and FMA, and bit for bit again with -kernels go). The
// defaults are the shipped recipe:
//
//	go run ./cmd/mkcheckpoints -out assets
//
// It then samples the SFT model's answers to the held-out prompts and
// prints their quality (package quality), the figures of the model-size
// sweep in docs/model-sweep.md; -report FILE also writes them as JSON.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"rlhfplayground/assets"
	"rlhfplayground/quality"
	"rlhfplayground/sim"
	"rlhfplayground/sim/kernels"
)

// recipe is everything the flags set.
type recipe struct {
	Seed          uint64                `json:"seed"`
	Model         sim.Config            `json:"model"`
	Pretrain      sim.PretrainConfig    `json:"pretrain"`
	PretrainSteps int                   `json:"pretrain_steps"`
	SFT           sim.SFTConfig         `json:"sft"`
	SFTSteps      int                   `json:"sft_steps"`
	Kernels       string                `json:"kernels"`
	Base          string                `json:"base,omitempty"`
	Data          string                `json:"data,omitempty"`
	Tokens        float64               `json:"pretrain_tokens"`
	Lang          string                `json:"lang,omitempty"`
	Out           string                `json:"-"`
	Report        string                `json:"-"`
	Quality       map[string]*qualityAt `json:"-"`
	Label         *labelReport          `json:"-"`
}

// defaultRecipe is the shipped checkpoints' recipe, assets.Pack.Recipe.
func defaultRecipe() recipe {
	en, _ := assets.PackByLang("en")
	a := en.Recipe()
	return recipe{Seed: a.Seed, Model: a.Model, Pretrain: a.Pretrain, SFT: a.SFT,
		PretrainSteps: a.PretrainSteps, SFTSteps: a.SFTSteps}
}

func main() {
	r := defaultRecipe()
	flag.Uint64Var(&r.Seed, "seed", r.Seed, "seed of the initial weights and the data order")
	flag.IntVar(&r.Model.Layers, "layers", r.Model.Layers, "transformer blocks")
	flag.IntVar(&r.Model.Embd, "embd", r.Model.Embd, "channels of the residual stream (d_model)")
	flag.IntVar(&r.Model.Heads, "heads", r.Model.Heads, "attention heads")
	flag.IntVar(&r.Model.MLP, "mlp", r.Model.MLP, "hidden width of each block's MLP")
	flag.IntVar(&r.Model.Context, "context", r.Model.Context, "longest sequence the model reads")
	flag.IntVar(&r.PretrainSteps, "pretrain-steps", r.PretrainSteps, "pretraining steps")
	flag.IntVar(&r.Pretrain.Batch, "pretrain-batch", r.Pretrain.Batch, "sentences per pretraining step")
	flag.Float64Var(&r.Pretrain.LR, "pretrain-lr", r.Pretrain.LR, "peak pretraining learning rate")
	flag.IntVar(&r.Pretrain.Schedule.Warmup, "warmup", r.Pretrain.Schedule.Warmup, "pretraining warm-up steps (the rate then falls along a cosine to a tenth at the last step)")
	flag.IntVar(&r.SFTSteps, "sft-steps", r.SFTSteps, "supervised fine-tuning steps")
	flag.IntVar(&r.SFT.Batch, "sft-batch", r.SFT.Batch, "demonstrations per SFT step")
	flag.Float64Var(&r.SFT.LR, "sft-lr", r.SFT.LR, "peak SFT learning rate")
	flag.Float64Var(&r.SFT.Dropout, "sft-dropout", r.SFT.Dropout, "probability of dropping each output of a block's projections during SFT")
	flag.StringVar(&r.Base, "base", "", "skip pretraining: fine-tune this pretrained checkpoint (made by an earlier run with the same flags)")
	flag.StringVar(&r.Kernels, "kernels", kernels.Current(), "kernel set: "+fmt.Sprint(kernels.Names()))
	flag.StringVar(&r.Lang, "lang", "en", "the data pack: en or zh-TW")
	flag.StringVar(&r.Out, "out", "", "directory for pretrained.ckpt and sft.ckpt (default: the pack's folder, assets or assets/zh-TW)")
	flag.StringVar(&r.Report, "report", "", "also write the recipe and the quality figures to this JSON file")
	flag.StringVar(&r.Data, "data", "", "a name for the data the binary embeds, for the sweep's table (default: the shipped data)")
	table := flag.String("table", "", "print the sweep's Markdown table of the -report files in this directory, and do nothing else")
	flag.Parse()
	if *table != "" {
		if err := writeTable(os.Stdout, *table); err != nil {
			log.Fatal(err)
		}
		return
	}
	r.Pretrain.Schedule.Decay, r.SFT.Schedule.Decay = r.PretrainSteps, r.SFTSteps
	pack, ok := assets.PackByLang(r.Lang)
	if !ok {
		log.Fatalf("mkcheckpoints: no data pack %q", r.Lang)
	}
	if r.Out == "" {
		r.Out = "assets"
		if pack.Lang != "en" {
			r.Out = filepath.Join("assets", pack.Lang)
		}
	}
	if err := r.run(pack); err != nil {
		log.Fatal(err)
	}
}

// qualityAt is the quality of the SFT model's answers at one temperature.
type qualityAt struct {
	Temperature float64        `json:"temperature"`
	Report      quality.Report `json:"report"`
}

func (r *recipe) run(pack *assets.Pack) error {
	if err := kernels.Use(r.Kernels); err != nil {
		return err
	}
	data, err := pack.LabData()
	if err != nil {
		return err
	}
	tok := sim.BuildTokenizer(pack.AllText())
	r.Model.Vocab = tok.Size()
	if err := r.Model.Validate(); err != nil {
		return err
	}
	fmt.Printf("vocabulary %d words, model %+v, %d parameters, kernels %s on %d cores\n",
		tok.Size(), r.Model, r.Model.NumParams(), kernels.Current(), runtime.GOMAXPROCS(0))
	settings := sim.DefaultSettings()
	settings.Seed, settings.Pretrain, settings.SFT = r.Seed, r.Pretrain, r.SFT
	if err := os.MkdirAll(r.Out, 0o755); err != nil {
		return err
	}
	start := time.Now()
	var base *sim.GPT
	if r.Base != "" {
		b, err := os.ReadFile(r.Base)
		if err != nil {
			return err
		}
		c, err := sim.ReadCheckpoint(bytes.NewReader(b))
		if err != nil {
			return err
		}
		// The base's own vocabulary: the data must not have grown since.
		base, tok = c.Model()
		for _, text := range pack.AllText() {
			if _, unknown := tok.EncodeUnknown(text); len(unknown) > 0 {
				return fmt.Errorf("mkcheckpoints: -base %s does not know the words %q of the data: pretrain again", r.Base, unknown)
			}
		}
		r.Model = base.Config
	} else {
		base = sim.NewModel[float32](r.Model)
		base.Params.Init(r.Model, sim.NewStreams(r.Seed).Init.NormFloat64)
		lab, err := sim.NewLab(settings, data, tok, base, nil)
		if err != nil {
			return err
		}
		tokens := 0.0
		perLine := meanTokens(tok, data.Corpus)
		for i := range r.PretrainSteps {
			st, err := lab.PretrainStep()
			if err != nil {
				return err
			}
			tokens += perLine * float64(r.Pretrain.Batch)
			if (i+1)%500 == 0 || i == 0 {
				fmt.Printf("pretrain step %6d  loss %.3f  %.1fM tokens  %.0fs\n", st.Step, st.Loss, tokens/1e6, time.Since(start).Seconds())
			}
		}
		// The shipped weights are 8-bit blocks (sim.Q8Round): round them
		// now, so that SFT starts from exactly what -base
		// assets/pretrained.ckpt reads.
		sim.Q8Round(base.Params.Data)
		r.Tokens = tokens
		fmt.Printf("pretrained on %.1fM tokens (%.0f per parameter) in %.0fs\n", tokens/1e6, tokens/float64(r.Model.NumParams()), time.Since(start).Seconds())
		if err := save(filepath.Join(r.Out, "pretrained.ckpt"), sim.NewCheckpoint("pretrained", base, tok)); err != nil {
			return err
		}
	}
	// Fine-tuning runs in a Lab of its own, so its data order does not
	// depend on whether pretraining ran in this process.
	lab, err := sim.NewLab(settings, data, tok, base, nil)
	if err != nil {
		return err
	}
	for i := range r.SFTSteps {
		st, err := lab.SFTStep()
		if err != nil {
			return err
		}
		if (i+1)%250 == 0 || i == 0 {
			fmt.Printf("sft step %5d  loss %.3f  %.0fs\n", st.Step, st.Loss, time.Since(start).Seconds())
		}
	}
	sim.Q8Round(lab.SFT.Params.Data) // the report below judges the shipped weights
	if err := save(filepath.Join(r.Out, "sft.ckpt"), sim.NewCheckpoint("sft", lab.SFT, tok)); err != nil {
		return err
	}
	return r.report(pack, lab, tok, settings, time.Since(start))
}

// report samples two answers of the SFT model to each held-out prompt at
// PPO's temperature and at the label screen's, and prints their quality.
func (r *recipe) report(pack *assets.Pack, lab *sim.Lab, tok *sim.Tokenizer, settings sim.Settings, took time.Duration) error {
	qd, err := pack.QualityData()
	if err != nil {
		return err
	}
	judge, err := quality.New(qd)
	if err != nil {
		return err
	}
	r.Quality = map[string]*qualityAt{}
	prompts := append(append([]string(nil), lab.Data.HeldoutPrompts...), lab.Data.HeldoutPrompts...)
	ids := make([][]int, len(prompts))
	for i, p := range prompts {
		ids[i] = sim.ChatPrompt(tok, p)
	}
	for _, at := range []struct {
		name string
		temp float64
	}{{"ppo", settings.PPO.Temperature}, {"label", settings.LabelTemperature}} {
		rng := rand.New(rand.NewPCG(r.Seed, 99))
		out := sim.Sample(lab.SFT, ids, sim.SampleOptions{Temperature: at.temp, MaxNew: settings.PPO.MaxNew}, rng)
		answers := make([]quality.Answer, len(out))
		for i, a := range out {
			answers[i] = quality.Answer{Prompt: prompts[i], Text: sim.AnswerText(tok, a), Ended: sim.EndsProperly(a)}
		}
		rep := judge.Report(answers)
		r.Quality[at.name] = &qualityAt{Temperature: at.temp, Report: rep}
		fmt.Printf("held-out answers at temperature %.1f: %s\n", at.temp, rep)
		if at.name == "ppo" {
			for i := range 12 {
				fmt.Printf("  [%s] %-40s → %s\n", rep.Verdicts[i].Voice, prompts[i], answers[i].Text)
			}
		}
	}
	r.Label = labelSets(lab, tok, judge, settings, r.Seed)
	fmt.Printf("label sets (%d answers to %d training prompts at temperature %.1f): every voice seen %v, %s; distinct voices per set: median %d, %.0f%% with at least 2\n",
		settings.K, r.Label.Sets, settings.LabelTemperature, r.Label.EveryVoice, r.Label.Report.String(), r.Label.MedianVoices, 100*r.Label.TwoOrMore)
	fmt.Printf("done in %.0fs\n", took.Seconds())
	if r.Report == "" {
		return nil
	}
	b, err := r.reportJSON(took)
	if err != nil {
		return err
	}
	return os.WriteFile(r.Report, b, 0o644)
}

// reportJSON is the -report file: the recipe and the figures, which -table reads.
func (r *recipe) reportJSON(took time.Duration) ([]byte, error) {
	b, err := json.MarshalIndent(struct {
		*recipe
		Params  int                   `json:"params"`
		Seconds float64               `json:"seconds"`
		Quality map[string]*qualityAt `json:"quality"`
		Label   *labelReport          `json:"label"`
	}{r, r.Model.NumParams(), took.Seconds(), r.Quality, r.Label}, "", "  ")
	return append(b, '\n'), err
}

// labelReport is what the label screen would show: K answers to each of
// labelPrompts training prompts at the label temperature, drawn as the Lab
// draws a candidate set.
type labelReport struct {
	Sets         int            `json:"sets"`
	Report       quality.Report `json:"report"`
	EveryVoice   bool           `json:"every_voice"`   // each voice of the data among the answers
	MedianVoices int            `json:"median_voices"` // distinct voices in one set of K, median over sets
	TwoOrMore    float64        `json:"two_or_more"`   // share of sets with at least two voices
}

// labelPrompts is how many candidate sets labelSets draws.
const labelPrompts = 120

func labelSets(lab *sim.Lab, tok *sim.Tokenizer, judge *quality.Judge, settings sim.Settings, seed uint64) *labelReport {
	rng := rand.New(rand.NewPCG(seed, 98))
	var prompts []string
	var ids [][]int
	for range labelPrompts {
		p := lab.Data.Prompts[rng.IntN(len(lab.Data.Prompts))]
		for range settings.K {
			prompts = append(prompts, p)
			ids = append(ids, sim.ChatPrompt(tok, p))
		}
	}
	out := sim.Sample(lab.SFT, ids, sim.SampleOptions{Temperature: settings.LabelTemperature, MaxNew: settings.PPO.MaxNew}, rng)
	answers := make([]quality.Answer, len(out))
	for i, a := range out {
		answers[i] = quality.Answer{Prompt: prompts[i], Text: sim.AnswerText(tok, a), Ended: sim.EndsProperly(a)}
	}
	lr := &labelReport{Sets: labelPrompts, Report: judge.Report(answers)}
	sizes := make([]int, labelPrompts)
	for i := range sizes {
		sizes[i] = settings.K
	}
	spread := quality.VoiceSpread(lr.Report, sizes)
	lr.EveryVoice, lr.MedianVoices, lr.TwoOrMore = spread.EveryVoice, spread.MedianVoices, spread.TwoOrMore
	return lr
}

// meanTokens is the mean length of a pretraining sequence: <bos>, the
// sentence's tokens and <eos>, less the <bos> that is never a target.
func meanTokens(tok *sim.Tokenizer, corpus []string) float64 {
	n := 0
	for _, s := range corpus {
		n += len(tok.Encode(s)) + 1
	}
	return float64(n) / float64(max(1, len(corpus)))
}

// save writes a checkpoint in half precision.
func save(path string, c *sim.Checkpoint) error {
	c.Quant8 = true
	var buf bytes.Buffer
	if err := sim.WriteCheckpoint(&buf, c); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes)\n", path, buf.Len())
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
