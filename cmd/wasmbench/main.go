// Command wasmbench measures the engine compiled to WebAssembly where it
// runs for a class: in Node and in headless Chromium, with each kernel set
// ("simd", the WebAssembly-SIMD module of sim/kernels/simd, and "go", the
// pure-Go fallback); and, beside them, the same engine compiled for this
// machine ("native"), with the pure-Go set and the native fast path
// ("avx2" on amd64) on one goroutine per product and on two. It prints one
// line per measurement, and a table of them all at the end:
//
//	bench-S <runtime> <kernels> <tokens/s> tokens/s
//	ppo-iter <runtime> <kernels> <ms> ms
//
// where a native <kernels> that splits products is written SET/tN (N
// goroutines per large product, kernels.SetThreads).
//
// bench-S is the TF.js peer's training benchmark (5 warm-up steps, then the
// mean of 30 measured steps of 512 tokens); ppo-iter is one default PPO
// iteration of a lab started from the shipped checkpoints (see workload/).
// Where ../shared/peers/tfjs-gpt exists it also runs the peer's best
// configuration (wasm:simd:custom) in the same Chromium and prints the ratio.
//
//	go run ./cmd/wasmbench                     # everything, ~4 minutes
//	go run ./cmd/wasmbench -peer=false -ppo 0  # bench-S only
//	go run ./cmd/wasmbench -runtimes native    # natively only, ~30 s
//
// Run it from the repository root. Details (every step time, the loss curve)
// go to stderr with -v.
package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"rlhfplayground/sim/kernels/simd"
)

//go:embed page.html
var pageHTML []byte

const chromiumPath = "/usr/bin/chromium"

// result is the part of workload.Result that wasmbench prints.
type result struct {
	Bench    string    `json:"bench"`
	Kernels  string    `json:"kernels"`
	Threads  int       `json:"threads"`
	TokensPS float64   `json:"tokens_per_s"`
	MeanMS   float64   `json:"mean_ms"`
	Losses   []float64 `json:"losses"`
}

var verbose = flag.Bool("v", false, "log the workload's JSON lines to stderr")

