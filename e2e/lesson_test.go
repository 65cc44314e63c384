package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// lessonState is state().lesson and the link's fields.
type lessonState struct {
	Lesson struct {
		Open    bool    `json:"open"`
		Card    int     `json:"card"`
		ID      string  `json:"id"`
		Stage   string  `json:"stage"`
		Passed  bool    `json:"passed"`
		Compact bool    `json:"compact"`
		Have    float64 `json:"have"`
	} `json:"lesson"`
	Link       string                `json:"link"`
	Projector  bool                  `json:"projector"`
	Copied     string                `json:"copied"`
	CopiedLink string                `json:"copied_link"`
	Settings   json.RawMessage       `json:"settings"`
	Stage      string                `json:"stage"`
	K          int                   `json:"k"`
	Ready      bool                  `json:"ready"`
	Lang       string                `json:"lang"`
	Overlay    string                `json:"overlay"`
	Pretrain   int                   `json:"pretrain_step"`
	YourDemos  int                   `json:"your_demos"`
	Widgets    map[string][4]float64 `json:"widgets"`
}

// lessonNow reads state() with the lesson's fields.
func lessonNow(t *testing.T, s state) lessonState {
	t.Helper()
	var ls lessonState
	must(t, json.Unmarshal(*s.raw, &ls))
	return ls
}

// klCoef is β in the settings state() reports, and whether it adapts.
func klCoef(t *testing.T, ls lessonState) (beta float64, adaptive bool) {
	t.Helper()
	var s struct {
		PPO struct {
			KLCoef     float64 `json:"kl_coef"`
			AdaptiveKL bool    `json:"adaptive_kl"`
		} `json:"ppo"`
	}
	must(t, json.Unmarshal(ls.Settings, &s))
	return s.PPO.KLCoef, s.PPO.AdaptiveKL
}

// linkSettings reports whether the session has the link's settings: β = 0,
// adaptive.
func linkSettings(t *testing.T, ls lessonState) bool {
	t.Helper()
	beta, adaptive := klCoef(t, ls)
	return beta == 0 && adaptive
}

// waitLesson polls state() until ok holds of its lesson fields.
func waitLesson(t *testing.T, ctx context.Context, what string, ok func(lessonState) bool) lessonState {
	t.Helper()
	return lessonNow(t, waitState(t, ctx, what, func(s state) bool { return ok(lessonNow(t, s)) }))
}

// shootLesson shoots the screen as out/name.png and checks that no widget
// of the scene reaches into the lesson's card.
func shootLesson(t *testing.T, ctx context.Context, out, name string) {
	t.Helper()
	time.Sleep(300 * time.Millisecond) // a frame laid out in the last Update
	shoot(t, ctx, out, name)
	ls := waitLesson(t, ctx, "the card on screen", func(ls lessonState) bool { return ls.Widgets["lesson"][2] > 0 })
	card := ls.Widgets["lesson"]
	for name, r := range ls.Widgets {
		if name == "lesson" || name == "copy-link" || strings.HasPrefix(name, "lesson-") || r[2] == 0 || r[3] == 0 {
			continue
		}
		if r[0] < card[0]+card[2] && card[0] < r[0]+r[2] && r[1] < card[1]+card[3] && card[1] < r[1]+r[3] {
			t.Errorf("%s: widget %s %v overlaps the lesson's card %v", name, name, r, card)
		}
	}
}

