// Package simd is the source of the WebAssembly-SIMD kernels that sim/kernels
// uses under js/wasm (the "simd" kernel set), and the JavaScript that loads
// them.
//
// Go's WebAssembly port emits no SIMD instructions, so the float32 products
// are written here as a small WebAssembly module, in Go, with a tiny
// assembler (asm.go) whose methods are named after the instructions
// (module.go reads like a .wat file). Build assembles it; kernels.wasm is the
// committed result, regenerated with
//
//	go run ./sim/kernels/simd/gen
//
// and TestEmbeddedModuleIsCurrent fails when the two differ.
//
// The module has no memory of its own: it imports the Go instance's linear
// memory (instance.exports.mem) as go.mem, so the kernels read and write Go
// slices in place, given their addresses. It exports
//
//	gemm(dst, a, b, M, K, N, ai, ak)          dst (M,N) += A·b, A[i][k] = a[i·ai + k·ak], b (K,N)
//	gemmTransB(dst, a, b, scratch, M, K, N)  dst (M,N) += a·bᵀ, b (N,K), via scratch (K·N)
//	geluForward(out, inp, n)                 out[i] = gelu(inp[i]), i < n, n a multiple of 4
//	geluBackward(dinp, inp, dout, n)         dinp[i] += gelu'(inp[i])·dout[i], likewise
//	exp(x, n)                                x[i] = exp(clamp(x[i], −87, 88)), likewise
//	layerNorm(out, mean, rstd, inp, w, b, N, C) the N rows of inp (N,C) normalised, C a multiple of 4
//
// with byte addresses and element counts (all i32); the products are
// register-tiled in 4 × 8 blocks of f32x4 accumulators, GELU and exp
// (gelu.go) repeat sim's float32 formula and exponential four lanes at a
// time, and layerNorm (layernorm.go) sim's float64 statistics two lanes at
// a time, to the bit.
//
// kernels.js (Glue) defines globalThis.rlhfLoadKernels(instance), which every
// bootstrap of a program that trains (worker.js, cmd/wasmbench's page)
// awaits between instantiating the Go program and go.run: it checks for SIMD
// by validating a 30-byte module, instantiates kernels.wasm on the Go memory
// and publishes its exports as globalThis.rlhfKernels, where
// worker/jskernels.Register finds them. node_exec.js (NodeExec) does the
// same under Node, for `go test -exec` and cmd/wasmbench:
//
//	GOOS=js GOARCH=wasm go test -exec "node $PWD/sim/kernels/simd/node_exec.js" ./sim/...
//
// TestWasm runs exactly that (when node is installed), so `go test ./...`
// checks the SIMD set against the naive products and TF.js's losses.
package simd
