package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Config fixes the shape of a tiny GPT.
type Config struct {
	Vocab   int `json:"vocab"`   // V: number of tokens
	Context int `json:"context"` // maximum sequence length T (learned positions)
	Embd    int `json:"embd"`    // C: channels of the residual stream
	Layers  int `json:"layers"`  // L: transformer blocks
	Heads   int `json:"heads"`   // H: attention heads; C/H channels each
	MLP     int `json:"mlp"`     // hidden width of each block's MLP (4·C in GPT-2)
}

// Validate reports a configuration that cannot be built.
func (c Config) Validate() error {
	switch {
	case c.Vocab < NumSpecial || c.Context < 2 || c.Embd < 1 || c.Layers < 1 || c.Heads < 1 || c.MLP < 1:
		return fmt.Errorf("sim: config %+v: every size must be positive (vocab ≥ %d, context ≥ 2)", c, NumSpecial)
	case c.Embd%c.Heads != 0:
		return fmt.Errorf("sim: config: embd %d is not divisible by heads %d", c.Embd, c.Heads)
	}
	return nil
}

// DefaultConfig returns the app's model for a vocabulary of the given size:
// about 100k parameters with the bundled data, small enough for PPO in a
// browser tab.
func DefaultConfig(vocab int) Config {
	return Config{Vocab: vocab, Context: 64, Embd: 48, Layers: 2, Heads: 4, MLP: 192}
}

// Block holds the views of one transformer block's parameters. Linear
// weights are stored (in, out), so a layer computes inp · W + bias.
type Block[T Float] struct {
	Ln1W, Ln1B []T // (C)
	Wqkv, Bqkv []T // (C, 3C), (3C)
	Wo, Bo     []T // (C, C), (C)
	Ln2W, Ln2B []T // (C)
	Wfc, Bfc   []T // (C, MLP), (MLP)
	Wproj      []T // (MLP, C)
	Bproj      []T // (C)
}

// Weights is one slab of numbers with named views into it. The model's
// parameters, their gradients and the optimiser's moments all use it, so an
// update is one flat loop over Data. The order of the views is the order of
// initialisation (it matches the TF.js peer's, see bench.go).
type Weights[T Float] struct {
	Data       []T
	Wte        []T // (V, C) token embedding, also the LM head (tied)
	Wpe        []T // (Context, C) position embedding
	Blocks     []Block[T]
	LnfW, LnfB []T // (C) final LayerNorm
	HeadW      []T // (C) scalar head: reward (reward model) or value (policy)
	HeadB      []T // (1)
}

// tensorSpec names one view of the slab and how it is initialised.
type tensorSpec struct {
	name string
	size int
	init int // initNormal, initProj (normal, scaled by 1/√(2L)), initOne, initZero
}

const (
	initZero = iota
	initOne
	initNormal
	initProj
)

func (c Config) tensors() []tensorSpec {
	C := c.Embd
	specs := []tensorSpec{{"wte", c.Vocab * C, initNormal}, {"wpe", c.Context * C, initNormal}}
	for l := range c.Layers {
		p := fmt.Sprintf("h%d.", l)
		specs = append(specs,
			tensorSpec{p + "ln1_w", C, initOne}, tensorSpec{p + "ln1_b", C, initZero},
			tensorSpec{p + "attn_wqkv", C * 3 * C, initNormal}, tensorSpec{p + "attn_bqkv", 3 * C, initZero},
			tensorSpec{p + "attn_wo", C * C, initProj}, tensorSpec{p + "attn_bo", C, initZero},
			tensorSpec{p + "ln2_w", C, initOne}, tensorSpec{p + "ln2_b", C, initZero},
			tensorSpec{p + "mlp_wfc", C * c.MLP, initNormal}, tensorSpec{p + "mlp_bfc", c.MLP, initZero},
			tensorSpec{p + "mlp_wproj", c.MLP * C, initProj}, tensorSpec{p + "mlp_bproj", C, initZero})
	}
	return append(specs, tensorSpec{"lnf_w", C, initOne}, tensorSpec{"lnf_b", C, initZero},
		tensorSpec{"head_w", C, initZero}, tensorSpec{"head_b", 1, initZero})
}

// NumParams is the number of parameters of a model with this configuration.
func (c Config) NumParams() int {
	n := 0
	for _, s := range c.tensors() {
		n += s.size
	}
	return n
}

