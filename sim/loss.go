package sim

import "math"

// tokenLogProb returns log softmax(row/temperature)[target] and writes the
// probabilities softmax(row/temperature) into probs (len V) when probs is not nil.
func tokenLogProb[T Float](row []T, target int, temperature float64, probs []float64) float64 {
	maxv := math.Inf(-1)
	for _, v := range row {
		maxv = max(maxv, float64(v))
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
func crossEntropy[T Float](dlogits, logits []T, targets []int, weights []float64, V int, temperature float64, probs []float64) float64 {
	var loss float64
	for n, w := range weights {
		if w == 0 {
			continue
		}
		row := logits[n*V : n*V+V]
		lp := tokenLogProb(row, targets[n], temperature, probs)
		loss -= w * lp
		if dlogits != nil {
			d := dlogits[n*V : n*V+V]
			scale := w / temperature
			for i, p := range probs {
				d[i] += T(scale * p)
			}
			d[targets[n]] -= T(scale)
		}
	}
	return loss
}

// entropy returns the entropy in nats of softmax(row/temperature); probs is scratch of length V.
func entropy[T Float](row []T, temperature float64, probs []float64) float64 {
	tokenLogProb(row, 0, temperature, probs)
	var h float64
	for _, p := range probs {
		if p > 0 {
			h -= p * math.Log(p)
		}
	}
	return h
}
