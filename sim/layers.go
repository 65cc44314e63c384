package sim

import (
	"math"
	"math/rand/v2"

	"rlhfplayground/sim/kernels"
)

// Float is the element type of the model: float32 in the app, float64 in the
// gradient checks (finite differences need the extra precision).
type Float = kernels.Float

// Each layer is a pair: xxxForward writes its outputs (first arguments),
// xxxBackward, directly below it, adds into the gradients of its inputs (first
// arguments) given the gradient of its output, dout. Shapes use the legend of
// doc.go: N = B·T rows of C channels.

// matMul, matMulTransA and matMulTransB route float32 to the kernel set in use
// (kernels.Use) and everything else to the naive reference.
func matMul[T Float](dst, a, b []T, M, K, N int) {
	if d, ok := any(dst).([]float32); ok {
		kernels.MatMul(d, any(a).([]float32), any(b).([]float32), M, K, N)
		return
	}
	kernels.RefMatMul(dst, a, b, M, K, N)
}

func matMulTransA[T Float](dst, a, b []T, M, K, N int) {
	if d, ok := any(dst).([]float32); ok {
		kernels.MatMulTransA(d, any(a).([]float32), any(b).([]float32), M, K, N)
		return
	}
	kernels.RefMatMulTransA(dst, a, b, M, K, N)
}

func matMulTransB[T Float](dst, a, b []T, M, K, N int) {
	if d, ok := any(dst).([]float32); ok {
		kernels.MatMulTransB(d, any(a).([]float32), any(b).([]float32), M, K, N)
		return
	}
	kernels.RefMatMulTransB(dst, a, b, M, K, N)
}

// encoderForward: out (B,T,C) = wte[token] + wpe[position].
func encoderForward[T Float](out []T, tokens []int, wte, wpe []T, B, Tn, C int) {
	for b := range B {
		for t := range Tn {
			o := out[(b*Tn+t)*C : (b*Tn+t+1)*C]
			e := wte[tokens[b*Tn+t]*C:][:C]
			p := wpe[t*C:][:C]
			for i := range o {
				o[i] = e[i] + p[i]
			}
		}
	}
}

func encoderBackward[T Float](dwte, dwpe, dout []T, tokens []int, B, Tn, C int) {
	for b := range B {
		for t := range Tn {
			d := dout[(b*Tn+t)*C : (b*Tn+t+1)*C]
			de := dwte[tokens[b*Tn+t]*C:]
			dp := dwpe[t*C:]
			for i, g := range d {
				de[i] += g
				dp[i] += g
			}
		}
	}
}

// layerNormEps is the ε under the variance (PyTorch's and TF.js's default).
const layerNormEps = 1e-5

// layerNormForward normalises each of the N rows of inp (N,C) to zero mean and
// unit variance, then scales by w and shifts by b. mean and rstd (N) keep the
// statistics for the backward pass.
func layerNormForward[T Float](out, mean, rstd, inp, w, b []T, N, C int) {
	w, b = w[:C], b[:C]
	if layerNormKernel(out, mean, rstd, inp, w, b, N, C) {
		return
	}
	kernels.ForRanges(N, 1, 4*C, func(lo, hi int) { layerNormRows(out, mean, rstd, inp, w, b, lo, hi, C) })
}

// layerNormKernel hands float32 rows to the kernel set's LayerNorm (SIMD
// under wasm, with layerNormRows' arithmetic) and reports whether it took them.
func layerNormKernel[T Float](out, mean, rstd, inp, w, b []T, N, C int) bool {
	o, ok := any(out).([]float32)
	return ok && kernels.LayerNorm(o, any(mean).([]float32), any(rstd).([]float32), any(inp).([]float32), any(w).([]float32), any(b).([]float32), N, C)
}

// layerNormRows is layerNormForward for the rows lo…hi−1.
func layerNormRows[T Float](out, mean, rstd, inp, w, b []T, lo, hi, C int) {
	for n := lo; n < hi; n++ {
		x := inp[n*C : n*C+C]
		// Mean and variance from one pass, E[x²] − m² in float64 (two
		// partial sums each): for float32 inputs the cancellation costs
		// nothing float32 can see.
		var s0, s1, q0, q1 float64
		i := 0
		for ; i+2 <= len(x); i += 2 {
			f0, f1 := float64(x[i]), float64(x[i+1])
			s0 += f0
			s1 += f1
			q0 += f0 * f0
			q1 += f1 * f1
		}
		for ; i < len(x); i++ {
			f := float64(x[i])
			s0 += f
			q0 += f * f
		}
		m := (s0 + s1) / float64(C)
		variance := max(0, (q0+q1)/float64(C)-m*m)
		s := 1 / math.Sqrt(variance+layerNormEps)
		o, w, b := out[n*C:n*C+C], w[:len(x)], b[:len(x)]
		o = o[:len(x)]
		for i, v := range x {
			o[i] = T((float64(v)-m)*s)*w[i] + b[i]
		}
		mean[n], rstd[n] = T(m), T(s)
	}
}

