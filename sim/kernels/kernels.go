package kernels

import (
	"fmt"
	"sort"
)

// Set is one implementation of the float32 products. Each function has the
// signature and contract of the package-level function of the same name.
type Set struct {
	Name         string
	MatMul       func(dst, a, b []float32, M, K, N int)
	MatMulTransB func(dst, a, b []float32, M, K, N int)
	MatMulTransA func(dst, a, b []float32, M, K, N int)

	// Optional: GELU (tanh approximation) forward, out = gelu(inp), and
	// backward, dinp += gelu'(inp)·dout, on a prefix of the slices: each
	// returns the length it did, and the caller (package sim, whose Go code
	// is the fallback and the reference) does the rest. Nil does nothing.
	GELU         func(out, inp []float32) int
	GELUBackward func(dinp, inp, dout []float32) int

	// Optional: x[i] = eˣ⁽ⁱ⁾ in place, with the argument clamped to
	// [−87, 88] (where float32's eˣ is normal), on a prefix of x, whose
	// length it returns, as GELU; package sim's expSlice is the fallback
	// and the reference. Nil does nothing.
	Exp func(x []float32) int

	// Optional: layer normalisation of the N rows of inp (N,C) into out, with
	// each row's mean and 1/std into mean and rstd, with the arithmetic of
	// package sim's layerNormRows, the fallback and the reference; it reports
	// whether it did (a set may take only some shapes). Nil does nothing.
	LayerNorm func(out, mean, rstd, inp, w, b []float32, N, C int) bool
}

var (
	sets = map[string]Set{
		"ref": {Name: "ref", MatMul: RefMatMul[float32], MatMulTransB: RefMatMulTransB[float32], MatMulTransA: RefMatMulTransA[float32]},
		"go":  {Name: "go", MatMul: matMulGo, MatMulTransB: matMulTransBGo, MatMulTransA: matMulTransAGo},
	}
	current = sets["go"]
)

// Register makes a kernel set available to Use. A set that needs the
// platform's help registers where that help is at hand: the WebAssembly-SIMD
// set by worker/jskernels, which holds its JavaScript bridge.
func Register(s Set) {
	if s.Name == "" || s.MatMul == nil || s.MatMulTransA == nil || s.MatMulTransB == nil {
		panic("kernels: Register: incomplete set")
	}
	sets[s.Name] = s
}

// Lookup returns the registered set called name.
func Lookup(name string) (Set, bool) {
	s, ok := sets[name]
	return s, ok
}

// Use selects the kernel set by name for all later products.
func Use(name string) error {
	s, ok := sets[name]
	if !ok {
		return fmt.Errorf("kernels: no kernel set %q (have %v)", name, Names())
	}
	current = s
	return nil
}

// Current returns the name of the kernel set in use.
func Current() string { return current.Name }

// Names lists the registered kernel sets.
func Names() []string {
	names := make([]string, 0, len(sets))
	for n := range sets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// MatMul computes dst (M,N) += a (M,K) · b (K,N).
func MatMul(dst, a, b []float32, M, K, N int) { current.MatMul(dst, a, b, M, K, N) }

// MatMulTransB computes dst (M,N) += a (M,K) · bᵀ, where b is (N,K).
func MatMulTransB(dst, a, b []float32, M, K, N int) { current.MatMulTransB(dst, a, b, M, K, N) }

// MatMulTransA computes dst (M,N) += aᵀ · b, where a is (K,M) and b is (K,N).
func MatMulTransA(dst, a, b []float32, M, K, N int) { current.MatMulTransA(dst, a, b, M, K, N) }

// GELU computes out = gelu(inp) on a prefix of inp with the kernel set in use
// and returns its length: 0 when the set has no GELU kernel.
func GELU(out, inp []float32) int {
	if current.GELU == nil {
		return 0
	}
	return current.GELU(out, inp)
}

// Exp replaces a prefix of x by eˣ (arguments clamped to [−87, 88]) with the
// kernel set in use and returns its length: 0 when the set has no Exp kernel.
func Exp(x []float32) int {
	if current.Exp == nil {
		return 0
	}
	return current.Exp(x)
}

// GELUBackward adds gelu'(inp)·dout into dinp on a prefix of inp and returns
// its length, as GELU.
func GELUBackward(dinp, inp, dout []float32) int {
	if current.GELUBackward == nil {
		return 0
	}
	return current.GELUBackward(dinp, inp, dout)
}

// LayerNorm normalises the N rows of inp (N,C) with the kernel set in use and
// reports whether it did: false when the set has no LayerNorm kernel or
// leaves this shape to Go.
func LayerNorm(out, mean, rstd, inp, w, b []float32, N, C int) bool {
	return current.LayerNorm != nil && current.LayerNorm(out, mean, rstd, inp, w, b, N, C)
}