// NewWeights allocates a zero slab for cfg and its views.
func NewWeights[T Float](cfg Config) *Weights[T] {
	w := &Weights[T]{Data: make([]T, cfg.NumParams())}
	views := w.views(cfg)
	off := 0
	for i, s := range cfg.tensors() {
		*views[i] = w.Data[off : off+s.size : off+s.size]
		off += s.size
	}
	return w
}

// views lists pointers to the named views in the order of cfg.tensors().
func (w *Weights[T]) views(cfg Config) []*[]T {
	v := []*[]T{&w.Wte, &w.Wpe}
	w.Blocks = make([]Block[T], cfg.Layers)
	for l := range w.Blocks {
		b := &w.Blocks[l]
		v = append(v, &b.Ln1W, &b.Ln1B, &b.Wqkv, &b.Bqkv, &b.Wo, &b.Bo, &b.Ln2W, &b.Ln2B, &b.Wfc, &b.Bfc, &b.Wproj, &b.Bproj)
	}
	return append(v, &w.LnfW, &w.LnfB, &w.HeadW, &w.HeadB)
}

// Init fills the weights as GPT-2 does: normal weights with standard
// deviation 0.02 (0.02/√(2L) for the projections into the residual stream),
// zero biases, unit LayerNorm gains and a zero scalar head. normal returns
// one draw of N(0,1); the tensors consume it in slab order, row-major.
func (w *Weights[T]) Init(cfg Config, normal func() float64) {
	off := 0
	projStd := 0.02 / math.Sqrt(2*float64(cfg.Layers))
	for _, s := range cfg.tensors() {
		t := w.Data[off : off+s.size]
		off += s.size
		for i := range t {
			switch s.init {
			case initZero:
				t[i] = 0
			case initOne:
				t[i] = 1
			case initNormal:
				t[i] = T(float32(normal() * 0.02))
			case initProj:
				t[i] = T(float32(normal() * projStd))
			}
		}
	}
}

// activations holds the forward pass's intermediate values for a batch of
// N = B·T positions: what the backward pass needs, and nothing more.
type activations[T Float] struct {
	B, T    int
	encoded []T // (N, C) token + position embedding: the residual stream entering block 0
	layers  []layerActs[T]
	lnf     []T // (N, C) final LayerNorm output
	lnfMean []T // (N)
	lnfRstd []T // (N)
	sel     []T // (M, C) the rows of lnf that the LM head reads, when they are not all N
	logits  []T // (M, V): the LM head at the M positions it was asked for (all N, or ForwardRows' rows)
	scalars []T // (N) scalar head at every position
}

type layerActs[T Float] struct {
	ln1, ln1Mean, ln1Rstd []T // (N, C), (N), (N)
	qkv                   []T // (N, 3C)
	att                   []T // (B, H, T, T)
	atty                  []T // (N, C) heads' outputs, before the projection
	res2                  []T // (N, C) residual after attention
	ln2, ln2Mean, ln2Rstd []T
	fch, fchGelu          []T // (N, MLP)
	res3                  []T // (N, C) residual after the MLP: the block's output
	keepAtt, keepMLP      []T // (N, C) dropout's masks of the two projections, when it is on
}

// scratch holds buffers of the backward pass, reused layer by layer.
type scratch[T Float] struct {
	dres, dln, dln2, datty []T // (N, C)
	dqkv                   []T // (N, 3C)
	dfch, dfchGelu         []T // (N, MLP)
	dlnf                   []T // (N, C)
	dsel                   []T // (M, C)
	datt                   []T // (2T)
	proj                   []T // (N, C) a projection's output before it is added to the residual
	dproj                  []T // (N, C) its gradient through dropout's mask
}

// Model is a decoder-only transformer: token and position embeddings,
// pre-LayerNorm blocks of causal self-attention and a GELU MLP, a final
// LayerNorm, an LM head tied to the token embedding, and a scalar head.
type Model[T Float] struct {
	Config Config
	Params *Weights[T]
	Grads  *Weights[T]

	tokens []int
	acts   activations[T]
	tmp    scratch[T]
	// haveLogits records whether the last Forward computed logits, and
	// logitRows at which positions (nil: all).
	haveLogits bool
	logitRows  []int
	// dropout, when its rate is above 0, is applied by Forward to the output
	// of each block's two projections, before it joins the residual stream
	// (where GPT-2 drops). Only training sets it (SetDropout), around its
	// own forward and backward passes; dropped records that the last
	// Forward drew masks, which Backward then uses.
	dropout struct {
		rate float64
		rng  *rand.Rand
	}
	dropped bool
}

