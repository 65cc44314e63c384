package sim

// Step 3 of the recipe: reinforcement learning with PPO against the reward
// model (Ouyang et al. 2022, §3.5; Ziegler et al. 2019; Schulman et al. 2017
// for PPO and 2015 for GAE). The policy starts as a copy of the SFT model; a
// frozen copy, the reference, anchors it: every token pays −β·(log π − log
// π_ref), so the policy can only move as far from what it learned in SFT as
// the reward is worth. The implementation details follow Huang et al. 2024,
// "The N Implementation Details of RLHF with PPO".

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// PPOConfig sets the PPO stage. The last block of fields are the "break it"
// switches of the lessons: each turns off one safeguard.
type PPOConfig struct {
	LR          float64 `json:"lr"`          // AdamW learning rate of the policy (and its value head)
	LRDecay     int     `json:"lr_decay"`    // if > 0, the rate falls linearly to 0 over this many iterations (lm-human-preferences); 0 keeps it constant
	Batch       int     `json:"batch"`       // answers sampled per iteration (the rollout batch)
	MiniBatch   int     `json:"minibatch"`   // answers per gradient step
	Epochs      int     `json:"epochs"`      // passes over each rollout batch
	Temperature float64 `json:"temperature"` // sampling temperature; log-probabilities use the same scaled logits
	MaxNew      int     `json:"max_new"`     // longest answer in tokens

	KLCoef      float64 `json:"kl_coef"`      // β, the price of one nat of KL to the reference
	AdaptiveKL  bool    `json:"adaptive_kl"`  // adapt β toward KLTarget (Ziegler et al. 2019) instead of keeping it fixed
	KLTarget    float64 `json:"kl_target"`    // nats per answer the adaptive controller aims at
	KLHorizon   float64 `json:"kl_horizon"`   // answers over which the controller acts
	KLEstimator string  `json:"kl_estimator"` // "k1": log π − log π_ref; "k3": (r − 1) − log r with r = π_ref/π (never negative)

	Gamma       float64 `json:"gamma"`        // discount (1: none, as in every RLHF reference)
	Lambda      float64 `json:"lambda"`       // GAE λ
	ClipRange   float64 `json:"clip_range"`   // PPO's ε for the probability ratio
	ValueClip   float64 `json:"value_clip"`   // the same for the value head
	VFCoef      float64 `json:"vf_coef"`      // weight of the value loss (0.1 as lm-human-preferences: the value head shares the policy's trunk, and a larger weight moved the policy further from the reference)
	EntropyCoef float64 `json:"entropy_coef"` // weight of an entropy bonus (0: none, as in the references)
	NoEOSScore  float64 `json:"no_eos_score"` // the score of an answer that never ends, instead of the reward model's

	PadWithEnd    bool `json:"pad_with_end"`    // break it: <eos> doubles as padding, so the end token is masked out and never learned
	NoWhitening   bool `json:"no_whitening"`    // break it: advantages are used raw
	NoTempScaling bool `json:"no_temp_scaling"` // break it: log-probabilities ignore the sampling temperature

	// GoldReward replaces the reward model by the simulated labeler's own
	// score, normalised the same way (mean 0, std 1 on SFT answers): a
	// perfect reward model, to see what PPO and the KL penalty allow when the
	// reward model makes no mistakes (rm_score_mean then reports that score).
	GoldReward bool `json:"gold_reward,omitempty"`
}

// DefaultPPOConfig returns the app's PPO settings.
func DefaultPPOConfig() PPOConfig {
	return PPOConfig{LR: 2e-4, Batch: 32, MiniBatch: 8, Epochs: 2, Temperature: 0.7, MaxNew: 32,
		KLCoef: 0.05, KLTarget: 6, KLHorizon: 10000, KLEstimator: "k1",
		Gamma: 1, Lambda: 0.95, ClipRange: 0.2, ValueClip: 0.2, VFCoef: 0.1, NoEOSScore: -1}
}

