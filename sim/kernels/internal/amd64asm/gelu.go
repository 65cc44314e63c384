package amd64asm

import (
	"fmt"
	"math"
)

// GELU with the tanh approximation, forward and backward, eight values at a
// time: geluForward(out, inp, n) and geluBackward(dinp, inp, dout, n) for
// n a multiple of 8. The arithmetic is that of sim's geluForward32 and
// geluBackward32 (sim/fastmath.go), with the exponential of sim's expSlice,
// operation for operation in the same order and without fused
// multiply-adds (Go does not fuse on amd64), so both give the same float32
// results, except that exp's argument −2|u| is clamped at −87 (|x| ≳ 9.4),
// where sim's Go code defers to math.Exp and both results are within 1e-33
// of the limit (0 or x). It is the formula of sim/kernels/simd/gelu.go too.
//
// Registers: Y0 x, Y1 a = −2|u| and then e = exp(a), Y2 n = round(a/ln2)
// (and scratch), Y3 the reduced argument r, Y4 the polynomial p, Y5 2ⁿ,
// Y6 1/(1+e), Y7 s = ½(1 + tanh u); Y8 holds 1.0 (a dividend must be a
// register) and Y9 −87 (VMAXPS returns its memory operand for NaN, we want
// the other). The other constants are memory operands, eight copies each in
// geluConst<>.

// geluConsts are the constants of the formula, in the order of geluConst<>.
var geluConsts = []struct {
	name string
	bits uint32
}{
	{"abs", 0x7fffffff}, // clears the sign
	{"minus2", math.Float32bits(-2)},
	{"K", math.Float32bits(geluK)},
	{"C2", math.Float32bits(geluC2)},
	{"C3", math.Float32bits(geluC3)},
	{"minus87", math.Float32bits(-87)},
	{"log2e", math.Float32bits(log2e)},
	{"round", math.Float32bits(round)},
	{"ln2Hi", math.Float32bits(ln2Hi)},
	{"ln2Lo", math.Float32bits(ln2Lo)},
	{"p0", math.Float32bits(1.9875691500e-4)}, // Cephes' polynomial for eʳ − 1 − r over r², highest degree first
	{"p1", math.Float32bits(1.3981999507e-3)},
	{"p2", math.Float32bits(8.3334519073e-3)},
	{"p3", math.Float32bits(4.1665795894e-2)},
	{"p4", math.Float32bits(1.6666665459e-1)},
	{"p5", math.Float32bits(5.0000001201e-1)},
	{"one", math.Float32bits(1)},
	{"two", math.Float32bits(2)},
	{"bias", 127}, // the exponent bias, an int32
	{"plus88", math.Float32bits(88)},
}

// Constants of sim's formula: the untyped expressions of sim/fastmath.go,
// rounded to float32 once, as Go rounds them there.
const (
	geluK  = 0.7978845608028654 // √(2/π)
	geluC2 = geluK * 0.044715   // in u = x·(K + C2·x²)
	geluC3 = geluK * 3 * 0.044715
	log2e  = 1.44269504088896341
	ln2Hi  = 0.693359375
	ln2Lo  = -2.12194440e-4
	round  = 12582912
)

// c is the memory operand of a constant: eight copies at its offset in geluConst<>.
func c(name string) string {
	for i, k := range geluConsts {
		if k.name == name {
			return fmt.Sprintf("geluConst<>+%d(SB)", 32*i)
		}
	}
	panic("amd64asm: no constant " + name)
}

func geluData(w *writer) {
	w.printf("\n// geluConst<> holds the constants of GELU, eight copies of each (a YMM\n")
	w.printf("// memory operand): ")
	for i, k := range geluConsts {
		if i > 0 {
			w.printf(", ")
		}
		w.printf("%s", k.name)
	}
	w.printf(".\n")
	for i, k := range geluConsts {
		for j := range 4 {
			w.printf("DATA geluConst<>+%d(SB)/8, $0x%08x%08x\n", 32*i+8*j, k.bits, k.bits)
		}
	}
	w.printf("GLOBL geluConst<>(SB), RODATA|NOPTR, $%d\n", 32*len(geluConsts))
}

