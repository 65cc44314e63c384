package sim

import (
	"math"

	"rlhfplayground/sim/kernels"
)

// tokenLogProb returns log softmax(row/temperature)[target] and writes the
// probabilities softmax(row/temperature) into probs (len V) when probs is not
// nil. float32 rows take softmax32, float64 rows math.Exp.
func tokenLogProb[T Float](row []T, target int, temperature float64, probs []float64) float64 {
	if r, ok := any(row).([]float32); ok {
		m, sum, _ := softmax32(r, temperature, probs)
		normalize(probs, sum)
		return (float64(r[target])-float64(m))/temperature - math.Log(sum)
	}
	maxv := math.Inf(-1)
	for _, v := range row {
		if v := float64(v); v > maxv {
			maxv = v
		}
	}
	var sum float64
	for i, v := range row {
		e := math.Exp((float64(v) - maxv) / temperature)
		if probs != nil {
			probs[i] = e
		}
		sum += e
	}
	if probs != nil {
		for i := range probs {
			probs[i] /= sum
		}
	}
	return (float64(row[target])-maxv)/temperature - math.Log(sum)
}

// crossEntropy returns Σₙ weights[n]·(−log pₙ(targets[n])), where pₙ is the
// softmax of logits row n (of N rows of V) divided by temperature. Rows
// whose weight is 0 are skipped. When dlogits is not nil it adds the
// gradient, weights[n]·(pₙ − onehot(targets[n]))/temperature. probs is
// scratch of length V.
//
// The rows split across goroutines (kernels.ForRanges), each term kept, and
// the loss is their sum in row order, so the result does not depend on the
// split.
func crossEntropy[T Float](dlogits, logits []T, targets []int, weights []float64, V int, temperature float64, probs []float64) float64 {
	terms := make([]float64, len(weights))
	kernels.ForRanges(len(weights), 1, 8*V, func(lo, hi int) {
		p := probs
		if lo > 0 || hi < len(weights) { // a goroutine's own scratch
			p = make([]float64, V)
		}
		for n := lo; n < hi; n++ {
			w := weights[n]
			if w == 0 {
				continue
			}
			row := logits[n*V : n*V+V]
			lp := tokenLogProb(row, targets[n], temperature, p)
			terms[n] = w * lp
			if dlogits != nil {
				addNLLGradient(dlogits[n*V:n*V+V], p, targets[n], w, temperature)
			}
		}
	})
	var loss float64
	for _, t := range terms { // a skipped row's 0 leaves the sum as it is
		loss -= t
	}
	return loss
}

// addNLLGradient adds the gradient of w·(−log p(target)) with respect to one
// row of logits, w·(p − onehot(target))/temperature, into drow, where probs
// holds p = softmax(row/temperature) as tokenLogProb(row, …, probs) left it.
// A caller that already has the probabilities of a row uses it instead of
// crossEntropy, which would compute the softmax again.
func addNLLGradient[T Float](drow []T, probs []float64, target int, w, temperature float64) {
	scale := w / temperature
	drow = drow[:len(probs)]
	for i, p := range probs {
		drow[i] += T(scale * p)
	}
	drow[target] -= T(scale)
}

// logProbAndEntropy returns tokenLogProb(row, target, temperature, probs)
// and entropy(row, temperature, probs) from one softmax; probs may be nil
// for a float32 row.
func logProbAndEntropy[T Float](row []T, target int, temperature float64, probs []float64) (logp, h float64) {
	if r, ok := any(row).([]float32); ok {
		m, sum, ey := softmax32(r, temperature, probs)
		normalize(probs, sum)
		logSum := math.Log(sum)
		return (float64(r[target])-float64(m))/temperature - logSum, logSum - ey/sum
	}
	return tokenLogProb(row, target, temperature, probs), entropy(row, temperature, probs)
}

// entropy returns the entropy in nats of softmax(row/temperature) and leaves
// the probabilities in probs (length V).
func entropy[T Float](row []T, temperature float64, probs []float64) float64 {
	if r, ok := any(row).([]float32); ok {
		_, sum, ez := softmax32(r, temperature, probs)
		normalize(probs, sum)
		return math.Log(sum) - ez/sum
	}
	tokenLogProb(row, 0, temperature, probs)
	var h float64
	for _, p := range probs {
		if p > 0 {
			h -= p * math.Log(p)
		}
	}
	return h
}

// softmax32 is the vocabulary softmax of a float32 row of logits z at
// temperature τ, without the division: it returns max z, Σ = Σᵢ eᵢ and
// Σᵢ eᵢ·yᵢ, where yᵢ = (zᵢ − max z)/τ and eᵢ = exp(yᵢ), and writes the eᵢ
// into probs when probs is not nil. Then pᵢ = eᵢ/Σ, log pᵢ = yᵢ − log Σ,
// and the entropy is H = log Σ − Σᵢ eᵢ·yᵢ/Σ, which needs no logarithm per
// entry. softmaxExp32 does the work.
func softmax32(row []float32, temperature float64, probs []float64) (maxv float32, sum, ey float64) {
	buf := getScratch(len(row))
	defer scratchPool.Put(buf)
	e := *buf
	maxv, sum, ey = softmaxExp32(e, row, temperature)
	if probs != nil {
		for i, v := range e {
			probs[i] = float64(v)
		}
	}
	return maxv, sum, ey
}

// softmaxExp32 is softmax32 with the eᵢ written into e (len(row)) as
// float32. The exponentials are one call of expNonPositive (SIMD under
// wasm); the sums are kept in float64, four partial sums each so that the
// additions do not wait on each other.
func softmaxExp32(e, row []float32, temperature float64) (maxv float32, sum, ey float64) {
	maxv = row[0]
	for _, v := range row[1:] {
		if v > maxv {
			maxv = v
		}
	}
	inv := float32(1 / temperature)
	e = e[:len(row)]
	for i, v := range row {
		e[i] = (v - maxv) * inv
	}
	expNonPositive(e)
	var s, t [4]float64
	i := 0
	for ; i+4 <= len(e); i += 4 {
		for k := range 4 {
			y := (row[i+k] - maxv) * inv // yᵢ again, the same float32 operations
			s[k] += float64(e[i+k])
			t[k] += float64(e[i+k] * y)
		}
	}
	for ; i < len(e); i++ {
		y := (row[i] - maxv) * inv
		s[0] += float64(e[i])
		t[0] += float64(e[i] * y)
	}
	return maxv, (s[0] + s[1]) + (s[2] + s[3]), (t[0] + t[1]) + (t[2] + t[3])
}

// addNLLGradientExp is addNLLGradient with p = e/sum, e and sum as
// softmaxExp32 left them: the same arithmetic, without the float64 row.
func addNLLGradientExp(drow, e []float32, sum float64, target int, w, temperature float64) {
	scale, r := w/temperature, 1/sum
	drow = drow[:len(e)]
	for i, v := range e {
		drow[i] += float32(scale * (float64(v) * r))
	}
	drow[target] -= float32(scale)
}

// normalize divides probs (nil or not) by sum.
func normalize(probs []float64, sum float64) {
	r := 1 / sum
	for i := range probs {
		probs[i] *= r
	}
}
