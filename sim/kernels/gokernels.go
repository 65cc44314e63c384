package kernels

import "sync"

// The pure-Go kernels compute dst in 4×4 tiles: sixteen accumulators live in
// registers while k runs, so each step loads 4 values of a and 4 of b for 16
// multiply-adds (the naive loop loads 2 for 1). Rows and columns left over
// when M or N is not a multiple of 4 go through edge, which reads through
// strides and is as simple as the reference.

// matMulGo: dst (M,N) += a (M,K) · b (K,N).
func matMulGo(dst, a, b []float32, M, K, N int) {
	checkLen("MatMul dst", len(dst), M*N)
	checkLen("MatMul a", len(a), M*K)
	checkLen("MatMul b", len(b), K*N)
	M4, N4 := M&^3, N&^3
	for i := 0; i < M4; i += 4 {
		a0 := a[i*K : i*K+K]
		a1 := a[(i+1)*K : (i+1)*K+K]
		a2 := a[(i+2)*K : (i+2)*K+K]
		a3 := a[(i+3)*K : (i+3)*K+K]
		for j := 0; j < N4; j += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13 float32
			var c20, c21, c22, c23, c30, c31, c32, c33 float32
			for k := range K {
				bk := b[k*N+j : k*N+j+4 : k*N+j+4]
				b0, b1, b2, b3 := bk[0], bk[1], bk[2], bk[3]
				x := a0[k]
				c00 += x * b0
				c01 += x * b1
				c02 += x * b2
				c03 += x * b3
				x = a1[k]
				c10 += x * b0
				c11 += x * b1
				c12 += x * b2
				c13 += x * b3
				x = a2[k]
				c20 += x * b0
				c21 += x * b1
				c22 += x * b2
				c23 += x * b3
				x = a3[k]
				c30 += x * b0
				c31 += x * b1
				c32 += x * b2
				c33 += x * b3
			}
			addTile(dst, i*N+j, N, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33)
		}
	}
	edge(dst, a, b, M, K, N, M4, N4, K, 1, N, 1)
}

// matMulTransBGo: dst (M,N) += a (M,K) · bᵀ, b (N,K).
func matMulTransBGo(dst, a, b []float32, M, K, N int) {
	checkLen("MatMulTransB dst", len(dst), M*N)
	checkLen("MatMulTransB a", len(a), M*K)
	checkLen("MatMulTransB b", len(b), N*K)
	M4, N4 := M&^3, N&^3
	for i := 0; i < M4; i += 4 {
		a0 := a[i*K : i*K+K]
		a1 := a[(i+1)*K : (i+1)*K+K]
		a2 := a[(i+2)*K : (i+2)*K+K]
		a3 := a[(i+3)*K : (i+3)*K+K]
		for j := 0; j < N4; j += 4 {
			b0 := b[j*K : j*K+K]
			b1 := b[(j+1)*K : (j+1)*K+K]
			b2 := b[(j+2)*K : (j+2)*K+K]
			b3 := b[(j+3)*K : (j+3)*K+K]
			var c00, c01, c02, c03, c10, c11, c12, c13 float32
			var c20, c21, c22, c23, c30, c31, c32, c33 float32
			for k := range K {
				y0, y1, y2, y3 := b0[k], b1[k], b2[k], b3[k]
				x := a0[k]
				c00 += x * y0
				c01 += x * y1
				c02 += x * y2
				c03 += x * y3
				x = a1[k]
				c10 += x * y0
				c11 += x * y1
				c12 += x * y2
				c13 += x * y3
				x = a2[k]
				c20 += x * y0
				c21 += x * y1
				c22 += x * y2
				c23 += x * y3
				x = a3[k]
				c30 += x * y0
				c31 += x * y1
				c32 += x * y2
				c33 += x * y3
			}
			addTile(dst, i*N+j, N, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33)
		}
	}
	edge(dst, a, b, M, K, N, M4, N4, K, 1, 1, K)
}

