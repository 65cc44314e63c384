// Command wasmbench measures the engine compiled to WebAssembly where it
// runs for a class: in Node and in headless Chromium, with each kernel set
// ("simd", the WebAssembly-SIMD module of sim/kernels/simd, and "go", the
// pure-Go fallback); and, beside them, the same engine compiled for this
// machine ("native"), with the pure-Go set and the native fast path
// ("avx2" on amd64) on one goroutine per product and on two. It prints one
// line per measurement, and a table of them all at the end:
//
//	bench-S <runtime> <kernels> [before|after] <tokens/s> tokens/s
//	sft-step <runtime> <kernels> [before|after] <ms> ms
//	ppo-iter <runtime> <kernels> [before|after] <model> <ms> ms
//
// where a native <kernels> that splits products is written SET/tN (N
// goroutines per large product, kernels.SetThreads).
//
// bench-S is the TF.js peer's training benchmark (5 warm-up steps, then 30
// measured steps of 512 tokens); sft-step (with -sft N) is one step of the
// app's SFT screen, a batch of 16 demonstrations on the shipped model (the
// workload of a -baseline older than the flag cannot run it); ppo-iter is
// one default PPO iteration
// (the first untimed) of a lab that reached PPO as a class does (see
// workload/), for each model of -models: "small", today's shipped
// checkpoints, and "4x64:32", the 4-block d_model-64 model the app grows
// to, with random weights and answers of up to 32 tokens. -stat picks the
// mean, median or minimum time of the steps and iterations.
//
// -baseline REV builds the workload of git revision REV too and runs it
// just before the work tree's, configuration by configuration, so that a
// change is measured side by side on a busy machine; the table then gives
// each "after" row's ratio to its "before" row; -repeat N runs each pair N
// times, alternating which goes first, and keeps the best figure of each.
// -profile N samples each
// Chromium run with V8's profiler and prints where the time goes, by Go
// function (profile.go). Where ../shared/peers/tfjs-gpt exists it also runs
// the peer's best configuration (wasm:simd:custom) in the same Chromium and
// prints the ratio.
//
//	go run ./cmd/wasmbench                     # everything, ~6 minutes
//	go run ./cmd/wasmbench -peer=false -ppo 0  # bench-S only
//	go run ./cmd/wasmbench -runtimes native    # natively only, ~1 minute
//	go run ./cmd/wasmbench -baseline main -peer=false -stat median -repeat 3
//
// Run it from the repository root. Details (every step time, the loss curve)
// go to stderr with -v.
package main

