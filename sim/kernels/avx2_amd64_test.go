//go:build amd64 && !purego

package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestAVX2ThreadsBitwise checks the project's determinism rule for the
// threaded products: splitting a product across 2, 3 or 4 goroutines, by rows
// of dst or (for few rows) by columns, gives bitwise the result of one
// goroutine.
func TestAVX2ThreadsBitwise(t *testing.T) {
	set, ok := sets["avx2"]
	if !ok {
		t.Skip("no avx2 set: the processor lacks AVX2 or FMA")
	}
	defer SetThreads(SetThreads(0))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	defer func(n int) { parallelMin = n }(parallelMin)
	parallelMin = 0 // split even the small shapes
	rng := rand.New(rand.NewPCG(1, 1))
	// Rows (130, 600 and 64 ≥ 2·6·threads), columns (7 and 20 rows), the LM head's vocabulary.
	shapes := [][3]int{{130, 70, 100}, {7, 33, 200}, {20, 64, 819}, {600, 64, 819}, {64, 512, 256}, {819, 300, 48}}
	for _, p := range products {
		for _, sh := range shapes {
			M, K, N := sh[0], sh[1], sh[2]
			t.Run(fmt.Sprintf("%s/%dx%dx%d", p.name, M, K, N), func(t *testing.T) {
				a := randomSlice(rng, p.aLen(M, K, N))
				b := randomSlice(rng, p.bLen(M, K, N))
				dst0 := randomSlice(rng, M*N)
				SetThreads(1)
				want := append([]float32(nil), dst0...)
				p.get(set)(want, a, b, M, K, N)
				for threads := 2; threads <= 4; threads++ {
					SetThreads(threads)
					got := append([]float32(nil), dst0...)
					p.get(set)(got, a, b, M, K, N)
					for i := range want {
						if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
							t.Fatalf("%d goroutines: index %d is %v, one goroutine gives %v", threads, i, got[i], want[i])
						}
					}
				}
			})
		}
	}
}

// TestTransposeAVX2 compares the assembly transposition (8×8 blocks, Go
// edges) with the plain loop, exactly, on shapes around the block size and
// on an operand that starts at an odd offset.
func TestTransposeAVX2(t *testing.T) {
	if _, ok := sets["avx2"]; !ok {
		t.Skip("no avx2 set: the processor lacks AVX2 or FMA")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, sh := range [][2]int{{1, 1}, {1, 9}, {9, 1}, {7, 7}, {8, 8}, {8, 16}, {16, 8}, {9, 17}, {24, 7}, {819, 48}, {64, 256}} {
		R, C := sh[0], sh[1]
		src := randomSlice(rng, 3+R*C)[3:]
		want, got := make([]float32, R*C), make([]float32, R*C)
		transpose(want, src, R, C)
		transposeAVX2(got, src, R, C)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%d×%d: index %d is %v, want %v", R, C, i, got[i], want[i])
			}
		}
	}
}

// TestAVX2AssemblyOnSmallShapes runs the assembly on the shapes that goSized
// leaves to the go set (single columns, fewer than 16 multiply-adds), which
// TestSetsMatchReference then does not reach.
func TestAVX2AssemblyOnSmallShapes(t *testing.T) {
	if _, ok := sets["avx2"]; !ok {
		t.Skip("no avx2 set: the processor lacks AVX2 or FMA")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, sh := range [][3]int{{1, 1, 1}, {1, 7, 1}, {7, 1, 1}, {13, 33, 1}, {3, 2, 2}, {819, 48, 1}} {
		M, K, N := sh[0], sh[1], sh[2]
		for _, p := range products {
			if p.name == "MatMulTransB" {
				continue // transposes b, then runs as MatMul
			}
			a := randomSlice(rng, p.aLen(M, K, N))
			b := randomSlice(rng, p.bLen(M, K, N))
			want := randomSlice(rng, M*N)
			got := append([]float32(nil), want...)
			p.ref(want, a, b, M, K, N)
			if p.name == "MatMul" {
				gemmAVX2(got, a, b, M, K, N, K, 1, N)
			} else {
				gemmAVX2(got, a, b, M, K, N, 1, M, N)
			}
			for i := range want {
				if d := got[i] - want[i]; d > closeTol*float32(K) || d < -closeTol*float32(K) {
					t.Fatalf("%s %dx%dx%d: index %d: got %v, want %v", p.name, M, K, N, i, got[i], want[i])
				}
			}
		}
	}
}
