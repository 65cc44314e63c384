//go:build js && wasm

// Package jskernels is the JavaScript bridge of the WebAssembly-SIMD kernels:
// Register gives sim/kernels the "simd" set, whose products call the module
// of sim/kernels/simd that the JavaScript glue (kernels.js) instantiated on
// this instance's own linear memory before the Go program started. The
// engine's worker (and cmd/wasmbench's workload, and the js/wasm tests of
// sim) call Register; package sim itself never touches JavaScript.
//
// A Go slice is passed as the address of its first element: Go's heap does
// not move, and the call is synchronous, so the address stays valid for the
// call (runtime.KeepAlive keeps the slice alive until it returns). A call
// costs ~2 µs, so products smaller than simdMinFlops multiply-adds stay in Go.
package jskernels

import (
	"fmt"
	"runtime"
	"sync"
	"syscall/js"
	"unsafe"

	"rlhfplayground/jsglobal"
	"rlhfplayground/sim/kernels"
)

// simdMinFlops is the product size M·K·N below which the Go kernels are
// faster than a call into JavaScript and back.
var simdMinFlops = 4096

var simdGemm, simdGemmTransB, simdGELU, simdGELUBackward, simdExp, simdLayerNorm js.Value

// simdMinGELU is the length below which GELU stays in Go.
var simdMinGELU = 256

// simdMinExp is the length below which exp stays in Go: a call into
// JavaScript costs about as much as 100 of Go's exponentials.
var simdMinExp = 128

// simdMinLayerNorm is the size N·C below which layer normalisation stays in Go.
var simdMinLayerNorm = 256

// goSet computes the products too small for a call into JavaScript.
var goSet, _ = kernels.Lookup("go")

// Register adds the "simd" set to sim/kernels if the glue published the
// module's exports (the global jsglobal.Kernels: the browser validated SIMD
// and kernels.wasm loaded), and makes it the one in use unless the global
// jsglobal.KernelSet names another set. It reports whether it registered.
func Register() bool {
	k := js.Global().Get(jsglobal.Kernels)
	if k.Type() != js.TypeObject || k.Get("gemm").Type() != js.TypeFunction || k.Get("gemmTransB").Type() != js.TypeFunction {
		return false
	}
	simdGemm, simdGemmTransB = k.Get("gemm"), k.Get("gemmTransB")
	set := kernels.Set{Name: "simd", MatMul: matMulSIMD, MatMulTransB: matMulTransBSIMD, MatMulTransA: matMulTransASIMD}
	if k.Get("geluForward").Type() == js.TypeFunction && k.Get("geluBackward").Type() == js.TypeFunction {
		simdGELU, simdGELUBackward = k.Get("geluForward"), k.Get("geluBackward")
		set.GELU, set.GELUBackward = geluSIMD, geluBackwardSIMD
	}
	if k.Get("exp").Type() == js.TypeFunction {
		simdExp = k.Get("exp")
		set.Exp = expSIMD
	}
	if k.Get("layerNorm").Type() == js.TypeFunction {
		simdLayerNorm = k.Get("layerNorm")
		set.LayerNorm = layerNormSIMD
	}
	kernels.Register(set)
	kernels.Use("simd")
	if want := js.Global().Get(jsglobal.KernelSet); want.Type() == js.TypeString {
		kernels.Use(want.String()) // an unknown name keeps "simd"
	}
	return true
}

// checkLen panics when a slice is shorter than an operation needs.
func checkLen(what string, got, want int) {
	if got < want {
		panic(fmt.Sprintf("jskernels: %s has %d elements, want %d", what, got, want))
	}
}

// checkLens checks the three slices of product op.
func checkLens(op string, dst, a, b []float32, nDst, nA, nB int) {
	checkLen(op+" dst", len(dst), nDst)
	checkLen(op+" a", len(a), nA)
	checkLen(op+" b", len(b), nB)
}

// scratchPool holds the transposition buffers of matMulTransBSIMD.
var scratchPool = sync.Pool{New: func() any { return new([]float32) }}

func addr(s []float32) int { return int(uintptr(unsafe.Pointer(unsafe.SliceData(s)))) }

