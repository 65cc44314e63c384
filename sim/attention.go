package sim

import (
	"math"
	"sync"

	"rlhfplayground/sim/kernels"
)

// The float32 attention of the model: the same arithmetic as the reference
// loops of attentionForward and attentionBackward (layers.go), arranged as
// small matrix products so that the kernel set in use (SIMD under wasm) does
// the multiply-adds. For each sequence b and head h, with the head's
// queries, keys and values gathered into contiguous Q, K, V (T, hs):
//
//	forward:  att = softmax_causal(scale·Q·Kᵀ) (T,T)    out_h = att·V (T,hs)
//	backward: datt = dout_h·Vᵀ                        dVᵀ = dout_hᵀ·att
//	          dpre = att ⊙ (datt − rowsum(att ⊙ datt))·scale
//	          dQ = dpre·K                              dKᵀ = Qᵀ·dpre
//
// The operands are gathered in the layout each product needs (Kᵀ, Vᵀ, Qᵀ,
// dout_hᵀ), so every product is a plain MatMul: no kernel transposes.
//
// The products cover the whole T×T square; the entries above the diagonal
// (future keys) are computed and then zeroed (forward) or multiplied by
// att's zeros (backward). At T ≤ 64 and hs = 12–16 that wasted half costs
// less than loops that know the mask.

// scratchPool holds float32 scratch: of attentionForward32 and
// attentionBackward32, softmaxRows and softmax32.
var scratchPool = sync.Pool{New: func() any { return new([]float32) }}

// getScratch returns n floats of scratch (not cleared); give them back with
// scratchPool.Put.
func getScratch(n int) *[]float32 {
	buf := scratchPool.Get().(*[]float32)
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	*buf = (*buf)[:n]
	return buf
}

// gatherHeads copies J blocks of hs columns of src (T rows, stride) into dst
// (J, T, hs): block j of row t is src[t·stride + j·hs …].
func gatherHeads(dst, src []float32, Tn, stride, J, hs int) {
	for t := range Tn {
		row := src[t*stride : t*stride+J*hs]
		for j := range J {
			d := dst[(j*Tn+t)*hs : (j*Tn+t+1)*hs]
			for i, v := range row[j*hs : (j+1)*hs] { // a loop: copy's call costs more at hs = 12
				d[i] = v
			}
		}
	}
}

// gatherHeadT copies one block of hs columns of src (T rows, stride),
// starting at column off, transposed into dst (hs, T).
func gatherHeadT(dst, src []float32, Tn, stride, off, hs int) {
	dst = dst[:hs*Tn]
	for t := range Tn {
		for i, v := range src[t*stride+off : t*stride+off+hs] {
			dst[i*Tn+t] = v
		}
	}
}

// scatterHeads is gatherHeads' inverse, dst (T rows, stride) = src (J, T, hs);
// with add it adds instead.
func scatterHeads(dst, src []float32, Tn, stride, J, hs int, add bool) {
	for t := range Tn {
		row := dst[t*stride : t*stride+J*hs]
		for j := range J {
			s := src[(j*Tn+t)*hs : (j*Tn+t+1)*hs]
			d := row[j*hs : (j+1)*hs]
			if add {
				for i, v := range s {
					d[i] += v
				}
			} else {
				for i, v := range s {
					d[i] = v
				}
			}
		}
	}
}

// attentionForward32 is attentionForward for float32.
func attentionForward32(out, att, inp []float32, B, Tn, C, H int) {
	hs := C / H
	scale := float32(1 / math.Sqrt(float64(hs)))
	th := Tn * hs // one head's Q, K, V or output
	buf := getScratch(3*Tn*C + Tn*C)
	defer scratchPool.Put(buf)
	qkv, o := (*buf)[:3*Tn*C], (*buf)[3*Tn*C:]
	for b := range B {
		// x: this sequence's queries, keys and values; ab its weights (H, T, T).
		x, ab := inp[b*Tn*3*C:(b+1)*Tn*3*C], att[b*H*Tn*Tn:(b+1)*H*Tn*Tn]
		gatherHeads(qkv[:H*th], x, Tn, 3*C, H, hs)         // Q (H, T, hs)
		gatherHeads(qkv[2*H*th:], x[2*C:], Tn, 3*C, H, hs) // V (H, T, hs)
		for h := range H {
			q, kt := qkv[h*th:(h+1)*th], qkv[(H+h)*th:(H+h+1)*th]
			gatherHeadT(kt, x, Tn, 3*C, C+h*hs, hs) // Kᵀ (hs, T) over K
			a := ab[h*Tn*Tn : (h+1)*Tn*Tn]
			clear(a)
			kernels.MatMul(a, q, kt, Tn, hs, Tn) // pre = Q·Kᵀ (unscaled)
		}
		softmaxRows(ab, H*Tn, Tn, 1, Tn, scale) // row t of each head: keys 0..t
		for h := range H {
			a, v := ab[h*Tn*Tn:(h+1)*Tn*Tn], qkv[(2*H+h)*th:(2*H+h+1)*th]
			oh := o[h*th : (h+1)*th]
			clear(oh)
			kernels.MatMul(oh, a, v, Tn, Tn, hs)
		}
		scatterHeads(out[b*Tn*C:(b+1)*Tn*C], o, Tn, C, H, hs, false)
	}
}

