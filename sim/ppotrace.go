package sim

import "math"

// PPOTrace is one answer of one PPO iteration, followed through every step
// of the iteration with the numbers the update used: what the slow-motion
// view of the PPO screen steps through. Every per-token list has one entry
// per answer token PPO learned from (Words).
type PPOTrace struct {
	Iteration int      `json:"iteration"` // the iteration (1 for the first)
	Prompt    string   `json:"prompt"`
	Answer    string   `json:"answer"`
	Words     []string `json:"words"` // the answer's tokens: English words, Chinese characters, "<eos>" last if it ended
	Ended     bool     `json:"ended"` // the answer produced <eos> (else its score is the no-<eos> score)
	Batch     int      `json:"batch"` // answers in the iteration

	// Score: the reward model's score of the answer (normalised), the one PPO used.
	Score float64 `json:"score"`
	Beta  float64 `json:"beta"` // β of this iteration
	// KL per token: the penalty's estimator (k1: log π − log π_ref) at each
	// token, with the policy's and the reference's log-probabilities.
	LogProb    []float64 `json:"logprob"`     // log π_old(token), sampling policy
	RefLogProb []float64 `json:"ref_logprob"` // log π_ref(token), the SFT model
	KL         []float64 `json:"kl"`
	Estimator  string    `json:"kl_estimator"` // PPOConfig.KLEstimator: "k1", or "k3" (then KL holds (ρ − 1) − log ρ, ρ = π_ref/π)
	KLSum      float64   `json:"kl_sum"`       // Σ log π − log π_ref: the answer's term of the iteration's kl_mean
	// Rewards per token: −β·KL, and the score added on the last token.
	Rewards []float64 `json:"rewards"`
	Values  []float64 `json:"values"` // the value head's estimate at each token (before the update)
	// Advantages by GAE before whitening, and after: (raw − AdvMean)/(AdvStd + 1e-8)
	// with the mean and std over all tokens of the batch (unchanged when whitening is off).
	AdvRaw   []float64 `json:"adv_raw"`
	Adv      []float64 `json:"adv"`
	AdvMean  float64   `json:"adv_mean"`
	AdvStd   float64   `json:"adv_std"`
	Whitened bool      `json:"whitened"`
	// The update: the probability ratio π/π_old of each token at the last
	// gradient step that included the answer, whether it was outside
	// [1−ε, 1+ε] there (the clipped tokens of clip_frac), and each token's
	// probability before the iteration and under the updated policy.
	ClipRange float64   `json:"clip_range"`
	Ratio     []float64 `json:"ratio"`
	Clipped   []bool    `json:"clipped"`
	OldProb   []float64 `json:"old_prob"`
	NewProb   []float64 `json:"new_prob"`
}

// StepTraced runs one PPO iteration, as Step, and returns with its
// statistics the trace of one of its answers: the first that ended (the
// first answer if none did). The iteration is the one Step would have run:
// the trace draws no random number and changes no figure of it.
func (t *PPOTrainer) StepTraced() (PPOStats, *PPOTrace) {
	t.tracing = true
	defer func() { t.tracing = false }()
	st := t.Step()
	tr := t.trace
	t.trace = nil
	if tr == nil {
		return st, nil
	}
	tr.Iteration = t.iter
	t.finishTrace(tr)
	return st, tr
}

// startTrace picks the answer to trace among rolls and begins its trace
// (the rewards and the figures of the update follow in Step).
func (t *PPOTrainer) startTrace(rolls []Rollout) int {
	pick := 0
	for i := range rolls {
		if rolls[i].Ended {
			pick = i
			break
		}
	}
	r := &rolls[pick]
	words := t.tok.Words()
	tr := &PPOTrace{Prompt: r.Prompt, Answer: r.Answer, Ended: r.Ended, Batch: len(rolls), Beta: t.beta,
		ClipRange: t.Config.ClipRange, Whitened: !t.Config.NoWhitening, Estimator: t.Config.KLEstimator}
	for k := range r.n {
		tr.Words = append(tr.Words, words[r.seq[r.start+k]])
	}
	r.ratio = make([]float64, r.n)
	t.trace = tr
	return pick
}

// finishTrace copies the traced rollout's figures into tr and evaluates
// its tokens under the updated policy.
func (t *PPOTrainer) finishTrace(tr *PPOTrace) {
	var r *Rollout
	for i := range t.LastRollouts {
		if t.LastRollouts[i].ratio != nil {
			r = &t.LastRollouts[i]
		}
	}
	if r == nil {
		return
	}
	tr.Score, tr.KLSum = r.Score, r.KL
	tr.LogProb = append([]float64(nil), r.logp...)
	tr.RefLogProb = append([]float64(nil), r.ref...)
	tr.KL = append([]float64(nil), r.klTok...)
	tr.Values = append([]float64(nil), r.value...)
	tr.Adv = append([]float64(nil), r.adv...)
	tr.Ratio = append([]float64(nil), r.ratio...)
	temp := t.Config.Temperature
	if t.Config.NoTempScaling {
		temp = 1
	}
	tokens, B, Tn, rows := t.packRollouts([]Rollout{*r}, []int{0})
	t.Policy.ForwardRows(tokens, B, Tn, rows)
	V := t.Policy.Config.Vocab
	logits := t.Policy.Logits()
	for k := range r.n {
		tr.OldProb = append(tr.OldProb, math.Exp(r.logp[k]))
		tr.NewProb = append(tr.NewProb, math.Exp(tokenLogProb(logits[k*V:k*V+V], r.seq[r.start+k], temp, nil)))
		tr.Clipped = append(tr.Clipped, math.Abs(r.ratio[k]-1) > t.Config.ClipRange)
	}
	r.ratio = nil
}
