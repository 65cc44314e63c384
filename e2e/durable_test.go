package e2e

// Nothing a student did is lost: a reload or a closed tab right after an
// action, a second tab on the same session, a browser that does not let the
// app store anything, an engine that stops.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"rlhfplayground/assets"
)

// TestSmoke is the browser test that go test ./... runs by default (with
// Chromium installed), beside TestNoWebGL: the page starts, a ranking by
// keys is taken, and a reload at once after Enter keeps it. RLHF_E2E=1 runs
// the others too.
func TestSmoke(t *testing.T) {
	requireChromium(t)
	t.Parallel()
	base := startServer(t)
	ctx, cancel := newBrowser(t)
	defer cancel()
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"#label")))
	st := waitSession(t, ctx)
	if st.Stage != "label" || st.YourRankings != 0 {
		t.Fatalf("a new session on #label: stage %q, %d rankings of yours", st.Stage, st.YourRankings)
	}
	at := rankAndReload(t, ctx, 0)
	st = waitSession(t, ctx)
	t.Logf("reload 0 ms after the ranking was taken: the engine had applied it %v, stored it %v", at.Applied >= at.JournalLast, at.Stored >= at.JournalLast)
	if st.YourRankings != 1 || *st.Rankings != 1 {
		t.Errorf("after the reload: %d rankings (%d yours), want 1 (1)", *st.Rankings, st.YourRankings)
	}
}

// TestReloadKeepsWork reloads the page 0, 100 and 500 ms after a ranking,
// after a demonstration and after a change of settings were taken (as the
// page shows them taken: journaled), and once closes the tab instead: each
// is there after, once.
func TestReloadKeepsWork(t *testing.T) {
	requireFullE2E(t)
	t.Parallel()
	base := startServer(t)
	ctx, cancel := newBrowser(t)
	defer cancel()
	data, err := assets.LabData()
	must(t, err)
	demo := data.Demonstrations[0] // words the model knows, whatever the shipped data
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"#label")))
	st := waitSession(t, ctx)
	rankings, yours, demos := 0, 0, 0
	for _, delay := range []int{0, 100, 500} {
		// A ranking.
		at := rankAndReload(t, ctx, delay)
		st = waitSession(t, ctx)
		rankings, yours = rankings+1, yours+1
		logReload(t, "ranking", delay, at)
		if *st.Rankings != rankings || st.YourRankings != yours {
			t.Errorf("reload %d ms after a ranking: %d rankings (%d yours), want %d (%d)", delay, *st.Rankings, st.YourRankings, rankings, yours)
		}
		checkNewest(t, st)

		// A demonstration, typed into the SFT screen's fields.
		clickStage(t, ctx, "sft")
		st = waitState(t, ctx, "the demonstration fields", func(s state) bool { return s.Widgets["demo-answer"][2] > 0 })
		typeInto(t, ctx, st.Widgets["demo-prompt"], demo.Prompt)
		typeInto(t, ctx, st.Widgets["demo-answer"], demo.Response)
		arm(t, ctx, delay)
		click(t, ctx, st.Widgets["demo-add"])
		at = waitReloaded(t, ctx)
		st = waitSession(t, ctx)
		demos++
		logReload(t, "demonstration", delay, at)
		if st.YourDemos != demos {
			t.Errorf("reload %d ms after a demonstration: %d of yours, want %d", delay, st.YourDemos, demos)
		}

		// A setting: the persona, on the Label screen.
		clickStage(t, ctx, "label")
		st = waitState(t, ctx, "the persona stepper", func(s state) bool { return s.Widgets["label-persona+"][2] > 0 })
		persona := st.Persona
		arm(t, ctx, delay)
		click(t, ctx, st.Widgets["label-persona+"])
		at = waitReloaded(t, ctx)
		st = waitSession(t, ctx)
		logReload(t, "setting", delay, at)
		if st.Persona == persona {
			t.Errorf("reload %d ms after the persona changed: still %q", delay, persona)
		}
	}

	// A tab is closed as soon as a ranking is taken, and the session opened
	// again in a new one. (This first tab, whose context holds the browser,
	// leaves the app first.)
	must(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	tab, closeTab := chromedp.NewContext(ctx)
	defer closeTab()
	must(t, chromedp.Do(tab, chromedp.Navigate(base+"#label")))
	st = waitSession(t, tab)
	rankCards(t, tab, st)
	pressKey(t, tab, "Enter")
	waitState(t, tab, "the ranking journaled", func(s state) bool { return s.JournalLast > st.JournalLast })
	closeTab()
	again, cancelAgain := chromedp.NewContext(ctx)
	defer cancelAgain()
	must(t, chromedp.Do(again, chromedp.Navigate(base+"#label")))
	st = waitSession(t, again)
	if *st.Rankings != rankings+1 || st.YourRankings != yours+1 {
		t.Errorf("a tab closed after a ranking, the session opened again: %d rankings (%d yours), want %d (%d)", *st.Rankings, st.YourRankings, rankings+1, yours+1)
	}
}

