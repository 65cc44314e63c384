//go:build js && wasm

package main

import "rlhfplayground/worker/jskernels"

// Under js/wasm the SIMD kernels join the sets, as in the app's worker.
func init() { jskernels.Register() }
