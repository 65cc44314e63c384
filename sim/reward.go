package sim

// Step 2 of the recipe: the reward model (Ouyang et al. 2022, §3.5; Ziegler
// et al. 2019). A copy of the SFT model with a scalar head reads a prompt and
// an answer and returns one number at the answer's last token. It is trained
// so that, for every pair taken from a person's ranking, the better answer
// scores higher: loss −log σ(r_better − r_worse). The K(K−1)/2 pairs of one
// ranking share a batch, as InstructGPT does, since shuffling correlated pairs
// apart made its reward model overfit.

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Ranking is one labelling: K answers to a prompt, ordered best to worst.
type Ranking struct {
	ID      uint64   `json:"id,omitempty"` // the Candidate's ID, unique within the session
	Prompt  string   `json:"prompt"`
	Answers []string `json:"answers"` // as they were shown, K = 2…9
	Order   []int    `json:"order"`   // indices into Answers, best first
	Labeler string   `json:"labeler"` // who ranked: You or a persona's name
}

// You is Ranking.Labeler for the rankings of the person at the screen.
const You = "you"

// MinK and MaxK bound the number of answers in a ranking (InstructGPT: 4…9).
const (
	MinK = 2
	MaxK = 9
)

// Validate checks K, that Order is a permutation of the answers, and that
// no text is longer than MaxTextBytes.
func (r Ranking) Validate() error {
	K := len(r.Answers)
	if K < MinK || K > MaxK {
		return fmt.Errorf("sim: ranking of %d answers: K must be %d…%d", K, MinK, MaxK)
	}
	for _, s := range append([]string{r.Prompt, r.Labeler}, r.Answers...) {
		if len(s) > MaxTextBytes {
			return fmt.Errorf("sim: ranking: a text of %d bytes, more than %d", len(s), MaxTextBytes)
		}
	}
	if len(r.Order) != K {
		return fmt.Errorf("sim: ranking orders %d of %d answers", len(r.Order), K)
	}
	seen := make([]bool, K)
	for _, i := range r.Order {
		if i < 0 || i >= K || seen[i] {
			return fmt.Errorf("sim: ranking order %v is not a permutation of 0…%d", r.Order, K-1)
		}
		seen[i] = true
	}
	return nil
}

// Pairs returns every (better, worse) pair of answer indices the ranking
// implies, except pairs of identical answers: a labeler who sees the same
// text twice expresses no preference between them.
func (r Ranking) Pairs() [][2]int {
	var pairs [][2]int
	for i := range r.Order {
		for j := i + 1; j < len(r.Order); j++ {
			if r.Answers[r.Order[i]] == r.Answers[r.Order[j]] {
				continue
			}
			pairs = append(pairs, [2]int{r.Order[i], r.Order[j]})
		}
	}
	return pairs
}

// RewardConfig sets the reward model's training.
type RewardConfig struct {
	LR        float64 `json:"lr"`         // AdamW learning rate
	Batch     int     `json:"batch"`      // rankings per step (all their pairs together)
	HoldEvery int     `json:"hold_every"` // every HoldEvery-th ranking is held out for accuracy (5: 20%)
	Epochs    int     `json:"epochs"`     // passes over the training rankings in one RewardJob ("Train reward model")
}

// DefaultRewardConfig returns the app's reward-model settings.
func DefaultRewardConfig() RewardConfig {
	return RewardConfig{LR: 1e-3, Batch: 8, HoldEvery: 5, Epochs: 4}
}

// RewardStats is the record of one reward-model step.
type RewardStats struct {
	Step     int     `json:"step"`
	Loss     float64 `json:"loss"`     // mean −log σ(r_better − r_worse) over the batch's pairs
	Accuracy float64 `json:"accuracy"` // share of the batch's pairs already ordered right
}

// RewardEval is the reward model measured on the held-out rankings.
type RewardEval struct {
	Step     int     `json:"step"`
	Loss     float64 `json:"loss"`
	Accuracy float64 `json:"accuracy"` // held-out pairwise accuracy
	Pairs    int     `json:"pairs"`
}

// RewardNorm maps a raw reward r to gain·r + bias.
type RewardNorm struct {
	Gain float64 `json:"gain"`
	Bias float64 `json:"bias"`
}

// RewardModel scores answers: Norm.Gain·r + Norm.Bias, where r is the scalar
// head at the answer's last token (its <eos>).
type RewardModel struct {
	Model *GPT
	Norm  RewardNorm
	batch scoreBatch
}

