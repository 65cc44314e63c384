//go:build amd64 && !purego && amd64.v3

package kernels

// goFuses reports whether the Go compiler fuses x*y + z into one FMA in this
// build: with GOAMD64=v3 or later it does, so sim's float32 GELU rounds
// differently from the AVX2 one, and the avx2 set leaves GELU to sim.
const goFuses = true