func main() {
	steps := flag.Int("steps", 30, "bench-S measured steps")
	ppo := flag.Int("ppo", 2, "PPO iterations to time (0 skips PPO)")
	sets := flag.String("kernels", "simd,go", "kernel sets to measure in node and chromium, comma-separated")
	nativeSets := flag.String("native-kernels", "go,avx2", "kernel sets to measure natively, comma-separated (a set this machine lacks is reported and skipped)")
	threads := flag.String("threads", "1,2", "goroutines per large product for the native sets that split products (all but go), comma-separated")
	runtimes := flag.String("runtimes", "native,node,chromium", "where to run, comma-separated")
	peer := flag.Bool("peer", true, "also run the TF.js peer (../shared/peers/tfjs-gpt) in Chromium")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("wasmbench: ")

	dir, err := os.MkdirTemp("", "wasmbench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	rts := strings.Split(*runtimes, ",")
	if err := prepare(dir, rts); err != nil {
		log.Fatal(err)
	}
	argv := []string{"-steps", fmt.Sprint(*steps), "-ppo", fmt.Sprint(*ppo)}
	var table summary
	best := map[string]float64{} // runtime → best bench-S tokens/s of ours
	for _, rt := range rts {
		for _, c := range configs(rt, *sets, *nativeSets, *threads) {
			var results []result
			var err error
			switch rt {
			case "native":
				results, err = runNative(dir, c.set, c.threads, argv)
			case "node":
				results, err = runNode(dir, c.set, argv)
			case "chromium":
				results, err = runChromium(dir, c.set, argv)
			default:
				err = fmt.Errorf("unknown runtime %q (native, node, chromium)", rt)
			}
			if err != nil {
				log.Printf("%s %s: %v", rt, c.label(), err)
				continue
			}
			for _, r := range results {
				if r.Kernels != c.set {
					log.Printf("%s: asked for kernels %q, the workload ran %q (no SIMD?)", rt, c.set, r.Kernels)
				}
				label := config{r.Kernels, c.threads}.label()
				switch r.Bench {
				case "bench-S":
					fmt.Printf("bench-S %s %s %.0f tokens/s\n", rt, label, r.TokensPS)
					best[rt] = max(best[rt], r.TokensPS)
					table.add(rt, label).tokensPS = r.TokensPS
				case "ppo-iter":
					fmt.Printf("ppo-iter %s %s %.0f ms\n", rt, label, r.MeanMS)
					table.add(rt, label).ppoMS = r.MeanMS
				}
			}
		}
	}
	peerDir := filepath.Join("..", "shared", "peers", "tfjs-gpt")
	if _, err := os.Stat(peerDir); *peer && err == nil {
		tfjs, err := runPeer(peerDir, *steps)
		if err != nil {
			log.Printf("TF.js peer: %v", err)
		} else {
			fmt.Printf("bench-S chromium tfjs-wasm:simd:custom %.0f tokens/s\n", tfjs)
			table.add("chromium", "tfjs-wasm:simd:custom").tokensPS = tfjs
			if ours := best["chromium"]; ours > 0 {
				fmt.Printf("ratio chromium %.2f× TF.js (%.0f / %.0f tokens/s)\n", ours/tfjs, ours, tfjs)
			}
		}
	}
	table.print(os.Stdout)
}

// config is one kernel set to measure, with the goroutines per product
// (0: the workload's default, for node and chromium and the sets that do not
// split products).
type config struct {
	set     string
	threads int
}

func (c config) label() string {
	if c.threads == 0 {
		return c.set
	}
	return fmt.Sprintf("%s/t%d", c.set, c.threads)
}

// configs lists what to measure in runtime rt. Natively the go set runs
// once: it does not split products.
func configs(rt, sets, nativeSets, threads string) []config {
	var cs []config
	if rt != "native" {
		for _, s := range strings.Split(sets, ",") {
			cs = append(cs, config{set: s})
		}
		return cs
	}
	for _, s := range strings.Split(nativeSets, ",") {
		if s == "go" || s == "ref" {
			cs = append(cs, config{set: s})
			continue
		}
		for _, t := range strings.Split(threads, ",") {
			n, err := strconv.Atoi(t)
			if err != nil || n < 1 {
				log.Fatalf("-threads %q: want positive counts", threads)
			}
			cs = append(cs, config{s, n})
		}
	}
	return cs
}

// summary collects the figures of every run for the table at the end.
type summary struct{ rows []*row }

type row struct {
	runtime, kernels string
	tokensPS, ppoMS  float64
}

// add returns the row of runtime and kernels, adding it if it is new.
func (s *summary) add(runtime, kernels string) *row {
	for _, r := range s.rows {
		if r.runtime == runtime && r.kernels == kernels {
			return r
		}
	}
	r := &row{runtime: runtime, kernels: kernels}
	s.rows = append(s.rows, r)
	return r
}

// print writes the table, in Markdown: one row per runtime and kernels,
// "–" where a figure was not measured.
func (s *summary) print(w io.Writer) {
	if len(s.rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\n| %-8s | %-21s | %16s | %17s |\n", "runtime", "kernels", "bench-S training", "one PPO iteration")
	fmt.Fprintf(w, "|%s|%s|%s:|%s:|\n", strings.Repeat("-", 10), strings.Repeat("-", 23), strings.Repeat("-", 17), strings.Repeat("-", 18))
	for _, r := range s.rows {
		tok, ppo := "–", "–"
		if r.tokensPS > 0 {
			tok = fmt.Sprintf("%.0f tokens/s", r.tokensPS)
		}
		if r.ppoMS > 0 {
			ppo = fmt.Sprintf("%.0f ms", r.ppoMS)
		}
		fmt.Fprintf(w, "| %-8s | %-21s | %16s | %17s |\n", r.runtime, r.kernels, tok, ppo)
	}
}

// prepare builds workload.wasm into dir and writes beside it what the
// runtimes load: wasm_exec.js, the kernels (kernels.js, kernels.wasm), the
// Node runner and the page (unless rts is only "native"); and, if rts has
// "native", the workload built for this machine (workload-native).
func prepare(dir string, rts []string) error {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	for _, rt := range rts {
		if rt != "native" {
			continue
		}
		log.Printf("building workload-native (go build ./cmd/wasmbench/workload)")
		cmd := exec.Command(goBin, "build", "-o", filepath.Join(dir, "workload-native"), "./cmd/wasmbench/workload")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building workload-native (run me from the repository root): %v", err)
		}
	}
	if len(rts) == 1 && rts[0] == "native" {
		return nil
	}
	log.Printf("building workload.wasm (GOOS=js GOARCH=wasm go build ./cmd/wasmbench/workload)")
	cmd := exec.Command(goBin, "build", "-o", filepath.Join(dir, "workload.wasm"), "./cmd/wasmbench/workload")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building workload.wasm (run me from the repository root): %v", err)
	}
	goroot, err := exec.Command(goBin, "env", "GOROOT").Output()
	if err != nil {
		return err
	}
	wasmExec, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return err
	}
	for name, b := range map[string][]byte{"wasm_exec.js": wasmExec, "kernels.js": simd.Glue, "kernels.wasm": simd.Wasm,
		"node_exec.js": simd.NodeExec, "index.html": pageHTML} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// runNative runs the workload built for this machine with the kernel set and
