package presets

// The pure computations behind the presets' figures, table-tested.

import (
	"math"
	"strings"

	"rlhfplayground/quality"
	"rlhfplayground/sim"
)

// movingMean returns the mean of each x over the window of w values
// centred on it (shorter at the ends); w < 2 returns a copy.
func movingMean(xs []float64, w int) []float64 {
	out := make([]float64, len(xs))
	h := w / 2
	for i := range xs {
		lo, hi := max(0, i-h), min(len(xs), i+h+1)
		if w < 2 {
			lo, hi = i, i+1
		}
		s := 0.0
		for _, x := range xs[lo:hi] {
			s += x
		}
		out[i] = s / float64(hi-lo)
	}
	return out
}

// argMax returns the index of the largest x (the first of equals), -1 for none.
func argMax(xs []float64) int {
	best := -1
	for i, x := range xs {
		if best < 0 || x > xs[best] {
			best = i
		}
	}
	return best
}

// peak finds where xs, smoothed over w values, is highest: its index, the
// smoothed value there and the smoothed value at the end.
func peak(xs []float64, w int) (at int, top, last float64) {
	s := movingMean(xs, w)
	if len(s) == 0 {
		return -1, math.NaN(), math.NaN()
	}
	at = argMax(s)
	return at, s[at], s[len(s)-1]
}

// mean is the mean of xs (NaN for none).
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	m, _ := sim.MeanStd(xs)
	return m
}

// headMean and tailMean are the means of the first and last n values.
func headMean(xs []float64, n int) float64 { return mean(xs[:min(n, len(xs))]) }
func tailMean(xs []float64, n int) float64 { return mean(xs[max(0, len(xs)-n):]) }

// pearson is the correlation of x and y; 0 when either is constant.
func pearson(x, y []float64) float64 {
	if len(x) != len(y) || len(x) < 2 {
		return 0
	}
	mx, my := mean(x), mean(y)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// distinctShare is the share of distinct texts (1 for none).
func distinctShare(texts []string) float64 {
	if len(texts) == 0 {
		return 1
	}
	seen := map[string]bool{}
	for _, t := range texts {
		seen[t] = true
	}
	return float64(len(seen)) / float64(len(texts))
}

// pairAccuracy counts the pairs (better, worse) that scores order right;
// pairs whose gold scores tie are left out (a labeler's order of a tie is
// arbitrary, no model can learn it).
func pairAccuracy(scores, gold []float64, pairs [][2]int) (right, n int) {
	for _, p := range pairs {
		if gold[p[0]] == gold[p[1]] {
			continue
		}
		n++
		if scores[p[0]] > scores[p[1]] {
			right++
		}
	}
	return right, n
}

// sqrtKL is √max(KL, 0): the x axis of Gao et al.'s plots (the k1
// estimate of one batch can dip below 0).
func sqrtKL(kl float64) float64 { return math.Sqrt(math.Max(kl, 0)) }

// distinctN is the share of distinct n-grams among all n-grams of the
// answers' tokens (distinct-n, Li et al. 2016): it falls when the answers
// repeat the same phrases, even if no two answers are equal. 1 for none.
func distinctN(answers [][]string, n int) float64 {
	seen := map[string]bool{}
	total := 0
	for _, toks := range answers {
		for i := 0; i+n <= len(toks); i++ {
			seen[strings.Join(toks[i:i+n], " ")] = true
			total++
		}
	}
	if total == 0 {
		return 1
	}
	return float64(len(seen)) / float64(total)
}

// topSentence returns the sentence that most answers contain (the first
// such in order of appearance) and the share of answers containing it.
func topSentence(answers [][]string) (string, float64) {
	count := map[string]int{}
	var order []string
	for _, toks := range answers {
		in := map[string]bool{}
		for _, s := range quality.Sentences(toks) {
			k := strings.Join(s, " ")
			if in[k] {
				continue
			}
			in[k] = true
			if count[k] == 0 {
				order = append(order, k)
			}
			count[k]++
		}
	}
	best := ""
	for _, k := range order {
		if count[k] > count[best] {
			best = k
		}
	}
	if best == "" {
		return "", 0
	}
	return best, float64(count[best]) / float64(len(answers))
}
