package sim

// lmBuffers is the scratch of a language-modelling step, reused between steps.
type lmBuffers struct {
	dlogits []float32
	probs   []float64
	weights []float64
}

// languageModelGradient runs the model on inputs (B,T), adds into m.Grads the
// gradient of Σ weights[n]·(−log p(targets[n])) and returns that sum. With
// weights 1/count on the positions to learn and 0 elsewhere, it is the mean
// next-token cross-entropy over those positions.
func languageModelGradient(m *GPT, buf *lmBuffers, inputs, targets []int, weights []float64, B, Tn int) float64 {
	V := m.Config.Vocab
	if cap(buf.dlogits) < B*Tn*V {
		buf.dlogits = make([]float32, B*Tn*V)
	}
	if len(buf.probs) != V {
		buf.probs = make([]float64, V)
	}
	dlogits := buf.dlogits[:B*Tn*V]
	clear(dlogits)
	m.Forward(inputs, B, Tn, true)
	loss := crossEntropy(dlogits, m.Logits(), targets, weights, V, 1, buf.probs)
	m.Backward(dlogits, nil)
	return loss
}

// uniformWeights returns n weights of 1/n, reusing buf.weights.
func (buf *lmBuffers) uniformWeights(n int) []float64 {
	if cap(buf.weights) < n {
		buf.weights = make([]float64, n)
	}
	w := buf.weights[:n]
	for i := range w {
		w[i] = 1 / float64(n)
	}
	return w
}
