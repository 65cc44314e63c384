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

// decoder holds the KV cache and the row buffers of incremental decoding for
// up to B rows. Each step advances the rows still running (a row that has
// finished its answer costs nothing) and computes the LM head only for the
// rows that draw a token (not those still reading their prompt).
type decoder struct {
	m          *GPT
	B          int
	k, v       [][]float32 // per layer, (B, H, Context, hs): each head's keys and values, a row per position
	x, ln, tmp []float32   // (B, C)
	qkv        []float32   // (B, 3C)
	atty       []float32   // (B, C)
	fch, gelu  []float32   // (B, MLP)
	mean, rstd []float32   // (B)
	sel        []float32   // (B, C) the final LayerNorm's rows that draw
	logits     []float32   // (B, V)
	att        []float32   // (B, H, Context): one step's attention weights, row (b, h) over positions 0..pos
	wteT       []float32   // (C, V) the tied LM head transposed once, so each step is a plain product
}

func newDecoder(m *GPT, B int) *decoder {
	c := m.Config
	d := &decoder{m: m, B: B, x: make([]float32, B*c.Embd), ln: make([]float32, B*c.Embd), tmp: make([]float32, B*c.Embd),
		qkv: make([]float32, B*3*c.Embd), atty: make([]float32, B*c.Embd), fch: make([]float32, B*c.MLP), gelu: make([]float32, B*c.MLP),
		mean: make([]float32, B), rstd: make([]float32, B), sel: make([]float32, B*c.Embd), logits: make([]float32, B*c.Vocab), att: make([]float32, B*c.Heads*c.Context)}
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

// step feeds tokens[j] at position pos to cache row rows[j], for every j,
// and returns the logits (len(draw), V) for position pos+1 of the rows
// rows[draw[i]]; d.sel then holds their final LayerNorm output (len(draw), C).
// The calls mirror Model.Forward; only attention reads the cache.
func (d *decoder) step(tokens, rows []int, pos int, draw []int) []float32 {
	c, p := d.m.Config, d.m.Params
	B, C, H, hs, ctx := len(rows), c.Embd, c.Heads, c.Embd/c.Heads, c.Context
	if len(tokens) != B || B > d.B {
		panic("sim: decoder.step: len(tokens) != len(rows), or more rows than the cache")
	}
	scale := float32(1 / math.Sqrt(float64(hs)))
	for j, tok := range tokens {
		x := d.x[j*C : j*C+C]
		e, pe := p.Wte[tok*C:tok*C+C], p.Wpe[pos*C:pos*C+C]
		for i := range x {
			x[i] = e[i] + pe[i]
		}
	}
	x, ln, tmp, qkv, atty := d.x[:B*C], d.ln[:B*C], d.tmp[:B*C], d.qkv[:B*3*C], d.atty[:B*C]
	fch, gelu := d.fch[:B*c.MLP], d.gelu[:B*c.MLP]
	for l := range c.Layers {
		w := &p.Blocks[l]
		layerNormForward(ln, d.mean, d.rstd, x, w.Ln1W, w.Ln1B, B, C)
		linearForward(qkv, ln, w.Wqkv, w.Bqkv, B, C, 3*C)
		// Each running row's heads: store the new key and value, score
		// positions 0..pos, then (one softmax for all rows and heads) mix the values.
		n := pos + 1
		att := d.att[:B*H*n] // (B, H, n)
		for j, b := range rows {
			row := qkv[j*3*C : (j+1)*3*C]
			for h := range H {
				// This head's cache (Context, hs): row pos is the new token.
				head := (b*H + h) * ctx * hs
				kc, vc := d.k[l][head:head+ctx*hs], d.v[l][head:head+ctx*hs]
				copy(kc[pos*hs:(pos+1)*hs], row[C+h*hs:C+(h+1)*hs])
				copy(vc[pos*hs:(pos+1)*hs], row[2*C+h*hs:2*C+(h+1)*hs])
				q, a := row[h*hs:(h+1)*hs], att[(j*H+h)*n:(j*H+h+1)*n]
				for t := range a {
					a[t] = dot32(q, kc[t*hs:(t+1)*hs])
				}
			}
		}
		softmaxRows(att, B*H, n, n, 1, scale)
		for j, b := range rows {
			for h := range H {
				head := (b*H + h) * ctx * hs
				vc := d.v[l][head : head+ctx*hs]
				mixValues(atty[j*C+h*hs:j*C+(h+1)*hs], att[(j*H+h)*n:(j*H+h+1)*n], vc, hs)
			}
		}
		linearForward(tmp, atty, w.Wo, w.Bo, B, C, C)
		residualForward(x, x, tmp)
		layerNormForward(ln, d.mean, d.rstd, x, w.Ln2W, w.Ln2B, B, C)
		linearForward(fch, ln, w.Wfc, w.Bfc, B, C, c.MLP)
		geluForward(gelu, fch)
		linearForward(tmp, gelu, w.Wproj, w.Bproj, B, c.MLP, C)
		residualForward(x, x, tmp)
	}
	layerNormForward(ln, d.mean, d.rstd, x, p.LnfW, p.LnfB, B, C)
	n := len(draw)
	for i, j := range draw {
		copy(d.sel[i*C:(i+1)*C], ln[j*C:(j+1)*C])
	}
	logits := d.logits[:n*c.Vocab]
	clear(logits)
	matMul(logits, d.sel[:n*C], d.wteT, n, C, c.Vocab) // logits = ln · wteᵀ
	return logits
}

// dot32 returns Σ a[i]·b[i] over len(a) (b at least as long) in four
// partial sums, so that the additions do not wait on each other: with one
// sum, a dot product of a head's 12–16 channels is latency-bound.
func dot32(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// mixValues writes o (hs) = Σₜ a[t]·v[t], the rows t < len(a) of v (a row
// of hs per position), four positions at a time so that o is loaded and
// stored once per four rows.
func mixValues(o, a, v []float32, hs int) {
	clear(o)
	t := 0
	for ; t+4 <= len(a); t += 4 {
		a0, a1, a2, a3 := a[t], a[t+1], a[t+2], a[t+3]
		v0, v1, v2, v3 := v[t*hs:(t+1)*hs], v[(t+1)*hs:(t+2)*hs], v[(t+2)*hs:(t+3)*hs], v[(t+3)*hs:(t+4)*hs]
		v0, v1, v2, v3 = v0[:len(o)], v1[:len(o)], v2[:len(o)], v3[:len(o)]
		for i := range o {
			o[i] += (a0*v0[i] + a1*v1[i]) + (a2*v2[i] + a3*v3[i])
		}
	}
	for ; t < len(a); t++ {
		at, vt := a[t], v[t*hs:(t+1)*hs]
		vt = vt[:len(o)]
		for i := range o {
			o[i] += at * vt[i]
		}
	}
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
	var tokens, rows, draw []int
	probs := make([]float64, m.Config.Vocab)
	order := make([]int, m.Config.Vocab)
	var values []float32
	if st != nil {
		st.logp, st.entropy, st.values = make([][]float64, B), make([][]float64, B), make([][]float64, B)
		values = make([]float32, B)
	}
	V, C := m.Config.Vocab, m.Config.Embd
	for pos := 0; pos < ctx-1; pos++ {
		// The rows still running read their next token; those past their
		// prompt then draw one.
		tokens, rows, draw = tokens[:0], rows[:0], draw[:0]
		for b, p := range prompts {
			if done[b] {
				continue
			}
			if pos < len(p) {
				tokens = append(tokens, p[pos])
			} else {
				tokens = append(tokens, out[b][pos-len(p)])
			}
			if pos+1 >= len(p) {
				draw = append(draw, len(rows))
			}
			rows = append(rows, b)
		}
		if len(rows) == 0 {
			break
		}
		logits := d.step(tokens, rows, pos, draw)
		if st != nil {
			scalarHeadForward(values, d.sel, m.Params.HeadW, m.Params.HeadB[0], len(draw), C) // d.sel: the final LayerNorm of the drawing rows
		}
		for i, j := range draw {
			b := rows[j]
			row := logits[i*V : (i+1)*V]
			next, logp, h := pickToken(row, opt, probs, order, rng)
			out[b] = append(out[b], next)
			if st != nil {
				if st.LogTemp != opt.Temperature {
					logp = tokenLogProb(row, next, st.LogTemp, nil)
				}
				st.logp[b] = append(st.logp[b], logp)
				st.entropy[b] = append(st.entropy[b], h)
				st.values[b] = append(st.values[b], float64(values[i]))
			}
			if next == EndID || (opt.MaxNew > 0 && len(out[b]) >= opt.MaxNew) {
				done[b] = true
			}
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