// TestTwoTabs opens the session in a second tab: the second takes it over
// with the first's rankings, the first says so and takes no input, and back
// again; no ranking is lost or filed twice. Once with Web Locks, once as on
// a plain-http classroom address, where the page has none.
func TestTwoTabs(t *testing.T) {
	requireFullE2E(t)
	t.Parallel()
	base := startServer(t)
	for _, locks := range []bool{true, false} {
		t.Run(map[bool]string{true: "web-locks", false: "no-web-locks"}[locks], func(t *testing.T) {
			a, cancel := newBrowser(t)
			defer cancel()
			if !locks {
				hideWebLocks(t, a)
			}
			twoTabs(t, base, a, locks)
		})
	}
}

func twoTabs(t *testing.T, base string, a context.Context, locks bool) {
	must(t, chromedp.Do(a, chromedp.Navigate(base+"#label")))
	waitSession(t, a)
	rank(t, a) // journaled; maybe not yet stored when the other tab asks

	b, cancelB := chromedp.NewContext(a)
	defer cancelB()
	if !locks {
		hideWebLocks(t, b)
	}
	must(t, chromedp.Do(b, chromedp.Navigate(base+"#label")))
	st := waitSession(t, b)
	if *st.Rankings != 1 || st.YourRankings != 1 {
		t.Errorf("the second tab took over with %d rankings (%d yours), want the first tab's 1", *st.Rankings, st.YourRankings)
	}
	sa := waitState(t, a, "the first tab says the session is elsewhere", func(s state) bool { return s.Overlay == "elsewhere" && s.Owner == "elsewhere" })
	if locks {
		shoot(t, a, outDir(t), "two-tabs-elsewhere")
	}
	rank(t, b)
	// The first tab takes no ranking now.
	for _, k := range []string{"1", "2", "3", "Enter"} {
		pressKey(t, a, k)
	}
	if s := waitState(t, a, "the first tab", func(state) bool { return true }); s.JournalLast != sa.JournalLast || s.Ranked != 0 {
		t.Errorf("the tab that handed over took a ranking: journal %d → %d, %d cards ranked", sa.JournalLast, s.JournalLast, s.Ranked)
	}
	// Back to the first tab, by its button: it takes the session back.
	click(t, a, sa.Widgets["take-session"])
	st = waitSession(t, a)
	waitState(t, b, "the second tab says the session is elsewhere", func(s state) bool { return s.Overlay == "elsewhere" })
	if *st.Rankings != 2 || st.YourRankings != 2 {
		t.Errorf("the first tab took the session back with %d rankings (%d yours), want 2 (2)", *st.Rankings, st.YourRankings)
	}
	checkNewest(t, st)
}

// hideWebLocks makes the tab's pages run without navigator.locks, as on a
// page that is not a secure context.
func hideWebLocks(t *testing.T, ctx context.Context) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `Object.defineProperty(Navigator.prototype, "locks", {get: () => undefined});`,
		})
		return err
	})))
}

// TestStorageFull makes the browser refuse the engine's stores, as it does
// when the site's storage quota is exceeded: the page says so and offers
// Export, and the journal keeps the student's ranking through a reload all
// the same.
func TestStorageFull(t *testing.T) {
	requireFullE2E(t)
	t.Parallel()
	base := startServer(t)
	ctx, cancel := newBrowser(t)
	defer cancel()
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"#label")))
	waitSession(t, ctx)
	// Every write of the session aborts its transaction, after it was
	// queued, as a write over the quota does.
	inWorker(t, ctx, `(() => {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (value, key) {
    const req = put.call(this, value, key);
    if (key === "current") this.transaction.abort();
    return req;
  };
  return "";
})()`)
	rank(t, ctx)
	st := waitState(t, ctx, "the message", func(s state) bool { return s.Storage == "not-saved" && s.Message != "" })
	t.Logf("with the storage full the page says: %s", st.Message)
	if !strings.Contains(st.Message, "Export") || st.Widgets["banner-export"][2] == 0 || st.Journal == 0 {
		t.Errorf("storage full: message %q, export button %v, %d actions journaled; want a sentence that offers Export, the button, the ranking journaled",
			st.Message, st.Widgets["banner-export"], st.Journal)
	}
	shoot(t, ctx, outDir(t), "storage-full")
	arm(t, ctx, -1)
	must(t, chromedp.Do(ctx, chromedp.Reload()))
	waitReloaded(t, ctx)
	if st = waitSession(t, ctx); st.YourRankings != 1 {
		t.Errorf("after a reload with the storage full: %d rankings of yours, want the journaled 1", st.YourRankings)
	}
}

