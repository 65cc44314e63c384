package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"rlhfplayground/internal/testpack"
)

// The Chinese font and a language's pack, as the page and the worker fetch them.
const fontFile = "fonts/NotoSansCJKtc-Subset.otf"

// englishCheckpoints are what the worker fetches for a fresh English
// session (its text is in worker.wasm).
var englishCheckpoints = []string{"packs/en/pretrained.ckpt", "packs/en/sft.ckpt"}

func packFiles(lang string) []string {
	var out []string
	for _, f := range []string{"pretrained.ckpt", "sft.ckpt", "corpus.txt", "prompts.txt", "heldout_prompts.txt", "demonstrations.jsonl"} {
		out = append(out, "packs/"+lang+"/"+f)
	}
	return out
}

// openPage navigates to url and waits for the first frame and then for the
// answers to rank; it logs both times and the page's start-up moments.
func openPage(t *testing.T, ctx context.Context, url, what string) state {
	t.Helper()
	start := time.Now()
	must(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitState(t, ctx, "the first frame", func(s state) bool { return s.Frames > 0 })
	firstFrame := time.Since(start)
	st := waitState(t, ctx, "the engine", func(s state) bool { return s.Ready && s.Lang != "" && s.ModelLang != "" })
	t.Logf("%s: first frame %v, engine ready %v after navigation; start-up (ms): %s", what, firstFrame.Round(time.Millisecond),
		time.Since(start).Round(time.Millisecond), startupMoments(st.StartupMs))
	return st
}

// TestChinese is the app in 繁體中文 on a server that has no Chinese model
// yet: a browser whose language is zh-TW gets the page in Chinese, is told
// plainly that the English model stays, and walks the recipe by keys and
// clicks: ranks, auto-labels, trains the reward model, runs PPO, on every
// screen at two sizes (screenshots in testdata/out/zh-TW/). ?lang= wins
// over the browser's language both ways, and the header's switch changes
// the page's language and says again that there is no Chinese model.
func TestChinese(t *testing.T) {
	requireChromium(t)
	base := startServer(t)
	t.Logf("繁體中文 page with the English model, compressed (brotli): %s", transferSize(t, base, append([]string{fontFile}, englishCheckpoints...)...))
	out := outDir(t, "zh-TW")

	ctx, cancel := newBrowser(t, chromedp.Flag("accept-lang", "zh-TW,zh"))
	defer cancel()
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	st := openPage(t, ctx, base+"#label", "繁體中文 by the browser's language")
	htmlLang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	must(t, err)
	if st.Lang != "zh-TW" || htmlLang != "zh-TW" {
		t.Fatalf("navigator.languages zh-TW: the page is in %q (<html lang=%q>)", st.Lang, htmlLang)
	}
	if st.ModelLang != "en" || slices.Contains(st.Models, "zh-TW") || st.MessageCode != "no-model" {
		t.Errorf("no Chinese model on the server: model %q, models %q, message %q; want en, and a no-model notice", st.ModelLang, st.Models, st.MessageCode)
	}
	if st.Message != "" && !strings.Contains(st.Message, "中文模型") {
		t.Errorf("the notice is not in Chinese: %q", st.Message)
	}
	shoot(t, ctx, out, "label-no-model")

	// Rank two prompts with the keyboard, as in English.
	for i := range 2 {
		waitState(t, ctx, "answers", func(s state) bool { return s.Widgets["card4"][2] > 0 && s.Ranked == 0 })
		for _, k := range []string{"2", "1", "4"} {
			pressKey(t, ctx, k)
		}
		waitState(t, ctx, "three cards ranked by keys", func(s state) bool { return s.Ranked == 4 })
		if i == 0 {
			shoot(t, ctx, out, "label-ranked")
		}
		pressKey(t, ctx, "Enter")
		waitState(t, ctx, "the ranking filed", func(s state) bool { return s.YourRankings == i+1 && s.Ranked == 0 })
	}
	for n := range 2 {
		st = waitState(t, ctx, "auto-label ready", func(s state) bool { return !s.Busy })
		click(t, ctx, st.Widgets["autolabel"])
		waitState(t, ctx, "auto-labelling", func(s state) bool { return *s.Rankings >= 2+20*(n+1) && !s.Busy })
	}
	st = waitState(t, ctx, "idle", func(s state) bool { return !s.Busy })
	click(t, ctx, st.Widgets["train-rm"])
	st = waitState(t, ctx, "the reward model trained", func(s state) bool { return s.RMAccuracy != nil && !s.Busy && s.RMScores })
	t.Logf("繁體中文: reward model held-out accuracy %.2f", *st.RMAccuracy)
	shoot(t, ctx, out, "label")

	clickStage(t, ctx, "ppo")
	st = waitState(t, ctx, "PPO controls", func(s state) bool { return s.Widgets["ppo-step"][2] > 0 })
	for i := range 2 {
		click(t, ctx, st.Widgets["ppo-step"])
		st = waitState(t, ctx, "a PPO iteration", func(s state) bool { return s.PPOIteration >= i+1 && !s.Busy })
	}
	time.Sleep(time.Second) // the probe panel refreshes
	shoot(t, ctx, out, "ppo")
	for _, stage := range []string{"pretrain", "sft"} {
		clickStage(t, ctx, stage)
		time.Sleep(1500 * time.Millisecond) // samples from the worker
		shoot(t, ctx, out, stage)
	}
	st = waitState(t, ctx, "a frame", func(state) bool { return true })
	click(t, ctx, st.Widgets["settings"])
	waitState(t, ctx, "the settings dialog", func(s state) bool { return s.Overlay == "settings" && s.Widgets["settings-close"][2] > 0 })
	shoot(t, ctx, out, "settings")
	st = waitState(t, ctx, "a frame", func(state) bool { return true })
	click(t, ctx, st.Widgets["settings-close"])
	waitState(t, ctx, "the dialog closed", func(s state) bool { return s.Overlay == "" })

	// The layout holds on a small laptop too.
	resize(t, ctx, 1024, 640)
	for _, stage := range []string{"label", "sft", "ppo", "pretrain"} {
		clickStage(t, ctx, stage)
		time.Sleep(300 * time.Millisecond)
		shoot(t, ctx, out, stage+"-1024x640")
	}
	resize(t, ctx, 1280, 800)
	clickStage(t, ctx, "label")

	// The switch: to English (the model is English already: no question),
	// and back, where the page says plainly that there is no Chinese model.
	st = waitState(t, ctx, "the switch", func(s state) bool { return s.Widgets["lang"][2] > 0 })
	click(t, ctx, st.Widgets["lang"])
	st = waitState(t, ctx, "the page in English", func(s state) bool { return s.Lang == "en" && s.Overlay == "" })
	if title, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`)); !strings.HasPrefix(title, "Reward model") {
		t.Errorf("the English page's title: %q", title)
	}
	click(t, ctx, st.Widgets["lang"])
	st = waitState(t, ctx, "the dialog: no Chinese model", func(s state) bool {
		return s.Lang == "zh-TW" && s.Overlay == "lang-missing" && s.Widgets["lang-ok"][2] > 0
	})
	shoot(t, ctx, out, "no-model-dialog")
	click(t, ctx, st.Widgets["lang-ok"])
	st = waitState(t, ctx, "the dialog closed", func(s state) bool { return s.Overlay == "" })
	if st.Lang != "zh-TW" || st.ModelLang != "en" || *st.Rankings < 42 {
		t.Errorf("after the switch: page %q, model %q, %d rankings; want zh-TW, en and the session as it was", st.Lang, st.ModelLang, *st.Rankings)
	}
	if title, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`)); !strings.HasPrefix(title, "獎勵模型") {
		t.Errorf("the Chinese page's title: %q", title)
	}

	// ?lang= is a teacher's link: it wins over the browser's language.
	openPage(t, ctx, base+"?lang=en#label", "?lang=en with a zh-TW browser")
	if st = waitState(t, ctx, "the page", func(s state) bool { return s.Ready }); st.Lang != "en" {
		t.Errorf("?lang=en: the page is in %q", st.Lang)
	}
	// And the link's choice is remembered for a visit without it.
	openPage(t, ctx, base+"#label", "after ?lang=en, no ?lang")
	if st = waitState(t, ctx, "the page", func(s state) bool { return s.Ready }); st.Lang != "en" {
		t.Errorf("the choice of ?lang=en was not remembered: %q", st.Lang)
	}

	// An English browser with a ?lang=zh-TW link.
	ctx2, cancel2 := newBrowser(t)
	defer cancel2()
	must(t, chromedp.Do(ctx2, chromedp.EmulateViewport(1280, 800)))
	st = openPage(t, ctx2, base+"?lang=zh-TW#pretrain", "繁體中文 by ?lang=zh-TW")
	if st.Lang != "zh-TW" {
		t.Errorf("?lang=zh-TW in an English browser: the page is in %q", st.Lang)
	}
	shoot(t, ctx2, out, "pretrain-fresh")
	fetched, err := chromedp.Run(ctx2, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource").map(e => new URL(e.name).pathname)`))
	must(t, err)
	if !slices.Contains(fetched, "/"+fontFile) {
		t.Errorf("the Chinese page did not fetch the font: %s", strings.Join(fetched, " "))
	}
}

