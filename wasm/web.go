//go:build js && wasm

package main

import (
	"encoding/json"
	"math"
	"strings"
	"sync/atomic"
	"syscall/js"

	"rlhfplayground/i18n"
	"rlhfplayground/jsglobal"
	"rlhfplayground/protocol"
)

// page is the app's only link to the browser page: the URL hash, the tab's
// visibility, the loading screen and window.rlhf. Callbacks from JS run
// outside Update, so they only post values for Update to pick up.
type page struct {
	hashes       chan string     // location.hash after each hashchange event
	clicks       chan [2]float64 // CSS-pixel positions of mouse clicks, oldest first
	visible      atomic.Bool
	onVisibility func(visible bool)
}

func newPage() *page {
	p := &page{hashes: make(chan string, 16), clicks: make(chan [2]float64, 16)}
	doc := js.Global().Get("document")
	// A quick click can press and release the button between two ticks,
	// which polling ebiten's mouse state misses; the DOM's click event does not.
	// A press that moved before its release is a drag (of a card), not a click.
	var downX, downY float64
	js.Global().Call("addEventListener", "mousedown", js.FuncOf(func(_ js.Value, args []js.Value) any {
		downX, downY = args[0].Get("clientX").Float(), args[0].Get("clientY").Float()
		return nil
	}))
	js.Global().Call("addEventListener", "click", js.FuncOf(func(_ js.Value, args []js.Value) any {
		x, y := args[0].Get("clientX").Float(), args[0].Get("clientY").Float()
		if (x-downX)*(x-downX)+(y-downY)*(y-downY) > dragSlop*dragSlop {
			return nil
		}
		select {
		case p.clicks <- [2]float64{args[0].Get("clientX").Float(), args[0].Get("clientY").Float()}:
		default: // sixteen clicks in one tick: drop the rest
		}
		wake()
		return nil
	}))
	p.visible.Store(doc.Get("visibilityState").String() != "hidden")
	js.Global().Call("addEventListener", "hashchange", js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case p.hashes <- p.Hash():
		default: // Update is not running (hidden tab); the newest hash is read again below
		}
		wake()
		return nil
	}))
	doc.Call("addEventListener", "visibilitychange", js.FuncOf(func(js.Value, []js.Value) any {
		visible := doc.Get("visibilityState").String() != "hidden"
		p.visible.Store(visible)
		if f := p.onVisibility; f != nil {
			f(visible)
		}
		wake()
		return nil
	}))
	// pagehide: the tab is closed, reloaded or navigated away from.
	js.Global().Call("addEventListener", "pagehide", js.FuncOf(func(js.Value, []js.Value) any {
		if f := p.onVisibility; f != nil {
			f(false)
		}
		return nil
	}))
	return p
}

// OnVisibility calls f (in the event's callback: a hidden tab runs no
// Update) when the tab is shown or hidden, and with false when it is
// closed or reloaded.
func (p *page) OnVisibility(f func(visible bool)) { p.onVisibility = f }

// reload reloads the page: a new start, from the stored session and the journal.
func reload() { js.Global().Get("location").Call("reload") }

// Query is location.search, such as "?kernels=go" or "".
func (p *page) Query() string { return js.Global().Get("location").Get("search").String() }

// dragSlop is how far (CSS pixels) a press may move and still be a click.
const dragSlop = 6

// Hash is location.hash, such as "#sft" or "".
func (p *page) Hash() string { return js.Global().Get("location").Get("hash").String() }

// SetHash sets location.hash; push adds a history entry (so Back returns to
// the previous stage), otherwise the current entry is replaced.
func (p *page) SetHash(hash string, push bool) {
	if p.Hash() == hash {
		return
	}
	if push {
		js.Global().Get("location").Set("hash", hash)
		return
	}
	js.Global().Get("history").Call("replaceState", nil, "", hash)
}

// SetTitle sets the tab's title.
func (p *page) SetTitle(title string) { js.Global().Get("document").Set("title", title) }

// Visible reports whether the tab is shown (document.visibilityState).
func (p *page) Visible() bool { return p.visible.Load() }

// Mark records a moment of start-up (performance.mark("rlhf:"+name)), so
// state().startup_ms and the browser's own profiler show where the time goes.
func Mark(name string) {
	if perf := js.Global().Get("performance"); perf.Truthy() && perf.Get("mark").Truthy() {
		perf.Call("mark", "rlhf:"+name)
	}
}

// startupMarks returns the start-up moments marked so far (by loader.js and
// by Mark), in milliseconds since navigation started.
func startupMarks() map[string]float64 {
	perf := js.Global().Get("performance")
	if !perf.Truthy() || !perf.Get("getEntriesByType").Truthy() {
		return nil
	}
	entries := perf.Call("getEntriesByType", "mark")
	marks := map[string]float64{}
	for i := range entries.Length() {
		e := entries.Index(i)
		if name := e.Get("name").String(); strings.HasPrefix(name, "rlhf:") {
			marks[strings.TrimPrefix(name, "rlhf:")] = math.Round(e.Get("startTime").Float())
		}
	}
	return marks
}

// Started removes the loading screen; call it once the first frame is drawn.
func (p *page) Started() {
	Mark("first-frame")
	if el := js.Global().Get("document").Call("getElementById", "loading"); el.Truthy() {
		el.Call("remove")
	}
}

