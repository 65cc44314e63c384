package sim

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Sampling runs the model one position at a time and keeps every layer's
// keys and values (the KV cache), so that each new token costs one row of
// work instead of a forward pass over the whole sequence.

// SampleOptions controls how tokens are drawn.
type SampleOptions struct {
	Temperature float64 // logits are divided by it; 0 picks the most likely token
	TopK        int     // draw only among the K most likely tokens; 0 means all
	MaxNew      int     // stop after this many new tokens (and at the context's end)
}

// decoder holds the KV cache and the row buffers of incremental decoding for B rows.
type decoder struct {
	m          *GPT
	B          int
	k, v       [][]float32 // per layer, (B, H, hs, Context): each head's keys and values, transposed
	x, ln, tmp []float32   // (B, C)
	qkv        []float32   // (B, 3C)
	atty       []float32   // (B, C)
	fch, gelu  []float32   // (B, MLP)
	mean, rstd []float32   // (B)
	logits     []float32   // (B, V)
	att        []float32   // (Context)
	wteT       []float32   // (C, V) the tied LM head transposed once, so each step is a plain product
}

func newDecoder(m *GPT, B int) *decoder {
	c := m.Config
	d := &decoder{m: m, B: B, x: make([]float32, B*c.Embd), ln: make([]float32, B*c.Embd), tmp: make([]float32, B*c.Embd),
		qkv: make([]float32, B*3*c.Embd), atty: make([]float32, B*c.Embd), fch: make([]float32, B*c.MLP), gelu: make([]float32, B*c.MLP),
		mean: make([]float32, B), rstd: make([]float32, B), logits: make([]float32, B*c.Vocab), att: make([]float32, c.Context)}
	for range c.Layers {
		d.k = append(d.k, make([]float32, B*c.Context*c.Embd))
		d.v = append(d.v, make([]float32, B*c.Context*c.Embd))
	}
	d.wteT = make([]float32, c.Embd*c.Vocab)
	for v := range c.Vocab {
		for i, x := range m.Params.Wte[v*c.Embd : (v+1)*c.Embd] {
			d.wteT[i*c.Vocab+v] = x
		}
	}
	return d
}

// step feeds tokens (B) at position pos and returns the logits (B,V) for position pos+1.
// The calls mirror Model.Forward; only attention reads the cache.
func (d *decoder) step(tokens []int, pos int) []float32 {
	c, p := d.m.Config, d.m.Params
	B, C, H, hs := d.B, c.Embd, c.Heads, c.Embd/c.Heads
	scale := float32(1 / math.Sqrt(float64(hs)))
	for b, tok := range tokens {
		x := d.x[b*C : b*C+C]
		e, pe := p.Wte[tok*C:tok*C+C], p.Wpe[pos*C:pos*C+C]
		for i := range x {
			x[i] = e[i] + pe[i]
		}
	}
	for l := range c.Layers {
		w := &p.Blocks[l]
		layerNormForward(d.ln, d.mean, d.rstd, d.x, w.Ln1W, w.Ln1B, B, C)
		linearForward(d.qkv, d.ln, w.Wqkv, w.Bqkv, B, C, 3*C)
		for b := range B {
			for h := range H {
				// This head's cache, keys and values transposed (hs, Context):
				// column pos is the new token, and each loop below runs over
				// the positions 0..pos of one channel.
				head := (b*H + h) * hs * c.Context
				kt, vt := d.k[l][head:head+hs*c.Context], d.v[l][head:head+hs*c.Context]
				qkv := d.qkv[b*3*C : b*3*C+3*C]
				for i, x := range qkv[C+h*hs:][:hs] {
					kt[i*c.Context+pos] = x
				}
				for i, x := range qkv[2*C+h*hs:][:hs] {
					vt[i*c.Context+pos] = x
				}
				att := d.att[:pos+1]
				clear(att)
				for i, q := range qkv[h*hs:][:hs] {
					for t, k := range kt[i*c.Context:][:len(att)] {
						att[t] += q * k
					}
				}
				softmaxCausal(att, pos, scale)
				o := d.atty[b*C+h*hs:][:hs]
				for i := range o {
					var sum float32
					for t, v := range vt[i*c.Context:][:len(att)] {
						sum += att[t] * v
					}
					o[i] = sum
				}
			}
		}
		linearForward(d.tmp, d.atty, w.Wo, w.Bo, B, C, C)
		residualForward(d.x, d.x, d.tmp)
		layerNormForward(d.ln, d.mean, d.rstd, d.x, w.Ln2W, w.Ln2B, B, C)
		linearForward(d.fch, d.ln, w.Wfc, w.Bfc, B, C, c.MLP)
		geluForward(d.gelu, d.fch)
		linearForward(d.tmp, d.gelu, w.Wproj, w.Bproj, B, c.MLP, C)
		residualForward(d.x, d.x, d.tmp)
	}
	layerNormForward(d.ln, d.mean, d.rstd, d.x, p.LnfW, p.LnfB, B, C)
	clear(d.logits)
	matMul(d.logits, d.ln, d.wteT, B, C, c.Vocab) // logits = ln · wteᵀ
	return d.logits
}