// TestChineseModel runs against a server with a Chinese pack (an untrained
// model, internal/testpack, standing in for the one not trained yet): the
// worker fetches it only when the Chinese model is chosen; a student types a
// Chinese demonstration with an IME (CDP's Input.imeSetComposition and
// insertText) and an unknown character is marked; the switch asks whether
// the model follows the page's language, each model keeps its own session,
// and the English page draws the Chinese model's text.
func TestChineseModel(t *testing.T) {
	requireChromium(t)
	startServer(t) // builds the wasm first, so the two servers do not build it at once
	packs := t.TempDir()
	must(t, testpack.Write(packs))
	base := startServerWith(t, packs)
	out := outDir(t, "zh-TW")
	defer func() { // last: the server's log tells which files the pages fetched
		t.Logf("繁體中文 page with the Chinese model, compressed (brotli): %s", transferSize(t, base, append([]string{fontFile}, packFiles(testpack.Lang)...)...))
	}()

	ctx, cancel := newBrowser(t)
	defer cancel()
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	// An English page first: the English model, and no pack fetched.
	st := openPage(t, ctx, base+"?lang=en#sft", "English with a Chinese model on the server")
	if st.ModelLang != "en" || !slices.Equal(st.Models, []string{"en", testpack.Lang}) {
		t.Fatalf("English page: model %q, models %q", st.ModelLang, st.Models)
	}
	if strings.Contains(serverLog(packs), "/packs/zh-TW/") {
		t.Errorf("an English page fetched the Chinese pack:\n%s", serverLog(packs))
	}
	// The switch asks; the Chinese model opens a session of its own.
	st = waitState(t, ctx, "the switch", func(s state) bool { return s.Widgets["lang"][2] > 0 })
	click(t, ctx, st.Widgets["lang"])
	st = waitState(t, ctx, "the question", func(s state) bool { return s.Lang == "zh-TW" && s.Overlay == "lang" && s.Widgets["lang-yes"][2] > 0 })
	shoot(t, ctx, out, "model-dialog")
	click(t, ctx, st.Widgets["lang-yes"])
	st = waitState(t, ctx, "the Chinese model", func(s state) bool {
		return s.ModelLang == testpack.Lang && s.Overlay == "" && s.Widgets["demo-prompt"][2] > 0 && s.Demos > 0
	})
	if !strings.Contains(serverLog(packs), "GET /packs/zh-TW/sft.ckpt 200") || st.YourDemos != 0 {
		t.Errorf("the Chinese session: %d demonstrations of the student's; server log:\n%s", st.YourDemos, serverLog(packs))
	}

	// Type a demonstration with an IME: focus the field (the second click
	// lets ebiten's text input take the focus), compose, commit.
	typeIME := func(field, composing, text string) {
		t.Helper()
		st := waitState(t, ctx, field, func(s state) bool { return s.Widgets[field][2] > 0 })
		click(t, ctx, st.Widgets[field])
		click(t, ctx, st.Widgets[field])
		must(t, chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.ImeSetComposition, input.ImeSetCompositionParams{Text: composing,
				SelectionStart: int64(len([]rune(composing))), SelectionEnd: int64(len([]rune(composing)))})
			return err
		})))
		time.Sleep(300 * time.Millisecond)
		if field == "demo-prompt" {
			shoot(t, ctx, out, "sft-ime-composing")
		}
		must(t, chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: text})
			return err
		})))
	}
	typeIME("demo-prompt", "怎麼", testpack.Prompt)
	waitState(t, ctx, "the prompt typed", func(s state) bool { return s.DemoDraft[0] == testpack.Prompt })
	typeIME("demo-answer", "水煮", testpack.Answer+testpack.Unknown)
	st = waitState(t, ctx, "the unknown character", func(s state) bool {
		return s.DemoDraft[1] == testpack.Answer+testpack.Unknown && slices.Equal(s.Unknown, []string{testpack.Unknown})
	})
	shoot(t, ctx, out, "sft-unknown-character")
	pressKey(t, ctx, "Backspace")
	st = waitState(t, ctx, "the unknown character deleted", func(s state) bool { return s.DemoDraft[1] == testpack.Answer && len(s.Unknown) == 0 })
	click(t, ctx, st.Widgets["demo-add"])
	st = waitState(t, ctx, "the demonstration added", func(s state) bool { return s.YourDemos == 1 && s.DemoDraft == [2]string{} })
	shoot(t, ctx, out, "sft-chinese-model")

	// Back to the English page, keeping the Chinese model: the English page
	// draws the Chinese text (the font is loaded behind the Go font).
	click(t, ctx, st.Widgets["lang"])
	st = waitState(t, ctx, "the question", func(s state) bool { return s.Lang == "en" && s.Overlay == "lang" && s.Widgets["lang-no"][2] > 0 })
	click(t, ctx, st.Widgets["lang-no"])
	st = waitState(t, ctx, "the dialog closed", func(s state) bool { return s.Overlay == "" })
	if st.ModelLang != testpack.Lang || st.YourDemos != 1 {
		t.Errorf("kept the Chinese model: model %q, %d demonstrations of the student's", st.ModelLang, st.YourDemos)
	}
	shoot(t, ctx, out, "sft-english-page-chinese-model")

	// Each model keeps its session: the English one has none of the
	// Chinese demonstration, and the Chinese one has it after a reload.
	click(t, ctx, st.Widgets["lang"])
	st = waitState(t, ctx, "the page in Chinese", func(s state) bool { return s.Lang == "zh-TW" && s.Overlay == "" })
	click(t, ctx, st.Widgets["lang"])
	st = waitState(t, ctx, "the question", func(s state) bool { return s.Lang == "en" && s.Overlay == "lang" && s.Widgets["lang-yes"][2] > 0 })
	click(t, ctx, st.Widgets["lang-yes"])
	st = waitState(t, ctx, "the English model", func(s state) bool { return s.ModelLang == "en" && s.Ready && s.Demos > 200 })
	if st.YourDemos != 0 || st.MessageCode != "model-switched" {
		t.Errorf("back to the English model: %d demonstrations of the student's, message %q", st.YourDemos, st.MessageCode)
	}
	st = openPage(t, ctx, base+"?lang=zh-TW#sft", "?lang=zh-TW after choosing the English model")
	if st.Lang != "zh-TW" || st.ModelLang != "en" {
		t.Errorf("the answer to the question is remembered: page %q, model %q; want zh-TW and en", st.Lang, st.ModelLang)
	}
	click(t, ctx, st.Widgets["lang"])
	click(t, ctx, waitState(t, ctx, "English", func(s state) bool { return s.Lang == "en" && s.Overlay == "" }).Widgets["lang"])
	st = waitState(t, ctx, "the question", func(s state) bool { return s.Overlay == "lang" && s.Widgets["lang-yes"][2] > 0 })
	click(t, ctx, st.Widgets["lang-yes"])
	// The switch may report the opened session before the journal's
	// actions for it are applied (and the state the page polls can come
	// between), so wait for the demonstration rather than read the first
	// state of the Chinese model; if it is lost, this times out.
	waitState(t, ctx, "the stored Chinese session with the student's demonstration", func(s state) bool {
		return s.ModelLang == testpack.Lang && s.Ready && s.Overlay == "" && s.YourDemos == 1
	})

	// A new browser's first load of the Chinese page opens the Chinese
	// model at once: the English checkpoints are not fetched.
	fetchedEnglish := strings.Count(serverLog(packs), "GET /packs/en/")
	ctx2, cancel2 := newBrowser(t)
	defer cancel2()
	st = openPage(t, ctx2, base+"?lang=zh-TW#label", "a first load of ?lang=zh-TW with a Chinese model on the server")
	if st.ModelLang != testpack.Lang {
		t.Errorf("a first load of ?lang=zh-TW: model %q, want %s", st.ModelLang, testpack.Lang)
	}
	if n := strings.Count(serverLog(packs), "GET /packs/en/") - fetchedEnglish; n != 0 {
		t.Errorf("a first load of the Chinese page fetched the English checkpoints (%d requests):\n%s", n, serverLog(packs))
	}
}