// ShowError puts err in the loading screen's error box (or, after start,
// brings the loading screen back to show it).
func (p *page) ShowError(err error) {
	doc := js.Global().Get("document")
	js.Global().Get("console").Call("error", "rlhfplayground: "+err.Error())
	box := doc.Call("getElementById", "error")
	if !box.Truthy() {
		main := doc.Call("createElement", "main")
		main.Set("id", "loading")
		box = doc.Call("createElement", "pre")
		box.Set("id", "error")
		main.Call("appendChild", box)
		doc.Get("body").Call("appendChild", main)
	}
	t := i18n.For(shownLang)
	box.Set("textContent", i18n.Sprintf(t.Page.Stopped, err.Error()))
	box.Set("hidden", false)
	if status := doc.Call("getElementById", "status"); status.Truthy() {
		status.Set("textContent", t.Page.CouldNotRun)
	}
	if bar := doc.Call("getElementById", "progress"); bar.Truthy() {
		bar.Set("hidden", true)
	}
}

// State is what window.rlhf.state() returns (as a JSON string), for tests and
// the curious: the engine's state as the worker last sent it (protocol.State,
// whose fields appear at the top level), and what only the page knows.
// Counts are 0 and measurements null until the engine runs.
type State struct {
	protocol.State
	Stage      string   `json:"stage"`
	Frames     int64    `json:"frames"`
	FrameMsP50 *float64 `json:"frame_ms_p50"` // median time between frames over the last 3 s
	FrameMsP95 *float64 `json:"frame_ms_p95"`
	// StartupMs holds the moments of start-up in ms since navigation:
	// fetch, compiled, go-run (loader.js), main, game, first-frame (the app).
	StartupMs map[string]float64 `json:"startup_ms"`
	Busy      bool               `json:"busy"` // training work is running
	Visible   bool               `json:"visible"`

	RMAccuracy   *float64 `json:"rm_accuracy"`
	PPOIteration int      `json:"ppo_iteration"`
	RMScoreMean  *float64 `json:"rm_score_mean"`
	KLMean       *float64 `json:"kl_mean"`

	// Targets maps each stage to the centre of its header chip in CSS pixels,
	// so browser tests can click like a person.
	Targets map[string][2]float64 `json:"targets"`
	// Widgets maps each widget on screen to its rectangle (x, y, w, h) in CSS pixels.
	Widgets map[string][4]float64 `json:"widgets"`
	// Presets is the experiments screen and the last experiment's result.
	Presets *presetsState `json:"presets"`

	Owner        string  `json:"owner"`        // this tab and the session: claiming, owner, handing-over, elsewhere
	Journal      int     `json:"journal"`      // the student's actions in the journal that the store has not caught up with
	JournalLast  uint64  `json:"journal_last"` // the number of the newest action journaled
	Ready        bool    `json:"ready"`        // the engine's worker has started
	Ranked       int     `json:"ranked"`       // cards ranked so far on the Label screen
	K            int     `json:"k"`
	Persona      string  `json:"persona"`
	RMScores     bool    `json:"rm_scores"` // the cards show reward-model scores
	PretrainStep int     `json:"pretrain_step"`
	SFTStep      int     `json:"sft_step"`
	RMSteps      int     `json:"rm_steps"`
	PPOPoints    int     `json:"ppo_points"`  // points on the reward chart
	Message      string  `json:"message"`     // the banner's text
	Overlay      string  `json:"overlay"`     // the open dialog, if any
	PPOIterMs    float64 `json:"ppo_iter_ms"` // wall time of one PPO iteration while running, as the page saw it

	// The languages (wasm/lang.go) and what the tests of the SFT screen read.
	MessageCode string    `json:"message_code"` // the code of the last message, shown or not
	Lang        string    `json:"lang"`         // the page's language: "en", "zh-TW"
	ModelLang   string    `json:"model_lang"`   // the session's (its model's) language
	Models      []string  `json:"models"`       // the languages whose models the server has
	DemoDraft   [2]string `json:"demo_draft"`   // the SFT screen's prompt and answer as typed
	Unknown     []string  `json:"unknown"`      // the words of the draft the model has no token for

	Class *ClassState `json:"class,omitempty"` // the class server's connection (classlink.go); absent without a class

	// The guided lesson and the link (lesson.go).
	Lesson     LessonState  `json:"lesson"`
	Link       string       `json:"link"`             // the hash the page keeps in the URL
	Preset     string       `json:"preset"`           // the link's preset
	Projector  bool         `json:"projector"`        // projector mode
	Copied     string       `json:"copied"`           // what Copy link did: "clipboard", "shown" (the box with the link), "" before
	CopiedLink string       `json:"copied_link"`      // the link it copied
	SlowMo     *SlowMoState `json:"slowmo,omitempty"` // the PPO screen's slow motion (slowmo.go), while open
}

// ExposeState defines window.rlhf.state(), which calls state and must not
// change anything.
func (p *page) ExposeState(state func() State) {
	api := js.Global().Get("Object").New()
	api.Set("state", js.FuncOf(func(js.Value, []js.Value) any {
		b, err := json.Marshal(state())
		if err != nil {
			return js.Global().Get("JSON").Call("stringify", map[string]any{"error": err.Error()})
		}
		return string(b)
	}))
	js.Global().Set(jsglobal.API, api)
}

// focusCanvas gives the keyboard back to ebiten's canvas after a text field.
func focusCanvas() {
	if cv := js.Global().Get("document").Call("querySelector", "canvas"); cv.Truthy() {
		cv.Call("focus")
	}
}
