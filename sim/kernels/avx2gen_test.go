package kernels

import (
	"bytes"
	"os"
	"testing"

	"rlhfplayground/sim/kernels/internal/amd64asm"
)

// TestAVX2AsmIsCurrent checks that the committed avx2_amd64.s is what
// internal/amd64asm prints; regenerate it with `go generate ./sim/kernels`.
func TestAVX2AsmIsCurrent(t *testing.T) {
	got, err := os.ReadFile("avx2_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, amd64asm.Source()) {
		t.Fatal("avx2_amd64.s is stale: run `go generate ./sim/kernels`")
	}
}
