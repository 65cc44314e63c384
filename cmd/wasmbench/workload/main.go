// Command workload is what wasmbench runs: bench-S training, SFT steps of
// the app (-sft) and default PPO iterations with the kernel set chosen at
// start-up, timed inside the program. It prints one JSON line per result and then "done". wasmbench
// builds it for js/wasm and runs it in Node and in headless Chromium, and
// natively:
//
//	go run ./cmd/wasmbench/workload -steps 30 -ppo 2 -kernels avx2 -threads 1
//
// -model picks the PPO model: "small", the shipped checkpoints (the app's
// model, whatever its size: the name is older than the model), or a shape
// LxD such as "4x64" (L blocks × d_model D × 4 heads × MLP 4·D over the
// shipped vocabulary) with random weights, which rarely ends an answer, so
// that most answers run to -max-new tokens: an upper bound on the app's
// iteration at that size.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"rlhfplayground/assets"
	"rlhfplayground/sim"
	"rlhfplayground/sim/kernels"
)

// Result is one JSON line of output.
type Result struct {
	Bench     string    `json:"bench"`                  // "bench-S", "sft-step" or "ppo-iter"
	Kernels   string    `json:"kernels"`                // the kernel set that ran
	Threads   int       `json:"threads"`                // goroutines per large product (kernels.Threads)
	TokensPS  float64   `json:"tokens_per_s,omitempty"` // bench-S: 512 / mean step time
	MeanMS    float64   `json:"mean_ms"`                // mean time of one step or iteration
	MedianMS  float64   `json:"median_ms"`
	MinMS     float64   `json:"min_ms"`
	Steps     int       `json:"steps"`               // measured steps or iterations
	Losses    []float64 `json:"losses,omitempty"`    // bench-S: every loss, warm-up included
	WarmupMS  float64   `json:"warmup_ms,omitempty"` // ppo-iter: the first iteration (normalises the reward model)
	RMSteps   int       `json:"rm_steps,omitempty"`  // ppo-iter: reward-model steps before PPO
	Rankings  int       `json:"rankings,omitempty"`  // ppo-iter: auto-labelled rankings
	Model     string    `json:"model,omitempty"`     // ppo-iter: "small" or a shape such as "4x64"
	MaxNew    int       `json:"max_new,omitempty"`   // ppo-iter: PPO's longest answer
	Params    int       `json:"params,omitempty"`    // ppo-iter: the policy's parameters
	Available []string  `json:"available_kernels"`   // the registered sets
}

func main() {
	warmup := flag.Int("warmup", 5, "bench-S warm-up steps (as the TF.js peer)")
	steps := flag.Int("steps", 30, "bench-S measured steps (as the TF.js peer)")
	ppo := flag.Int("ppo", 2, "PPO iterations to time after the first (0 skips PPO)")
	sft := flag.Int("sft", 0, "SFT steps of the app to time after two (0 skips them)")
	use := flag.String("kernels", "", "kernel set to use (default: the start-up choice)")
	threads := flag.Int("threads", 0, "goroutines per large product (kernels.SetThreads; 0: GOMAXPROCS)")
	model := flag.String("model", "small", `PPO model: "small" (the shipped checkpoints) or LxD such as "4x64" (L blocks of d_model D, random weights)`)
	maxNew := flag.Int("max-new", 0, "PPO's longest answer in tokens (0: the default setting)")
	flag.Parse()
	kernels.SetThreads(*threads)
	if *use != "" {
		if err := kernels.Use(*use); err != nil {
			fail(err)
		}
	}
	if *steps > 0 {
		emit(benchS(*warmup, *steps))
	}
	if *sft > 0 {
		r, err := sftSteps(*sft)
		if err != nil {
			fail(err)
		}
		emit(r)
	}
	if *ppo > 0 {
		r, err := ppoIter(*ppo, *model, *maxNew)
		if err != nil {
			fail(err)
		}
		emit(r)
	}
	fmt.Println("done")
}

func benchS(warmup, steps int) Result {
	b := sim.NewBenchS()
	var losses []float64
	for range warmup {
		losses = append(losses, b.Step())
	}
	times := make([]float64, steps)
	for i := range times {
		start := time.Now()
		losses = append(losses, b.Step())
		times[i] = ms(time.Since(start))
	}
	r := summarize("bench-S", times)
	r.TokensPS = sim.BenchSTokensPerStep / (r.MeanMS / 1000)
	r.Losses = losses
	return r
}

