package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"rlhfplayground/class/api"
)

// classState mirrors state().class (wasm/classlink.go's ClassState).
type classState struct {
	Role     string `json:"role"`
	Phase    string `json:"phase"`
	Open     bool   `json:"open"`
	Name     string `json:"name"`
	Lang     string `json:"lang"`
	Nickname string `json:"nickname"`
	Online   bool   `json:"online"`
	Queued   int    `json:"queued"`
	AtServer int    `json:"at_server"`
	SetID    int    `json:"set_id"`
	Shared   bool   `json:"shared"`
	Model    int    `json:"model"`
	Error    string `json:"error"`
	Students []struct {
		Nickname  string `json:"nickname"`
		Rankings  int    `json:"rankings"`
		Connected bool   `json:"connected"`
	} `json:"students"`
	Rankings  int          `json:"rankings"`
	Matrix    [][]*float64 `json:"matrix"`
	Agreement *float64     `json:"agreement"`
	Replicas  int          `json:"replicas"`
	Trained   int          `json:"trained"`
	Sent      int          `json:"sent"`
}

// classPage is state() with its class part and the fields of the reward
// model in use.
type classPage struct {
	state
	Class    *classState `json:"class"`
	RMSource string      `json:"rm_source"`
}

// waitClass polls state() as waitState does, for the class's fields.
func waitClass(t *testing.T, ctx context.Context, what string, ok func(classPage) bool) classPage {
	t.Helper()
	var got classPage
	waitRaw(t, ctx, what, &got, func() bool { return got.Class != nil && ok(got) })
	return got
}

