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
//	backward: datt = dout_h·Vᵀ                        dV = attᵀ·dout_h
//	          dpre = att ⊙ (datt − rowsum(att ⊙ datt))·scale
//	          dQ = dpre·K                              dK = dpreᵀ·Q
//
// The forward pass gathers Kᵀ, so its products are plain MatMul; the
// backward pass gathers Q, K, V and dout_h as they are and uses the
// kernels' transposed products, which cost it fewer strided copies.
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
			d, s := dst[(j*Tn+t)*hs:(j*Tn+t+1)*hs], row[j*hs:(j+1)*hs]
			d = d[:len(s)]
			for i, v := range s { // a loop: copy's call costs more at hs = 12
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
			d = d[:len(s)]
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
	// The sequences are independent: they split across goroutines, each
	// with scratch of its own.
	kernels.ForRanges(B, 1, 2*H*Tn*Tn*hs, func(lo, hi int) {
		buf := getScratch(3*Tn*C + Tn*C)
		defer scratchPool.Put(buf)
		attentionForwardSeqs(out, att, inp, lo, hi, Tn, C, H, scale, (*buf)[:3*Tn*C], (*buf)[3*Tn*C:])
	})
}

// attentionForwardSeqs is attentionForward32 for the sequences lo…hi−1, with
// scratch qkv (3·T·C) and o (T·C).
func attentionForwardSeqs(out, att, inp []float32, lo, hi, Tn, C, H int, scale float32, qkv, o []float32) {
	hs := C / H
	th := Tn * hs // one head's Q, K, V or output
	for b := lo; b < hi; b++ {
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
		head := row[:len(p)]
		for i, v := range p {
			head[i] = v * inv
		}
		clear(row[n:])
		off += n
	}
}

// attentionBackward32 is attentionBackward for float32; it adds into dinp.
// Each sequence's Q, K, V and dout are gathered for all heads at once in
// the rows they have (T, hs); the products that need a transposed operand
// use the kernels' transposed products (dV = attᵀ·dout_h and dK = dpreᵀ·Q
// read att and dpre down their columns, datt = dout_h·Vᵀ transposes the
// small V), and the gradients go back for all heads at once.
func attentionBackward32(dinp, dout, inp, att []float32, B, Tn, C, H int) {
	hs := C / H
	scale := float32(1 / math.Sqrt(float64(hs)))
	th := Tn * hs
	kernels.ForRanges(B, 1, 4*H*Tn*Tn*hs, func(lo, hi int) {
		buf := getScratch(7*H*th + Tn*Tn)
		defer scratchPool.Put(buf)
		attentionBackwardSeqs(dinp, dout, inp, att, lo, hi, Tn, C, H, scale, *buf)
	})
}

// attentionBackwardSeqs is attentionBackward32 for the sequences lo…hi−1,
// with scratch s (7·H·T·hs + T·T).
func attentionBackwardSeqs(dinp, dout, inp, att []float32, lo, hi, Tn, C, H int, scale float32, s []float32) {
	hs := C / H
	th := Tn * hs
	qs, ks, vs, ds := s[:H*th], s[H*th:2*H*th], s[2*H*th:3*H*th], s[3*H*th:4*H*th] // (H, T, hs) each
	dqs, dks, dvs, datt := s[4*H*th:5*H*th], s[5*H*th:6*H*th], s[6*H*th:7*H*th], s[7*H*th:]
	for b := lo; b < hi; b++ {
		x, dx := inp[b*Tn*3*C:(b+1)*Tn*3*C], dinp[b*Tn*3*C:(b+1)*Tn*3*C]
		g := dout[b*Tn*C : (b+1)*Tn*C]
		gatherHeads(qs, x, Tn, 3*C, H, hs)
		gatherHeads(ks, x[C:], Tn, 3*C, H, hs)
		gatherHeads(vs, x[2*C:], Tn, 3*C, H, hs)
		gatherHeads(ds, g, Tn, C, H, hs)
		clear(dqs)
		clear(dks)
		clear(dvs)
		for h := range H {
			q, k, v, d := qs[h*th:(h+1)*th], ks[h*th:(h+1)*th], vs[h*th:(h+1)*th], ds[h*th:(h+1)*th]
			a := att[(b*H+h)*Tn*Tn : (b*H+h+1)*Tn*Tn]
			// out = att·V: gradients to the weights and the values.
			clear(datt)
			kernels.MatMulTransB(datt, d, v, Tn, hs, Tn)               // datt = dout_h·Vᵀ
			kernels.MatMulTransA(dvs[h*th:(h+1)*th], a, d, Tn, Tn, hs) // dV = attᵀ·dout_h
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
			kernels.MatMul(dqs[h*th:(h+1)*th], datt, k, Tn, Tn, hs)       // dQ = dpre·K
			kernels.MatMulTransA(dks[h*th:(h+1)*th], datt, q, Tn, Tn, hs) // dK = dpreᵀ·Q
		}
		scatterHeads(dx, dqs, Tn, 3*C, H, hs, true)
		scatterHeads(dx[C:], dks, Tn, 3*C, H, hs, true)
		scatterHeads(dx[2*C:], dvs, Tn, 3*C, H, hs, true)
	}
}