// inWorker evaluates js in the engine's worker of the page in ctx.
func inWorker(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	targets, err := chromedp.Targets(ctx)
	must(t, err)
	for _, ti := range targets {
		if ti.Type == "worker" && strings.HasSuffix(ti.URL, "/worker.js") {
			wctx, _ := chromedp.NewContext(ctx, chromedp.WithTargetID(ti.TargetID), chromedp.WithDetachOnCancel())
			v, err := chromedp.Run(wctx, chromedp.Evaluate[string](js))
			must(t, err)
			return v
		}
	}
	t.Fatal("the page has no engine worker")
	return ""
}

// TestNoStorage runs the app in a browser that blocks site data (cookies
// off: neither IndexedDB nor localStorage): it works, says so with a way to
// export, and keeps the student's work in memory.
func TestNoStorage(t *testing.T) {
	requireFullE2E(t)
	t.Parallel()
	base := startServer(t)
	profile := t.TempDir()
	prefs := `{"profile": {"default_content_setting_values": {"cookies": 2}}}`
	must(t, os.MkdirAll(filepath.Join(profile, "Default"), 0o755))
	must(t, os.WriteFile(filepath.Join(profile, "Default", "Preferences"), []byte(prefs), 0o644))
	ctx, cancel := newBrowser(t, chromedp.UserDataDir(profile))
	defer cancel()
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"#label")))
	st := waitSession(t, ctx)
	st = waitState(t, ctx, "the storage message", func(s state) bool { return s.Storage == "no-storage" && s.Message != "" })
	t.Logf("without storage the page says: %s", st.Message)
	if !strings.Contains(st.Message, "Export") || st.Widgets["banner-export"][2] == 0 {
		t.Errorf("without storage: message %q, export button %v; want a sentence that offers Export, and the button", st.Message, st.Widgets["banner-export"])
	}
	shoot(t, ctx, outDir(t), "no-storage")
	rank(t, ctx)
	st = waitState(t, ctx, "the ranking filed in memory", func(s state) bool { return s.YourRankings == 1 })
	if st.Journal != 0 {
		t.Errorf("without storage the journal holds %d actions, want none", st.Journal)
	}
}

// TestEngineStops: the engine's worker stops (out of memory, say); the page
// says so with a Reload button, and the reload goes on from the stored
// session.
func TestEngineStops(t *testing.T) {
	requireFullE2E(t)
	t.Parallel()
	base := startServer(t)
	ctx, cancel := newBrowser(t)
	defer cancel()
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"#label")))
	waitSession(t, ctx)
	rank(t, ctx)
	waitState(t, ctx, "the ranking stored", func(s state) bool { return s.Stored >= s.JournalLast && s.JournalLast > 0 })
	// The engine dies as a Go program does that runs out of memory: its
	// worker hears no more messages, and an uncaught error reaches the page.
	inWorker(t, ctx, `self.onmessage = null, setTimeout(() => { throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded") }), ""`)
	st := waitState(t, ctx, "the message", func(s state) bool {
		return strings.Contains(s.Message, "engine stopped") && s.Widgets["banner-reload"][2] > 0
	})
	shoot(t, ctx, outDir(t), "engine-stopped")
	arm(t, ctx, -1)
	click(t, ctx, st.Widgets["banner-reload"])
	waitReloaded(t, ctx)
	if st = waitSession(t, ctx); st.YourRankings != 1 {
		t.Errorf("after the reload: %d rankings of yours, want 1", st.YourRankings)
	}
}

// requireFullE2E skips the tests that only the full browser suite runs.
func requireFullE2E(t *testing.T) {
	t.Helper()
	requireChromium(t)
	if os.Getenv("RLHF_E2E") != "1" {
		t.Skip("e2e: the full browser suite runs with RLHF_E2E=1 (.ci/run sets it); go test ./... runs TestSmoke and TestNoWebGL")
	}
}