// Validate reports settings PPO cannot run with.
func (c PPOConfig) Validate() error {
	bad := func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }
	switch {
	case c.LR <= 0 || bad(c.LR):
		return fmt.Errorf("sim: ppo: learning rate %v must be positive", c.LR)
	case c.KLCoef < 0 || bad(c.KLCoef):
		return fmt.Errorf("sim: ppo: β = %v: the KL coefficient cannot be negative", c.KLCoef)
	case c.Batch < 1 || c.MiniBatch < 1 || c.MiniBatch > c.Batch || c.Epochs < 1:
		return fmt.Errorf("sim: ppo: batch %d, minibatch %d and epochs %d must be positive, minibatch ≤ batch", c.Batch, c.MiniBatch, c.Epochs)
	case c.Temperature <= 0 || bad(c.Temperature):
		return fmt.Errorf("sim: ppo: temperature %v must be positive", c.Temperature)
	case c.LRDecay < 0:
		return fmt.Errorf("sim: ppo: lr_decay %d cannot be negative", c.LRDecay)
	case c.MaxNew < 1:
		return fmt.Errorf("sim: ppo: max_new %d must be positive", c.MaxNew)
	case c.ClipRange <= 0 || c.ValueClip <= 0 || bad(c.ClipRange) || bad(c.ValueClip):
		return fmt.Errorf("sim: ppo: clip ranges must be positive")
	case c.Gamma < 0 || c.Gamma > 1 || c.Lambda < 0 || c.Lambda > 1:
		return fmt.Errorf("sim: ppo: γ and λ must be in [0, 1]")
	case c.KLEstimator != "k1" && c.KLEstimator != "k3":
		return fmt.Errorf("sim: ppo: KL estimator %q: want k1 or k3", c.KLEstimator)
	case c.AdaptiveKL && (c.KLTarget <= 0 || c.KLHorizon <= 0):
		return fmt.Errorf("sim: ppo: the adaptive controller needs a positive target and horizon")
	case c.VFCoef < 0 || c.EntropyCoef < 0 || bad(c.VFCoef) || bad(c.EntropyCoef) || bad(c.NoEOSScore):
		return fmt.Errorf("sim: ppo: loss coefficients must be finite and non-negative")
	}
	return nil
}

// PPOStats is the record of one PPO iteration: what a teacher plots.
type PPOStats struct {
	Iteration        int      `json:"iteration"`
	ScoreMean        float64  `json:"rm_score_mean"`   // reward model's score of the sampled answers (normalised)
	ScoreStd         float64  `json:"rm_score_std"`    //
	GoldMean         *float64 `json:"gold_score_mean"` // the simulated labeler's own score, when there is one
	KLMean           float64  `json:"kl_mean"`         // Σ over an answer's tokens of log π − log π_ref, mean over answers (nats)
	Objective        float64  `json:"objective"`       // score − β·KL: what PPO maximises
	Beta             float64  `json:"beta"`            // β used this iteration
	Entropy          float64  `json:"entropy"`         // policy entropy per token (nats) at the sampling temperature
	ClipFrac         float64  `json:"clip_frac"`       // share of tokens whose ratio left [1−ε, 1+ε]
	ApproxKL         float64  `json:"approx_kl"`       // ½·mean (log π_new − log π_old)²: how far one iteration moved
	ExplainedVar     float64  `json:"explained_var"`   // 1 − Var(returns − values)/Var(returns)
	PolicyLoss       float64  `json:"policy_loss"`
	ValueLoss        float64  `json:"value_loss"`
	AnswerLength     float64  `json:"answer_length"` // mean tokens per answer
	EndedShare       float64  `json:"ended_share"`   // share of answers that produced <eos>
	AdvantageMeanRaw float64  `json:"advantage_mean_raw"`
}