// GPT is the model the app trains, in float32.
type GPT = Model[float32]

// NewModel allocates a model with zero weights; call Params.Init or load a
// checkpoint.
func NewModel[T Float](cfg Config) *Model[T] {
	if err := cfg.Validate(); err != nil {
		panic(err.Error())
	}
	return &Model[T]{Config: cfg, Params: NewWeights[T](cfg), Grads: NewWeights[T](cfg)}
}

// Clone returns a model with a copy of m's parameters and zero gradients.
func (m *Model[T]) Clone() *Model[T] {
	c := NewModel[T](m.Config)
	copy(c.Params.Data, m.Params.Data)
	return c
}

// SetDropout makes the following forward passes drop each output of a
// block's projections with probability rate, with draws from rng; rate 0
// turns dropout off.
func (m *Model[T]) SetDropout(rate float64, rng *rand.Rand) {
	if rate < 0 || rate >= 1 || rate > 0 && rng == nil {
		panic(fmt.Sprintf("sim: SetDropout: rate %v outside [0, 1), or no random stream", rate))
	}
	m.dropout.rate, m.dropout.rng = rate, rng
}

// ensure sizes the activation buffers for B sequences of T tokens. Buffers
// only grow: a smaller batch reuses them, so batches of varying length cost
// no allocation once the largest has been seen.
func (m *Model[T]) ensure(B, Tn int) {
	a := &m.acts
	if a.B == B && a.T == Tn {
		return
	}
	cfg := m.Config
	N, C := B*Tn, cfg.Embd
	f := func(old []T, n int) []T {
		if cap(old) >= n {
			return old[:n]
		}
		return make([]T, n)
	}
	a.B, a.T = B, Tn
	a.encoded, a.lnf, a.lnfMean, a.lnfRstd = f(a.encoded, N*C), f(a.lnf, N*C), f(a.lnfMean, N), f(a.lnfRstd, N)
	a.scalars = f(a.scalars, N)
	if len(a.layers) != cfg.Layers {
		a.layers = make([]layerActs[T], cfg.Layers)
	}
	for l := range a.layers {
		la := &a.layers[l]
		la.ln1, la.ln1Mean, la.ln1Rstd, la.qkv = f(la.ln1, N*C), f(la.ln1Mean, N), f(la.ln1Rstd, N), f(la.qkv, N*3*C)
		la.att, la.atty, la.res2 = f(la.att, B*cfg.Heads*Tn*Tn), f(la.atty, N*C), f(la.res2, N*C)
		la.ln2, la.ln2Mean, la.ln2Rstd = f(la.ln2, N*C), f(la.ln2Mean, N), f(la.ln2Rstd, N)
		la.fch, la.fchGelu, la.res3 = f(la.fch, N*cfg.MLP), f(la.fchGelu, N*cfg.MLP), f(la.res3, N*C)
	}
	s := &m.tmp
	s.dres, s.dln, s.dln2, s.datty = f(s.dres, N*C), f(s.dln, N*C), f(s.dln2, N*C), f(s.datty, N*C)
	s.dqkv, s.dfch, s.dfchGelu = f(s.dqkv, N*3*C), f(s.dfch, N*cfg.MLP), f(s.dfchGelu, N*cfg.MLP)
	s.dlnf, s.datt, s.proj, s.dproj = f(s.dlnf, N*C), f(s.datt, 2*Tn), f(s.proj, N*C), f(s.dproj, N*C)
	if cap(m.tokens) >= N {
		m.tokens = m.tokens[:N]
	} else {
		m.tokens = make([]int, N)
	}
}

// Forward runs the model on B sequences of T tokens each (tokens is (B,T)).
// The scalar head is read at every position (Scalars); the logits (Logits)
// are computed only when wantLogits is set, since the reward model needs none.
func (m *Model[T]) Forward(tokens []int, B, Tn int, wantLogits bool) {
	m.forward(tokens, B, Tn, wantLogits, nil)
}

// ForwardRows is Forward with the logits computed only at the positions
// rows (indices into the (B,T) batch, in any order): Logits is then
// (len(rows), V), row j for position rows[j]. The tied LM head costs as much
// per position as a block, and PPO needs it only at answer tokens.
func (m *Model[T]) ForwardRows(tokens []int, B, Tn int, rows []int) {
	for _, r := range rows {
		if r < 0 || r >= B*Tn {
			panic(fmt.Sprintf("sim: ForwardRows: row %d outside the batch of %d positions", r, B*Tn))
		}
	}
	if rows == nil {
		rows = []int{}
	}
	m.forward(tokens, B, Tn, true, rows)
}

