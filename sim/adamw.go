package sim

import (
	"math"

	"rlhfplayground/sim/kernels"
)

// AdamW is Adam with decoupled weight decay (Loshchilov & Hutter 2019), with
// PyTorch's semantics: p ← p·(1 − lr·wd), then the bias-corrected Adam step.
type AdamW struct {
	LR          float64 // learning rate
	Beta1       float64 // decay of the first moment (mean of gradients)
	Beta2       float64 // decay of the second moment (mean of squared gradients)
	Eps         float64 // added to √v; PyTorch places it after the bias correction
	WeightDecay float64 // decoupled decay, applied to every parameter
	ClipNorm    float64 // clip the global gradient norm to this; 0 disables clipping

	step int
	m, v []float64
}

// DefaultAdamW returns AdamW with lr, β = (0.9, 0.999), ε = 1e-8, weight decay 0.01 and clipping at 1.
func DefaultAdamW(lr float64) *AdamW {
	return &AdamW{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01, ClipNorm: 1}
}

// GradNorm returns the L2 norm of g.
func GradNorm[T Float](g []T) float64 {
	var s float64
	for _, x := range g {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// Step updates params from grads (same length) and returns the gradient norm
// before clipping. The moments are kept in float64.
func Step[T Float](opt *AdamW, params, grads []T) float64 {
	if opt.m == nil {
		opt.m = make([]float64, len(params))
		opt.v = make([]float64, len(params))
	}
	if len(opt.m) != len(params) || len(grads) != len(params) {
		panic("sim: AdamW.Step: parameter count changed")
	}
	norm := GradNorm(grads)
	scale := 1.0
	if opt.ClipNorm > 0 && norm > opt.ClipNorm {
		scale = opt.ClipNorm / norm
	}
	opt.step++
	b1c := 1 - math.Pow(opt.Beta1, float64(opt.step))
	b2c := 1 - math.Pow(opt.Beta2, float64(opt.step))
	decay := 1 - opt.LR*opt.WeightDecay
	// The settings in locals: the loop's stores could alias opt, so the
	// compiler would load them again for every parameter.
	// The bias corrections as factors: one division per parameter, not three.
	beta1, beta2, eps := opt.Beta1, opt.Beta2, opt.Eps
	lrc, inv2 := opt.LR/b1c, 1/b2c
	// Each parameter on its own: the update splits across goroutines.
	kernels.ForRanges(len(grads), 256, 8, func(lo, hi int) {
		ms, vs, params := opt.m[lo:hi], opt.v[lo:hi], params[lo:hi]
		for i, gi := range grads[lo:hi] {
			g := float64(gi) * scale
			m := beta1*ms[i] + (1-beta1)*g
			v := beta2*vs[i] + (1-beta2)*g*g
			ms[i], vs[i] = m, v
			p := float64(params[i]) * decay
			params[i] = T(p - lrc*m/(math.Sqrt(v*inv2)+eps))
		}
	})
	return norm
}

// Reset forgets the moments and the step count.
func (opt *AdamW) Reset() { opt.step, opt.m, opt.v = 0, nil, nil }

// adamState is a copy of an optimiser's moments, taken before a step that
// may have to be undone.
type adamState struct {
	step int
	m, v []float64
}

func (opt *AdamW) save(dst *adamState) {
	dst.step = opt.step
	dst.m = append(dst.m[:0], opt.m...)
	dst.v = append(dst.v[:0], opt.v...)
}

func (opt *AdamW) restore(src *adamState) {
	opt.step = src.step
	if src.m == nil {
		opt.m, opt.v = nil, nil
		return
	}
	opt.m = append(opt.m[:0], src.m...)
	opt.v = append(opt.v[:0], src.v...)
}
