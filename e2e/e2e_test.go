// Package e2e drives the real app in headless Chromium: it builds and starts
// the server (which builds the wasm), opens the page, and navigates the way a
// student does, by clicking the header and pressing keys.
//
//	go test ./e2e/                 # skips when /usr/bin/chromium is missing
//	RLHF_E2E=1 go test ./e2e/      # CI: a missing browser is a failure
//
// Screenshots of each screen land in e2e/testdata/out/ (git-ignored).
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// state mirrors the fields of window.rlhf.state() that the tests read.
type state struct {
	Stage      string                `json:"stage"`
	Frames     int64                 `json:"frames"`
	FrameMsP50 *float64              `json:"frame_ms_p50"`
	FrameMsP95 *float64              `json:"frame_ms_p95"`
	Busy       bool                  `json:"busy"`
	Rankings   *int                  `json:"rankings"`
	RMAccuracy *float64              `json:"rm_accuracy"`
	Targets    map[string][2]float64 `json:"targets"`
}

func TestApp(t *testing.T) {
	requireChromium(t)
	base := startServer(t)

	ctx, cancel := newBrowser(t)
	defer cancel()

	// Open a deep link and wait for the first frame.
	start := time.Now()
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"#label")))
	st := waitState(t, ctx, "the first frame", func(s state) bool { return s.Frames > 0 })
	firstFrame := time.Since(start)
	wasmDone, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.getEntriesByType("resource").find(e => e.name.endsWith("/app.wasm")).responseEnd`))
	t.Logf("first frame %v after navigation; app.wasm downloaded after %.0f ms", firstFrame.Round(time.Millisecond), wasmDone)
	if st.Stage != "label" || hash(t, ctx) != "#label" {
		t.Fatalf("deep link #label: stage %q, hash %q", st.Stage, hash(t, ctx))
	}
	if st.Busy || st.Rankings == nil || *st.Rankings != 0 || st.RMAccuracy != nil {
		t.Errorf("before any work: busy=%v rankings=%v rm_accuracy=%v, want false, 0, null", st.Busy, st.Rankings, st.RMAccuracy)
	}
	if gone, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("loading") === null`)); !gone {
		t.Errorf("the loading screen is still there after the first frame")
	}

	// Keys work before any click: the canvas has focus on load.
	must(t, chromedp.Do(ctx, chromedp.KeyEvent("3")))
	waitStage(t, ctx, "ppo")

	// Click each stage in the header with real mouse events.
	out := outDir(t)
	for _, stage := range []string{"pretrain", "sft", "label", "ppo"} {
		target, ok := waitState(t, ctx, "header targets", func(s state) bool { return len(s.Targets) == 4 }).Targets[stage]
		if !ok {
			t.Fatalf("state().targets has no %q", stage)
		}
		must(t, chromedp.Do(ctx, chromedp.MouseClickXY(target[0], target[1])))
		waitStage(t, ctx, stage)
		time.Sleep(300 * time.Millisecond) // a few frames of the new scene
		if s := waitState(t, ctx, "pacing", func(state) bool { return true }); s.FrameMsP50 != nil {
			t.Logf("%s: frames %d, p50 %.1f ms, p95 %.1f ms", stage, s.Frames, *s.FrameMsP50, *s.FrameMsP95)
		}
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		must(t, err)
		path := filepath.Join(out, stage+".png")
		must(t, os.WriteFile(path, shot, 0o644))
		checkNotBlank(t, path, shot)
		checkHighlighted(t, path, shot, target)
	}

	// Back returns to the previous stage through the hashchange listener.
	must(t, chromedp.Do(ctx, chromedp.NavigateBack()))
	waitStage(t, ctx, "label")

	// Frame pacing is measured, and state() does not change anything.
	time.Sleep(time.Second)
	st = waitState(t, ctx, "frame pacing", func(s state) bool { return s.FrameMsP50 != nil })
	t.Logf("frames %d, frame interval p50 %.1f ms, p95 %.1f ms", st.Frames, *st.FrameMsP50, *st.FrameMsP95)
	if *st.FrameMsP50 <= 0 || *st.FrameMsP95 < *st.FrameMsP50 {
		t.Errorf("frame_ms_p50 %v, frame_ms_p95 %v: want 0 < p50 <= p95", *st.FrameMsP50, *st.FrameMsP95)
	}
	if st.Stage != "label" || hash(t, ctx) != "#label" {
		t.Errorf("after reading state: stage %q, hash %q, want label", st.Stage, hash(t, ctx))
	}

	// The layout holds from a small laptop to a full-HD screen, and on HiDPI.
	for _, v := range []struct {
		w, h  int64
		scale float64
	}{{1024, 640, 1}, {1920, 1080, 1}, {1280, 800, 2}} {
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(v.w, v.h, chromedp.EmulateScale(v.scale))))
		time.Sleep(500 * time.Millisecond)
		waitState(t, ctx, "a frame at the new size", func(state) bool { return true })
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		must(t, err)
		path := filepath.Join(out, fmt.Sprintf("label-%dx%d@%g.png", v.w, v.h, v.scale))
		must(t, os.WriteFile(path, shot, 0o644))
		checkNotBlank(t, path, shot)
	}

	// Nothing was blocked by the Content-Security-Policy and no error showed.
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__cspViolations`))
	must(t, err)
	if len(violations) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", violations)
	}
}

// TestNoWebGL checks that a browser without WebGL gets a plain message
// instead of a blank page.
func TestNoWebGL(t *testing.T) {
	requireChromium(t)
	base := startServer(t)
	ctx, cancel := newBrowser(t, chromedp.Flag("disable-webgl", true), chromedp.Flag("disable-3d-apis", true))
	defer cancel()
	must(t, chromedp.Do(ctx, chromedp.Navigate(base)))
	var msg string
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline) && msg == ""; time.Sleep(100 * time.Millisecond) {
		msg, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("error").hidden ? "" : document.getElementById("error").textContent`))
	}
	if !strings.Contains(msg, "WebGL") {
		t.Fatalf("without WebGL the page says %q, want a message about WebGL", msg)
	}
	if started, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`"rlhf" in window`)); started {
		t.Error("the app started without WebGL")
	}
}

