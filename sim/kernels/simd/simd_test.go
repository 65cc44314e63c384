package simd

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestEmbeddedModuleIsCurrent checks that the committed kernels.wasm is what
// module.go assembles; regenerate it with `go run ./sim/kernels/simd/gen`.
func TestEmbeddedModuleIsCurrent(t *testing.T) {
	if !bytes.Equal(Build(), Wasm) {
		t.Fatal("kernels.wasm is stale: run `go run ./sim/kernels/simd/gen` in the repository root")
	}
}

func TestLEB128(t *testing.T) {
	for _, c := range []struct {
		v    int64
		want []byte
	}{{0, []byte{0}}, {63, []byte{0x3f}}, {64, []byte{0xc0, 0x00}}, {-1, []byte{0x7f}}, {-64, []byte{0x40}}, {-65, []byte{0xbf, 0x7f}}, {624485, []byte{0xe5, 0x8e, 0x26}}} {
		if got := sleb(c.v); !bytes.Equal(got, c.want) {
			t.Errorf("sleb(%d) = %x, want %x", c.v, got, c.want)
		}
	}
	if got := uleb(624485); !bytes.Equal(got, []byte{0xe5, 0x8e, 0x26}) {
		t.Errorf("uleb(624485) = %x", got)
	}
}

// TestWasm runs the kernel and bench-S tests compiled to js/wasm under Node
// with the SIMD module loaded (node_exec.js), so that `go test ./...` covers
// the "simd" set: it must match the naive products on random shapes and
// reproduce TF.js's first losses; sim's float32 fast paths (exp, GELU,
// softmax, attention, the KV-cache decoder) are checked there too, since
// float32 arithmetic compiled to wasm is not amd64's. It skips when node is
// missing.
func TestWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not building the js/wasm tests")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not on PATH: the SIMD kernels are not tested (install Node.js ≥ 16 to test them)")
	}
	// The js/wasm tests run in a child process, which go test's cache does
	// not see: reading the sources here makes a change to them invalidate
	// this test's cached result.
	err := filepath.WalkDir(filepath.Join("..", ".."), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			_, err = os.ReadFile(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	runner, err := filepath.Abs("node_exec.js")
	if err != nil {
		t.Fatal(err)
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	cmd := exec.Command(goBin, "test", "-count=1", "-exec", "node "+runner,
		"-run", "TestSetsMatchReference|TestRegistered|TestSmallShapes|TestBenchS|TestUse|TestAttention32|TestExpf|TestGELU32|TestSoftmax32|TestDecoderMatchesForward|TestGELUKernels|TestExpKernels|TestSoftmaxRows|TestDrawStatsMatchForward|TestModelGradientRows|TestNLLGradientExp|TestLayerNormKernels",
		"rlhfplayground/sim/kernels", "rlhfplayground/sim", "rlhfplayground/worker/jskernels")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "RLHF_WANT_SIMD=1")
	out, err := cmd.CombinedOutput()
	t.Logf("GOOS=js GOARCH=wasm go test (under node_exec.js):\n%s", out)
	if err != nil {
		t.Fatalf("js/wasm tests failed: %v", err)
	}
}