// Rollout is one sampled answer with everything PPO computed for it.
type Rollout struct {
	Prompt string  `json:"prompt"`
	Answer string  `json:"answer"`
	Score  float64 `json:"score"` // reward model (or the no-<eos> score)
	KL     float64 `json:"kl"`    // Σ log π − log π_ref
	Gold   float64 `json:"gold,omitempty"`
	Ended  bool    `json:"ended"`

	seq              []int     // prompt + answer tokens
	start, n         int       // first answer token; number of answer tokens trained on
	logp, ref, value []float64 // per answer token
	klTok            []float64 // per-token KL (as the penalty's estimator)
	adv, ret         []float64
	ratio            []float64 // the traced rollout's last ratios π/π_old (nil for the others)
}

// PPOTrainer runs PPO iterations of a policy against a reward model.
type PPOTrainer struct {
	Config PPOConfig
	Policy *GPT // trained; its scalar head is the value head
	Ref    *GPT // frozen SFT model
	RM     *RewardModel
	Gold   func(answer string) float64 // the simulated labeler's score, or nil
	// GoldNorm maps Gold to the reward model's scale for Config.GoldReward.
	GoldNorm RewardNorm
	Prompts  []string

	tok          *Tokenizer
	opt          *AdamW
	beta         float64
	iter         int
	sampleRng    *rand.Rand
	ppoRng       *rand.Rand
	probs        []float64 // (V) one row's probabilities
	exps         []float32 // (V) one row's exponentials (softmaxExp32)
	dlogits      []float32
	dscalars     []float32
	LastRollouts []Rollout // the last iteration's answers, for the screen
	tracing      bool      // StepTraced: keep the trace of one answer
	trace        *PPOTrace
}

// NewPPOTrainer starts PPO from the SFT model: the policy is a copy with a
// zero value head, the reference another, frozen.
func NewPPOTrainer(cfg PPOConfig, sft *GPT, rm *RewardModel, tok *Tokenizer, prompts []string, sampleRng, ppoRng *rand.Rand) (*PPOTrainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(prompts) == 0 {
		return nil, fmt.Errorf("sim: ppo: no prompts")
	}
	policy := sft.Clone()
	clear(policy.Params.HeadW)
	policy.Params.HeadB[0] = 0
	t := &PPOTrainer{Config: cfg, Policy: policy, Ref: sft.Clone(), RM: rm, Prompts: prompts, tok: tok,
		opt: DefaultAdamW(cfg.LR), beta: cfg.KLCoef, sampleRng: sampleRng, ppoRng: ppoRng, probs: make([]float64, sft.Config.Vocab),
		exps: make([]float32, sft.Config.Vocab)}
	t.opt.WeightDecay = 0
	return t, nil
}

// Beta is the current KL coefficient.
func (t *PPOTrainer) Beta() float64 { return t.beta }

// SetConfig changes settings between iterations; β restarts at KLCoef.
func (t *PPOTrainer) SetConfig(cfg PPOConfig) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if cfg.KLCoef != t.Config.KLCoef || cfg.AdaptiveKL != t.Config.AdaptiveKL {
		t.beta = cfg.KLCoef
	}
	t.Config = cfg
	return nil
}

// Iteration returns the number of iterations run.
func (t *PPOTrainer) Iteration() int { return t.iter }

