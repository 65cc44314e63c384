// Command gen writes avx2_amd64.s, the AVX2+FMA kernels printed by
// amd64asm.Source, into the current directory, which must be sim/kernels:
//
//	go generate ./sim/kernels
//
// runs it there. TestAVX2AsmIsCurrent fails until the committed file matches.
package main

import (
	"log"
	"os"

	"rlhfplayground/sim/kernels/internal/amd64asm"
)

func main() {
	log.SetFlags(0)
	if _, err := os.Stat("avx2_amd64.go"); err != nil {
		log.Fatal("amd64asm/gen: run me in sim/kernels (go generate ./sim/kernels)")
	}
	const out = "avx2_amd64.s"
	if err := os.WriteFile(out, amd64asm.Source(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s", out)
}
