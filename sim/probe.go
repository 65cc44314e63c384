package sim

import "sort"

// The policy-shift panel compares the policy with the reference on one
// answer: the next-token distributions at a position, and each token's
// contribution to the KL.

// TokenProb is one token's probability under two models.
type TokenProb struct {
	Word      string  `json:"word"`
	Reference float64 `json:"reference"`
	Policy    float64 `json:"policy"`
}

// NextTokenProbs returns, for the sequence prompt+answer[:pos], the top
// tokens of the policy's and the reference's next-token distributions (the
// union of both top-n lists, sorted by the policy's probability), at the
// given temperature.
func NextTokenProbs(policy, ref *GPT, tok *Tokenizer, seq []int, temperature float64, n int) []TokenProb {
	V := policy.Config.Vocab
	dist := func(m *GPT) []float64 {
		m.Forward(seq, 1, len(seq), true)
		logits := m.Logits()
		probs := make([]float64, V)
		tokenLogProb(logits[(len(seq)-1)*V:], 0, temperature, probs)
		return probs
	}
	pp, rp := dist(policy), dist(ref)
	pick := map[int]bool{}
	for _, probs := range [][]float64{pp, rp} {
		idx := make([]int, V)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return probs[idx[a]] > probs[idx[b]] })
		for _, i := range idx[:min(n, V)] {
			pick[i] = true
		}
	}
	words := tok.Words()
	var out []TokenProb
	for i := range pick {
		out = append(out, TokenProb{Word: words[i], Reference: rp[i], Policy: pp[i]})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Policy != out[b].Policy {
			return out[a].Policy > out[b].Policy
		}
		return out[a].Word < out[b].Word
	})
	return out
}

// TokenKL is one answer token with log π − log π_ref at its position.
type TokenKL struct {
	Word string  `json:"word"`
	KL   float64 `json:"kl"`
}

// AnswerKL returns each answer token of seq (starting at index start) with
// its log-probability ratio between policy and reference.
func AnswerKL(policy, ref *GPT, tok *Tokenizer, seq []int, start int, temperature float64) []TokenKL {
	V := policy.Config.Vocab
	logps := func(m *GPT) []float64 {
		m.Forward(seq, 1, len(seq), true)
		logits := m.Logits()
		out := make([]float64, 0, len(seq)-start)
		for p := start; p < len(seq); p++ {
			out = append(out, tokenLogProb(logits[(p-1)*V:p*V], seq[p], temperature, nil))
		}
		return out
	}
	lp, lr := logps(policy), logps(ref)
	words := tok.Words()
	out := make([]TokenKL, len(lp))
	for i := range lp {
		out[i] = TokenKL{Word: words[seq[start+i]], KL: lp[i] - lr[i]}
	}
	return out
}

// Probe is what the policy-shift panel shows for one held-out prompt.
type Probe struct {
	Prompt    string      `json:"prompt"`
	Reference string      `json:"reference"` // an answer of the SFT model
	Policy    string      `json:"policy"`    // an answer of the policy (the SFT model before PPO)
	Tokens    []TokenKL   `json:"tokens"`    // the policy's answer, each token with its log-ratio
	Pos       int         `json:"pos"`       // the answer position the probabilities are for
	Probs     []TokenProb `json:"probs"`     // next-token probabilities at Pos
	Iteration int         `json:"iteration"` // PPO iterations when drawn
}

// Probe fills the policy-shift panel: an answer of the reference (the SFT
// model) and of the policy to prompt, the policy's answer with each token's
// log-ratio, and both next-token distributions at answer position pos. The
// answers are drawn with the Screen stream, and the last probe's are kept
// for a new position while the prompt and the policy are the same, unless
// resample.
func (l *Lab) Probe(prompt string, pos int, resample bool) Probe {
	temp := l.Settings.PPO.Temperature
	ref, policy := l.SFT, l.Policy()
	if policy == nil {
		policy = l.SFT
	}
	p := Probe{Prompt: prompt, Iteration: len(l.History.PPO)}
	if old := l.probe; old != nil && old.Prompt == prompt && old.Iteration == p.Iteration && !resample {
		p.Reference, p.Policy = old.Reference, old.Policy
	} else {
		p.Reference = l.Answers(ref, []string{prompt}, temp)[0]
		p.Policy = l.Answers(policy, []string{prompt}, temp)[0]
	}
	seq, start := ChatSequence(l.Tok, prompt, p.Policy)
	seq = clip(seq, policy.Config.Context)
	if start < len(seq) {
		p.Tokens = AnswerKL(policy, ref, l.Tok, seq, start, temp)
	}
	p.Pos = min(max(pos, 0), len(seq)-start)
	if start+p.Pos > 0 && start+p.Pos <= len(seq) && start+p.Pos < policy.Config.Context {
		p.Probs = NextTokenProbs(policy, ref, l.Tok, seq[:start+p.Pos], temp, 6)
	}
	l.probe = &p
	return p
}
