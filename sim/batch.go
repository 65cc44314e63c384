package sim

import (
	"math/rand/v2"
	"slices"
	"sort"
)

// Batches: how token sequences of different lengths become the row-major
// (B, T) arrays the model reads, and the order in which a trainer deals out
// its examples. Every trainer packs with padBatch: the language-model batch
// of pretraining and SFT (inputs and shifted targets), the reward model's
// chat sequences and PPO's rollouts.

// padBatch writes seqs into dst (reused) as a (B, T) batch, each row
// right-padded with pad, T being the longest sequence (at least 1). It
// returns the batch and T.
func padBatch(dst []int, seqs [][]int, pad int) ([]int, int) {
	T := 1
	for _, s := range seqs {
		T = max(T, len(s))
	}
	dst = dst[:0]
	for _, s := range seqs {
		dst = append(dst, s...)
		for range T - len(s) {
			dst = append(dst, pad)
		}
	}
	return dst, T
}

// clip cuts a sequence to the model's context, keeping its start.
func clip(s []int, n int) []int {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// lmBatch is a batch of sequences packed for next-token training: inputs and
// targets are (B,T), right-padded with PadID, and weights (B·T) is 1/count on
// the targets to learn and 0 elsewhere.
type lmBatch struct {
	inputs, targets []int
	weights         []float64
	B, T            int
}

// packLMBatch packs seqs for next-token prediction: row i reads seqs[i]
// without its last token and predicts it without its first, both cut to
// maxT. Only the targets at index ≥ learnFrom[i] of seqs[i] are learned (1
// for pretraining: all after <bos>; the answer's start for SFT).
func packLMBatch(seqs [][]int, learnFrom []int, maxT int) lmBatch {
	in, out := make([][]int, len(seqs)), make([][]int, len(seqs))
	for i, s := range seqs {
		n := max(len(s)-1, 0)
		in[i], out[i] = clip(s[:n], maxT), clip(s[min(1, len(s)):], maxT)
	}
	b := lmBatch{B: len(seqs)}
	b.inputs, b.T = padBatch(nil, in, PadID)
	b.targets, _ = padBatch(nil, out, PadID)
	b.weights = make([]float64, len(b.inputs))
	count := 0
	for i := range seqs {
		for t := learnFrom[i] - 1; t < len(in[i]); t++ { // target t is token t+1 of the sequence
			if t >= 0 {
				b.weights[i*b.T+t] = 1
				count++
			}
		}
	}
	for n := range b.weights {
		if count > 0 {
			b.weights[n] /= float64(count)
		}
	}
	return b
}

// epochOrder deals out indices 0..n-1 in shuffled epochs.
type epochOrder struct {
	perm []int
	pos  int
	rng  *rand.Rand
}

func newEpochOrder(n int, rng *rand.Rand) *epochOrder {
	return &epochOrder{perm: rng.Perm(n), rng: rng}
}

// next returns the next k indices (k is capped at n), reshuffling at each epoch's end.
func (o *epochOrder) next(k int) []int {
	k = min(k, len(o.perm))
	out := make([]int, 0, k)
	for len(out) < k {
		if o.pos == len(o.perm) {
			o.perm, o.pos = o.rng.Perm(len(o.perm)), 0
		}
		out = append(out, o.perm[o.pos])
		o.pos++
	}
	return out
}

// grow makes room for indices n0..n-1 that were appended to the data: they
// join the current epoch.
func (o *epochOrder) grow(n int) {
	for i := len(o.perm); i < n; i++ {
		j := o.pos + o.rng.IntN(i-o.pos+1)
		o.perm = append(o.perm, i)
		o.perm[i], o.perm[j] = o.perm[j], o.perm[i]
	}
}

// batchCost is what lengthGroups charges for each extra forward pass, in
// positions: besides its B·T positions a pass (forward and backward) makes
// a few hundred products, whose calls (into JavaScript under wasm), weight
// transpositions and reads and writes of every weight gradient cost about
// as much as 10 more positions, natively and under wasm.
const batchCost = 12

// lengthGroups splits sequences of lengths lens into batches of at most
// maxB for the forward passes whose results do not depend on the batch (up
// to float32 rounding): sorted by length, and cut where the padded
// positions, Σ batch·longest, plus batchCost per batch, are fewest (dynamic
// programming over the cuts). It returns indices into lens, batch by batch,
// shortest first. Padding a batch to its longest sequence costs as much as
// real tokens, and answers' lengths vary a lot.
func lengthGroups(lens []int, maxB int) [][]int {
	n := len(lens)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return lens[order[a]] < lens[order[b]] })
	// best[i]: the cheapest cut of the i shortest; from[i]: where its last batch starts.
	best, from := make([]int, n+1), make([]int, n+1)
	for i := 1; i <= n; i++ {
		best[i] = -1
		for j := max(0, i-maxB); j < i; j++ {
			c := best[j] + (i-j)*lens[order[i-1]] + batchCost
			if best[i] < 0 || c < best[i] {
				best[i], from[i] = c, j
			}
		}
	}
	var groups [][]int
	for i := n; i > 0; i = from[i] {
		groups = append(groups, order[from[i]:i])
	}
	slices.Reverse(groups)
	return groups
}
