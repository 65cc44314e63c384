package sim

// Pretraining is the "unsupervised" step before the RLHF recipe (Radford et
// al. 2019): plain next-token prediction on sentences, so the model learns
// words and grammar before it ever sees a chat.

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// PretrainConfig sets the pretraining stage.
type PretrainConfig struct {
	LR       float64  `json:"lr"`    // AdamW learning rate
	Batch    int      `json:"batch"` // sentences per step
	Schedule Schedule `json:"schedule,omitzero"`
}

// DefaultPretrainConfig returns the settings used for the shipped checkpoint.
func DefaultPretrainConfig() PretrainConfig { return PretrainConfig{LR: 3e-3, Batch: 32} }

// PretrainStats is the record of one pretraining step.
type PretrainStats struct {
	Step int     `json:"step"`
	Loss float64 `json:"loss"` // mean next-token cross-entropy (nats) on the batch, before the update
}

// Pretrainer trains a model on sentences, one batch per Step.
type Pretrainer struct {
	Config PretrainConfig
	Model  *GPT
	lm     *lmTrainer
	step   int
}

// NewPretrainer prepares pretraining of m on sentences (each becomes <bos> words <eos>).
func NewPretrainer(cfg PretrainConfig, m *GPT, tok *Tokenizer, sentences []string, rng *rand.Rand) (*Pretrainer, error) {
	if cfg.LR <= 0 || math.IsNaN(cfg.LR) || cfg.Batch < 1 {
		return nil, fmt.Errorf("sim: pretrain: learning rate %v and batch %d must be positive", cfg.LR, cfg.Batch)
	}
	if len(sentences) == 0 {
		return nil, fmt.Errorf("sim: pretrain: no sentences")
	}
	lm := &lmTrainer{model: m, opt: DefaultAdamW(cfg.LR)}
	for _, s := range sentences {
		ids := append([]int{BeginID}, tok.Encode(s)...)
		lm.seqs = append(lm.seqs, clip(append(ids, EndID), m.Config.Context+1))
		lm.starts = append(lm.starts, 1) // every token after <bos> is learned
	}
	lm.order = newEpochOrder(len(lm.seqs), rng)
	return &Pretrainer{Config: cfg, Model: m, lm: lm}, nil
}

// Step trains on the next batch of sentences.
func (p *Pretrainer) Step() PretrainStats {
	loss := p.lm.step(p.Config.Schedule.LR(p.Config.LR, p.step), p.Config.Batch)
	p.step++
	return PretrainStats{Step: p.step, Loss: loss}
}