// TestLesson opens a teacher's link (a stage, a lesson card and two
// settings), finds them in state() and in the URL, walks two cards by doing
// what they ask (pretraining steps, a demonstration typed and added) with
// real clicks, reloads and finds the lesson where it was, copies the link
// and opens it in a fresh browser profile, and shoots the card in both
// languages and projector mode (testdata/out/lesson/).
func TestLesson(t *testing.T) {
	requireFullE2E(t)
	t.Parallel()
	base := startServer(t)
	out := outDir(t, "lesson")
	ctx, cancel := newBrowser(t)
	defer cancel()
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))

	// The link: the pretraining screen, card 1, β = 0 and adaptive β. The
	// page writes it back in its own order.
	openPage(t, ctx, base+"#pretrain?card=1&adaptive=1&beta=0", "a lesson link")
	ls := waitLesson(t, ctx, "the link's card and settings", func(ls lessonState) bool {
		return ls.Lesson.Open && ls.Lesson.Card == 1 && linkSettings(t, ls) && ls.Widgets["lesson-next"][2] > 0
	})
	if ls.Stage != "pretrain" || ls.Lesson.ID != "pretrain" || ls.Lesson.Passed {
		t.Fatalf("after the link: stage %q, lesson %+v", ls.Stage, ls.Lesson)
	}
	if h := hash(t, ctx); h != "#pretrain?card=1&beta=0&adaptive=1" || ls.Link != h {
		t.Errorf("the URL after the link: %q, state().link %q", h, ls.Link)
	}
	shootLesson(t, ctx, out, "card1-en")

	// Card 1: pretrain 5 steps with the Step button; Next waits for them.
	for i := 0; i < 5; i++ {
		before := ls.Pretrain
		click(t, ctx, ls.Widgets["pretrain-step"])
		ls = waitLesson(t, ctx, "a pretraining step", func(ls lessonState) bool { return ls.Pretrain > before && ls.Widgets["pretrain-step"][2] > 0 })
		if i < 3 && ls.Pretrain < 5 && ls.Lesson.Passed {
			t.Errorf("card 1 passed after %d steps", ls.Pretrain)
		}
	}
	ls = waitLesson(t, ctx, "card 1 passed", func(ls lessonState) bool { return ls.Lesson.Passed && ls.Lesson.Have >= 5 })
	click(t, ctx, ls.Widgets["lesson-next"])
	ls = waitLesson(t, ctx, "card 2 on the SFT screen", func(ls lessonState) bool {
		return ls.Lesson.Card == 2 && ls.Stage == "sft" && ls.Widgets["demo-prompt"][2] > 0
	})
	if h := hash(t, ctx); h != "#sft?card=2&beta=0&adaptive=1" {
		t.Errorf("the URL on card 2: %q", h)
	}

	// Card 2: a demonstration, typed and added.
	typeInto(t, ctx, ls.Widgets["demo-prompt"], "What do bees make?")
	typeInto(t, ctx, ls.Widgets["demo-answer"], "Bees make honey.")
	click(t, ctx, ls.Widgets["demo-add"])
	ls = waitLesson(t, ctx, "card 2 passed", func(ls lessonState) bool { return ls.YourDemos == 1 && ls.Lesson.Passed })
	click(t, ctx, ls.Widgets["lesson-next"])
	ls = waitLesson(t, ctx, "card 3", func(ls lessonState) bool { return ls.Lesson.Card == 3 && !ls.Lesson.Passed })
	shootLesson(t, ctx, out, "card3-en")

	// A reload finds the lesson where it was.
	must(t, chromedp.Do(ctx, chromedp.Reload()))
	ls = waitLesson(t, ctx, "the lesson after a reload", func(ls lessonState) bool {
		return ls.Ready && ls.Lesson.Open && ls.Lesson.Card == 3 && ls.YourDemos == 1
	})
	if ls.Stage != "sft" || !linkSettings(t, ls) {
		t.Errorf("after the reload: stage %q, settings %s", ls.Stage, ls.Settings)
	}

	// Copy link: on the clipboard, or shown to be copied by hand.
	click(t, ctx, ls.Widgets["copy-link"])
	ls = waitLesson(t, ctx, "the link copied", func(ls lessonState) bool { return ls.Copied != "" })
	if !strings.HasSuffix(ls.CopiedLink, "#sft?card=3&beta=0&adaptive=1") {
		t.Errorf("copied %q (%s)", ls.CopiedLink, ls.Copied)
	}
	if ls.Copied == "shown" {
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("link-box-url").value`))
		must(t, err)
		if shown != ls.CopiedLink {
			t.Errorf("the box shows %q, the link is %q", shown, ls.CopiedLink)
		}
	}
	t.Logf("Copy link: %s, %s", ls.Copied, ls.CopiedLink)
	link := ls.CopiedLink

	// The same lesson in 繁體中文, and projector mode in both languages.
	openPage(t, ctx, base+"?lang=zh-TW#sft", "the lesson in 繁體中文")
	ls = waitLesson(t, ctx, "the Chinese card", func(ls lessonState) bool {
		return ls.Lang == "zh-TW" && ls.Lesson.Open && ls.Lesson.Card == 3 && ls.Widgets["projector"][2] > 0
	})
	if b := ls.Widgets["banner-close"]; b[2] > 0 { // "no Chinese model on this server": read, closed
		click(t, ctx, b)
		waitLesson(t, ctx, "the banner closed", func(ls lessonState) bool { return ls.Widgets["banner-close"][2] == 0 })
	}
	shootLesson(t, ctx, out, "card3-zh-TW")
	click(t, ctx, ls.Widgets["projector"])
	ls = waitLesson(t, ctx, "projector mode", func(ls lessonState) bool { return ls.Projector && ls.Widgets["settings"][2] == 0 })
	shootLesson(t, ctx, out, "projector-zh-TW")
	openPage(t, ctx, base+"?lang=en&projector=1#label", "projector mode by the link")
	ls = waitLesson(t, ctx, "projector mode on the Label screen", func(ls lessonState) bool {
		return ls.Projector && ls.Lang == "en" && ls.Lesson.Card == 3
	})
	shootLesson(t, ctx, out, "projector-en")
	if !ls.Lesson.Compact {
		t.Errorf("projector mode at 1280×800 on the Label screen: the card is not one row")
	}

	// A short screen: the card is one row, and the scenes keep their room.
	click(t, ctx, ls.Widgets["projector"])
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1024, 640)))
	waitLesson(t, ctx, "the page laid out at 1024×640", func(ls lessonState) bool {
		r := ls.Widgets["lesson"]
		return !ls.Projector && ls.Lesson.Compact && r[0]+r[2] <= 1024 && r[1]+r[3] <= 640
	})
	time.Sleep(300 * time.Millisecond) // and drawn
	for _, stage := range []string{"label", "ppo", "sft", "pretrain"} {
		clickStage(t, ctx, stage)
		waitLesson(t, ctx, "one row", func(ls lessonState) bool { return !ls.Projector && ls.Lesson.Compact })
		shootLesson(t, ctx, out, stage+"-1024x640")
	}

	// The copied link in a fresh profile: the same stage, card and settings.
	fresh, cancelFresh := newBrowser(t)
	defer cancelFresh()
	openPage(t, fresh, link, "the copied link in a fresh profile")
	ls = waitLesson(t, fresh, "the copied link's lesson", func(ls lessonState) bool { return ls.Lesson.Card == 3 && linkSettings(t, ls) })
	if ls.Stage != "sft" || !ls.Lesson.Open || ls.Projector {
		t.Errorf("the copied link opened: stage %q, lesson %+v, projector %v", ls.Stage, ls.Lesson, ls.Projector)
	}
}
