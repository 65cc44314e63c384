//go:build amd64 && !purego && !amd64.v3

package kernels

// goFuses reports whether the Go compiler fuses x*y + z into one FMA in this
// build (GOAMD64=v3 or later). It does not here, so the AVX2 GELU, which
// repeats sim's float32 code without fusing, gives its results bitwise.
const goFuses = false
