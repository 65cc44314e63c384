// Package route reads the app's URL: the hash names a stage (#pretrain,
// #sft, #label, #ppo, the deep links), the query sets options (?kernels=go:
// the engine computes with the pure-Go kernels, as a browser without
// WebAssembly SIMD does; ?lang=zh-TW: the page's language, a teacher's
// link, which the page chooses with i18n.Choose). It is pure, so every URL a student can type is
// tested, and fuzzed, without a browser.
package route

import (
	"net/url"
	"slices"
	"strings"

	"rlhfplayground/i18n"
	"rlhfplayground/protocol"
)

// MaxLen bounds what is read of a hash or a query; the rest is ignored
// (browsers allow URLs of megabytes).
const MaxLen = 2048

// Kernel sets the query may ask for (sim/kernels registers them).
var kernelSets = []string{"simd", "go"}

// Route is what a URL asks for.
type Route struct {
	Stage    protocol.Stage // the stage the hash names
	HasStage bool           // false: no hash, or one that names no stage
	Kernels  string         // the kernel set of ?kernels=, "" if none or unknown
	Lang     i18n.Lang      // the language of ?lang=, "" if none or one the app does not have
	Ignored  []string       // query parameters that mean nothing here (or a bad value), for the console
}

// Parse reads location.hash (with or without its "#") and location.search
// (with or without its "?"). It never fails: whatever it does not
// understand is left out (and named in Ignored, if in the query).
func Parse(hash, query string) Route {
	var r Route
	hash = strings.TrimPrefix(clip(hash), "#")
	r.Stage, r.HasStage = protocol.StageByID(strings.ToLower(hash))
	values, err := url.ParseQuery(strings.TrimPrefix(clip(query), "?"))
	if err != nil {
		r.Ignored = append(r.Ignored, "a malformed query")
	}
	for key, vs := range values {
		switch v := vs[len(vs)-1]; {
		case key == "kernels" && isKernelSet(v):
			r.Kernels = v
		case key == "lang" && langOK(v):
			r.Lang, _ = i18n.Match(v)
		default:
			r.Ignored = append(r.Ignored, key+"="+v)
		}
	}
	slices.Sort(r.Ignored)
	return r
}

func isKernelSet(v string) bool { return slices.Contains(kernelSets, v) }

func langOK(v string) bool { _, ok := i18n.Match(v); return ok }

func clip(s string) string {
	if len(s) > MaxLen {
		return s[:MaxLen]
	}
	return s
}