// matMulTransAGo: dst (M,N) += aᵀ · b, a (K,M), b (K,N). Both operands are
// first transposed into scratch, so that the product runs in the dot-product
// tiles of matMulTransBGo: reading rows is faster than reading 4-wide strips
// of every row, and the copies cost (M+N)·K moves against 2·M·N·K flops.
func matMulTransAGo(dst, a, b []float32, M, K, N int) {
	checkLen("MatMulTransA dst", len(dst), M*N)
	checkLen("MatMulTransA a", len(a), K*M)
	checkLen("MatMulTransA b", len(b), K*N)
	buf := scratchPool.Get().(*[]float32)
	if cap(*buf) < (M+N)*K {
		*buf = make([]float32, (M+N)*K)
	}
	at, bt := (*buf)[:M*K], (*buf)[M*K:(M+N)*K]
	transpose(at, a, K, M)
	transpose(bt, b, K, N)
	matMulTransBGo(dst, at, bt, M, K, N)
	scratchPool.Put(buf)
}

// scratchPool holds the transposition buffers of matMulTransAGo and the row
// sums of edgeRows.
var scratchPool = sync.Pool{New: func() any { return new([]float32) }}

// transpose writes src (R,C) into dst (C,R).
func transpose(dst, src []float32, R, C int) {
	for r := range R {
		row := src[r*C : r*C+C]
		for c, v := range row {
			dst[c*R+r] = v
		}
	}
}

// addTile adds a 4×4 block of accumulators into dst at offset off (row stride N).
func addTile(dst []float32, off, N int, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 float32) {
	d := dst[off : off+4 : off+4]
	d[0] += c00
	d[1] += c01
	d[2] += c02
	d[3] += c03
	d = dst[off+N : off+N+4 : off+N+4]
	d[0] += c10
	d[1] += c11
	d[2] += c12
	d[3] += c13
	d = dst[off+2*N : off+2*N+4 : off+2*N+4]
	d[0] += c20
	d[1] += c21
	d[2] += c22
	d[3] += c23
	d = dst[off+3*N : off+3*N+4 : off+3*N+4]
	d[0] += c30
	d[1] += c31
	d[2] += c32
	d[3] += c33
}

// edge computes the entries the 4×4 tiles left out: rows M4..M-1 of every
// column, and columns N4..N-1 of rows 0..M4-1. Element (i,k) of the left
// operand is a[i*ai+k*ak] and element (k,j) of the right one is b[k*bk+j*bj].
func edge(dst, a, b []float32, M, K, N, M4, N4, ai, ak, bk, bj int) {
	rows := M
	if bj == 1 && M4 < M {
		rows = M4 // the whole rows below go along b's rows
	}
	for i := 0; i < rows; i++ {
		j0 := N4
		if i >= M4 {
			j0 = 0
		}
		for j := j0; j < N; j++ {
			var sum float32
			for k := range K {
				sum += a[i*ai+k*ak] * b[k*bk+j*bj]
			}
			dst[i*N+j] += sum
		}
	}
	if rows < M {
		edgeRows(dst, a, b, M, K, N, M4, ai, ak, bk)
	}
}

// edgeRows computes rows M4..M-1 of dst when b's rows are contiguous (bj =
// 1), a row of sums at a time, each one b's row scaled and added: the sums
// of edge's loop in the same order (so the same results), without reading
// b down its columns, which made a product with one or two rows (a bias
// gradient, 1ᵀ·dout) several times slower than a plain loop.
func edgeRows(dst, a, b []float32, M, K, N, M4, ai, ak, bk int) {
	buf := scratchPool.Get().(*[]float32)
	if cap(*buf) < N {
		*buf = make([]float32, N)
	}
	acc := (*buf)[:N]
	for i := M4; i < M; i++ {
		clear(acc)
		for k := range K {
			x, row := a[i*ai+k*ak], b[k*bk:k*bk+N]
			row = row[:len(acc)]
			for j, v := range row {
				acc[j] += x * v
			}
		}
		d := dst[i*N : i*N+N]
		d = d[:len(acc)]
		for j, v := range acc {
			d[j] += v
		}
	}
	scratchPool.Put(buf)
}