// geluHead writes the part both functions share: from x in Y0 it leaves
// e = exp(−2|u|) in Y1, 1/(1+e) in Y6 and s = ½(1 + tanh u) in Y7.
func geluHead(w *writer) {
	w.ins("// a = max(−2|x|·(K + (C2·x)·x), −87) = −2|u|, clamped; a NaN stays")
	w.ins("VANDPS %s, Y0, Y1", c("abs"))
	w.ins("VMULPS %s, Y1, Y1", c("minus2"))
	w.ins("VMULPS %s, Y0, Y2", c("C2"))
	w.ins("VMULPS Y0, Y2, Y2")
	w.ins("VADDPS %s, Y2, Y2", c("K"))
	w.ins("VMULPS Y2, Y1, Y1")
	w.ins("VMAXPS Y1, Y9, Y1")
	expBody(w)
	w.ins("// Y6 = 1/(1+e); s = Y6·e where x < 0 (x's sign bit), else Y6")
	w.ins("VADDPS Y8, Y1, Y6")
	w.ins("VDIVPS Y6, Y8, Y6")
	w.ins("VMULPS Y1, Y6, Y7")
	w.ins("VBLENDVPS Y0, Y7, Y6, Y7")
}

// expBody replaces a in Y1 (its lanes in [−87, 88]) by e = exp(a), using
// Y2–Y5 and Y8 = 1.0: sim's expSlice, operation for operation.
func expBody(w *writer) {
	w.ins("// n = (a·log2e + round) − round: a/ln2 rounded to an integer")
	w.ins("VMULPS %s, Y1, Y2", c("log2e"))
	w.ins("VADDPS %s, Y2, Y2", c("round"))
	w.ins("VSUBPS %s, Y2, Y2", c("round"))
	w.ins("// r = (a − n·ln2Hi) − n·ln2Lo")
	w.ins("VMULPS %s, Y2, Y3", c("ln2Hi"))
	w.ins("VSUBPS Y3, Y1, Y3")
	w.ins("VMULPS %s, Y2, Y4", c("ln2Lo"))
	w.ins("VSUBPS Y4, Y3, Y3")
	w.ins("// p = ((p0·r + p1)·r + …)·r + p5; eʳ = ((p·r)·r + r) + 1")
	w.ins("VMOVUPS %s, Y4", c("p0"))
	for _, p := range []string{"p1", "p2", "p3", "p4", "p5"} {
		w.ins("VMULPS Y3, Y4, Y4")
		w.ins("VADDPS %s, Y4, Y4", c(p))
	}
	w.ins("VMULPS Y3, Y4, Y4")
	w.ins("VMULPS Y3, Y4, Y4")
	w.ins("VADDPS Y3, Y4, Y4")
	w.ins("VADDPS Y8, Y4, Y4")
	w.ins("// e = eʳ·2ⁿ, 2ⁿ built in the exponent bits: (n + 127) << 23")
	w.ins("VCVTTPS2DQ Y2, Y5")
	w.ins("VPADDD %s, Y5, Y5", c("bias"))
	w.ins("VPSLLD $23, Y5, Y5")
	w.ins("VMULPS Y5, Y4, Y1")
}

// expFunc writes exp(x *float32, n int): x[i] = exp(clamp(x[i], −87, 88))
// for i < n, n a multiple of 8; Y9 holds −87 and Y10 88 (VMAXPS and VMINPS
// return their second source, here x, when one is NaN: a NaN stays NaN).
func expFunc(w *writer) {
	w.printf("\n// func exp(x *float32, n int)\n")
	w.printf("// x[i] = exp(clamp(x[i], −87, 88)) for i < n, n a multiple of 8.\n")
	w.printf("TEXT ·exp(SB), NOSPLIT, $0-16\n")
	w.ins("MOVQ x+0(FP), DI")
	w.ins("MOVQ n+8(FP), CX")
	w.ins("SHLQ $2, CX")
	w.ins("XORQ AX, AX")
	w.ins("VMOVUPS %s, Y8", c("one"))
	w.ins("VMOVUPS %s, Y9", c("minus87"))
	w.ins("VMOVUPS %s, Y10", c("plus88"))
	w.ins("JMP echeck")
	w.label("eloop")
	w.ins("VMOVUPS (DI)(AX*1), Y1")
	w.ins("VMAXPS Y1, Y9, Y1")
	w.ins("VMINPS Y1, Y10, Y1")
	expBody(w)
	w.ins("VMOVUPS Y1, (DI)(AX*1)")
	w.ins("ADDQ $32, AX")
	w.label("echeck")
	w.ins("CMPQ AX, CX")
	w.ins("JLT eloop")
	w.ins("VZEROUPPER")
	w.ins("RET")
}

