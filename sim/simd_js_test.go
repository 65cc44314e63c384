//go:build js && wasm

package sim

import "rlhfplayground/worker/jskernels"

// Under js/wasm the WebAssembly-SIMD set, when its module is loaded (see
// sim/kernels/simd's TestWasm), is among the sets that TestBenchS, the
// attention and the GELU tests run with; the bridge lives with the worker.
func init() { jskernels.Register() }