// sftSteps times n steps of the SFT screen (sim.Lab.SFTStep: a batch of 16
// demonstrations from the shipped pretrained model) after two untimed.
func sftSteps(n int) (Result, error) {
	data, err := assets.LabData()
	if err != nil {
		return Result{}, err
	}
	base, _, tok, err := assets.Models()
	if err != nil {
		return Result{}, err
	}
	lab, err := sim.NewLab(sim.DefaultSettings(), data, tok, base, nil)
	if err != nil {
		return Result{}, err
	}
	times := make([]float64, n)
	for i := range n + 2 {
		start := time.Now()
		if _, err := lab.SFTStep(); err != nil {
			return Result{}, err
		}
		if i >= 2 {
			times[i-2] = ms(time.Since(start))
		}
	}
	r := summarize("sft-step", times)
	r.Params = base.Config.NumParams()
	return r, nil
}

// shape reads a -model of the form LxD ("4x64", "4x96"): L blocks of
// d_model D with 4 heads and an MLP of 4·D, over a vocabulary of vocab words.
func shape(model string, vocab int) (sim.Config, bool) {
	var layers, embd int
	if n, err := fmt.Sscanf(model, "%dx%d", &layers, &embd); n != 2 || err != nil || fmt.Sprintf("%dx%d", layers, embd) != model {
		return sim.Config{}, false
	}
	c := sim.Config{Vocab: vocab, Context: 64, Embd: embd, Layers: layers, Heads: 4, MLP: 4 * embd}
	return c, c.Validate() == nil
}

// ppoIter prepares a lab as a class would reach PPO (the shipped
// checkpoints, or a random model of an LxD shape; 24 auto-labelled
// rankings, one epoch of the reward model), runs one PPO iteration untimed
// and times the next n.
func ppoIter(n int, model string, maxNew int) (Result, error) {
	data, err := assets.LabData()
	if err != nil {
		return Result{}, err
	}
	settings := sim.DefaultSettings()
	settings.Reward.Epochs = 1
	if maxNew > 0 {
		settings.PPO.MaxNew = maxNew
	}
	base, sft, tok, err := assets.Models()
	if err != nil {
		return Result{}, err
	}
	if model != "small" {
		cfg, ok := shape(model, tok.Size())
		if !ok {
			return Result{}, fmt.Errorf("-model %q: want small or LxD such as 4x64", model)
		}
		base = sim.NewModel[float32](cfg)
		base.Params.Init(cfg, sim.NewStreams(1).Init.NormFloat64)
		sft = base.Clone()
	}
	lab, err := sim.NewLab(settings, data, tok, base, sft)
	if err != nil {
		return Result{}, err
	}
	const rankings = 24
	if err := lab.AutoLabel(rankings); err != nil {
		return Result{}, err
	}
	job, err := lab.StartRewardJob()
	if err != nil {
		return Result{}, err
	}
	for !job.Finished() {
		if _, err := job.Step(); err != nil {
			return Result{}, err
		}
	}
	rm := job.Steps()
	start := time.Now()
	if _, err := lab.PPOStep(); err != nil {
		return Result{}, err
	}
	first := ms(time.Since(start))
	times := make([]float64, n)
	for i := range times {
		start := time.Now()
		if _, err := lab.PPOStep(); err != nil {
			return Result{}, err
		}
		times[i] = ms(time.Since(start))
	}
	r := summarize("ppo-iter", times)
	r.WarmupMS, r.RMSteps, r.Rankings = first, rm, rankings
	r.Model, r.MaxNew, r.Params = model, settings.PPO.MaxNew, sft.Config.NumParams()
	return r, nil
}

func summarize(bench string, times []float64) Result {
	var sum float64
	for _, t := range times {
		sum += t
	}
	sorted := slices.Sorted(slices.Values(times))
	return Result{Bench: bench, Kernels: kernels.Current(), Threads: kernels.Threads(), Available: kernels.Names(), Steps: len(times),
		MeanMS: sum / float64(len(times)), MedianMS: sorted[len(sorted)/2], MinMS: sorted[0]}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func emit(r Result) {
	b, err := json.Marshal(r)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(b))
}

func fail(err error) {
	fmt.Println("error:", err)
	os.Exit(1)
}
