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

// product is one of the three products, with its reference and the lengths
// of its operands.
type product struct {
	name       string
	ref        func(dst, a, b []float32, M, K, N int)
	get        func(Set) func(dst, a, b []float32, M, K, N int)
	aLen, bLen func(M, K, N int) int
}

var products = []product{
	{"MatMul", RefMatMul[float32], func(s Set) func(dst, a, b []float32, M, K, N int) { return s.MatMul }, func(M, K, N int) int { return M * K }, func(M, K, N int) int { return K * N }},
	{"MatMulTransB", RefMatMulTransB[float32], func(s Set) func(dst, a, b []float32, M, K, N int) { return s.MatMulTransB }, func(M, K, N int) int { return M * K }, func(M, K, N int) int { return N * K }},
	{"MatMulTransA", RefMatMulTransA[float32], func(s Set) func(dst, a, b []float32, M, K, N int) { return s.MatMulTransA }, func(M, K, N int) int { return K * M }, func(M, K, N int) int { return K * N }},
}

// testShapes are M, K, N: single rows, columns and terms; sizes around the
// tiles of every set (4×4 in Go, 4×8 in WebAssembly, 6×16 in AVX2, with
// 8-wide and masked strips); attention's small products; and the vocabulary
// of the tied LM head (819) on either side.
var testShapes = [][3]int{
	{1, 1, 1}, {1, 7, 1}, {7, 1, 1}, {1, 1, 17}, {4, 4, 4}, {5, 3, 7}, {3, 3, 3}, {6, 16, 16}, {7, 17, 15},
	{12, 5, 24}, {13, 2, 31}, {17, 7, 33}, {16, 64, 192}, {33, 17, 9}, {3, 64, 128}, {64, 1, 4}, {7, 256, 64},
	{32, 16, 32}, {32, 32, 12}, {12, 32, 32}, {37, 48, 819}, {19, 819, 48}, {819, 19, 48}, {130, 70, 100},
}