// gemm: dst (M,N) += A·b with A[i][k] = a[i·ai + k·ak] and b (K,N) row-major.
func gemm(dst, a, b []float32, M, K, N, ai, ak int) {
	simdGemm.Invoke(addr(dst), addr(a), addr(b), M, K, N, ai, ak)
	runtime.KeepAlive(dst)
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
}

func matMulSIMD(dst, a, b []float32, M, K, N int) {
	checkLens("MatMul", dst, a, b, M*N, M*K, K*N)
	product(goSet.MatMul, dst, a, b, M, K, N, K, 1)
}

func matMulTransASIMD(dst, a, b []float32, M, K, N int) {
	checkLens("MatMulTransA", dst, a, b, M*N, K*M, K*N)
	product(goSet.MatMulTransA, dst, a, b, M, K, N, 1, M)
}

// product runs gemm with a's strides (ai, ak), or the Go kernel for a
// product too small to be worth a call into JavaScript.
func product(small func(dst, a, b []float32, M, K, N int), dst, a, b []float32, M, K, N, ai, ak int) {
	if M*K*N < simdMinFlops {
		small(dst, a, b, M, K, N)
		return
	}
	gemm(dst, a, b, M, K, N, ai, ak)
}

// matMulTransBSIMD lends the module scratch for b transposed (K,N); the
// module's gemmTransB copies b there and runs gemm: the copy is N·K moves
// against M·N·K multiply-adds, and in the model b is always a weight matrix.
func matMulTransBSIMD(dst, a, b []float32, M, K, N int) {
	checkLens("MatMulTransB", dst, a, b, M*N, M*K, N*K)
	if M*K*N < simdMinFlops {
		goSet.MatMulTransB(dst, a, b, M, K, N)
		return
	}
	buf := scratchPool.Get().(*[]float32)
	if cap(*buf) < N*K {
		*buf = make([]float32, N*K)
	}
	bt := (*buf)[:N*K]
	simdGemmTransB.Invoke(addr(dst), addr(a), addr(b), addr(bt), M, K, N)
	runtime.KeepAlive(dst)
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	runtime.KeepAlive(bt)
	scratchPool.Put(buf)
}

// geluSIMD runs the module's geluForward on the largest multiple of 4 entries.
func geluSIMD(out, inp []float32) int {
	n := len(inp) &^ 3
	if n < simdMinGELU {
		return 0
	}
	checkLen("GELU out", len(out), n)
	simdGELU.Invoke(addr(out), addr(inp), n)
	runtime.KeepAlive(out)
	runtime.KeepAlive(inp)
	return n
}

func geluBackwardSIMD(dinp, inp, dout []float32) int {
	n := len(inp) &^ 3
	if n < simdMinGELU {
		return 0
	}
	checkLen("GELUBackward dinp", len(dinp), n)
	checkLen("GELUBackward dout", len(dout), n)
	simdGELUBackward.Invoke(addr(dinp), addr(inp), addr(dout), n)
	runtime.KeepAlive(dinp)
	runtime.KeepAlive(inp)
	runtime.KeepAlive(dout)
	return n
}

// expSIMD runs the module's exp on the largest multiple of 4 entries.
func expSIMD(x []float32) int {
	n := len(x) &^ 3
	if n < simdMinExp {
		return 0
	}
	simdExp.Invoke(addr(x), n)
	runtime.KeepAlive(x)
	return n
}

// layerNormSIMD runs the module's layerNorm when C is a multiple of 4.
func layerNormSIMD(out, mean, rstd, inp, w, b []float32, N, C int) bool {
	if C <= 0 || C%4 != 0 || N*C < simdMinLayerNorm {
		return false
	}
	checkLen("LayerNorm out", len(out), N*C)
	checkLen("LayerNorm inp", len(inp), N*C)
	checkLen("LayerNorm mean", len(mean), N)
	checkLen("LayerNorm rstd", len(rstd), N)
	checkLen("LayerNorm w", len(w), C)
	checkLen("LayerNorm b", len(b), C)
	simdLayerNorm.Invoke(addr(out), addr(mean), addr(rstd), addr(inp), addr(w), addr(b), N, C)
	runtime.KeepAlive(out)
	runtime.KeepAlive(mean)
	runtime.KeepAlive(rstd)
	runtime.KeepAlive(inp)
	runtime.KeepAlive(w)
	runtime.KeepAlive(b)
	return true
}
