//go:build js && wasm

package kernels

import (
	"os"
	"testing"
)

// TestSIMDRegistered fails when the runner promised the SIMD module
// (RLHF_WANT_SIMD=1, set by TestWasm) but the set is missing, so that a
// broken loader cannot pass as a run of the Go kernels.
func TestSIMDRegistered(t *testing.T) {
	_, ok := sets["simd"]
	if os.Getenv("RLHF_WANT_SIMD") != "" && !ok {
		t.Fatalf("no simd kernel set (have %v): kernels.js did not load kernels.wasm", Names())
	}
	if !ok {
		t.Skip("no simd kernel set: run under sim/kernels/simd/node_exec.js")
	}
}

// TestSIMDSmallShapes sends even the tiny products of TestSetsMatchReference
// to the SIMD module, which otherwise leaves them to Go.
func TestSIMDSmallShapes(t *testing.T) {
	defer func(n int) { simdMinFlops = n }(simdMinFlops)
	simdMinFlops = 0
	TestSetsMatchReference(t)
}