// forward runs the model; with wantLogits, the LM head runs at rows, or at
// every position when rows is nil.
func (m *Model[T]) forward(tokens []int, B, Tn int, wantLogits bool, rows []int) {
	cfg := m.Config
	if len(tokens) != B*Tn {
		panic("sim: Forward: len(tokens) != B*T")
	}
	if Tn > cfg.Context || Tn < 1 {
		panic(fmt.Sprintf("sim: Forward: T = %d outside 1..%d", Tn, cfg.Context))
	}
	for _, tok := range tokens {
		if tok < 0 || tok >= cfg.Vocab {
			panic(fmt.Sprintf("sim: Forward: token %d outside the vocabulary of %d", tok, cfg.Vocab))
		}
	}
	m.ensure(B, Tn)
	copy(m.tokens, tokens)
	a, p := &m.acts, m.Params
	N, C, H, MLP := B*Tn, cfg.Embd, cfg.Heads, cfg.MLP

	encoderForward(a.encoded, tokens, p.Wte, p.Wpe, B, Tn, C)
	m.dropped = m.dropout.rate > 0
	residual := a.encoded
	for l := range cfg.Layers {
		w, la := &p.Blocks[l], &a.layers[l]
		layerNormForward(la.ln1, la.ln1Mean, la.ln1Rstd, residual, w.Ln1W, w.Ln1B, N, C)
		linearForward(la.qkv, la.ln1, w.Wqkv, w.Bqkv, N, C, 3*C)
		attentionForward(la.atty, la.att, la.qkv, B, Tn, C, H)
		linearForward(m.tmp.proj, la.atty, w.Wo, w.Bo, N, C, C)
		m.drop(&la.keepAtt, m.tmp.proj)
		residualForward(la.res2, residual, m.tmp.proj)
		layerNormForward(la.ln2, la.ln2Mean, la.ln2Rstd, la.res2, w.Ln2W, w.Ln2B, N, C)
		linearForward(la.fch, la.ln2, w.Wfc, w.Bfc, N, C, MLP)
		geluForward(la.fchGelu, la.fch)
		linearForward(m.tmp.proj, la.fchGelu, w.Wproj, w.Bproj, N, MLP, C)
		m.drop(&la.keepMLP, m.tmp.proj)
		residualForward(la.res3, la.res2, m.tmp.proj)
		residual = la.res3
	}
	layerNormForward(a.lnf, a.lnfMean, a.lnfRstd, residual, p.LnfW, p.LnfB, N, C)
	scalarHeadForward(a.scalars[:N], a.lnf, p.HeadW, p.HeadB[0], N, C)
	m.haveLogits, m.logitRows = wantLogits, append(m.logitRows[:0], rows...)
	if rows == nil {
		m.logitRows = nil
	}
	if wantLogits {
		M := m.numLogitRows()
		a.logits = grow(a.logits, M*cfg.Vocab)
		if rows != nil {
			a.sel = grow(a.sel, M*C)
		}
		lmHeadForward(a.logits, a.sel, a.lnf[:N*C], p.Wte, m.logitRows, C, cfg.Vocab)
	}
}

// drop is dropout on a projection's output x when this forward pass drops:
// a new mask in *keep, for Backward.
func (m *Model[T]) drop(keep *[]T, x []T) {
	if m.dropped {
		*keep = grow(*keep, len(x))
		dropForward(*keep, x, m.dropout.rate, m.dropout.rng)
	}
}

// dropGrad is the gradient of a projection's output given dy, that of what
// it was added to: dy itself, or, when the last forward pass dropped,
// dy ⊙ keep, written into buf.
func (m *Model[T]) dropGrad(buf, dy, keep []T) []T {
	if !m.dropped {
		return dy
	}
	dropBackward(buf, dy, keep)
	return buf
}

// numLogitRows is the number of positions at which the last forward pass
// computed logits.
func (m *Model[T]) numLogitRows() int {
	if m.logitRows == nil {
		return m.acts.B * m.acts.T
	}
	return len(m.logitRows)
}

// grow returns buf with length n, reallocated only when its capacity is short.
func grow[T any](buf []T, n int) []T {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]T, n)
}

