//go:build js && wasm

package kernels_test

import "rlhfplayground/worker/jskernels"

// Under js/wasm the WebAssembly-SIMD set, when its module is loaded (see
// sim/kernels/simd's TestWasm), joins the sets this package's tests check
// against the naive products; the bridge lives with the worker.
func init() { jskernels.Register() }