// Sample continues each prompt (token ids, at least one each) and returns
// the new tokens of each: up to and including EndID, or MaxNew tokens, or
// until the context is full. rng supplies one coin per drawn token, row by
// row, so a seed replays the same answers.
func Sample(m *GPT, prompts [][]int, opt SampleOptions, rng *rand.Rand) [][]int {
	return sample(m, prompts, opt, rng, nil)
}

// drawStats is what a rollout needs from the model at each token it drew,
// per row and token: the token's log-probability at temperature LogTemp,
// the entropy at the sampling temperature and the scalar head (the value),
// all read at the position that predicted the token. They are what a
// forward pass over the answers would give, up to float32 rounding (the
// cache does the same arithmetic one position at a time), so PPO takes the
// old policy's figures from its own rollout.
type drawStats struct {
	LogTemp               float64
	logp, entropy, values [][]float64
}

// sample is Sample; with st it also fills st for every drawn token.
func sample(m *GPT, prompts [][]int, opt SampleOptions, rng *rand.Rand, st *drawStats) [][]int {
	B, ctx := len(prompts), m.Config.Context
	if B == 0 {
		return nil
	}
	longest := 0
	for _, p := range prompts {
		if len(p) == 0 || len(p) >= ctx {
			panic("sim: Sample: each prompt needs 1 to Context-1 tokens")
		}
		longest = max(longest, len(p))
	}
	d := newDecoder(m, B)
	out := make([][]int, B)
	done := make([]bool, B)
	tokens := make([]int, B)
	probs := make([]float64, m.Config.Vocab)
	order := make([]int, m.Config.Vocab)
	var values []float32
	if st != nil {
		st.logp, st.entropy, st.values = make([][]float64, B), make([][]float64, B), make([][]float64, B)
		values = make([]float32, B)
	}
	V, C := m.Config.Vocab, m.Config.Embd
	for pos := 0; pos < ctx-1; pos++ {
		for b, p := range prompts {
			switch {
			case done[b]:
				tokens[b] = PadID // finished rows ride along; their logits are ignored
			case pos < len(p):
				tokens[b] = p[pos]
			default:
				tokens[b] = out[b][pos-len(p)]
			}
		}
		logits := d.step(tokens, pos)
		if st != nil {
			scalarHeadForward(values, d.ln, m.Params.HeadW, m.Params.HeadB[0], B, C) // d.ln is the final LayerNorm's output
		}
		finished := true
		for b, p := range prompts {
			if done[b] || pos+1 < len(p) {
				finished = finished && done[b]
				continue
			}
			row := logits[b*V : (b+1)*V]
			next, logp, h := pickToken(row, opt, probs, order, rng)
			out[b] = append(out[b], next)
			if st != nil {
				if st.LogTemp != opt.Temperature {
					logp = tokenLogProb(row, next, st.LogTemp, nil)
				}
				st.logp[b] = append(st.logp[b], logp)
				st.entropy[b] = append(st.entropy[b], h)
				st.values[b] = append(st.values[b], float64(values[b]))
			}
			if next == EndID || (opt.MaxNew > 0 && len(out[b]) >= opt.MaxNew) {
				done[b] = true
			}
			finished = finished && done[b]
		}
		if finished && pos+1 >= longest {
			break
		}
	}
	return out
}

// pickToken draws the next token from one row of logits and returns it with
// its log-probability and the row's entropy, both at opt.Temperature (0 and
// 0 when the temperature is 0: the most likely token, with certainty).
func pickToken(row []float32, opt SampleOptions, probs []float64, order []int, rng *rand.Rand) (next int, logp, entropy float64) {
	if opt.Temperature <= 0 {
		best := 0
		for i, v := range row {
			if v > row[best] {
				best = i
			}
		}
		return best, 0, 0
	}
	m, sum, ey := softmax32(row, opt.Temperature, probs) // unnormalised: sampleIndex divides by the sum
	if opt.TopK > 0 && opt.TopK < len(row) {
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return probs[order[a]] > probs[order[b]] })
		for _, i := range order[opt.TopK:] {
			probs[i] = 0
		}
	}
	next = sampleIndex(probs, rng.Float64())
	// As logProbAndEntropy: log p = y − log Σ, H = log Σ − Σ e·y/Σ, of the
	// whole softmax (top-k only limits the draw).
	logSum := math.Log(sum)
	return next, (float64(row[next])-float64(m))/opt.Temperature - logSum, logSum - ey/sum
}

// sampleIndex returns the index i where the running sum of probs first
// exceeds coin·Σprobs (probs need not be normalised). coin is in [0,1).
func sampleIndex(probs []float64, coin float64) int {
	var total float64
	for _, p := range probs {
		total += p
	}
	target := coin * total
	var sum float64
	last := 0
	for i, p := range probs {
		if p <= 0 {
			continue
		}
		sum += p
		last = i
		if target < sum {
			return i
		}
	}
	return last
}
