package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"rlhfplayground/sim/kernels"
)

// TestLayerNormKernels normalises rows with each kernel set and with the Go
// code: widths a multiple of 4 and not, a constant row (variance 0) and
// large offsets (where E[x²] − m² cancels). A set's kernel repeats the Go
// code's float64 arithmetic, so it must give Go's results to the bit; under
// js/wasm (sim/kernels/simd's TestWasm) that checks the SIMD module's.
func TestLayerNormKernels(t *testing.T) {
	defer kernels.Use(kernels.Current())
	rng := rand.New(rand.NewPCG(1, 12))
	for _, shape := range [][2]int{{33, 96}, {5, 64}, {40, 10}, {1, 384}} {
		N, C := shape[0], shape[1]
		inp, w, b := make([]float32, N*C), make([]float32, C), make([]float32, C)
		for i := range inp {
			inp[i] = float32(rng.NormFloat64()*3 + float64(i/C%3)*100)
		}
		for i := range C {
			w[i], b[i] = float32(1+rng.NormFloat64()*0.1), float32(rng.NormFloat64()*0.1)
			inp[i] = 7 // row 0 is constant
		}
		run := func(set string) (out, mean, rstd []float32) {
			if err := kernels.Use(set); err != nil {
				t.Fatal(err)
			}
			out, mean, rstd = make([]float32, N*C), make([]float32, N), make([]float32, N)
			layerNormForward(out, mean, rstd, inp, w, b, N, C)
			return out, mean, rstd
		}
		want, wantMean, wantRstd := run("go")
		for _, set := range kernels.Names() {
			got, mean, rstd := run(set)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s, %d×%d: out[%d] = %v, Go %v", set, N, C, i, got[i], want[i])
				}
			}
			for r := range N {
				if mean[r] != wantMean[r] || rstd[r] != wantRstd[r] {
					t.Fatalf("%s, %d×%d: row %d mean %v rstd %v, Go %v %v", set, N, C, r, mean[r], rstd[r], wantMean[r], wantRstd[r])
				}
			}
		}
	}
}
