package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func randomSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

// closeTol is loose enough for float32 sums of up to ~300 products taken in
// a different order, and tight enough to catch any wrong index.
const closeTol = 1e-4

// TestSetsMatchReference runs every registered set on random shapes,
// including sizes that are not multiples of the tile width, and compares
// against the naive loops. dst starts non-zero to check accumulation.
func TestSetsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	shapes := [][3]int{{1, 1, 1}, {4, 4, 4}, {5, 3, 7}, {16, 64, 192}, {33, 17, 9}, {3, 64, 128}, {64, 1, 4}, {7, 256, 64}}
	type product struct {
		name       string
		ref        func(dst, a, b []float32, M, K, N int)
		get        func(Set) func(dst, a, b []float32, M, K, N int)
		aLen, bLen func(M, K, N int) int
	}
	products := []product{
		{"MatMul", RefMatMul[float32], func(s Set) func(dst, a, b []float32, M, K, N int) { return s.MatMul }, func(M, K, N int) int { return M * K }, func(M, K, N int) int { return K * N }},
		{"MatMulTransB", RefMatMulTransB[float32], func(s Set) func(dst, a, b []float32, M, K, N int) { return s.MatMulTransB }, func(M, K, N int) int { return M * K }, func(M, K, N int) int { return N * K }},
		{"MatMulTransA", RefMatMulTransA[float32], func(s Set) func(dst, a, b []float32, M, K, N int) { return s.MatMulTransA }, func(M, K, N int) int { return K * M }, func(M, K, N int) int { return K * N }},
	}
	for _, name := range Names() {
		set := sets[name]
		for _, p := range products {
			for _, sh := range shapes {
				M, K, N := sh[0], sh[1], sh[2]
				t.Run(fmt.Sprintf("%s/%s/%dx%dx%d", name, p.name, M, K, N), func(t *testing.T) {
					a := randomSlice(rng, p.aLen(M, K, N))
					b := randomSlice(rng, p.bLen(M, K, N))
					want := randomSlice(rng, M*N)
					got := append([]float32(nil), want...)
					p.ref(want, a, b, M, K, N)
					p.get(set)(got, a, b, M, K, N)
					for i := range want {
						if d := got[i] - want[i]; d > closeTol*float32(K) || d < -closeTol*float32(K) {
							t.Fatalf("index %d: got %v, want %v", i, got[i], want[i])
						}
					}
				})
			}
		}
	}
}

func TestUse(t *testing.T) {
	defer Use(Current())
	if err := Use("no-such-set"); err == nil {
		t.Fatal("Use accepted an unknown set")
	}
	if err := Use("ref"); err != nil || Current() != "ref" {
		t.Fatalf("Use(ref): %v, current %s", err, Current())
	}
}

// BenchmarkMatMul measures each set on the shapes of bench-S (batch 16×32
// tokens, d_model 64, MLP 256), reporting GFLOP/s.
func BenchmarkMatMul(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := [][3]int{{512, 64, 192}, {512, 64, 256}, {512, 256, 64}}
	for _, name := range Names() {
		set := sets[name]
		for _, sh := range shapes {
			M, K, N := sh[0], sh[1], sh[2]
			x, w, dst := randomSlice(rng, M*K), randomSlice(rng, K*N), make([]float32, M*N)
			for _, v := range []struct {
				op string
				f  func(dst, a, b []float32, M, K, N int)
			}{{"MatMul", set.MatMul}, {"TransB", set.MatMulTransB}, {"TransA", set.MatMulTransA}} {
				b.Run(fmt.Sprintf("%s/%s/%dx%dx%d", name, v.op, M, K, N), func(b *testing.B) {
					for b.Loop() {
						v.f(dst, x, w, M, K, N)
					}
					b.ReportMetric(2*float64(M*K*N)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