// The rows are independent but for dw and db, sums over the rows: the
// inputs' gradients go row by row, the sums column by column (each over
// the rows in order), so either can be split across goroutines and the
// result does not depend on the split.
func layerNormBackward[T Float](dinp, dw, db, dout, inp, w, mean, rstd []T, N, C int) {
	dw, db, w = dw[:C], db[:C], w[:C]
	kernels.ForRanges(N, 1, 8*C, func(lo, hi int) {
		for n := lo; n < hi; n++ {
			d := dout[n*C : n*C+C]
			// All of the row's length, so that the compiler drops the bounds checks.
			x, di, w := inp[n*C : n*C+C][:len(d)], dinp[n*C : n*C+C][:len(d)], w[:len(d)]
			m, s := mean[n], rstd[n]
			// Two reductions over the row: mean of dnorm and of dnorm·norm.
			var dnormMean, dnormNormMean T
			for i := range d {
				norm := (x[i] - m) * s
				dnorm := w[i] * d[i]
				dnormMean += dnorm
				dnormNormMean += dnorm * norm
			}
			dnormMean /= T(C)
			dnormNormMean /= T(C)
			for i := range d {
				norm := (x[i] - m) * s
				dnorm := w[i] * d[i]
				di[i] += (dnorm - dnormMean - norm*dnormNormMean) * s
			}
		}
	})
	kernels.ForRanges(C, 8, 3*N, func(lo, hi int) {
		dw, db := dw[lo:hi], db[lo:hi]
		for n := range N {
			d, x := dout[n*C+lo : n*C+hi][:len(dw)], inp[n*C+lo : n*C+hi][:len(dw)]
			m, s := mean[n], rstd[n]
			for i := range d {
				db[i] += d[i]
				dw[i] += (x[i] - m) * s * d[i]
			}
		}
	})
}

// linearForward: out (N,OC) = inp (N,C) · w (C,OC) + bias (OC). bias may be nil.
func linearForward[T Float](out, inp, w, bias []T, N, C, OC int) {
	out = out[:N*OC]
	if bias == nil {
		clear(out)
	} else if N > 0 {
		// Every row starts as the bias: copy it once, then double the
		// filled part (log N copies instead of N short ones).
		copy(out[:OC], bias[:OC])
		for filled := OC; filled < len(out); filled *= 2 {
			copy(out[filled:], out[:filled])
		}
	}
	matMul(out, inp, w, N, C, OC)
}

func linearBackward[T Float](dinp, dw, dbias, dout, inp, w []T, N, C, OC int) {
	matMulTransB(dinp, dout, w, N, OC, C) // dinp (N,C) += dout (N,OC) · wᵀ
	matMulTransA(dw, inp, dout, C, N, OC) // dw (C,OC) += inpᵀ (C,N) · dout (N,OC)
	if dbias != nil {
		// dbias (1,OC) += 1ᵀ (1,N) · dout (N,OC): the column sums as a
		// product, which the kernels (SIMD under wasm) compute.
		ones, put := onesVector[T](N)
		matMul(dbias, ones, dout, 1, N, OC)
		put()
	}
}

// onesVector returns n ones (float32 from scratchPool) and the function
// that gives them back.
func onesVector[T Float](n int) ([]T, func()) {
	if _, ok := any(T(0)).(float32); ok {
		buf := getScratch(n)
		for i := range *buf {
			(*buf)[i] = 1
		}
		return any(*buf).([]T), func() { scratchPool.Put(buf) }
	}
	ones := make([]T, n)
	for i := range ones {
		ones[i] = 1
	}
	return ones, func() {}
}