// waitRaw polls state() into v until ok holds, as waitState does.
func waitRaw(t *testing.T, ctx context.Context, what string, v any, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	last := ""
	for time.Now().Before(deadline) {
		js, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.rlhf ? window.rlhf.state() : ""`))
		if err == nil && js != "" {
			last = js
			reflect.ValueOf(v).Elem().SetZero() // or the maps keep the keys of earlier states (a widget gone stays)
			must(t, json.Unmarshal([]byte(js), v))
			if ok() {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(last) > 3000 {
		last = last[:3000]
	}
	t.Fatalf("timed out waiting for %s; last state %s; console:\n%s", what, last, consoleLog.String())
}

// classServer is `go run . -class` on a loopback port, with its store in a
// folder of the test's.
type classServer struct {
	addr, store      string
	base             string
	student, teacher string // the links it printed
	args             []string
	cmd              *exec.Cmd
	logs             syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startClassServer starts a class server on a free loopback port with a new
// store and no language pack to serve (English only), or with args (for
// `go run .`) instead.
func startClassServer(t *testing.T, args ...string) *classServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	addr := l.Addr().String()
	l.Close()
	cs := &classServer{addr: addr, store: filepath.Join(t.TempDir(), "class.db"), args: args}
	cs.start(t)
	t.Cleanup(func() {
		cs.stop()
		if t.Failed() {
			t.Logf("class server log:\n%s", cs.logs.String())
		}
	})
	return cs
}

// start runs the server (again, after stop: the same port and store) and
// waits for its links.
func (cs *classServer) start(t *testing.T) {
	t.Helper()
	root, err := filepath.Abs("..")
	must(t, err)
	bin, err := serverBinary(root)
	must(t, err)
	args := cs.args
	if args == nil {
		args = []string{"-packs", t.TempDir()}
	}
	cs.cmd = exec.Command(bin, append([]string{"-class", "-store", cs.store, "-addr", cs.addr}, args...)...)
	cs.cmd.Dir = root
	cs.cmd.Stderr = &cs.logs
	stdout, err := cs.cmd.StdoutPipe()
	must(t, err)
	must(t, cs.cmd.Start())
	lines := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
	}()
	deadline := time.After(8 * time.Minute)
	for cs.teacher == "" || cs.base == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("the class server stopped before printing its links:\n%s", cs.logs.String())
			}
			// Class "NAME": students open URL (join code …), and: the teacher opens URL (…).
			after := func(marker string) string {
				_, rest, _ := strings.Cut(line, marker)
				url, _, _ := strings.Cut(rest, " ")
				return url
			}
			switch {
			case strings.HasPrefix(line, "RLHF Playground is at "):
				cs.base = strings.TrimPrefix(line, "RLHF Playground is at ")
			case strings.Contains(line, ": students open "):
				cs.student = after(": students open ")
			case strings.Contains(line, ": the teacher opens "):
				cs.teacher = after(": the teacher opens ")
			}
		case <-deadline:
			t.Fatalf("the class server printed no links in 8 minutes:\n%s", cs.logs.String())
		}
	}
	go func() {
		for range lines {
		}
	}()
	if !strings.Contains(cs.student, "#join=") || !strings.Contains(cs.teacher, "#teacher=") {
		t.Fatalf("the links: %q, %q", cs.student, cs.teacher)
	}
}

// stop kills the server as a crash would (SIGKILL).
func (cs *classServer) stop() {
	if cs.cmd != nil && cs.cmd.Process != nil {
		cs.cmd.Process.Kill()
		cs.cmd.Wait()
		cs.cmd = nil
	}
}

// overview is the teacher's figures, read by the test itself.
func (cs *classServer) overview(t *testing.T) api.Overview {
	t.Helper()
	token := cs.teacher[strings.Index(cs.teacher, "#teacher=")+len("#teacher="):]
	ov, err := (&api.Client{BaseURL: cs.base, Token: token}).Overview(context.Background())
	must(t, err)
	return ov
}

// newStudent opens the student link in a browser context of its own (its
// own storage, as another computer has) and joins as nick.
func newStudent(t *testing.T, browser context.Context, link, nick string) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	must(t, chromedp.Do(ctx, chromedp.Navigate(link)))
	st := waitClass(t, ctx, nick+": the join form", func(s classPage) bool {
		return s.Class.Phase == "invited" && s.Class.Open && s.Widgets["class-nickname"][2] > 0
	})
	if h := hash(t, ctx); strings.Contains(h, "join=") {
		t.Errorf("%s: the join code stays in the URL (%s)", nick, h)
	}
	typeInto(t, ctx, st.Widgets["class-nickname"], nick)
	st = waitClass(t, ctx, nick+": the nickname typed", func(s classPage) bool { return s.Widgets["class-join"][2] > 0 })
	click(t, ctx, st.Widgets["class-join"])
	waitClass(t, ctx, nick+": joined", func(s classPage) bool {
		return s.Class.Phase == "joined" && s.Class.Nickname == nick && s.Class.Online
	})
	return ctx
}

// rankShared goes to step 2 and ranks the shared set waiting there by keys
// (keys: the cards best first, the last one following), and waits for it to
// reach the server (or, offline, the queue).
func rankShared(t *testing.T, ctx context.Context, keys []string, online bool) {
	t.Helper()
	before := waitClass(t, ctx, "the shared set", func(s classPage) bool {
		return s.Stage == "label" && !s.Class.Open && s.Class.Shared && s.Ranked == 0 && s.Widgets["card1"][2] > 0
	})
	for _, k := range keys {
		pressKey(t, ctx, k)
	}
	waitClass(t, ctx, "the cards ranked", func(s classPage) bool { return s.Ranked == s.K })
	pressKey(t, ctx, "Enter")
	waitClass(t, ctx, "the ranking sent or queued", func(s classPage) bool {
		if online {
			return s.Class.AtServer == before.Class.AtServer+1 && s.Class.Queued == 0 && s.YourRankings == before.YourRankings+1
		}
		return s.Class.Queued == before.Class.Queued+1 && s.YourRankings == before.YourRankings+1
	})
}

// TestClass: a class on loopback, one teacher and five students, each in a
// browser context of their own. The students join with a nickname and rank
// the shared sets by keys; the dashboard shows their counts and the
// agreement matrix; the teacher trains the class reward model and sends it;
// a student takes it and runs PPO on it.
func TestClass(t *testing.T) {
	requireFullE2E(t)
	cs := startClassServer(t)
	browser, cancel := newBrowser(t)
	defer cancel()

	teacher := browser
	must(t, chromedp.Do(teacher, chromedp.EmulateViewport(1280, 800)))
	must(t, chromedp.Do(teacher, chromedp.Navigate(cs.teacher)))
	st := waitClass(t, teacher, "the dashboard", func(s classPage) bool {
		return s.Class.Role == "teacher" && s.Class.Open && s.Class.Name != "" && s.Class.Replicas == 3 && s.Widgets["class-replicas+"][2] > 0
	})
	if h := hash(t, teacher); strings.Contains(h, "teacher=") {
		t.Errorf("the teacher's token stays in the URL (%s)", h)
	}
	// Every set to all five, so that every two students share sets.
	click(t, teacher, st.Widgets["class-replicas+"])
	st = waitClass(t, teacher, "4 students per set", func(s classPage) bool { return s.Class.Replicas == 4 && s.Widgets["class-replicas+"][2] > 0 })
	time.Sleep(300 * time.Millisecond) // a frame with the new figure drawn, so that the next click is its own
	click(t, teacher, st.Widgets["class-replicas+"])
	waitClass(t, teacher, "5 students per set", func(s classPage) bool { return s.Class.Replicas == 5 })

	nicks := []string{"ana", "bo", "cy", "dee", "eli"}
	students := make([]context.Context, len(nicks))
	for i, nick := range nicks {
		students[i] = newStudent(t, browser, cs.student, nick)
	}
	// Two shared sets each: three students rank best-first, two the reverse.
	orders := [][]string{{"1", "2", "3"}, {"1", "2", "3"}, {"1", "3", "2"}, {"4", "3", "2"}, {"4", "3", "2"}}
	for i, ctx := range students {
		st := waitClass(t, ctx, "the class screen", func(s classPage) bool { return s.Widgets["class-rank"][2] > 0 })
		click(t, ctx, st.Widgets["class-rank"])
		for range 2 {
			rankShared(t, ctx, orders[i], true)
		}
	}
	st = waitClass(t, teacher, "the dashboard with every ranking", func(s classPage) bool {
		if len(s.Class.Students) != 5 || s.Class.Rankings != 10 || s.Class.Agreement == nil {
			return false
		}
		for _, st := range s.Class.Students {
			if st.Rankings != 2 || !st.Connected {
				return false
			}
		}
		return true
	})
	shared := 0
	for i, row := range st.Class.Matrix {
		for j, v := range row {
			if i != j && v != nil {
				shared++
			}
		}
	}
	if shared != 20 || *st.Class.Agreement <= 0 || *st.Class.Agreement >= 1 {
		t.Errorf("the agreement matrix has %d of 20 pairs, the class agreement %v; want all, between 0 and 1", shared, *st.Class.Agreement)
	}
	if ov := cs.overview(t); ov.Rankings != 10 || ov.Sets.Shared != 2 {
		t.Errorf("the server has %d rankings and %d shared sets, want 10 and 2", ov.Rankings, ov.Sets.Shared)
	}
	t.Logf("class agreement %.2f over 10 rankings of 2 sets", *st.Class.Agreement)
	shoot(t, teacher, outDir(t), "class-dashboard")

	// The class reward model: trained in the teacher's tab, sent.
	click(t, teacher, st.Widgets["class-train"])
	st = waitClass(t, teacher, "the class reward model trained", func(s classPage) bool {
		return s.Class.Trained == 10 && !s.Busy && s.Widgets["class-send"][2] > 0
	})
	click(t, teacher, st.Widgets["class-send"])
	waitClass(t, teacher, "the class reward model sent", func(s classPage) bool { return s.Class.Sent == 1 && s.Class.Model == 1 })

	// A student takes it and runs PPO on it.
	ana := students[0]
	st = waitClass(t, ana, "the header's class button", func(s classPage) bool { return s.Class.Model == 1 && s.Widgets["class"][2] > 0 })
	click(t, ana, st.Widgets["class"])
	st = waitClass(t, ana, "the class model offered", func(s classPage) bool { return s.Class.Open && s.Widgets["class-use-model"][2] > 0 })
	shoot(t, ana, outDir(t), "class-student")
	click(t, ana, st.Widgets["class-use-model"])
	waitClass(t, ana, "the class reward model in use", func(s classPage) bool { return s.RMSource == "class v1" })
	clickStage(t, ana, "ppo")
	st = waitClass(t, ana, "PPO controls", func(s classPage) bool { return s.Widgets["ppo-step"][2] > 0 && !s.Class.Open })
	click(t, ana, st.Widgets["ppo-step"])
	st = waitClass(t, ana, "a PPO iteration on the class model", func(s classPage) bool { return s.PPOIteration >= 1 && !s.Busy })
	if st.RMScoreMean == nil || st.RMSource != "class v1" {
		t.Errorf("after PPO: score %v, reward model %q", st.RMScoreMean, st.RMSource)
	}
}

// TestClassOffline: a student's rankings made while the class server is
// down wait in the browser (the header says offline) and arrive, once
// each, when it is back.
func TestClassOffline(t *testing.T) {
	requireFullE2E(t)
	cs := startClassServer(t)
	browser, cancel := newBrowser(t)
	defer cancel()
	ana := newStudent(t, browser, cs.student, "ana")
	st := waitClass(t, ana, "the class screen", func(s classPage) bool { return s.Widgets["class-rank"][2] > 0 })
	click(t, ana, st.Widgets["class-rank"])
	rankShared(t, ana, []string{"1", "2", "3"}, true)

	cs.stop()
	rankShared(t, ana, []string{"2", "1", "3"}, false)
	st = waitClass(t, ana, "offline", func(s classPage) bool { return !s.Class.Online && s.Class.Queued == 1 })
	shoot(t, ana, outDir(t), "class-offline")
	if st.Class.AtServer != 1 {
		t.Errorf("offline: %d at the server, want 1", st.Class.AtServer)
	}

	cs.start(t)
	waitClass(t, ana, "the queue delivered", func(s classPage) bool { return s.Class.Online && s.Class.Queued == 0 && s.Class.AtServer == 2 })
	if ov := cs.overview(t); ov.Rankings != 2 || len(ov.Students) != 1 || ov.Students[0].Rankings != 2 {
		t.Errorf("after the restart the server has %d rankings (%+v), want 2, once each", ov.Rankings, ov.Students)
	}
}

// TestClassChinese: a class in 繁體中文 (-class-lang zh-TW). A student whose
// session is the English model is told so on the class screen and switches
// the model there; the shared sets then reach step 2, in Chinese, and a
// ranking of one reaches the server. The teacher's English tab is offered
// the switch too, and cannot train the class model before it.
func TestClassChinese(t *testing.T) {
	requireFullE2E(t)
	cs := startClassServer(t, "-class-lang", "zh-TW", "-class-name", "七年三班")
	browser, cancel := newBrowser(t)
	defer cancel()
	ana := newStudent(t, browser, cs.student, "ana")
	st := waitClass(t, ana, "the offer to switch the model", func(s classPage) bool {
		return s.Class.Lang == "zh-TW" && s.ModelLang == "en" && s.Widgets["class-switch-model"][2] > 0
	})
	shoot(t, ana, outDir(t), "class-other-model")
	click(t, ana, st.Widgets["class-switch-model"])
	st = waitClass(t, ana, "the Chinese model", func(s classPage) bool {
		return s.Ready && s.ModelLang == "zh-TW" && s.Widgets["class-switch-model"][2] == 0 && s.Widgets["class-rank"][2] > 0
	})
	click(t, ana, st.Widgets["class-rank"])
	rankShared(t, ana, []string{"1", "2", "3"}, true)
	ov := cs.overview(t)
	if ov.Class.Lang != "zh-TW" || ov.Rankings != 1 {
		t.Fatalf("the server: class in %q with %d rankings, want zh-TW and 1", ov.Class.Lang, ov.Rankings)
	}
	token := cs.teacher[strings.Index(cs.teacher, "#teacher=")+len("#teacher="):]
	pooled, err := (&api.Client{BaseURL: cs.base, Token: token}).Rankings(context.Background())
	must(t, err)
	han := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
	}
	for _, r := range pooled.Rankings {
		if !han(r.Prompt) || !han(strings.Join(r.Answers, "")) {
			t.Errorf("a ranking of a set not in Chinese: %q → %q", r.Prompt, r.Answers)
		}
	}

	teacher, cancelT := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancelT()
	must(t, chromedp.Do(teacher, chromedp.EmulateViewport(1280, 800)))
	front(t, teacher)
	must(t, chromedp.Do(teacher, chromedp.Navigate(cs.teacher)))
	tst := waitClass(t, teacher, "the dashboard offering the switch", func(s classPage) bool {
		return s.Class.Role == "teacher" && s.Class.Lang == "zh-TW" && s.Class.Rankings == 1 && s.Widgets["class-switch-model"][2] > 0
	})
	if tst.ModelLang != "en" {
		t.Errorf("the teacher's tab is on the %s model before switching", tst.ModelLang)
	}

	// On a shared computer: the teacher forgets the dashboard, the student
	// leaves the class, and after a reload neither tab is in the class.
	shoot(t, teacher, outDir(t), "class-other-model-teacher")
	tst = waitClass(t, teacher, "the dashboard after the screenshot", func(s classPage) bool { return s.Widgets["class-leave"][2] > 0 })
	time.Sleep(300 * time.Millisecond) // a frame drawn after the screenshot, so that the click is its own
	click(t, teacher, tst.Widgets["class-leave"])
	front(t, ana) // the tab in front draws its frames, and so reads its clicks
	st = waitClass(t, ana, "the header's class button", func(s classPage) bool { return s.Widgets["class"][2] > 0 })
	click(t, ana, st.Widgets["class"])
	st = waitClass(t, ana, "the class screen", func(s classPage) bool { return s.Class.Open && s.Widgets["class-leave"][2] > 0 })
	click(t, ana, st.Widgets["class-leave"])
	for who, ctx := range map[string]context.Context{"the teacher": teacher, "the student": ana} {
		front(t, ctx)
		var p classPage
		waitRaw(t, ctx, who+" out of the class", &p, func() bool { return p.Ready && p.Class == nil && p.Widgets["class"][2] == 0 })
		must(t, chromedp.Do(ctx, chromedp.Reload()))
		waitRaw(t, ctx, who+" out of the class after a reload", &p, func() bool { return p.Ready && p.Class == nil })
	}
}

// front brings the tab of ctx to the front.
func front(t *testing.T, ctx context.Context) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.BringToFront, cdp.Empty{})
		return err
	})))
}
