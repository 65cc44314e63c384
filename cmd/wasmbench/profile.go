package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// With -profile N, a Chromium run is sampled by V8's CPU profiler (the
// DevTools protocol's Profiler domain, every 100 µs) from the moment the
// page has loaded until the workload prints "done", and the N functions
// with the most samples are printed: self (the function was running) and
// total (it was on the stack), as shares of the samples whose stack holds
// a function named like -profile-focus (by default one PPO iteration,
// PPOTrainer.Step), then the callers of the heaviest. Go's wasm keeps its
// function names (V8 writes sim.(*decoder).step as
// rlhfplayground_sim.__decoder_.step), so the rows name Go functions beside
// the SIMD module's (simd.gemm). Run it on one benchmark at a time:
//
//	go run ./cmd/wasmbench -runtimes chromium -kernels simd -steps 0 -peer=false -profile 30

// simdFuncs names the functions of kernels.wasm, which has no name
// section, in the order of simd.Build.
var simdFuncs = []string{"simd.gemm", "simd.gemmTransB", "simd.geluForward", "simd.geluBackward", "simd.exp", "simd.layerNorm"}

// startProfile starts V8's sampling profiler on the page of ctx.
func startProfile(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, profiler.Enable, cdp.Empty{}); err != nil {
		return err
	}
	if _, err := chromedp.Call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 100}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, profiler.Start, cdp.Empty{})
	return err
}

// stopProfile stops the profiler and returns what it recorded.
func stopProfile(ctx context.Context) (*profiler.Profile, error) {
	res, err := chromedp.Call(ctx, profiler.Stop, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	if res.Profile == nil {
		return nil, fmt.Errorf("the profiler returned no profile")
	}
	return res.Profile, nil
}

// profileRow is one function's share of the samples.
type profileRow struct {
	name        string
	self, total int
}

// summarizeProfile counts, per function name, the samples where it was on
// top of the stack (self) and anywhere on it (total, once per sample
// however often it recurs), over the samples with a frame whose name
// contains focus; and, for each function, the samples per caller of its
// self samples.
func summarizeProfile(p *profiler.Profile, focus string) (rows []profileRow, callers map[string]map[string]int, samples int) {
	nodes := map[int64]*profiler.ProfileNode{}
	parent := map[int64]int64{}
	for _, n := range p.Nodes {
		nodes[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	name := func(n *profiler.ProfileNode) string {
		if n.CallFrame == nil || n.CallFrame.FunctionName == "" {
			return "(anonymous)"
		}
		f := n.CallFrame.FunctionName
		// Go's module names every function; a nameless one is the kernels'.
		var i int
		if _, err := fmt.Sscanf(f, "wasm-function[%d]", &i); err == nil && i < len(simdFuncs) {
			return simdFuncs[i]
		}
		return f
	}
	byName := map[string]*profileRow{}
	row := func(s string) *profileRow {
		r := byName[s]
		if r == nil {
			r = &profileRow{name: s}
			byName[s] = r
		}
		return r
	}
	callers = map[string]map[string]int{}
	for _, id := range p.Samples {
		n := nodes[id]
		if n == nil {
			continue
		}
		var stack []string
		in := false
		for id, ok := n.ID, true; ok; id, ok = parent[id] {
			s := name(nodes[id])
			stack = append(stack, s)
			in = in || strings.Contains(s, focus)
		}
		if !in {
			continue
		}
		samples++
		row(stack[0]).self++
		if len(stack) > 1 {
			if callers[stack[0]] == nil {
				callers[stack[0]] = map[string]int{}
			}
			callers[stack[0]][stack[1]]++
		}
		seen := map[string]bool{}
		for _, s := range stack {
			if !seen[s] {
				seen[s] = true
				row(s).total++
			}
		}
	}
	for _, r := range byName {
		rows = append(rows, *r)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].self != rows[j].self {
			return rows[i].self > rows[j].self
		}
		return rows[i].name < rows[j].name
	})
	return rows, callers, samples
}

// printProfile writes the n functions with the most self samples, the n
// with the most total samples, and the callers of the ten heaviest.
func printProfile(w io.Writer, p *profiler.Profile, n int, focus string) {
	rows, callers, samples := summarizeProfile(p, focus)
	if samples == 0 {
		fmt.Fprintf(w, "profile: no samples under %q\n", focus)
		return
	}
	pct := func(k int) float64 { return 100 * float64(k) / float64(samples) }
	fmt.Fprintf(w, "\nprofile: %d samples under %q (%.1f s profiled)\n%7s %7s  %s\n", samples, focus, (p.EndTime-p.StartTime)/1e6, "self%", "total%", "function")
	for _, r := range rows[:min(n, len(rows))] {
		fmt.Fprintf(w, "%6.1f%% %6.1f%%  %s\n", pct(r.self), pct(r.total), r.name)
	}
	fmt.Fprintf(w, "\ncallers (self samples):\n")
	for _, r := range rows[:min(10, len(rows))] {
		type kv struct {
			name string
			k    int
		}
		var cs []kv
		for c, k := range callers[r.name] {
			cs = append(cs, kv{c, k})
		}
		sort.Slice(cs, func(i, j int) bool { return cs[i].k > cs[j].k })
		var parts []string
		for _, c := range cs[:min(4, len(cs))] {
			parts = append(parts, fmt.Sprintf("%s %.1f%%", c.name, pct(c.k)))
		}
		fmt.Fprintf(w, "  %s ← %s\n", r.name, strings.Join(parts, ", "))
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].total > rows[j].total })
	fmt.Fprintf(w, "\nby total:\n")
	for _, r := range rows[:min(n, len(rows))] {
		if strings.HasPrefix(r.name, "(") {
			continue
		}
		fmt.Fprintf(w, "%6.1f%% %6.1f%%  %s\n", pct(r.self), pct(r.total), r.name)
	}
}