// attentionForward is causal multi-head self-attention. inp (B,T,3C) holds
// query, key and value for each position; out (B,T,C) is the heads'
// outputs side by side; att (B,H,T,T) keeps the attention weights: row t is a
// softmax over keys 0..t (causal mask), zero beyond t. float32 goes to
// attentionForward32 (attention.go); these loops are its reference.
func attentionForward[T Float](out, att, inp []T, B, Tn, C, H int) {
	if o, ok := any(out).([]float32); ok {
		attentionForward32(o, any(att).([]float32), any(inp).([]float32), B, Tn, C, H)
		return
	}
	hs := C / H
	scale := 1 / math.Sqrt(float64(hs))
	for b := range B {
		for t := range Tn {
			for h := range H {
				q := inp[(b*Tn+t)*3*C+h*hs:][:hs]
				row := att[((b*H+h)*Tn+t)*Tn:][:Tn]
				maxv := math.Inf(-1)
				for t2 := 0; t2 <= t; t2++ {
					k := inp[(b*Tn+t2)*3*C+C+h*hs:][:hs]
					var dot T
					for i := range q {
						dot += q[i] * k[i]
					}
					v := float64(dot) * scale
					row[t2] = T(v)
					if v > maxv {
						maxv = v
					}
				}
				var sum float64
				for t2 := 0; t2 <= t; t2++ {
					e := math.Exp(float64(row[t2]) - maxv)
					row[t2] = T(e)
					sum += e
				}
				inv := T(1 / sum)
				for t2 := 0; t2 <= t; t2++ {
					row[t2] *= inv
				}
				clear(row[t+1:])
				o := out[(b*Tn+t)*C+h*hs:][:hs]
				clear(o)
				for t2 := 0; t2 <= t; t2++ {
					v := inp[(b*Tn+t2)*3*C+2*C+h*hs:][:hs]
					a := row[t2]
					for i := range o {
						o[i] += a * v[i]
					}
				}
			}
		}
	}
}

// attentionBackward adds into dinp (B,T,3C). scratch holds 2·T values.
func attentionBackward[T Float](dinp, dout, inp, att, scratch []T, B, Tn, C, H int) {
	if d, ok := any(dinp).([]float32); ok {
		attentionBackward32(d, any(dout).([]float32), any(inp).([]float32), any(att).([]float32), B, Tn, C, H)
		return
	}
	hs := C / H
	scale := T(1 / math.Sqrt(float64(hs)))
	datt, dpre := scratch[:Tn], scratch[Tn:2*Tn]
	for b := range B {
		for t := range Tn {
			for h := range H {
				row := att[((b*H+h)*Tn+t)*Tn:][:Tn]
				d := dout[(b*Tn+t)*C+h*hs:][:hs]
				// out = Σ att[t2]·v[t2]: gradients to the weights and the values.
				for t2 := 0; t2 <= t; t2++ {
					v := inp[(b*Tn+t2)*3*C+2*C+h*hs:][:hs]
					dv := dinp[(b*Tn+t2)*3*C+2*C+h*hs:][:hs]
					var s T
					a := row[t2]
					for i := range d {
						s += v[i] * d[i]
						dv[i] += a * d[i]
					}
					datt[t2] = s
				}
				// Softmax: dpre[t2] = att[t2]·(datt[t2] − Σ att·datt).
				var dot T
				for t2 := 0; t2 <= t; t2++ {
					dot += row[t2] * datt[t2]
				}
				for t2 := 0; t2 <= t; t2++ {
					dpre[t2] = row[t2] * (datt[t2] - dot) * scale
				}
				// pre[t2] = scale·q·k[t2].
				q := inp[(b*Tn+t)*3*C+h*hs:][:hs]
				dq := dinp[(b*Tn+t)*3*C+h*hs:][:hs]
				for t2 := 0; t2 <= t; t2++ {
					k := inp[(b*Tn+t2)*3*C+C+h*hs:][:hs]
					dk := dinp[(b*Tn+t2)*3*C+C+h*hs:][:hs]
					g := dpre[t2]
					for i := range q {
						dq[i] += k[i] * g
						dk[i] += q[i] * g
					}
				}
			}
		}
	}
}

// geluForward applies GELU with the tanh approximation used by GPT-2.
// float32 goes to the kernel set (SIMD under wasm) and for the rest to
// geluForward32 (fastmath.go); float64 uses math.Tanh.
func geluForward[T Float](out, inp []T) {
	if o, ok := any(out).([]float32); ok {
		in := any(inp).([]float32)
		n := kernels.GELU(o, in)
		geluForward32(o[n:], in[n:])
		return
	}
	for i, x := range inp {
		xf := float64(x)
		u := geluScale * (xf + 0.044715*xf*xf*xf)
		out[i] = T(0.5 * xf * (1 + math.Tanh(u)))
	}
}

