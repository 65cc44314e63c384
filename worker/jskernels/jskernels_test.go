//go:build js && wasm

package jskernels

import (
	"math/rand/v2"
	"os"
	"testing"

	"rlhfplayground/sim/kernels"
)

// TestRegistered fails when the runner promised the SIMD module
// (RLHF_WANT_SIMD=1, set by sim/kernels/simd's TestWasm) but the set is
// missing, so that a broken loader cannot pass as a run of the Go kernels.
func TestRegistered(t *testing.T) {
	ok := Register()
	if os.Getenv("RLHF_WANT_SIMD") != "" && !ok {
		t.Fatalf("no simd kernel set (have %v): kernels.js did not load kernels.wasm", kernels.Names())
	}
	if !ok {
		t.Skip("no simd kernel set: run under sim/kernels/simd/node_exec.js")
	}
}

// TestSmallShapes sends even tiny products to the SIMD module, which
// otherwise leaves them to Go, and compares each with the naive loops.
// (sim/kernels's TestSetsMatchReference checks the set at its usual sizes.)
func TestSmallShapes(t *testing.T) {
	if !Register() {
		t.Skip("no simd kernel set: run under sim/kernels/simd/node_exec.js")
	}
	defer func(n int) { simdMinFlops = n }(simdMinFlops)
	simdMinFlops = 0
	simd, _ := kernels.Lookup("simd")
	rng := rand.New(rand.NewPCG(1, 3))
	fill := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(rng.NormFloat64())
		}
		return s
	}
	for _, sh := range [][3]int{{1, 1, 1}, {2, 3, 5}, {5, 3, 7}, {4, 8, 4}, {9, 2, 3}} {
		M, K, N := sh[0], sh[1], sh[2]
		a, b, bt, at := fill(M*K), fill(K*N), fill(N*K), fill(K*M)
		for _, p := range []struct {
			name     string
			fast     func(dst, a, b []float32, M, K, N int)
			ref      func(dst, a, b []float32, M, K, N int)
			lhs, rhs []float32
		}{
			{"MatMul", simd.MatMul, kernels.RefMatMul[float32], a, b},
			{"MatMulTransB", simd.MatMulTransB, kernels.RefMatMulTransB[float32], a, bt},
			{"MatMulTransA", simd.MatMulTransA, kernels.RefMatMulTransA[float32], at, b},
		} {
			want, got := make([]float32, M*N), make([]float32, M*N)
			p.ref(want, p.lhs, p.rhs, M, K, N)
			p.fast(got, p.lhs, p.rhs, M, K, N)
			for i := range want {
				if d := got[i] - want[i]; d > 1e-4*float32(K) || d < -1e-4*float32(K) {
					t.Fatalf("%s %v: index %d is %v, want %v", p.name, sh, i, got[i], want[i])
				}
			}
		}
	}
}