// Step runs one PPO iteration: sample, score, compute advantages, update.
func (t *PPOTrainer) Step() PPOStats {
	cfg := t.Config
	t.opt.LR = cfg.LR
	if cfg.LRDecay > 0 {
		t.opt.LR = cfg.LR * math.Max(0, 1-float64(t.iter)/float64(cfg.LRDecay))
	}
	// 1. Draw a batch of prompts and sample one answer to each from the policy.
	rolls := make([]Rollout, cfg.Batch)
	prompts := make([][]int, cfg.Batch)
	for i := range rolls {
		rolls[i].Prompt = t.Prompts[t.ppoRng.IntN(len(t.Prompts))]
		prompts[i] = ChatPrompt(t.tok, rolls[i].Prompt)
		if len(prompts[i]) >= t.Policy.Config.Context-1 {
			prompts[i] = prompts[i][:t.Policy.Config.Context-2]
		}
	}
	// The rollout also keeps, per answer token, the policy's log-probability
	// (at the temperature of the log-probabilities, see NoTempScaling), its
	// entropy and the value head: the "old" policy of the updates below.
	temp := cfg.Temperature
	if cfg.NoTempScaling {
		temp = 1
	}
	old := drawStats{LogTemp: temp}
	answers := sample(t.Policy, prompts, SampleOptions{Temperature: cfg.Temperature, MaxNew: cfg.MaxNew}, t.sampleRng, &old)
	var entropySum, entropyN float64
	for i := range rolls {
		r := &rolls[i]
		r.seq = append(append([]int(nil), prompts[i]...), answers[i]...)
		r.start = len(prompts[i])
		r.n = len(answers[i])
		r.Ended = len(answers[i]) > 0 && answers[i][len(answers[i])-1] == EndID
		if cfg.PadWithEnd && r.Ended {
			r.n-- // the end token is taken for padding and masked out like padding
		}
		r.Answer = AnswerText(t.tok, answers[i])
		r.logp, r.value = old.logp[i][:r.n], old.values[i][:r.n]
		for _, h := range old.entropy[i][:r.n] {
			entropySum += h
			entropyN++
		}
	}
	rolls = keepNonEmpty(rolls)
	traced := -1
	if t.tracing && len(rolls) > 0 {
		traced = t.startTrace(rolls)
	}

	// 2. Score: log-probabilities under the reference, and the reward model's
	// score at the last token.
	t.refLogProbs(rolls, temp)
	scores := t.score(rolls)

	// 3. Per-token rewards: −β·KL at every token, the score added at the last.
	var stats PPOStats
	var golds []float64
	for i := range rolls {
		r := &rolls[i]
		r.Score = scores[i]
		if cfg.GoldReward && t.Gold != nil {
			r.Score = t.GoldNorm.Gain*t.Gold(r.Answer) + t.GoldNorm.Bias
		}
		if !r.Ended {
			r.Score = cfg.NoEOSScore
		}
		rewards := make([]float64, r.n)
		r.klTok = make([]float64, r.n)
		for k := range r.n {
			d := r.logp[k] - r.ref[k]
			r.KL += d
			r.klTok[k] = d
			if cfg.KLEstimator == "k3" {
				r.klTok[k] = math.Expm1(-d) + d // (ρ − 1) − log ρ with ρ = π_ref/π
			}
			rewards[k] = -t.beta * r.klTok[k]
		}
		rewards[r.n-1] += r.Score
		// 4. Generalised advantage estimation, backwards over the answer (Schulman et al. 2015).
		r.adv, r.ret = gae(rewards, r.value, cfg.Gamma, cfg.Lambda)
		if i == traced {
			t.trace.Rewards, t.trace.AdvRaw = rewards, append([]float64(nil), r.adv...)
		}
		if t.Gold != nil {
			r.Gold = t.Gold(r.Answer)
			golds = append(golds, r.Gold)
		}
	}
	// 5. Whiten the advantages over all tokens of the batch.
	var advStd float64
	stats.AdvantageMeanRaw, advStd = whitenAdvantages(rolls, !cfg.NoWhitening)
	if traced >= 0 {
		t.trace.AdvMean, t.trace.AdvStd = stats.AdvantageMeanRaw, advStd
	}

	// 6. Several epochs of clipped-surrogate updates over shuffled minibatches.
	var nUpdates int
	for range cfg.Epochs {
		perm := t.ppoRng.Perm(len(rolls))
		for lo := 0; lo < len(perm); lo += cfg.MiniBatch {
			idx := perm[lo:min(lo+cfg.MiniBatch, len(perm))]
			u := t.update(rolls, idx, temp)
			stats.PolicyLoss += u.policyLoss
			stats.ValueLoss += u.valueLoss
			stats.ClipFrac += u.clipFrac
			stats.ApproxKL += u.approxKL
			nUpdates++
		}
	}
	stats.PolicyLoss /= float64(nUpdates)
	stats.ValueLoss /= float64(nUpdates)
	stats.ClipFrac /= float64(nUpdates)
	stats.ApproxKL /= float64(nUpdates)

	// 7. Record, then adapt β (Ziegler et al. 2019): β ← β·(1 + clip(KL/target − 1, ±0.2)·n/horizon).
	t.iter++
	stats.Iteration = t.iter
	stats.Beta = t.beta
	var sc, kls, lens, ended []float64
	for _, r := range rolls {
		sc = append(sc, r.Score)
		kls = append(kls, r.KL)
		lens = append(lens, float64(len(r.seq)-r.start))
		if r.Ended {
			ended = append(ended, 1)
		} else {
			ended = append(ended, 0)
		}
	}
	stats.ScoreMean, stats.ScoreStd = MeanStd(sc)
	stats.KLMean, _ = MeanStd(kls)
	stats.Objective = stats.ScoreMean - t.beta*stats.KLMean
	stats.AnswerLength, _ = MeanStd(lens)
	stats.EndedShare, _ = MeanStd(ended)
	stats.Entropy = entropySum / math.Max(1, entropyN)
	stats.ExplainedVar = explainedVariance(rolls)
	if golds != nil {
		g, _ := MeanStd(golds)
		stats.GoldMean = &g
	}
	if cfg.AdaptiveKL {
		e := math.Max(-0.2, math.Min(0.2, stats.KLMean/cfg.KLTarget-1))
		t.beta *= 1 + e*float64(len(rolls))/cfg.KLHorizon
	}
	t.LastRollouts = rolls
	return stats
}