// requireChromium skips the test without a browser, unless RLHF_E2E=1.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return
	}
	if os.Getenv("RLHF_E2E") == "1" {
		t.Fatalf("e2e: chromium not found at %s and RLHF_E2E=1; install it (apt-get install -y chromium)", chromiumPath)
	}
	t.Skip("e2e: chromium not found at /usr/bin/chromium; install it (apt-get install -y chromium) or set RLHF_E2E=1 to require it")
}

// The server is shared by the tests of this package: TestMain stops it.
var server struct {
	once sync.Once
	url  string
	err  error
	cmd  *exec.Cmd
	logs bytes.Buffer
}

func TestMain(m *testing.M) {
	code := m.Run()
	if server.cmd != nil {
		server.cmd.Process.Kill()
		server.cmd.Wait()
	}
	os.Exit(code)
}

// startServer builds the server, runs it on a free port from the repository
// root and returns the URL it prints. The server builds the wasm itself,
// which takes a minute or two on a cold build cache.
func startServer(t *testing.T) string {
	t.Helper()
	server.once.Do(func() { server.url, server.err = runServer() })
	if server.err != nil {
		t.Fatalf("starting the server: %v\nserver log:\n%s", server.err, server.logs.String())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", server.logs.String())
		}
	})
	return server.url
}

func runServer() (string, error) {
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "rlhfplayground-e2e-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "rlhfplayground")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, b)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	cmd.Dir = root
	cmd.Stderr = &server.logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	server.cmd = cmd
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), "RLHF Playground is at "); ok {
				urls <- u
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case u := <-urls:
		return u, nil
	case <-time.After(8 * time.Minute):
		return "", fmt.Errorf("the server printed no URL in 8 minutes")
	}
}

// newBrowser starts headless Chromium with a fresh profile. WebGL runs on
// SwiftShader, which Chromium only allows with enable-unsafe-swiftshader.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	)
	opts = append(opts, extra...)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// Record CSP violations from the start of every page load.
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.__cspViolations = [];
addEventListener("securitypolicyviolation", e => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));`,
		})
		return err
	}))
	if err != nil {
		cancel()
		acancel()
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx, func() { cancel(); acancel() }
}

// waitState polls window.rlhf.state() until ok holds (or 3 minutes pass,
// enough for a slow first compile of the wasm).
func waitState(t *testing.T, ctx context.Context, what string, ok func(state) bool) state {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	var last state
	for time.Now().Before(deadline) {
		js, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.rlhf ? window.rlhf.state() : ""`))
		if err == nil && js != "" {
			last = state{}
			must(t, json.Unmarshal([]byte(js), &last))
			if ok(last) {
				return last
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	errText, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById("error") || {}).textContent || ""`))
	t.Fatalf("timed out waiting for %s; last state %+v; page error %q", what, last, errText)
	return last
}

// waitStage waits until both state().stage and location.hash show stage.
func waitStage(t *testing.T, ctx context.Context, stage string) {
	t.Helper()
	waitState(t, ctx, "stage "+stage, func(s state) bool { return s.Stage == stage && hash(t, ctx) == "#"+stage })
}

func hash(t *testing.T, ctx context.Context) string {
	t.Helper()
	h, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash`))
	must(t, err)
	return h
}

// checkNotBlank fails when the screenshot is (nearly) one colour: a scene
// with a header, title and panels has many colours and a good share of
// pixels that differ from the background.
func checkNotBlank(t *testing.T, path string, shot []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	must(t, err)
	b := img.Bounds()
	bg := img.At(b.Max.X-1, b.Max.Y-1) // the bottom-right corner is background
	colours := map[[4]uint32]bool{}
	differ := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.At(x, y)
			r, g, bl, a := c.RGBA()
			colours[[4]uint32{r, g, bl, a}] = true
			if !sameColour(c, bg) {
				differ++
			}
		}
	}
	share := float64(differ) / float64(b.Dx()*b.Dy())
	t.Logf("%s: %dx%d, %d colours, %.0f%% not background", path, b.Dx(), b.Dy(), len(colours), 100*share)
	if len(colours) < 50 || share < 0.05 {
		t.Errorf("%s looks blank: %d colours, %.1f%% of pixels differ from the background", path, len(colours), 100*share)
	}
}

// checkHighlighted checks that the clicked chip is drawn as the current one:
// just above its bottom edge (the chip is 56 CSS px tall around its centre)
// the fill is the accent tint #1d2b44.
func checkHighlighted(t *testing.T, path string, shot []byte, centre [2]float64) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	must(t, err)
	r, g, b, _ := img.At(int(centre[0]), int(centre[1]+24)).RGBA()
	got := [3]int{int(r >> 8), int(g >> 8), int(b >> 8)}
	want := [3]int{0x1d, 0x2b, 0x44}
	for i := range got {
		if d := got[i] - want[i]; d < -6 || d > 6 {
			t.Errorf("%s: the clicked chip is not highlighted: colour %02x below its text, want %02x", path, got, want)
			return
		}
	}
}

func sameColour(a, b interface{ RGBA() (r, g, b, a uint32) }) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return ar == br && ag == bg && ab == bb
}

// outDir is e2e/testdata/out, kept after the test for people to look at.
func outDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("testdata", "out")
	must(t, os.MkdirAll(dir, 0o755))
	return dir
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
