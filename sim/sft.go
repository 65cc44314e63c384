package sim

// Step 1 of the recipe: supervised fine-tuning (Ouyang et al. 2022, §3.5).
// The model imitates answers that people wrote. The loss counts only the
// answer's tokens: the prompt is given, not learned.

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// SFTConfig sets the supervised fine-tuning stage.
type SFTConfig struct {
	LR       float64  `json:"lr"`    // AdamW learning rate
	Batch    int      `json:"batch"` // demonstrations per step
	Schedule Schedule `json:"schedule,omitzero"`
	// Dropout is the probability with which each output of a block's two
	// projections is dropped during a step (Model.SetDropout): a
	// regulariser for a few thousand demonstrations. 0, the app's, is none.
	Dropout float64 `json:"dropout,omitempty"`
}

// DefaultSFTConfig returns the app's SFT settings. The shipped SFT checkpoint
// was made with these and, on top, a schedule and dropout (assets.Recipe).
func DefaultSFTConfig() SFTConfig { return SFTConfig{LR: 1e-3, Batch: 16} }

// SFTStats is the record of one SFT step.
type SFTStats struct {
	Step int     `json:"step"`
	Loss float64 `json:"loss"` // mean cross-entropy over the answers' tokens (nats), before the update
}

// SFTTrainer fine-tunes a model on demonstrations, one batch per Step.
type SFTTrainer struct {
	Config SFTConfig
	Model  *GPT
	tok    *Tokenizer
	lm     *lmTrainer
	step   int
}

// NewSFTTrainer prepares fine-tuning of m on demos.
func NewSFTTrainer(cfg SFTConfig, m *GPT, tok *Tokenizer, demos []Demonstration, rng *rand.Rand) (*SFTTrainer, error) {
	if cfg.LR <= 0 || math.IsNaN(cfg.LR) || cfg.Batch < 1 {
		return nil, fmt.Errorf("sim: sft: learning rate %v and batch %d must be positive", cfg.LR, cfg.Batch)
	}
	if !(cfg.Dropout >= 0 && cfg.Dropout < 1) {
		return nil, fmt.Errorf("sim: sft: dropout %v outside [0, 1)", cfg.Dropout)
	}
	s := &SFTTrainer{Config: cfg, Model: m, tok: tok, lm: newLMTrainer(m, cfg.LR, rng)}
	if cfg.Dropout > 0 {
		s.lm.dropout = cfg.Dropout
		s.lm.dropRng = rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
	}
	for _, d := range demos {
		if err := s.Add(d); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Add appends a demonstration to the training data.
func (s *SFTTrainer) Add(d Demonstration) error {
	if err := d.Validate(); err != nil {
		return err
	}
	ids, start := ChatSequence(s.tok, d.Prompt, d.Response)
	if len(ids) > s.Model.Config.Context {
		return fmt.Errorf("sim: demonstration for %q: %d tokens, the model reads at most %d", d.Prompt, len(ids), s.Model.Config.Context)
	}
	s.lm.add(ids, start) // only the answer's tokens (and <eos>) are learned
	return nil
}

// Len is the number of demonstrations.
func (s *SFTTrainer) Len() int { return len(s.lm.seqs) }

// Step trains on the next batch of demonstrations.
func (s *SFTTrainer) Step() SFTStats {
	if s.Len() == 0 {
		panic("sim: SFTTrainer.Step: no demonstrations")
	}
	loss := s.lm.step(s.Config.Schedule.LR(s.Config.LR, s.step), s.Config.Batch)
	s.step++
	return SFTStats{Step: s.step, Loss: loss}
}