// keepNonEmpty drops answers with no token to learn from (an immediate <eos> under PadWithEnd).
func keepNonEmpty(rolls []Rollout) []Rollout {
	out := rolls[:0]
	for _, r := range rolls {
		if r.n > 0 {
			out = append(out, r)
		}
	}
	return out
}

// packRollouts lays the sequences idx of rolls into a right-padded (B,T)
// batch, each without the tokens after its last one to learn (whose outputs
// predict nothing PPO uses), and returns with it rows: the positions whose
// outputs predict the answer tokens, rollout by rollout (n of them each).
func (t *PPOTrainer) packRollouts(rolls []Rollout, idx []int) (tokens []int, B, Tn int, rows []int) {
	pad := PadID
	if t.Config.PadWithEnd {
		pad = EndID
	}
	seqs := make([][]int, len(idx))
	for j, i := range idx {
		r := &rolls[i]
		seqs[j] = r.seq[:r.start+r.n-1] // answer token k is predicted at position start−1+k
	}
	tokens, Tn = padBatch(nil, seqs, pad)
	for j, i := range idx {
		r := &rolls[i]
		for k := range r.n {
			rows = append(rows, j*Tn+r.start-1+k)
		}
	}
	return tokens, len(idx), Tn, rows
}

// learnLens returns the length of each rollout as packRollouts packs it.
func learnLens(rolls []Rollout, idx []int) []int {
	lens := make([]int, len(idx))
	for j, i := range idx {
		lens[j] = rolls[i].start + rolls[i].n - 1
	}
	return lens
}

// pick returns idx[g[0]], idx[g[1]], …: a group of lengthGroups as rollout indices.
func pick(idx, g []int) []int {
	out := make([]int, len(g))
	for j, k := range g {
		out[j] = idx[k]
	}
	return out
}

