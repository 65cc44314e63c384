package sim

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"rlhfplayground/sim/kernels"
)

// tfjsLosses is the loss curve the TensorFlow.js peer prints for bench-S
// (../shared/peers/tfjs-gpt/README.md and measurements/, every backend alike).
var tfjsLosses = []float64{4.8672, 4.8702, 4.8322, 4.7953, 4.7611, 4.7097, 4.6289, 4.6029, 4.5829, 4.4965, 4.469}

func TestBenchSInitAndData(t *testing.T) {
	g := lcg{1}
	if a, b := g.next(), g.next(); a != 1015568748 || b != 1586005467 {
		t.Fatalf("LCG outputs %d, %d; want 1015568748, 1586005467", a, b)
	}
	bs := NewBenchS()
	want := []float32{-0.023136683, -0.0065460643, -0.033343468, -0.013407166}
	for i, w := range want {
		if bs.Model.Params.Wte[i] != w {
			t.Errorf("wte[0][%d] = %v, want %v", i, bs.Model.Params.Wte[i], w)
		}
	}
	if n := BenchSConfig.NumParams() - BenchSConfig.Embd - 1; n != 110336 {
		t.Errorf("bench-S has %d parameters besides the scalar head, want 110336", n)
	}
	inputs, _ := bs.NextBatch()
	if got := inputs[:4]; got[0] != 30 || got[1] != 34 || got[2] != 38 || got[3] != 42 {
		t.Errorf("batch 0 row 0 starts %v, want 30 34 38 42", got)
	}
	if got := inputs[32:36]; got[0] != 24 || got[1] != 30 || got[2] != 36 || got[3] != 42 {
		t.Errorf("batch 0 row 1 starts %v, want 24 30 36 42", got)
	}
}

// TestBenchSMatchesTFJS reproduces the peer's first losses with every kernel
// set: forward, backward and AdamW checked against code none of us wrote.
func TestBenchSMatchesTFJS(t *testing.T) {
	defer kernels.Use(kernels.Current())
	for _, set := range kernels.Names() {
		t.Run(set, func(t *testing.T) {
			if err := kernels.Use(set); err != nil {
				t.Fatal(err)
			}
			bs := NewBenchS()
			steps := len(tfjsLosses)
			if testing.Short() || set == "ref" {
				steps = 3
			}
			for s := range steps {
				loss := bs.Step()
				if math.Abs(loss-tfjsLosses[s]) > 1e-3 {
					t.Fatalf("step %d: loss %.4f, TF.js %.4f", s, loss, tfjsLosses[s])
				}
				t.Logf("step %d: loss %.4f (TF.js %.4f)", s, loss, tfjsLosses[s])
			}
		})
	}
}

// BenchmarkTrainBenchS measures bench-S training (forward, backward, AdamW)
// with the kernel set in use; run it natively and as wasm under Node:
//
//	go test ./sim -run '^$' -bench TrainBenchS
//	GOOS=js GOARCH=wasm go test ./sim -run '^$' -bench TrainBenchS  (with $(go env GOROOT)/lib/wasm on PATH)
func BenchmarkTrainBenchS(b *testing.B) {
	bs := NewBenchS()
	bs.Step() // warm-up: allocates the buffers
	for b.Loop() {
		bs.Step()
	}
	b.ReportMetric(float64(BenchSTokensPerStep*b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkTrainBenchSSets is BenchmarkTrainBenchS with every fast kernel
// set side by side, each on one goroutine per product and, where
// GOMAXPROCS allows more, on all of them (kernels.SetThreads):
//
//	go test ./sim -run '^$' -bench TrainBenchSSets -count 5 > t.txt
//	benchstat -col /set,/threads t.txt
func BenchmarkTrainBenchSSets(b *testing.B) {
	defer kernels.Use(kernels.Current())
	defer kernels.SetThreads(kernels.SetThreads(0))
	for _, set := range kernels.Names() {
		if set == "ref" {
			continue
		}
		threads := []int{1}
		if p := runtime.GOMAXPROCS(0); p > 1 && set != "go" { // the go set does not split products
			threads = append(threads, p)
		}
		for _, n := range threads {
			b.Run(fmt.Sprintf("set=%s/threads=%d", set, n), func(b *testing.B) {
				if err := kernels.Use(set); err != nil {
					b.Fatal(err)
				}
				kernels.SetThreads(n)
				BenchmarkTrainBenchS(b)
			})
		}
	}
}