// waitSession waits until this tab owns the session and shows it: the
// engine has applied the journal (its first state follows Hello).
func waitSession(t *testing.T, ctx context.Context) state {
	t.Helper()
	return waitState(t, ctx, "the session", func(s state) bool {
		return s.Ready && s.Owner == "owner" && s.Rankings != nil && s.K > 0
	})
}

// rankCards ranks the waiting cards by keys 1…K-1 (the last follows).
func rankCards(t *testing.T, ctx context.Context, st state) {
	t.Helper()
	for k := 1; k < st.K; k++ {
		pressKey(t, ctx, fmt.Sprint(k))
	}
	waitState(t, ctx, "the cards ranked", func(s state) bool { return s.Ranked == st.K })
}

// rank ranks the waiting cards and submits, and waits until the engine has
// the ranking.
func rank(t *testing.T, ctx context.Context) {
	t.Helper()
	st := waitState(t, ctx, "cards", func(s state) bool { return s.Widgets["card1"][2] > 0 && s.Ranked == 0 })
	rankCards(t, ctx, st)
	pressKey(t, ctx, "Enter")
	waitState(t, ctx, "the ranking filed", func(s state) bool { return s.YourRankings == st.YourRankings+1 })
}

// rankAndReload ranks the waiting cards, arms a reload delay ms after Enter
// is taken, presses Enter and returns the state at the reload.
func rankAndReload(t *testing.T, ctx context.Context, delay int) state {
	t.Helper()
	st := waitState(t, ctx, "cards", func(s state) bool { return s.Stage == "label" && s.Widgets["card1"][2] > 0 && s.Ranked == 0 })
	rankCards(t, ctx, st)
	arm(t, ctx, delay)
	pressKey(t, ctx, "Enter")
	return waitReloaded(t, ctx)
}

// arm makes the page reload itself delay ms after it journals its next
// action, which is the moment its screen shows the action taken. The page
// checks every millisecond itself, so the test's own latency plays no part.
// A negative delay arms nothing but the marker waitReloaded looks for.
func arm(t *testing.T, ctx context.Context, delay int) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
  window.__e2eArmed = true;
  sessionStorage.removeItem("rlhf-e2e-at-reload");
  const delay = %d;
  if (delay < 0) return true;
  const last = JSON.parse(rlhf.state()).journal_last;
  const poll = setInterval(() => {
    if (JSON.parse(rlhf.state()).journal_last <= last) return;
    clearInterval(poll);
    setTimeout(() => {
      sessionStorage.setItem("rlhf-e2e-at-reload", rlhf.state());
      location.reload();
    }, delay);
  }, 1);
  return true;
})()`, delay)))
	must(t, err)
}

// waitReloaded waits for the page that the reload armed by arm loaded, and
// returns the state the old page had when it reloaded.
func waitReloaded(t *testing.T, ctx context.Context) state {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		fresh, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__e2eArmed === undefined && !!window.rlhf`))
		if err == nil && fresh {
			var at state
			if raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`sessionStorage.getItem("rlhf-e2e-at-reload") || "{}"`)); err == nil {
				json.Unmarshal([]byte(raw), &at)
			}
			return at
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the page did not reload; console:\n%s", consoleLog.String())
	return state{}
}

// logReload says how far the store had come when the page reloaded.
func logReload(t *testing.T, what string, delay int, at state) {
	t.Helper()
	t.Logf("reload %d ms after a %s was taken (action %d): the engine had applied up to %d, the browser stored up to %d",
		delay, what, at.JournalLast, at.Applied, at.Stored)
}

// checkNewest fails if a ranking is listed twice.
func checkNewest(t *testing.T, st state) {
	t.Helper()
	var ids []uint64
	for _, r := range st.Recent {
		if slices.Contains(ids, r.ID) {
			t.Errorf("ranking %d is filed twice: %+v", r.ID, st.Recent)
		}
		ids = append(ids, r.ID)
	}
}

// typeInto clicks a text field and types text into it, as an IME commits
// it. The field is clicked twice: the page focuses its hidden text area on a
// mouse-up once the field has focus (loader.js), which the first click gives.
func typeInto(t *testing.T, ctx context.Context, field [4]float64, text string) {
	t.Helper()
	click(t, ctx, field)
	click(t, ctx, field)
	must(t, chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})))
	time.Sleep(100 * time.Millisecond)
}
