package e2e

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"rlhfplayground/internal/testpack"
)

// slowState is state().slowmo: the PPO screen's slow motion.
type slowState struct {
	Open    bool     `json:"open"`
	Waiting bool     `json:"waiting"`
	Stop    int      `json:"stop"`
	StopID  string   `json:"stop_id"`
	Labels  []string `json:"labels"`
	Trace   *struct {
		Iteration int       `json:"iteration"`
		Words     []string  `json:"words"`
		Ended     bool      `json:"ended"`
		Batch     int       `json:"batch"`
		Score     float64   `json:"score"`
		Beta      float64   `json:"beta"`
		KL        []float64 `json:"kl"`
		KLSum     float64   `json:"kl_sum"`
		Rewards   []float64 `json:"rewards"`
		AdvRaw    []float64 `json:"adv_raw"`
		Adv       []float64 `json:"adv"`
		AdvMean   float64   `json:"adv_mean"`
		AdvStd    float64   `json:"adv_std"`
		Whitened  bool      `json:"whitened"`
		ClipRange float64   `json:"clip_range"`
		Ratio     []float64 `json:"ratio"`
		Clipped   []bool    `json:"clipped"`
		OldProb   []float64 `json:"old_prob"`
		NewProb   []float64 `json:"new_prob"`
	} `json:"trace"`
}