// the goroutines per product given.
func runNative(dir, set string, threads int, argv []string) ([]result, error) {
	log.Printf("native, kernels %s, %d thread(s) …", set, threads)
	cmd := exec.Command(filepath.Join(dir, "workload-native"), append([]string{"-kernels", set, "-threads", fmt.Sprint(threads)}, argv...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%v\n%s%s", err, out, stderr.String())
	}
	return parse(bytes.NewReader(out))
}

// runNode runs the workload under Node with the kernels loaded (node_exec.js).
func runNode(dir, set string, argv []string) ([]result, error) {
	log.Printf("node, kernels %s …", set)
	cmd := exec.Command("node", append([]string{filepath.Join(dir, "node_exec.js"), filepath.Join(dir, "workload.wasm")}, argv...)...)
	cmd.Env = append(os.Environ(), "RLHF_KERNELS="+set)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%v\n%s%s", err, out, stderr.String())
	}
	return parse(bytes.NewReader(out))
}

// runChromium serves dir from 127.0.0.1 and runs the workload in a fresh
// headless Chromium with the TF.js peer's launch flags.
func runChromium(dir, set string, argv []string) ([]result, error) {
	if _, err := os.Stat(chromiumPath); err != nil {
		return nil, fmt.Errorf("no %s", chromiumPath)
	}
	log.Printf("chromium, kernels %s …", set)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir))) // dir holds only the files of prepare
	defer srv.Close()
	profile, err := os.MkdirTemp("", "wasmbench-profile-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	actx, acancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.UserDataDir(profile))
	defer acancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, tcancel := context.WithTimeout(ctx, 10*time.Minute)
	defer tcancel()

	argvJSON, _ := json.Marshal(argv)
	page := srv.URL + "/index.html?" + url.Values{"kernels": {set}, "argv": {string(argvJSON)}}.Encode()
	messages := chromedp.Console(ctx) // subscribed before the page loads
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		return nil, err
	}
	var lines bytes.Buffer
	for m, err := range messages {
		if err != nil {
			return nil, fmt.Errorf("%v; output so far:\n%s", err, lines.String())
		}
		if m.IsException() {
			return nil, fmt.Errorf("exception in the page: %s", m.Text)
		}
		lines.WriteString(m.Text + "\n")
		if m.Text == "done" {
			break
		}
		if strings.HasPrefix(m.Text, "error") || strings.HasPrefix(m.Text, "panic") {
			return nil, fmt.Errorf("%s", lines.String())
		}
	}
	return parse(&lines)
}

// parse reads the workload's JSON lines and checks that the output ended with "done".
func parse(r io.Reader) ([]result, error) {
	var results []result
	done := false
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if *verbose {
			log.Print(line)
		}
		switch {
		case line == "done":
			done = true
		case strings.HasPrefix(line, "{"):
			var res result
			if err := json.Unmarshal([]byte(line), &res); err != nil {
				return nil, err
			}
			results = append(results, res)
		}
	}
	if !done {
		return results, errors.New("the workload did not finish")
	}
	return results, nil
}