// Logits returns the last forward pass's logits: (B,T,V) after Forward,
// (len(rows),V) after ForwardRows.
func (m *Model[T]) Logits() []T {
	if !m.haveLogits {
		panic("sim: Logits: the last Forward was run without logits")
	}
	return m.acts.logits[:m.numLogitRows()*m.Config.Vocab]
}

// Scalars returns the last forward pass's scalar head, (B,T).
func (m *Model[T]) Scalars() []T { return m.acts.scalars[:m.acts.B*m.acts.T] }

// Backward adds into m.Grads the gradient of a loss whose gradients with
// respect to the last forward pass's logits (the shape of Logits) and
// scalars (B,T) are dlogits and dscalars; either may be nil. It runs the
// forward pass's calls in reverse.
func (m *Model[T]) Backward(dlogits, dscalars []T) {
	cfg, a, p, g, s := m.Config, &m.acts, m.Params, m.Grads, &m.tmp
	B, Tn := a.B, a.T
	N, C, H, MLP := B*Tn, cfg.Embd, cfg.Heads, cfg.MLP

	clear(s.dlnf)
	if dlogits != nil {
		if !m.haveLogits {
			panic("sim: Backward: dlogits given but the last Forward had no logits")
		}
		M := m.numLogitRows()
		if len(dlogits) != M*cfg.Vocab {
			panic(fmt.Sprintf("sim: Backward: len(dlogits) = %d, want %d×%d", len(dlogits), M, cfg.Vocab))
		}
		if m.logitRows != nil {
			s.dsel = grow(s.dsel, M*C)
		}
		lmHeadBackward(s.dlnf, g.Wte, s.dsel, dlogits, a.sel, a.lnf[:N*C], p.Wte, m.logitRows, C, cfg.Vocab)
	}
	if dscalars != nil {
		scalarHeadBackward(s.dlnf, g.HeadW, g.HeadB, dscalars, a.lnf, p.HeadW, N, C)
	}
	last := a.encoded
	if cfg.Layers > 0 {
		last = a.layers[cfg.Layers-1].res3
	}
	clear(s.dres)
	layerNormBackward(s.dres, g.LnfW, g.LnfB, s.dlnf, last, p.LnfW, a.lnfMean, a.lnfRstd, N, C)
	for l := cfg.Layers - 1; l >= 0; l-- {
		w, gw, la := &p.Blocks[l], &g.Blocks[l], &a.layers[l]
		residual := a.encoded
		if l > 0 {
			residual = a.layers[l-1].res3
		}
		// res3 = res2 + drop(proj(gelu(fc(ln2(res2))))): s.dres is d(res3), and flows to res2 unchanged.
		clear(s.dfchGelu)
		linearBackward(s.dfchGelu, gw.Wproj, gw.Bproj, m.dropGrad(s.dproj, s.dres, la.keepMLP), la.fchGelu, w.Wproj, N, MLP, C)
		clear(s.dfch)
		geluBackward(s.dfch, la.fch, s.dfchGelu)
		clear(s.dln2)
		linearBackward(s.dln2, gw.Wfc, gw.Bfc, s.dfch, la.ln2, w.Wfc, N, C, MLP)
		layerNormBackward(s.dres, gw.Ln2W, gw.Ln2B, s.dln2, la.res2, w.Ln2W, la.ln2Mean, la.ln2Rstd, N, C)
		// res2 = residual + drop(proj(attention(qkv(ln1(residual))))).
		clear(s.datty)
		linearBackward(s.datty, gw.Wo, gw.Bo, m.dropGrad(s.dproj, s.dres, la.keepAtt), la.atty, w.Wo, N, C, C)
		clear(s.dqkv)
		attentionBackward(s.dqkv, s.datty, la.qkv, la.att, s.datt, B, Tn, C, H)
		clear(s.dln)
		linearBackward(s.dln, gw.Wqkv, gw.Bqkv, s.dqkv, la.ln1, w.Wqkv, N, C, 3*C)
		layerNormBackward(s.dres, gw.Ln1W, gw.Ln1B, s.dln, residual, w.Ln1W, la.ln1Mean, la.ln1Rstd, N, C)
	}
	encoderBackward(g.Wte, g.Wpe, s.dres, m.tokens, B, Tn, C)
}

// ZeroGrad clears the gradients.
func (m *Model[T]) ZeroGrad() { clear(m.Grads.Data) }
