// Command mkcheckpoints makes the two checkpoints shipped in assets/: a model
// pretrained on the corpus and the same model after supervised fine-tuning on
// the built-in demonstrations. The result depends only on the flags and the
// data, so anyone can rebuild the files bit for bit:
//
//	go run ./cmd/mkcheckpoints -out assets
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"rlhfplayground/assets"
	"rlhfplayground/sim"
)

func main() {
	seed := flag.Uint64("seed", 1, "seed of the initial weights and the data order")
	pretrainSteps := flag.Int("pretrain-steps", 2000, "pretraining steps")
	sftSteps := flag.Int("sft-steps", 150, "supervised fine-tuning steps")
	basePath := flag.String("base", "", "skip pretraining: fine-tune this pretrained checkpoint (made by an earlier run with the same seed)")
	out := flag.String("out", "assets", "directory for pretrained.ckpt and sft.ckpt")
	flag.Parse()
	if err := run(*seed, *pretrainSteps, *sftSteps, *basePath, *out); err != nil {
		log.Fatal(err)
	}
}

func run(seed uint64, pretrainSteps, sftSteps int, basePath, out string) error {
	data, err := assets.LabData()
	if err != nil {
		return err
	}
	tok := sim.BuildTokenizer(assets.AllText())
	cfg := sim.DefaultConfig(tok.Size())
	fmt.Printf("vocabulary %d words, model %+v, %d parameters\n", tok.Size(), cfg, cfg.NumParams())
	settings := sim.DefaultSettings()
	settings.Seed = seed
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	start := time.Now()
	var base *sim.GPT
	if basePath != "" {
		b, err := os.ReadFile(basePath)
		if err != nil {
			return err
		}
		c, err := sim.ReadCheckpoint(bytes.NewReader(b))
		if err != nil {
			return err
		}
		base, _ = c.Model()
	} else {
		base = sim.NewModel[float32](cfg)
		base.Params.Init(cfg, sim.NewStreams(seed).Init.NormFloat64)
		lab, err := sim.NewLab(settings, data, tok, base, nil)
		if err != nil {
			return err
		}
		for i := range pretrainSteps {
			st, err := lab.PretrainStep()
			if err != nil {
				return err
			}
			if (i+1)%100 == 0 || i == 0 {
				fmt.Printf("pretrain step %5d  loss %.3f  %.0fs\n", st.Step, st.Loss, time.Since(start).Seconds())
			}
		}
		if err := save(filepath.Join(out, "pretrained.ckpt"), sim.NewCheckpoint("pretrained", base, tok)); err != nil {
			return err
		}
	}
	// Fine-tuning runs in a Lab of its own, so its data order does not
	// depend on whether pretraining ran in this process.
	lab, err := sim.NewLab(settings, data, tok, base, nil)
	if err != nil {
		return err
	}
	for i := range sftSteps {
		st, err := lab.SFTStep()
		if err != nil {
			return err
		}
		if (i+1)%50 == 0 || i == 0 {
			fmt.Printf("sft step %4d  loss %.3f  %.0fs\n", st.Step, st.Loss, time.Since(start).Seconds())
		}
	}
	if err := save(filepath.Join(out, "sft.ckpt"), sim.NewCheckpoint("sft", lab.SFT, tok)); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	prompts := data.HeldoutPrompts
	ids := make([][]int, len(prompts))
	for i, p := range prompts {
		ids[i] = sim.ChatPrompt(tok, p)
	}
	answers := sim.Sample(lab.SFT, ids, sim.SampleOptions{Temperature: settings.PPO.Temperature, MaxNew: cfg.Context}, rng)
	ended := 0
	for i, a := range answers {
		if sim.EndsProperly(a) {
			ended++
		}
		if i < 12 {
			fmt.Printf("  %-40s → %s\n", prompts[i], sim.AnswerText(tok, a))
		}
	}
	fmt.Printf("after SFT, %d of %d answers to held-out prompts end with <eos> and no role marker\n", ended, len(answers))
	return nil
}

func save(path string, c *sim.Checkpoint) error {
	var buf bytes.Buffer
	if err := sim.WriteCheckpoint(&buf, c); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes)\n", path, buf.Len())
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