// geluFuncs writes geluForward and geluBackward. SI inp, DI out or dinp,
// DX dout, CX n (elements), AX the byte offset of the current eight.
func geluFuncs(w *writer) {
	w.printf("\n// func geluForward(out, inp *float32, n int)\n")
	w.printf("// out[i] = gelu(inp[i]) for i < n, n a multiple of 8.\n")
	w.printf("TEXT ·geluForward(SB), NOSPLIT, $0-24\n")
	w.ins("MOVQ out+0(FP), DI")
	w.ins("MOVQ inp+8(FP), SI")
	w.ins("MOVQ n+16(FP), CX")
	w.ins("SHLQ $2, CX")
	w.ins("XORQ AX, AX")
	w.ins("VMOVUPS %s, Y8", c("one"))
	w.ins("VMOVUPS %s, Y9", c("minus87"))
	w.ins("JMP fcheck")
	w.label("floop")
	w.ins("VMOVUPS (SI)(AX*1), Y0")
	geluHead(w)
	w.ins("// out = x·s")
	w.ins("VMULPS Y7, Y0, Y0")
	w.ins("VMOVUPS Y0, (DI)(AX*1)")
	w.ins("ADDQ $32, AX")
	w.label("fcheck")
	w.ins("CMPQ AX, CX")
	w.ins("JLT floop")
	w.ins("VZEROUPPER")
	w.ins("RET")

	w.printf("\n// func geluBackward(dinp, inp, dout *float32, n int)\n")
	w.printf("// dinp[i] += gelu'(inp[i])·dout[i] for i < n, n a multiple of 8:\n")
	w.printf("// gelu' = s + (((2x·e)·r)·r)·(K + (C3·x)·x) with r = 1/(1+e).\n")
	w.printf("TEXT ·geluBackward(SB), NOSPLIT, $0-32\n")
	w.ins("MOVQ dinp+0(FP), DI")
	w.ins("MOVQ inp+8(FP), SI")
	w.ins("MOVQ dout+16(FP), DX")
	w.ins("MOVQ n+24(FP), CX")
	w.ins("SHLQ $2, CX")
	w.ins("XORQ AX, AX")
	w.ins("VMOVUPS %s, Y8", c("one"))
	w.ins("VMOVUPS %s, Y9", c("minus87"))
	w.ins("JMP bcheck")
	w.label("bloop")
	w.ins("VMOVUPS (SI)(AX*1), Y0")
	geluHead(w)
	w.ins("// grad = s + (((2x·e)·r)·r)·(K + (C3·x)·x)")
	w.ins("VMULPS %s, Y0, Y2", c("two"))
	w.ins("VMULPS Y1, Y2, Y2")
	w.ins("VMULPS Y6, Y2, Y2")
	w.ins("VMULPS Y6, Y2, Y2")
	w.ins("VMULPS %s, Y0, Y3", c("C3"))
	w.ins("VMULPS Y0, Y3, Y3")
	w.ins("VADDPS %s, Y3, Y3", c("K"))
	w.ins("VMULPS Y3, Y2, Y2")
	w.ins("VADDPS Y2, Y7, Y2")
	w.ins("// dinp += grad·dout")
	w.ins("VMULPS (DX)(AX*1), Y2, Y2")
	w.ins("VADDPS (DI)(AX*1), Y2, Y2")
	w.ins("VMOVUPS Y2, (DI)(AX*1)")
	w.ins("ADDQ $32, AX")
	w.label("bcheck")
	w.ins("CMPQ AX, CX")
	w.ins("JLT bloop")
	w.ins("VZEROUPPER")
	w.ins("RET")
}