// softmaxRows replaces each of the R rows of x (stride T) by
// softmax(scale·row[:n]) followed by zeros, where row r has n = base +
// r mod period entries: base 1 and period T are attention's causal rows
// (row t of a head sees keys 0..t), period 1 is R rows of base entries. The
// scaled entries are packed into scratch so that the exponentials are one
// call of expNonPositive (the kernel set's, SIMD under wasm, for all the
// heads of a sequence at once).
func softmaxRows(x []float32, R, T, base, period int, scale float32) {
	total := 0
	for r := range R {
		total += base + r%period
	}
	buf := getScratch(total)
	defer scratchPool.Put(buf)
	e := *buf
	off := 0
	for r := range R {
		row := x[r*T : r*T+base+r%period]
		m := row[0]
		for _, v := range row[1:] {
			if v > m {
				m = v
			}
		}
		p := e[off : off+len(row)]
		for i, v := range row {
			p[i] = (v - m) * scale
		}
		off += len(row)
	}
	expNonPositive(e)
	off = 0
	for r := range R {
		n := base + r%period
		row, p := x[r*T:(r+1)*T], e[off:off+n]
		var sum float32
		for _, v := range p {
			sum += v
		}
		inv := 1 / sum
		for i, v := range p {
			row[i] = v * inv
		}
		clear(row[n:])
		off += n
	}
}

// attentionBackward32 is attentionBackward for float32; it adds into dinp.
// The products that take a transposed operand are computed transposed,
// dVᵀ = dout_hᵀ·att and dKᵀ = Qᵀ·dpre, so that all four are MatMul with
// operands gathered in the layout they need (no kernel transposes).
func attentionBackward32(dinp, dout, inp, att []float32, B, Tn, C, H int) {
	hs := C / H
	scale := float32(1 / math.Sqrt(float64(hs)))
	th := Tn * hs
	buf := getScratch(8*th + Tn*Tn)
	defer scratchPool.Put(buf)
	s := *buf
	k, qt, vt, d, dt := s[:th], s[th:2*th], s[2*th:3*th], s[3*th:4*th], s[4*th:5*th]
	dq, dkt, dvt, datt := s[5*th:6*th], s[6*th:7*th], s[7*th:8*th], s[8*th:]
	for b := range B {
		x, dx := inp[b*Tn*3*C:(b+1)*Tn*3*C], dinp[b*Tn*3*C:(b+1)*Tn*3*C]
		g := dout[b*Tn*C : (b+1)*Tn*C]
		for h := range H {
			gatherHeads(k, x[C+h*hs:], Tn, 3*C, 1, hs) // K (T, hs)
			gatherHeadT(qt, x, Tn, 3*C, h*hs, hs)      // Qᵀ (hs, T)
			gatherHeadT(vt, x, Tn, 3*C, 2*C+h*hs, hs)  // Vᵀ (hs, T)
			gatherHeads(d, g[h*hs:], Tn, C, 1, hs)     // dout_h (T, hs)
			gatherHeadT(dt, g, Tn, C, h*hs, hs)        // dout_hᵀ (hs, T)
			a := att[(b*H+h)*Tn*Tn : (b*H+h+1)*Tn*Tn]
			// out = att·V: gradients to the weights and the values.
			clear(datt)
			kernels.MatMul(datt, d, vt, Tn, hs, Tn)
			clear(dvt)
			kernels.MatMul(dvt, dt, a, hs, Tn, Tn)
			// Softmax, row by row: dpre = att·(datt − Σ att·datt)·scale, in place.
			for t := range Tn {
				ar, dr := a[t*Tn:t*Tn+t+1], datt[t*Tn:t*Tn+t+1]
				var dot float32
				for i, p := range ar {
					dot += p * dr[i]
				}
				for i, p := range ar {
					dr[i] = p * (dr[i] - dot) * scale
				}
				clear(datt[t*Tn+t+1 : (t+1)*Tn])
			}
			// pre = Q·Kᵀ.
			clear(dq)
			kernels.MatMul(dq, datt, k, Tn, Tn, hs)
			clear(dkt)
			kernels.MatMul(dkt, qt, datt, hs, Tn, Tn)
			scatterHeads(dx[h*hs:], dq, Tn, 3*C, 1, hs, true)
			scatterHeadTAdd(dx, dkt, Tn, 3*C, C+h*hs, hs)
			scatterHeadTAdd(dx, dvt, Tn, 3*C, 2*C+h*hs, hs)
		}
	}
}

// scatterHeadTAdd is gatherHeadT's inverse, adding: dst[t·stride + off + i] += src[i·T + t].
func scatterHeadTAdd(dst, src []float32, Tn, stride, off, hs int) {
	src = src[:hs*Tn]
	for t := range Tn {
		row := dst[t*stride+off : t*stride+off+hs]
		for i := range row {
			row[i] += src[i*Tn+t]
		}
	}
}