const geluScale = 0.7978845608028654 // √(2/π)

func geluBackward[T Float](dinp, inp, dout []T) {
	if d, ok := any(dinp).([]float32); ok {
		in, do := any(inp).([]float32), any(dout).([]float32)
		n := kernels.GELUBackward(d, in, do)
		geluBackward32(d[n:], in[n:], do[n:])
		return
	}
	for i, x := range inp {
		xf := float64(x)
		u := geluScale * (xf + 0.044715*xf*xf*xf)
		th := math.Tanh(u)
		sech2 := 1 - th*th
		grad := 0.5*(1+th) + 0.5*xf*sech2*geluScale*(1+3*0.044715*xf*xf)
		dinp[i] += T(grad) * dout[i]
	}
}

// residualForward: out = a + b.
func residualForward[T Float](out, a, b []T) {
	a, b = a[:len(out)], b[:len(out)] // lets the compiler drop the bounds checks
	for i := range out {
		out[i] = a[i] + b[i]
	}
}

// dropForward is dropout on x (Srivastava et al. 2014): it draws a new
// mask into keep, each entry 0 with probability rate and 1/(1−rate)
// otherwise (so that x keeps its expected value), and multiplies x by it.
func dropForward[T Float](keep, x []T, rate float64, rng *rand.Rand) {
	keep = keep[:len(x)]
	scale := T(1 / (1 - rate))
	for i := range x {
		keep[i] = scale
		if rng.Float64() < rate {
			keep[i] = 0
		}
		x[i] *= keep[i]
	}
}

// dropBackward: dx = dy ⊙ keep, the gradient through dropForward's mask.
func dropBackward[T Float](dx, dy, keep []T) {
	dy, keep = dy[:len(dx)], keep[:len(dx)]
	for i := range dx {
		dx[i] = dy[i] * keep[i]
	}
}

// lmHeadForward is the tied LM head, logits (M,V) = sel · wteᵀ, at M
// positions: sel (M,C) gathers the rows of lnf (N,C) listed in rows, or,
// when rows is nil, is lnf itself (M = N) and is not written.
func lmHeadForward[T Float](logits, sel, lnf, wte []T, rows []int, C, V int) {
	M := len(lnf) / C
	if rows != nil {
		M = len(rows)
		for j, r := range rows {
			copy(sel[j*C:(j+1)*C], lnf[r*C:(r+1)*C])
		}
		lnf = sel[:M*C]
	}
	logits = logits[:M*V]
	clear(logits)
	matMulTransB(logits, lnf, wte, M, C, V)
}

// lmHeadBackward adds the gradients of lmHeadForward into dlnf (N,C) and
// dwte (V,C), given dlogits (M,V); dsel (M,C) is scratch when rows is not nil.
func lmHeadBackward[T Float](dlnf, dwte, dsel, dlogits, sel, lnf, wte []T, rows []int, C, V int) {
	if rows == nil {
		M := len(lnf) / C
		matMul(dlnf, dlogits, wte, M, V, C)       // dlnf += dlogits · wte
		matMulTransA(dwte, dlogits, lnf, V, M, C) // dwte += dlogitsᵀ · lnf
		return
	}
	M := len(rows)
	dsel = dsel[:M*C]
	clear(dsel)
	matMul(dsel, dlogits, wte, M, V, C)
	for j, r := range rows {
		d := dlnf[r*C : (r+1)*C]
		for i, g := range dsel[j*C : (j+1)*C] {
			d[i] += g
		}
	}
	matMulTransA(dwte, dlogits, sel, V, M, C) // dwte += dlogitsᵀ · sel
}

// scalarHeadForward: out (N) = inp (N,C) · w (C) + bias, the reward or value
// read from every position.
func scalarHeadForward[T Float](out, inp, w []T, bias T, N, C int) {
	for n := range N {
		x := inp[n*C : n*C+C]
		s := bias
		for i, v := range x {
			s += v * w[i]
		}
		out[n] = s
	}
}

func scalarHeadBackward[T Float](dinp, dw, dbias, dout, inp, w []T, N, C int) {
	for n := range N {
		g := dout[n]
		if g == 0 {
			continue
		}
		x := inp[n*C : n*C+C]
		di := dinp[n*C : n*C+C]
		for i := range x {
			di[i] += g * w[i]
			dw[i] += g * x[i]
		}
		dbias[0] += g
	}
}