import (
	"bufio"
	"bytes"
	"context"
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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// result is the part of workload.Result that wasmbench prints.
type result struct {
	Bench    string    `json:"bench"`
	Kernels  string    `json:"kernels"`
	Threads  int       `json:"threads"`
	TokensPS float64   `json:"tokens_per_s"`
	MeanMS   float64   `json:"mean_ms"`
	MedianMS float64   `json:"median_ms"`
	MinMS    float64   `json:"min_ms"`
	Losses   []float64 `json:"losses"`
}

var (
	verbose      = flag.Bool("v", false, "log the workload's JSON lines to stderr")
	profileRows  = flag.Int("profile", 0, "if > 0, profile each Chromium run with V8's sampler and print this many functions (profile.go)")
	profileFocus = flag.String("profile-focus", "PPOTrainer_.Step", "count only the samples with a frame whose name contains this")
)

func main() {
	steps := flag.Int("steps", 30, "bench-S measured steps")
	ppo := flag.Int("ppo", 2, "PPO iterations to time (0 skips PPO)")
	sft := flag.Int("sft", 0, "SFT steps of the app to time (0 skips them)")
	modelList := flag.String("models", "small,4x64:32", "PPO models, comma-separated, each NAME or NAME:MAXNEW (workload -model, -max-new)")
	baseline := flag.String("baseline", "", "also build the workload of this git revision and run it beside the work tree's, config by config")
	sets := flag.String("kernels", "simd,go", "kernel sets to measure in node and chromium, comma-separated")
	nativeSets := flag.String("native-kernels", "go,avx2", "kernel sets to measure natively, comma-separated (a set this machine lacks is reported and skipped)")
	threads := flag.String("threads", "1,2", "goroutines per large product for the native sets that split products (all but go), comma-separated")
	runtimes := flag.String("runtimes", "native,node,chromium", "where to run, comma-separated")
	peer := flag.Bool("peer", true, "also run the TF.js peer (../shared/peers/tfjs-gpt) in Chromium")
	repeat := flag.Int("repeat", 1, "run each configuration this many times (with -baseline, alternating which build goes first) and report the best")
	stat := flag.String("stat", "mean", "which time of the steps or iterations to report: mean, median or min (on a shared machine other jobs only ever add time)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("wasmbench: ")
	models, err := parseModels(*modelList)
	if err != nil {
		log.Fatal(err)
	}
	pickTime := map[string]func(r result) float64{"mean": func(r result) float64 { return r.MeanMS },
		"median": func(r result) float64 { return r.MedianMS }, "min": func(r result) float64 { return r.MinMS }}[*stat]
	if pickTime == nil {
		log.Fatalf("-stat %q: want mean, median or min", *stat)
	}

	dir, err := os.MkdirTemp("", "wasmbench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	rts := strings.Split(*runtimes, ",")
	builds := []build{{dir: filepath.Join(dir, "work"), src: "."}}
	if *baseline != "" {
		src, err := os.MkdirTemp("", "wasmbench-src-") // outside dir, which Chromium's server serves
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(src)
		if err := extract(*baseline, src); err != nil {
			log.Fatal(err)
		}
		builds = []build{{name: "before", dir: filepath.Join(dir, "before"), src: src}, {name: "after", dir: builds[0].dir, src: "."}}
	}
	for _, b := range builds {
		if err := prepare(b, rts); err != nil {
			log.Fatal(err)
		}
	}
	table := summary{models: models}
	best := map[string]float64{} // runtime → best bench-S tokens/s of ours
	for _, rt := range rts {
		for _, c := range configs(rt, *sets, *nativeSets, *threads) {
			for rep := range *repeat {
				order := builds
				if rep%2 == 1 { // alternate which build goes first
					order = slices.Clone(builds)
					slices.Reverse(order)
				}
				for _, b := range order {
					for i, m := range models {
						if i > 0 && *ppo == 0 {
							break
						}
						argv := []string{"-steps", "0", "-ppo", fmt.Sprint(*ppo), "-model", m.name, "-max-new", fmt.Sprint(m.maxNew)}
						if i == 0 {
							argv[1] = fmt.Sprint(*steps)
							if *sft > 0 {
								argv = append(argv, "-sft", fmt.Sprint(*sft))
							}
						}
						var results []result
						var err error
						switch rt {
						case "native":
							results, err = runNative(b.dir, c.set, c.threads, argv)
						case "node":
							results, err = runNode(b.dir, c.set, argv)
						case "chromium":
							results, err = runChromium(dir, b, c.set, argv)
						default:
							err = fmt.Errorf("unknown runtime %q (native, node, chromium)", rt)
						}
						if err != nil {
							log.Printf("%s %s %s: %v", rt, c.label(), b.name, err)
							continue
						}
						for _, r := range results {
							if r.Kernels != c.set {
								log.Printf("%s: asked for kernels %q, the workload ran %q (no SIMD?)", rt, c.set, r.Kernels)
							}
							label := config{r.Kernels, c.threads}.label()
							switch r.Bench {
							case "bench-S":
								tps := r.TokensPS * r.MeanMS / pickTime(r) // the workload's tokens/s are of the mean step
								fmt.Printf("bench-S %s %s %s%.0f tokens/s\n", rt, label, b.prefix(), tps)
								if b.name != "before" {
									best[rt] = max(best[rt], tps)
								}
								row := table.add(rt, label, b.name)
								row.tokensPS = max(row.tokensPS, tps) // the best of the repetitions
							case "sft-step":
								fmt.Printf("sft-step %s %s %s%.1f ms\n", rt, label, b.prefix(), pickTime(r))
								row := table.add(rt, label, b.name)
								if row.sftMS == 0 || pickTime(r) < row.sftMS {
									row.sftMS = pickTime(r)
								}
							case "ppo-iter":
								fmt.Printf("ppo-iter %s %s %s%s %.0f ms\n", rt, label, b.prefix(), m, pickTime(r))
								table.add(rt, label, b.name).setPPO(m.String(), pickTime(r))
							}
						}
					}
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
			table.add("chromium", "tfjs-wasm:simd:custom", "").tokensPS = tfjs
			if ours := best["chromium"]; ours > 0 {
				fmt.Printf("ratio chromium %.2f× TF.js (%.0f / %.0f tokens/s)\n", ours/tfjs, ours, tfjs)
			}
		}
	}
	if *stat != "mean" || *repeat > 1 {
		fmt.Printf("\n(%s times of the steps and iterations, the best of %d run(s) per configuration)\n", *stat, *repeat)
	}
	table.print(os.Stdout)
}

// model is one PPO workload: the workload's -model and -max-new (0: the
// default setting).
type model struct {
	name   string
	maxNew int
}

func (m model) String() string {
	if m.maxNew == 0 {
		return m.name
	}
	return fmt.Sprintf("%s:%d", m.name, m.maxNew)
}

// parseModels reads -models: NAME or NAME:MAXNEW, comma-separated.
func parseModels(s string) ([]model, error) {
	var ms []model
	for _, f := range strings.Split(s, ",") {
		name, n, ok := strings.Cut(f, ":")
		m := model{name: name}
		if ok {
			var err error
			if m.maxNew, err = strconv.Atoi(n); err != nil || m.maxNew < 1 {
				return nil, fmt.Errorf("-models %q: %q needs a positive MAXNEW", s, f)
			}
		}
		if name == "" {
			return nil, fmt.Errorf("-models %q: empty name", s)
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// build is one build of the workload: from the source tree src (the work
// tree, ".", or a revision extracted for -baseline) into dir. name is
// "before" or "after" with -baseline, else empty.
type build struct{ name, dir, src string }

// workloadTags are the build tags of workload.wasm: the workload runs PPO on
// the shipped checkpoints, which a js build leaves out unless told (the
// app's worker fetches them: assets/checkpoints_js.go).
const workloadTags = "shippedmodels"

func (b build) prefix() string {
	if b.name == "" {
		return ""
	}
	return b.name + " "
}

// extract writes the tree of git revision rev into dst (git archive), so
// that the baseline builds without touching any work tree.
func extract(rev, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	log.Printf("extracting %s into %s", rev, dst)
	archive := exec.Command("git", "archive", rev)
	untar := exec.Command("tar", "-x", "-C", dst)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		return err
	}
	untar.Stdin = pipe
	archive.Stderr, untar.Stderr = os.Stderr, os.Stderr
	if err := untar.Start(); err != nil {
		return err
	}
	if err := archive.Run(); err != nil {
		return fmt.Errorf("git archive %s: %v", rev, err)
	}
	return untar.Wait()
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
type summary struct {
	models []model
	rows   []*row
}

type row struct {
	runtime, kernels, build string
	tokensPS                float64
	sftMS                   float64            // one SFT step (0: not measured)
	ppoMS                   map[string]float64 // by model
}

// setPPO records a PPO time of model, keeping the least of repetitions.
func (r *row) setPPO(model string, ms float64) {
	if r.ppoMS == nil {
		r.ppoMS = map[string]float64{}
	}
	if old, ok := r.ppoMS[model]; !ok || ms < old {
		r.ppoMS[model] = ms
	}
}

// add returns the row of runtime, kernels and build, adding it if it is new.
func (s *summary) add(runtime, kernels, build string) *row {
	for _, r := range s.rows {
		if r.runtime == runtime && r.kernels == kernels && r.build == build {
			return r
		}
	}
	r := &row{runtime: runtime, kernels: kernels, build: build}
	s.rows = append(s.rows, r)
	return r
}

// print writes the table, in Markdown: one row per runtime, kernels and
// build, a column of one PPO iteration per model, "–" where a figure was
// not measured. With a baseline, each "after" row gives its ratio to the
// "before" row above it (before/after: 2× is twice as fast).
func (s *summary) print(w io.Writer) {
	if len(s.rows) == 0 {
		return
	}
	builds, sft := false, false
	for _, r := range s.rows {
		builds = builds || r.build != ""
		sft = sft || r.sftMS > 0
	}
	head := []string{"runtime", "kernels"}
	if builds {
		head = append(head, "build")
	}
	head = append(head, "bench-S training")
	figures := 1 + len(s.models) // the right-aligned columns
	if sft {
		head = append(head, "SFT step")
		figures++
	}
	for _, m := range s.models {
		head = append(head, "PPO iteration, "+m.String())
	}
	line := func(cells []string) {
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	fmt.Fprintln(w)
	line(head)
	rule := make([]string, len(head))
	for i := range rule {
		rule[i] = "---"
		if i >= len(head)-figures {
			rule[i] = "--:"
		}
	}
	line(rule)
	var before *row
	for _, r := range s.rows {
		cells := []string{r.runtime, r.kernels}
		if builds {
			cells = append(cells, r.build)
		}
		ratio := func(now, was float64, faster bool) string {
			if r.build != "after" || before == nil || before.runtime != r.runtime || before.kernels != r.kernels || now <= 0 || was <= 0 {
				return ""
			}
			if faster {
				return fmt.Sprintf(" (%.2f×)", now/was)
			}
			return fmt.Sprintf(" (%.2f×)", was/now)
		}
		var was row // the row above, for the ratios (zero: none)
		if before != nil {
			was = *before
		}
		// cell is a figure and its ratio, or a dash when it was not measured.
		cell := func(v, wasV float64, format string, faster bool) string {
			if v <= 0 {
				return "–"
			}
			return fmt.Sprintf(format, v) + ratio(v, wasV, faster)
		}
		cells = append(cells, cell(r.tokensPS, was.tokensPS, "%.0f tokens/s", true))
		if sft {
			cells = append(cells, cell(r.sftMS, was.sftMS, "%.1f ms", false))
		}
		for _, m := range s.models {
			cells = append(cells, cell(r.ppoMS[m.String()], was.ppoMS[m.String()], "%.0f ms", false))
		}
		line(cells)
		before = r
	}
}

// prepare builds the workload of b.src into b.dir and writes beside it what
// the runtimes load, from the same tree: workload.wasm, wasm_exec.js, the
// kernels (kernels.js, kernels.wasm), the Node runner and the page (unless
// rts is only "native"); and, if rts has "native", the workload built for
// this machine (workload-native).
func prepare(b build, rts []string) error {
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return err
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	out, err := filepath.Abs(b.dir)
	if err != nil {
		return err
	}
	for _, rt := range rts {
		if rt != "native" {
			continue
		}
		log.Printf("building %sworkload-native (go build ./cmd/wasmbench/workload)", b.prefix())
		cmd := exec.Command(goBin, "build", "-o", filepath.Join(out, "workload-native"), "./cmd/wasmbench/workload")
		cmd.Dir, cmd.Stderr = b.src, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building workload-native (run me from the repository root): %v", err)
		}
	}
	if len(rts) == 1 && rts[0] == "native" {
		return nil
	}
	log.Printf("building %sworkload.wasm (GOOS=js GOARCH=wasm go build -tags %s ./cmd/wasmbench/workload)", b.prefix(), workloadTags)
	cmd := exec.Command(goBin, "build", "-tags", workloadTags, "-o", filepath.Join(out, "workload.wasm"), "./cmd/wasmbench/workload")
	cmd.Dir, cmd.Env, cmd.Stderr = b.src, append(os.Environ(), "GOOS=js", "GOARCH=wasm"), os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building workload.wasm (run me from the repository root): %v", err)
	}
	goroot, err := exec.Command(goBin, "env", "GOROOT").Output()
	if err != nil {
		return err
	}
	files := map[string]string{"wasm_exec.js": filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")}
	for _, f := range []string{"kernels.js", "kernels.wasm", "node_exec.js"} {
		files[f] = filepath.Join(b.src, "sim", "kernels", "simd", f)
	}
	files["index.html"] = filepath.Join(b.src, "cmd", "wasmbench", "page.html")
	for name, src := range files {
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// runNative runs the workload built for this machine with the kernel set and
// the goroutines per product given.
func runNative(dir, set string, threads int, argv []string) ([]result, error) {
	log.Printf("native, kernels %s, %d thread(s), %s …", set, threads, strings.Join(argv, " "))
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
	log.Printf("node, kernels %s, %s …", set, strings.Join(argv, " "))
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

// runChromium serves dir (which holds the builds) from 127.0.0.1 and runs the
// workload of build b in a fresh headless Chromium with the TF.js peer's
// launch flags.
func runChromium(dir string, b build, set string, argv []string) ([]result, error) {
	if _, err := os.Stat(chromiumPath); err != nil {
		return nil, fmt.Errorf("no %s", chromiumPath)
	}
	log.Printf("chromium, kernels %s, %s%s …", set, b.prefix(), strings.Join(argv, " "))
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
	rel, err := filepath.Rel(dir, b.dir)
	if err != nil {
		return nil, err
	}
	page := srv.URL + "/" + filepath.ToSlash(rel) + "/index.html?" + url.Values{"kernels": {set}, "argv": {string(argvJSON)}}.Encode()
	messages := chromedp.Console(ctx) // subscribed before the page loads
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		return nil, err
	}
	if *profileRows > 0 {
		if err := startProfile(ctx); err != nil {
			return nil, fmt.Errorf("profiler: %v", err)
		}
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
			if *profileRows > 0 {
				p, err := stopProfile(ctx)
				if err != nil {
					return nil, fmt.Errorf("profiler: %v", err)
				}
				printProfile(os.Stdout, p, *profileRows, *profileFocus)
			}
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
