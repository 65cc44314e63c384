// Command gen writes kernels.wasm, the WebAssembly-SIMD kernels assembled by
// simd.Build. Run it from the repository root after changing module.go:
//
//	go run ./sim/kernels/simd/gen
//
// TestEmbeddedModuleIsCurrent fails until the committed file matches.
package main

import (
	"log"
	"os"

	"rlhfplayground/sim/kernels/simd"
)

func main() {
	const out = "sim/kernels/simd/kernels.wasm"
	if err := os.WriteFile(out, simd.Build(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s", out)
}
