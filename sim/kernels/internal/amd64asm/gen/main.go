// Command gen writes sim/kernels/avx2_amd64.s, the AVX2+FMA kernels printed
// by amd64asm.Source. `go generate ./sim/kernels` runs it in sim/kernels;
// TestAVX2AsmIsCurrent fails until the committed file matches.
package main

import (
	"log"
	"os"

	"rlhfplayground/sim/kernels/internal/amd64asm"
)

func main() {
	const out = "avx2_amd64.s"
	if err := os.WriteFile(out, amd64asm.Source(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s", out)
}