// TestSetsMatchReference runs every registered set on random shapes,
// including sizes that are not multiples of the tile width, and compares
// against the naive loops. dst starts non-zero to check accumulation.
func TestSetsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, name := range Names() {
		set := sets[name]
		for _, p := range products {
			for _, sh := range testShapes {
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

// guard is the value around the operands in TestSetsSubSlices; a kernel that
// writes outside dst changes it.
const guard = float32(-12345)

// TestSetsSubSlices passes every set operands that start at odd offsets of
// larger slices (so no vector load is aligned) and are followed by more
// data, and checks that only dst's M·N elements change, and as the
// reference says. Degenerate products (M, K or N = 0) must leave dst alone.
func TestSetsSubSlices(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	shapes := append([][3]int{{0, 3, 5}, {3, 0, 5}, {3, 5, 0}}, testShapes...)
	for _, name := range Names() {
		set := sets[name]
		for _, p := range products {
			for i, sh := range shapes {
				M, K, N := sh[0], sh[1], sh[2]
				off := 1 + i%7
				t.Run(fmt.Sprintf("%s/%s/%dx%dx%d", name, p.name, M, K, N), func(t *testing.T) {
					aBuf := randomSlice(rng, off+p.aLen(M, K, N)+9)
					bBuf := randomSlice(rng, off+p.bLen(M, K, N)+9)
					a, b := aBuf[off:off+p.aLen(M, K, N)], bBuf[off:off+p.bLen(M, K, N)]
					dBuf := make([]float32, off+M*N+9)
					for j := range dBuf {
						dBuf[j] = guard
					}
					got := dBuf[off : off+M*N]
					copy(got, randomSlice(rng, M*N))
					want := append([]float32(nil), got...)
					p.ref(want, a, b, M, K, N)
					p.get(set)(got, a, b, M, K, N)
					for j, v := range dBuf {
						if j >= off && j < off+M*N {
							if d := v - want[j-off]; d > closeTol*float32(K) || d < -closeTol*float32(K) {
								t.Fatalf("index %d: got %v, want %v", j-off, v, want[j-off])
							}
						} else if v != guard {
							t.Fatalf("wrote %v at %d outside dst (dst is [%d, %d))", v, j, off, off+M*N)
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

// benchShapes are the products of training, M×K×N as the callers pass
// them: bench-S (512 tokens, C 64, MLP 256, vocabulary 128), the default
// model at pretraining's batch (2048 tokens, C 48, MLP 192, vocabulary 819),
// a larger model (C 128, MLP 512), attention's per-head products (T 64 with
// head size 12, T 32 with 16, and the shortest sequences) and one step of
// sampling 32 answers.
var benchShapes = []struct {
	what, op string
	M, K, N  int
}{
	{"S-qkv", "MatMul", 512, 64, 192},
	{"S-fc", "MatMul", 512, 64, 256},
	{"S-proj", "MatMul", 512, 256, 64},
	{"S-dfc", "TransB", 512, 256, 64},
	{"S-dproj", "TransB", 512, 64, 256},
	{"S-dWfc", "TransA", 64, 512, 256},
	{"S-dWproj", "TransA", 256, 512, 64},
	{"S-logits", "TransB", 512, 64, 128},
	{"D-qkv", "MatMul", 2048, 48, 144},
	{"D-logits", "TransB", 2048, 48, 819},
	{"D-dlnf", "MatMul", 2048, 819, 48},
	{"D-dWte", "TransA", 819, 2048, 48},
	{"L-fc", "MatMul", 2048, 128, 512},
	{"L-dfc", "TransB", 2048, 512, 128},
	{"L-dWfc", "TransA", 128, 2048, 512},
	{"att-qk", "MatMul", 64, 12, 64},
	{"att-av", "MatMul", 64, 64, 12},
	{"att-dvt", "MatMul", 12, 64, 64},
	{"att32-qk", "MatMul", 32, 16, 32},
	{"att32-av", "MatMul", 32, 32, 16},
	{"att8-qk", "MatMul", 8, 16, 8},
	{"att4-av", "MatMul", 4, 4, 12},
	{"att1-qk", "MatMul", 1, 12, 1},
	{"sample", "MatMul", 32, 48, 819},
}

// BenchmarkProducts times every product of benchShapes with each fast set
// on one goroutine (and the threaded sets again on Threads() goroutines, as
// set=NAME-tN, N = Threads() at the start), reporting GFLOP/s. Compare the sets side by side with
//
//	go test ./sim/kernels -run '^$' -bench Products -count 5 > p.txt
//	benchstat -col /set p.txt
func BenchmarkProducts(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	defer SetThreads(SetThreads(0))
	all := Threads()
	for _, sh := range benchShapes {
		M, K, N := sh.M, sh.K, sh.N
		x, w, dst := randomSlice(rng, M*K), randomSlice(rng, K*N), make([]float32, M*N)
		for _, name := range Names() {
			if name == "ref" {
				continue
			}
			set := sets[name]
			f := map[string]func(dst, a, b []float32, M, K, N int){"MatMul": set.MatMul, "TransB": set.MatMulTransB, "TransA": set.MatMulTransA}[sh.op]
			threads := []int{1}
			if name == "avx2" && all > 1 {
				threads = append(threads, all)
			}
			for _, n := range threads {
				label := name
				if n > 1 {
					label = fmt.Sprintf("%s-t%d", name, n)
				}
				b.Run(fmt.Sprintf("shape=%s-%s-%dx%dx%d/set=%s", sh.what, sh.op, M, K, N, label), func(b *testing.B) {
					SetThreads(n)
					f(dst, x, w, M, K, N) // first touch of dst's pages, outside the timing
					for b.Loop() {
						f(dst, x, w, M, K, N)
					}
					b.ReportMetric(2*float64(M*K*N)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