// refLogProbs fills ref, the reference's log-probability of every answer
// token at temperature temp, in batches of up to 16 rollouts of similar
// length (lengthGroups): each rollout's figures do not depend on its batch.
func (t *PPOTrainer) refLogProbs(rolls []Rollout, temp float64) {
	V := t.Ref.Config.Vocab
	all := make([]int, len(rolls))
	for i := range all {
		all[i] = i
	}
	for _, g := range lengthGroups(learnLens(rolls, all), 16) {
		idx := pick(all, g)
		tokens, B, Tn, rows := t.packRollouts(rolls, idx)
		t.Ref.ForwardRows(tokens, B, Tn, rows)
		logits := t.Ref.Logits() // row j: rows[j]
		j := 0
		for _, i := range idx {
			r := &rolls[i]
			r.ref = make([]float64, r.n)
			for k := range r.n {
				r.ref[k] = tokenLogProb(logits[j*V:j*V+V], r.seq[r.start+k], temp, nil)
				j++
			}
		}
	}
}

// score returns the reward model's score of each rollout (prompt and the
// answer's tokens to learn), in batches of similar length as refLogProbs.
func (t *PPOTrainer) score(rolls []Rollout) []float64 {
	seqs, lens := make([][]int, len(rolls)), make([]int, len(rolls))
	for i := range rolls {
		seqs[i] = rolls[i].seq[:rolls[i].start+rolls[i].n]
		lens[i] = len(seqs[i])
	}
	scores := make([]float64, len(rolls))
	for _, g := range lengthGroups(lens, 16) {
		part := make([][]int, len(g))
		for j, i := range g {
			part[j] = seqs[i]
		}
		for j, s := range t.RM.ScoreSequences(part) {
			scores[g[j]] = s
		}
	}
	return scores
}

// gae returns advantages and returns (advantage + value) for one answer:
// δ_t = r_t + γ·V_{t+1} − V_t, A_t = δ_t + γλ·A_{t+1}, with V after the last token 0.
func gae(rewards, values []float64, gamma, lambda float64) (adv, ret []float64) {
	n := len(rewards)
	adv, ret = make([]float64, n), make([]float64, n)
	var next, nextValue float64
	for k := n - 1; k >= 0; k-- {
		delta := rewards[k] + gamma*nextValue - values[k]
		next = delta + gamma*lambda*next
		adv[k] = next
		ret[k] = next + values[k]
		nextValue = values[k]
	}
	return adv, ret
}

// whitenAdvantages shifts and scales all advantages of the batch to mean 0
// and std 1 when whiten is set; it returns their raw mean and std.
func whitenAdvantages(rolls []Rollout, whiten bool) (mean, std float64) {
	var all []float64
	for _, r := range rolls {
		all = append(all, r.adv...)
	}
	mean, std = MeanStd(all)
	if !whiten {
		return mean, std
	}
	for _, r := range rolls {
		for k := range r.adv {
			r.adv[k] = (r.adv[k] - mean) / (std + 1e-8)
		}
	}
	return mean, std
}

func explainedVariance(rolls []Rollout) float64 {
	var ret, diff []float64
	for _, r := range rolls {
		for k := range r.ret {
			ret = append(ret, r.ret[k])
			diff = append(diff, r.ret[k]-r.value[k])
		}
	}
	_, sr := MeanStd(ret)
	_, sd := MeanStd(diff)
	if sr == 0 {
		return 0
	}
	return 1 - sd*sd/(sr*sr)
}

type updateStats struct{ policyLoss, valueLoss, clipFrac, approxKL float64 }

// update takes one gradient step on the rollouts idx: the clipped surrogate
// (Schulman et al. 2017), the clipped value loss and the entropy bonus, each
// a mean over the minibatch's answer tokens.
func (t *PPOTrainer) update(rolls []Rollout, idx []int, temp float64) updateStats {
	var count float64
	for _, i := range idx {
		count += float64(rolls[i].n)
	}
	// The gradient is a sum over the minibatch's tokens, so it is computed
	// over batches of similar length (lengthGroups), each adding into Grads:
	// the same sum, with less padding.
	var u updateStats
	t.Policy.ZeroGrad()
	for _, g := range lengthGroups(learnLens(rolls, idx), len(idx)) {
		t.accumulate(&u, rolls, pick(idx, g), temp, count)
	}
	Step(t.opt, t.Policy.Params.Data, t.Policy.Grads.Data)
	return u
}

