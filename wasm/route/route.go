// Package route reads the app's URL: the hash names a stage (#pretrain,
// #sft, #label, #ppo, the deep links), the query sets options (?kernels=go:
// the engine computes with the pure-Go kernels, as a browser without
// WebAssembly SIMD does; ?lang=zh-TW: the page's language, a teacher's
// link, which the page chooses with i18n.Choose; ?projector=1: projector
// mode). After the stage the hash may carry a link's lesson card, preset and
// settings (#ppo?card=7&beta=0, params.go). It is pure, so every URL a
// student can type is tested, and fuzzed, without a browser.
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
	Stage     protocol.Stage // the stage the hash names
	HasStage  bool           // false: no hash, or one that names no stage
	Kernels   string         // the kernel set of ?kernels=, "" if none or unknown
	Lang      i18n.Lang      // the language of ?lang=, "" if none or one the app does not have
	Link                     // the lesson card, preset and settings of the link (params.go)
	Projector bool           // ?projector=1: larger text and fewer controls, for the front of the room
	Ignored   []string       // query parameters that mean nothing here (or a bad value), for the console
}

// Parse reads location.hash (with or without its "#") and location.search
// (with or without its "?"). It never fails: whatever it does not
// understand is left out (and named in Ignored, if in the query or in the
// hash's parameters). A preset is taken only if presets names it. The
// hash's parameters win over the query's.
func Parse(hash, query string, presets ...string) Route {
	var r Route
	stage, params, _ := strings.Cut(strings.TrimPrefix(clip(hash), "#"), "?")
	r.Stage, r.HasStage = protocol.StageByID(strings.ToLower(stage))
	r.read(strings.TrimPrefix(clip(query), "?"), presets, true)
	r.read(params, presets, false)
	slices.Sort(r.Ignored)
	return r
}

// read takes the parameters of a query (the page's own: ?kernels=, ?lang=,
// only if top) or of the hash.
func (r *Route) read(query string, presets []string, top bool) {
	values, err := url.ParseQuery(query)
	if err != nil {
		r.Ignored = append(r.Ignored, "a malformed query")
	}
	for key, vs := range values {
		switch v := vs[len(vs)-1]; {
		case top && key == "kernels" && isKernelSet(v):
			r.Kernels = v
		case top && key == "lang" && langOK(v):
			r.Lang, _ = i18n.Match(v)
		case r.param(key, v, presets):
		default:
			r.Ignored = append(r.Ignored, key+"="+v)
		}
	}
}

func isKernelSet(v string) bool { return slices.Contains(kernelSets, v) }

func langOK(v string) bool { _, ok := i18n.Match(v); return ok }

func clip(s string) string {
	if len(s) > MaxLen {
		return s[:MaxLen]
	}
	return s
}
