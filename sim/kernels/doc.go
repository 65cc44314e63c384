// Package kernels holds the heavy arithmetic of the tiny GPT: the three
// matrix products of a linear layer's forward and backward passes (which
// package sim also uses for attention, head by head), and, optionally, GELU.
//
// Every product accumulates into dst (dst += …, BLAS's beta = 1), because a
// backward pass adds into its gradients. Callers clear dst when they want a
// plain product. Matrices are dense and row-major; shapes are given as
// (rows, cols) in the comments and as M, K, N in the arguments:
//
//	MatMul       dst (M,N) += a (M,K) · b (K,N)     forward:  out  = inp · W
//	MatMulTransB dst (M,N) += a (M,K) · bᵀ, b (N,K)  backward: dinp = dout · Wᵀ
//	MatMulTransA dst (M,N) += aᵀ · b, a (K,M), b (K,N) backward: dW  = inpᵀ · dout
//
// A set may also provide GELU forward and backward (GELU, GELUBackward),
// which compute a prefix of their slices and return its length; package sim
// does the rest, and everything when the set has none, with its float32 Go
// code (sim/fastmath.go), the reference the SIMD version is tested against.
//
// Each product has a naive reference (RefMatMul…), written for clarity and
// generic over float32 and float64, against which every fast version is
// tested. The float32 products dispatch to the implementation chosen by Use:
// "go" (register-tiled pure Go, the fallback everywhere), "ref" (the naive
// loops) or, under js/wasm, "simd": the WebAssembly-SIMD module of package
// simd, called through syscall/js with the addresses of the slices. This
// package never touches JavaScript: the bridge is worker/jskernels, whose
// Register adds "simd", and makes it the default, only when the JavaScript
// glue loaded the module (the browser validated SIMD); setting
// globalThis.rlhfKernelSet = "go" before the program starts, the URL
// parameter ?kernels=go, or Use("go") at any time forces the fallback.
package kernels