// NewRewardModel starts a reward model from a copy of the SFT model, with
// the head drawn from N(0, 1/(C+1)) and a zero bias (Huang et al. 2024).
func NewRewardModel(sft *GPT, rng *rand.Rand) *RewardModel {
	m := sft.Clone()
	std := 1 / math.Sqrt(float64(m.Config.Embd+1))
	for i := range m.Params.HeadW {
		m.Params.HeadW[i] = float32(rng.NormFloat64() * std)
	}
	m.Params.HeadB[0] = 0
	return &RewardModel{Model: m, Norm: RewardNorm{Gain: 1}}
}

// scoreBatch packs chat sequences (prompt, answer, <eos>) right-padded, and
// remembers where each one ends.
type scoreBatch struct {
	tokens []int
	last   []int // index into (B,T) of each sequence's last token
	B, T   int
}

func (b *scoreBatch) pack(seqs [][]int) {
	b.B = len(seqs)
	b.tokens, b.T = padBatch(b.tokens, seqs, PadID)
	b.last = b.last[:0]
	for i, s := range seqs {
		b.last = append(b.last, i*b.T+len(s)-1)
	}
}

// rawScores runs the model on seqs and returns the head at each sequence's last token.
func (rm *RewardModel) rawScores(seqs [][]int) []float64 {
	rm.batch.pack(seqs)
	rm.Model.Forward(rm.batch.tokens, rm.batch.B, rm.batch.T, false)
	s := rm.Model.Scalars()
	out := make([]float64, len(seqs))
	for i, n := range rm.batch.last {
		out[i] = float64(s[n])
	}
	return out
}

// ScoreSequences returns the normalised reward of each encoded chat sequence.
func (rm *RewardModel) ScoreSequences(seqs [][]int) []float64 {
	raw := rm.rawScores(seqs)
	for i := range raw {
		raw[i] = rm.Norm.Gain*raw[i] + rm.Norm.Bias
	}
	return raw
}

// Score returns the normalised reward of each answer to prompt.
func (rm *RewardModel) Score(tok *Tokenizer, prompt string, answers []string) []float64 {
	seqs := make([][]int, len(answers))
	for i, a := range answers {
		seqs[i], _ = ChatSequence(tok, prompt, a)
		seqs[i] = clip(seqs[i], rm.Model.Config.Context)
	}
	return rm.ScoreSequences(seqs)
}

// NormStats describes the normalisation: the raw scores of the reference
// policy's answers had this mean and standard deviation.
type NormStats struct {
	RawMean float64    `json:"raw_mean"`
	RawStd  float64    `json:"raw_std"`
	Samples int        `json:"samples"`
	Norm    RewardNorm `json:"norm"`
	// The simulated labeler's gold score of the same answers, which
	// PPOConfig.GoldReward normalises with.
	GoldMean float64 `json:"gold_mean,omitempty"`
	GoldStd  float64 `json:"gold_std,omitempty"`
}

// Normalize sets Norm so that the given answers (sampled from the reference
// policy, as lm-human-preferences does) score with mean 0 and std 1.
func (rm *RewardModel) Normalize(seqs [][]int) NormStats {
	raw := rm.rawScores(seqs)
	mean, std := MeanStd(raw)
	if std < 1e-6 {
		std = 1e-6
	}
	rm.Norm = RewardNorm{Gain: 1 / std, Bias: -mean / std}
	return NormStats{RawMean: mean, RawStd: std, Samples: len(seqs), Norm: rm.Norm}
}

// RewardTrainer trains a reward model on rankings, one batch per Step.
type RewardTrainer struct {
	Config RewardConfig
	RM     *RewardModel
	tok    *Tokenizer
	opt    *AdamW
	train  []encodedRanking
	held   []encodedRanking
	order  *epochOrder
	step   int
}

// encodedRanking is a ranking as the reward model reads it, tokenised once
// when it is filed: one chat sequence per answer (prompt, answer, <eos>, cut
// to the context) and the (better, worse) pairs of Ranking.Pairs.
type encodedRanking struct {
	seqs  [][]int
	pairs [][2]int
}

// NewRewardTrainer prepares training of rm; Add files the rankings.
func NewRewardTrainer(cfg RewardConfig, rm *RewardModel, tok *Tokenizer, rng *rand.Rand) (*RewardTrainer, error) {
	if cfg.LR <= 0 || math.IsNaN(cfg.LR) || cfg.Batch < 1 || cfg.HoldEvery < 2 {
		return nil, fmt.Errorf("sim: reward: learning rate %v, batch %d and hold_every %d must be positive (hold_every ≥ 2)", cfg.LR, cfg.Batch, cfg.HoldEvery)
	}
	return &RewardTrainer{Config: cfg, RM: rm, tok: tok, opt: DefaultAdamW(cfg.LR), order: newEpochOrder(0, rng)}, nil
}