// accumulate adds into the policy's gradients (and u) the gradient of the
// losses of the rollouts idx, each term divided by count, the minibatch's
// answer tokens.
func (t *PPOTrainer) accumulate(u *updateStats, rolls []Rollout, idx []int, temp, count float64) {
	cfg := t.Config
	V := t.Policy.Config.Vocab
	tokens, B, Tn, rows := t.packRollouts(rolls, idx)
	t.Policy.ForwardRows(tokens, B, Tn, rows)
	logits, values := t.Policy.Logits(), t.Policy.Scalars() // logits row j: position rows[j]
	M := len(rows)
	if cap(t.dlogits) < M*V {
		t.dlogits = make([]float32, M*V)
	}
	dlogits := t.dlogits[:M*V]
	clear(dlogits)
	if cap(t.dscalars) < B*Tn {
		t.dscalars = make([]float32, B*Tn)
	}
	dscalars := t.dscalars[:B*Tn]
	clear(dscalars)

	j := 0
	for _, i := range idx {
		r := &rolls[i]
		for k := range r.n {
			pos := rows[j]
			row, drow := logits[j*V:j*V+V], dlogits[j*V:j*V+V]
			j++
			tok := r.seq[r.start+k]
			m, sum, _ := softmaxExp32(t.exps, row, temp) // as tokenLogProb, keeping the exponentials
			logp := (float64(row[tok])-float64(m))/temp - math.Log(sum)
			ratio := math.Exp(logp - r.logp[k])
			if r.ratio != nil {
				r.ratio[k] = ratio
			}
			a := r.adv[k]
			pg1, pg2 := -a*ratio, -a*math.Max(1-cfg.ClipRange, math.Min(1+cfg.ClipRange, ratio))
			u.policyLoss += math.Max(pg1, pg2) / count
			if math.Abs(ratio-1) > cfg.ClipRange {
				u.clipFrac += 1 / count
			}
			u.approxKL += 0.5 * (logp - r.logp[k]) * (logp - r.logp[k]) / count
			// d(loss)/d(log π) = −A·ratio where the unclipped term is the max, else 0;
			// crossEntropy adds the gradient of w·(−log π), so w = A·ratio/count.
			if pg1 >= pg2 {
				addNLLGradientExp(drow, t.exps, sum, tok, a*ratio/count, temp)
			}
			if cfg.EntropyCoef > 0 {
				entropyGradient(drow, row, cfg.Temperature, -cfg.EntropyCoef/count, t.probs)
			}
			// Value loss ½·max((v − R)², (v_clipped − R)²).
			v, old, ret := float64(values[pos]), r.value[k], r.ret[k]
			vc := old + math.Max(-cfg.ValueClip, math.Min(cfg.ValueClip, v-old))
			l1, l2 := (v-ret)*(v-ret), (vc-ret)*(vc-ret)
			u.valueLoss += 0.5 * math.Max(l1, l2) / count
			if l1 >= l2 || math.Abs(v-old) < cfg.ValueClip {
				dscalars[pos] += float32(cfg.VFCoef * (v - ret) / count)
			}
		}
	}
	t.Policy.Backward(dlogits, dscalars)
}

// entropyGradient adds scale·∂H/∂logits for one row, where H is the entropy
// of softmax(row/temperature): ∂H/∂z_i = −p_i·(log p_i + H)/temperature.
func entropyGradient(drow []float32, row []float32, temperature, scale float64, probs []float64) {
	h := entropy(row, temperature, probs)
	for i, p := range probs {
		if p > 0 {
			drow[i] += float32(scale * -p * (math.Log(p) + h) / temperature)
		}
	}
}