// slowOf reads state().slowmo (nil while the slow motion is closed).
func slowOf(t *testing.T, ctx context.Context) *slowState {
	t.Helper()
	var s struct {
		SlowMo *slowState `json:"slowmo"`
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.rlhf.state()`))
	must(t, err)
	must(t, json.Unmarshal([]byte(raw), &s))
	return s.SlowMo
}

// waitSlowMo polls state().slowmo until ok holds (or 3 minutes pass).
func waitSlowMo(t *testing.T, ctx context.Context, what string, ok func(*slowState) bool) *slowState {
	t.Helper()
	var sm *slowState
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if sm = slowOf(t, ctx); ok(sm) {
			return sm
		}
	}
	t.Fatalf("timed out waiting for %s; slow motion %+v", what, sm)
	return nil
}

var slowStops = []string{"sample", "score", "kl", "reward", "advantage", "update"}

// TestSlowMotion runs the PPO screen's slow motion, in English with the
// English model and in 繁體中文 with the Chinese one: one traced PPO
// iteration after a first one, stepped through every stop by the arrow
// keys (and back). At each stop state() names the stop, and the numbers
// drawn under the tokens are the trace's, which are finite and agree with
// each other as the engine's test checks (rewards −β·KL plus the score,
// whitened advantages, clipped ratios). Screenshots of the KL and update
// stops in testdata/out/slowmo/.
func TestSlowMotion(t *testing.T) {
	requireFullE2E(t)
	startServer(t) // builds the wasm first
	packs := t.TempDir()
	must(t, testpack.Write(packs))
	base := startServerWith(t, packs)
	out := outDir(t, "slowmo")
	for _, lang := range []string{"en", testpack.Lang} {
		t.Run(lang, func(t *testing.T) {
			ctx, cancel := newBrowser(t)
			defer cancel()
			must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
			st := openPage(t, ctx, base+"?lang="+lang+"#label", lang)
			if st.ModelLang != lang {
				t.Fatalf("?lang=%s: model %q", lang, st.ModelLang)
			}
			st = waitState(t, ctx, "the autolabel button", func(s state) bool { return s.Widgets["autolabel"][2] > 0 })
			click(t, ctx, st.Widgets["autolabel"])
			st = waitState(t, ctx, "auto-labelling", func(s state) bool { return s.Rankings != nil && *s.Rankings >= 20 && !s.Busy })
			click(t, ctx, st.Widgets["train-rm"])
			waitState(t, ctx, "the reward model trained", func(s state) bool { return s.RMAccuracy != nil && !s.Busy })
			clickStage(t, ctx, "ppo")
			st = waitState(t, ctx, "PPO controls", func(s state) bool { return s.Widgets["ppo-step"][2] > 0 })
			click(t, ctx, st.Widgets["ppo-step"]) // a first iteration: the traced one has a policy that moved from the reference
			st = waitState(t, ctx, "one PPO iteration", func(s state) bool { return s.PPOIteration >= 1 && !s.Busy && s.Widgets["slowmo"][2] > 0 })
			click(t, ctx, st.Widgets["slowmo"])
			st = waitState(t, ctx, "the traced iteration", func(s state) bool {
				return s.PPOIteration >= 2 && !s.Busy && s.Widgets["slowmo-next"][2] > 0
			})
			sm := waitSlowMo(t, ctx, "the trace", func(sm *slowState) bool { return sm != nil && sm.Trace != nil })
			if sm.Stop != 0 || sm.Waiting {
				t.Fatalf("slow motion: %+v", sm)
			}
			tr := sm.Trace
			if tr.Iteration != st.PPOIteration || len(tr.Words) == 0 || tr.Batch < 1 {
				t.Fatalf("trace of iteration %d with %d words; the page has %d iterations", tr.Iteration, len(tr.Words), st.PPOIteration)
			}
			checkTrace(t, sm)
			if lang == testpack.Lang {
				for _, w := range tr.Words {
					if special := strings.HasPrefix(w, "<") && strings.HasSuffix(w, ">"); !special && utf8.RuneCountInString(w) != 1 {
						t.Errorf("a Chinese token %q of more than one character", w)
					}
				}
			}
			t.Logf("%s: traced iteration %d, answer %q, score %+.2f, KL %+.3f", lang, tr.Iteration, strings.Join(tr.Words, " "), tr.Score, tr.KLSum)
			for i, id := range slowStops {
				if i > 0 {
					pressKey(t, ctx, "ArrowRight")
				}
				sm = waitSlow(t, ctx, i)
				if sm.StopID != id {
					t.Errorf("stop %d is %q, want %q", i, sm.StopID, id)
				}
				checkLabels(t, sm)
				if id == "kl" || id == "update" {
					shoot(t, ctx, out, lang+"-"+id)
				}
			}
			pressKey(t, ctx, "ArrowRight") // past the last stop: stays
			waitSlow(t, ctx, len(slowStops)-1)
			pressKey(t, ctx, "ArrowLeft")
			waitSlow(t, ctx, len(slowStops)-2)
			if n := waitState(t, ctx, "a frame", func(state) bool { return true }).PPOIteration; n != tr.Iteration {
				t.Errorf("stepping through ran iterations: %d, was %d", n, tr.Iteration)
			}
			click(t, ctx, waitState(t, ctx, "the close button", func(s state) bool { return s.Widgets["slowmo-close"][2] > 0 }).Widgets["slowmo-close"])
			waitSlowMo(t, ctx, "Close", func(sm *slowState) bool { return sm == nil })
		})
	}
}

// waitSlow waits for the slow motion to show stop.
func waitSlow(t *testing.T, ctx context.Context, stop int) *slowState {
	t.Helper()
	return waitSlowMo(t, ctx, "stop "+slowStops[stop], func(sm *slowState) bool { return sm != nil && sm.Stop == stop })
}

// checkTrace: every number finite, the lists as long as the answer, and
// the figures agree with each other.
func checkTrace(t *testing.T, sm *slowState) {
	t.Helper()
	tr := sm.Trace
	n := len(tr.Words)
	all := [][]float64{tr.KL, tr.Rewards, tr.AdvRaw, tr.Adv, tr.Ratio, tr.OldProb, tr.NewProb}
	for i, l := range all {
		if len(l) != n {
			t.Fatalf("list %d has %d entries for %d tokens", i, len(l), n)
		}
		for _, v := range l {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("list %d: %v", i, l)
			}
		}
	}
	var kl, rw float64
	for k := range n {
		kl += tr.KL[k]
		rw += tr.Rewards[k]
		if want := (tr.AdvRaw[k] - tr.AdvMean) / (tr.AdvStd + 1e-8); tr.Whitened && math.Abs(tr.Adv[k]-want) > 1e-9 {
			t.Errorf("token %d: advantage %v, whitened raw %v", k, tr.Adv[k], want)
		}
		if tr.Clipped[k] != (math.Abs(tr.Ratio[k]-1) > tr.ClipRange) || tr.OldProb[k] <= 0 || tr.OldProb[k] > 1 || tr.NewProb[k] <= 0 || tr.NewProb[k] > 1 {
			t.Errorf("token %d: ratio %v clipped %v, probability %v → %v", k, tr.Ratio[k], tr.Clipped[k], tr.OldProb[k], tr.NewProb[k])
		}
	}
	if math.Abs(kl-tr.KLSum) > 1e-9 || math.Abs(rw-(tr.Score-tr.Beta*tr.KLSum)) > 1e-9 {
		t.Errorf("Σ KL %v (trace %v), Σ rewards %v, want score − β·KL = %v", kl, tr.KLSum, rw, tr.Score-tr.Beta*tr.KLSum)
	}
}

// checkLabels: the numbers drawn under the tokens are the stop's numbers of the trace.
func checkLabels(t *testing.T, sm *slowState) {
	t.Helper()
	tr := sm.Trace
	if len(sm.Labels) != len(tr.Words) {
		t.Fatalf("stop %s: %d labels for %d tokens", sm.StopID, len(sm.Labels), len(tr.Words))
	}
	near := func(k int, label string, want float64, tol float64) {
		v, err := strconv.ParseFloat(label, 64)
		if err != nil || math.Abs(v-want) > tol {
			t.Errorf("stop %s, token %d (%q): shows %q, the trace has %v", sm.StopID, k, tr.Words[k], label, want)
		}
	}
	for k, l := range sm.Labels {
		switch sm.StopID {
		case "sample":
			near(k, l, tr.OldProb[k], 0.005)
		case "score":
			if k == len(tr.Words)-1 {
				near(k, l, tr.Score, 0.005)
			} else if l != "" {
				t.Errorf("stop score, token %d: %q, want the score on the last token only", k, l)
			}
		case "kl":
			near(k, l, tr.KL[k], 0.0005)
		case "reward":
			near(k, l, tr.Rewards[k], 0.0005)
		case "advantage":
			near(k, l, tr.Adv[k], 0.005)
		case "update":
			old, nw, ok := strings.Cut(l, "→")
			if !ok {
				t.Errorf("stop update, token %d: %q, want old→new", k, l)
				continue
			}
			near(k, old, tr.OldProb[k], 0.005)
			near(k, nw, tr.NewProb[k], 0.005)
		default:
			t.Fatalf("stop %q", sm.StopID)
		}
	}
}