// Add files a ranking: every HoldEvery-th one goes to the held-out set.
func (t *RewardTrainer) Add(r Ranking) error {
	if err := r.Validate(); err != nil {
		return err
	}
	t.add(r)
	return nil
}

// add files a ranking known to be valid.
func (t *RewardTrainer) add(r Ranking) {
	e := encodedRanking{seqs: make([][]int, len(r.Answers)), pairs: r.Pairs()}
	for i, a := range r.Answers {
		s, _ := ChatSequence(t.tok, r.Prompt, a)
		e.seqs[i] = clip(s, t.RM.Model.Config.Context)
	}
	if (len(t.train)+len(t.held)+1)%t.Config.HoldEvery == 0 {
		t.held = append(t.held, e)
		return
	}
	t.train = append(t.train, e)
	t.order.grow(len(t.train))
}

// Sizes returns the numbers of training and held-out rankings.
func (t *RewardTrainer) Sizes() (train, heldout int) { return len(t.train), len(t.held) }

// pairLoss computes the ranking loss of a batch and, if grad, adds its
// gradient into the model. It returns the mean loss, the number of pairs
// ordered right and the number of pairs.
func (t *RewardTrainer) pairLoss(rankings []encodedRanking, grad bool) (loss float64, right, pairs int) {
	var seqs [][]int
	offset := make([]int, len(rankings))
	for i, r := range rankings {
		offset[i] = len(seqs)
		seqs = append(seqs, r.seqs...)
	}
	rm := t.RM
	scores := rm.rawScores(seqs)
	dscores := make([]float64, len(seqs))
	for i, r := range rankings {
		ps := r.pairs
		if len(ps) == 0 {
			continue
		}
		for _, p := range ps {
			w, l := offset[i]+p[0], offset[i]+p[1]
			margin := scores[w] - scores[l]
			loss += softplus(-margin) / float64(len(ps)) // −log σ(m) = log(1 + e^(−m))
			if margin > 0 {
				right++
			}
			g := sigmoid(-margin) / float64(len(ps)) / float64(len(rankings))
			dscores[w] -= g
			dscores[l] += g
		}
		pairs += len(ps)
	}
	loss /= float64(len(rankings))
	if grad {
		dscalars := make([]float32, rm.batch.B*rm.batch.T)
		for i, n := range rm.batch.last {
			dscalars[n] = float32(dscores[i])
		}
		rm.Model.Backward(nil, dscalars)
	}
	return loss, right, pairs
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// Step trains on the next batch of training rankings. It needs at least one.
func (t *RewardTrainer) Step() RewardStats {
	if len(t.train) == 0 {
		panic("sim: RewardTrainer.Step: no training rankings")
	}
	t.opt.LR = t.Config.LR
	idx := t.order.next(t.Config.Batch)
	batch := make([]encodedRanking, len(idx))
	for i, j := range idx {
		batch[i] = t.train[j]
	}
	t.RM.Model.ZeroGrad()
	loss, right, pairs := t.pairLoss(batch, true)
	Step(t.opt, t.RM.Model.Params.Data, t.RM.Model.Grads.Data)
	t.step++
	return RewardStats{Step: t.step, Loss: loss, Accuracy: float64(right) / float64(pairs)}
}

// Evaluate measures the model on the held-out rankings (Accuracy is NaN-free:
// with no held-out rankings it returns a zero RewardEval with Pairs 0).
func (t *RewardTrainer) Evaluate() RewardEval {
	e := RewardEval{Step: t.step}
	const chunk = 16
	var loss float64
	for i := 0; i < len(t.held); i += chunk {
		part := t.held[i:min(i+chunk, len(t.held))]
		l, right, pairs := t.pairLoss(part, false)
		loss += l * float64(len(part))
		e.Accuracy += float64(right)
		e.Pairs += pairs
	}
	if e.Pairs > 0 {
		e.Accuracy /= float64(e.Pairs)
		e.Loss = loss / float64(len(t.held))
	}
	return e
}

// StepsPerEpoch is the number of steps that see every training ranking once.
func (t *RewardTrainer) StepsPerEpoch() int {
	return max(1, (len(t.train)+t.Config.Batch-1)/t.Config.Batch)
}
