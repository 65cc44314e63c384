package amd64asm

import "fmt"

// transpose8(dst, src *float32, blocks, lds, ldd int) transposes an 8-row
// strip of src into an 8-column strip of dst, 8×8 at a time: for block b,
// row r and column c < 8, dst[(8b+c)·ldd + r] = src[r·lds + 8b + c]
// (strides in elements). MatMulTransB uses it to turn b (N,K) into (K,N)
// before the products; Go does the edges.
//
// The eight rows are loaded into Y0…Y7 and transposed in three rounds of
// shuffles, the textbook AVX 8×8 transpose, with row r = (r0 … r7):
//
//	Y8…Y15  VUNPCKL/HPS of row pairs    (a0 b0 a1 b1 | a4 b4 a5 b5), …
//	Y0…Y7   VSHUFPS of those pairs      (a0 b0 c0 d0 | a4 b4 c4 d4), …
//	Y8…Y15  VPERM2F128 of the halves    (a0 b0 c0 d0 e0 f0 g0 h0) = column 0, …
//
// General registers: SI, R10 and R11 point at src's rows 0, 3 and 6 of the
// block, DI, R12 and R13 at dst's rows 0, 3 and 6; R8 and R9 are lds and
// ldd in bytes, R14 eight rows of dst, CX counts the blocks down.
func transposeFunc(w *writer) {
	w.printf("\n// func transpose8(dst, src *float32, blocks, lds, ldd int)\n")
	w.printf("// dst[(8b+c)·ldd + r] = src[r·lds + 8b + c] for b < blocks, r, c < 8.\n")
	w.printf("TEXT ·transpose8(SB), NOSPLIT, $0-40\n")
	w.ins("MOVQ dst+0(FP), DI")
	w.ins("MOVQ src+8(FP), SI")
	w.ins("MOVQ blocks+16(FP), CX")
	w.ins("MOVQ lds+24(FP), R8")
	w.ins("MOVQ ldd+32(FP), R9")
	w.ins("SHLQ $2, R8")
	w.ins("SHLQ $2, R9")
	w.ins("LEAQ (SI)(R8*2), R10")
	w.ins("ADDQ R8, R10")
	w.ins("LEAQ (R10)(R8*2), R11")
	w.ins("ADDQ R8, R11")
	w.ins("LEAQ (DI)(R9*2), R12")
	w.ins("ADDQ R9, R12")
	w.ins("LEAQ (R12)(R9*2), R13")
	w.ins("ADDQ R9, R13")
	w.ins("MOVQ R9, R14")
	w.ins("SHLQ $3, R14")
	w.ins("TESTQ CX, CX")
	w.ins("JZ tdone")
	w.label("tloop")
	for r := range 8 {
		w.ins("VMOVUPS %s, Y%d", rowAddr(r, "SI", "R10", "R11", "R8"), r)
	}
	w.ins("// (a0 b0 a1 b1 | a4 b4 a5 b5) and (a2 b2 a3 b3 | a6 b6 a7 b7) for each pair of rows")
	for p := range 4 {
		w.ins("VUNPCKLPS Y%d, Y%d, Y%d", 2*p+1, 2*p, 8+2*p)
		w.ins("VUNPCKHPS Y%d, Y%d, Y%d", 2*p+1, 2*p, 9+2*p)
	}
	w.ins("// (a0 b0 c0 d0 | a4 b4 c4 d4), (a1 b1 c1 d1 | a5 b5 c5 d5), … for rows 0–3, then 4–7")
	for q := range 2 {
		lo, hi := 8+4*q, 10+4*q // unpacked pairs (rows 4q, 4q+1) and (4q+2, 4q+3)
		w.ins("VSHUFPS $0x44, Y%d, Y%d, Y%d", hi, lo, 4*q)
		w.ins("VSHUFPS $0xee, Y%d, Y%d, Y%d", hi, lo, 4*q+1)
		w.ins("VSHUFPS $0x44, Y%d, Y%d, Y%d", hi+1, lo+1, 4*q+2)
		w.ins("VSHUFPS $0xee, Y%d, Y%d, Y%d", hi+1, lo+1, 4*q+3)
	}
	w.ins("// column c: low halves (c < 4) or high halves (c ≥ 4) of rows 0–3 and 4–7")
	for c := range 8 {
		imm := "$0x20"
		if c >= 4 {
			imm = "$0x31"
		}
		w.ins("VPERM2F128 %s, Y%d, Y%d, Y%d", imm, 4+c%4, c%4, 8+c)
	}
	for c := range 8 {
		w.ins("VMOVUPS Y%d, %s", 8+c, rowAddr(c, "DI", "R12", "R13", "R9"))
	}
	w.ins("ADDQ $32, SI")
	w.ins("ADDQ $32, R10")
	w.ins("ADDQ $32, R11")
	w.ins("ADDQ R14, DI")
	w.ins("ADDQ R14, R12")
	w.ins("ADDQ R14, R13")
	w.ins("DECQ CX")
	w.ins("JNZ tloop")
	w.label("tdone")
	w.ins("VZEROUPPER")
	w.ins("RET")
}

// rowAddr is the address of row r < 8 from base pointers at rows 0, 3 and 6 and a stride register.
func rowAddr(r int, b0, b3, b6, stride string) string {
	base := []string{b0, b0, b0, b3, b3, b3, b6, b6}[r]
	switch r % 3 {
	case 0:
		return "(" + base + ")"
	default:
		return fmt.Sprintf("(%s)(%s*%d)", base, stride, r%3)
	}
}
