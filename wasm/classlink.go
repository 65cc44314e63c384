//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"syscall/js"
	"time"

	"rlhfplayground/class/api"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
	"rlhfplayground/wasm/classlink"
	"rlhfplayground/wasm/route"
)

// The page's end of the class server: wasm/classlink does the talking and
// keeps the state; this file runs its calls off the frame (a goroutine per
// call: net/http waits on the browser's fetch), brings their results back
// into Update (results), and turns them into the engine's commands: a
// shared set offered for ranking, the class's rankings to train on, the
// class reward model to use.

// syncEvery is the heartbeat: the queue is sent, the count and the class
// model read, the sets topped up (the server counts a student seen in the
// last 30 s as connected).
const syncEvery = 3 * time.Second

// requestTimeout bounds one call to the class server.
const requestTimeout = 20 * time.Second

// lsStore is classlink.Store on localStorage.
type lsStore struct{}

func (lsStore) Load(key string) (v string, ok bool) {
	localStore(func(ls js.Value) {
		if x := ls.Call("getItem", key); x.Type() == js.TypeString {
			v, ok = x.String(), true
		}
	})
	return v, ok
}

func (lsStore) Save(key, value string) error {
	return localStore(func(ls js.Value) { ls.Call("setItem", key, value) })
}

// fetch is classlink.Fetcher on the browser's fetch. It blocks its
// goroutine (never call it from a JavaScript callback).
func fetch(ctx context.Context, r classlink.Request) (classlink.Response, error) {
	opts := js.Global().Get("Object").New()
	opts.Set("method", r.Method)
	opts.Set("cache", "no-store")
	headers := js.Global().Get("Object").New()
	if r.Token != "" {
		headers.Set("Authorization", "Bearer "+r.Token)
	}
	if r.ContentType != "" {
		headers.Set("Content-Type", r.ContentType)
	}
	opts.Set("headers", headers)
	if r.Body != nil {
		arr := js.Global().Get("Uint8Array").New(len(r.Body))
		js.CopyBytesToJS(arr, r.Body)
		opts.Set("body", arr)
	}
	abort := js.Global().Get("AbortController").New()
	opts.Set("signal", abort.Get("signal"))
	cancel := func() { abort.Call("abort") }
	resp, err := await(ctx, js.Global().Call("fetch", r.URL, opts), cancel)
	if err != nil {
		return classlink.Response{}, err
	}
	out := classlink.Response{Status: resp.Get("status").Int()}
	if ra := resp.Get("headers").Call("get", "Retry-After"); ra.Type() == js.TypeString {
		out.RetryAfter = ra.String()
	}
	buf, err := await(ctx, resp.Call("arrayBuffer"), cancel)
	if err != nil {
		return classlink.Response{}, err
	}
	arr := js.Global().Get("Uint8Array").New(buf)
	out.Body = make([]byte, arr.Length())
	js.CopyBytesToGo(out.Body, arr)
	return out, nil
}

// await waits for promise p; when ctx ends first it calls cancel (which
// makes p reject) and waits for that.
func await(ctx context.Context, p js.Value, cancel func()) (js.Value, error) {
	type settled struct {
		v      js.Value
		reason js.Value
		failed bool
	}
	ch := make(chan settled, 1)
	ok := js.FuncOf(func(_ js.Value, a []js.Value) any { ch <- settled{v: a[0]}; return nil })
	bad := js.FuncOf(func(_ js.Value, a []js.Value) any { ch <- settled{reason: a[0], failed: true}; return nil })
	defer ok.Release()
	defer bad.Release()
	p.Call("then", ok, bad)
	var s settled
	select {
	case s = <-ch:
	case <-ctx.Done():
		cancel()
		<-ch
		return js.Value{}, ctx.Err()
	}
	if s.failed {
		return js.Value{}, errors.New("fetch: " + s.reason.Call("toString").String())
	}
	return s.v, nil
}

// classConn is the class connection of this tab: a student's, a teacher's,
// or none (both nil: the app works alone, and nothing here runs).
type classConn struct {
	student *classlink.Student
	teacher *classlink.Teacher
	wakeCh  chan struct{}
	results chan func(*Context)

	busy    map[string]bool // calls under way, by action: "join", "model", "pooled", "send", "replicas", "json", "csv"
	failed  string          // the last call's failure, for the screen
	offered [2]uint64       // the session and candidate shown when the last shared set was offered
	sent    *api.ModelInfo  // the class model this teacher's tab sent
	seen    int             // the status version last drawn
}

// newClassConn opens the class connection a link asks for (link from
// route.Class), or the one this browser keeps.
func newClassConn(link route.ClassLink) *classConn {
	origin := js.Global().Get("location").Get("origin").String()
	store := lsStore{}
	cc := &classConn{wakeCh: make(chan struct{}, 1), results: make(chan func(*Context), 16), busy: map[string]bool{}}
	cc.teacher = classlink.OpenTeacher(store, fetch, origin, link.Teacher)
	if cc.teacher == nil || link.Join != "" {
		cc.teacher = nil
		cc.student = classlink.OpenStudent(store, fetch)
		cc.student.Invite(origin, link.Join)
		if st, _ := cc.student.Status(); st.Phase == classlink.None {
			cc.student = nil
		}
	}
	if cc.active() {
		go cc.loop()
	}
	return cc
}

// active reports whether this tab is in a class: a student invited or
// joined (not since left), or a teacher's dashboard (not forgotten).
func (cc *classConn) active() bool {
	if cc.teacher != nil {
		return cc.teacher.Active()
	}
	if cc.student != nil {
		st, _ := cc.student.Status()
		return st.Phase != classlink.None
	}
	return false
}

// leave ends this tab's class: the student leaves it (dropping what is
// queued), the teacher's dashboard is forgotten on this computer.
func (cc *classConn) leave() {
	if cc.student != nil {
		cc.student.Leave()
	}
	if cc.teacher != nil {
		cc.teacher.Forget()
	}
	cc.failed = ""
}

// loop is the heartbeat, and runs at once when poked; it ends when the
// class does (leave).
func (cc *classConn) loop() {
	for cc.active() {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		if cc.student != nil {
			cc.student.Sync(ctx)
		}
		if cc.teacher != nil {
			cc.teacher.Refresh(ctx)
		}
		cancel()
		wake()
		select {
		case <-cc.wakeCh:
		case <-time.After(syncEvery):
		}
	}
}

// poke runs the heartbeat now (a ranking to send, a join done).
func (cc *classConn) poke() {
	select {
	case cc.wakeCh <- struct{}{}:
	default:
	}
}

// do runs call off the frame as action; then, in Update, its result.
func (cc *classConn) do(action string, call func(ctx context.Context) func(*Context)) {
	if cc.busy[action] {
		return
	}
	cc.busy[action] = true
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		then := call(ctx)
		cc.results <- func(c *Context) {
			delete(cc.busy, action)
			if then != nil {
				then(c)
			}
		}
		wake()
	}()
}

// fail records a call's failure for the screen.
func (cc *classConn) fail(err error) func(*Context) {
	return func(*Context) { cc.failed = err.Error() }
}

// poll applies the calls' results, redraws when the connection changed,
// and offers the next shared set for ranking when the Label screen is free
// (draftEmpty: no card of the waiting answers ranked yet).
func (cc *classConn) poll(c *Context, draftEmpty bool) {
	for {
		select {
		case f := <-cc.results:
			f(c)
			c.Redraw()
			continue
		default:
		}
		break
	}
	if !cc.active() {
		return
	}
	v := cc.version()
	if v != cc.seen {
		cc.seen = v
		c.Redraw()
		if hasCJK(cc.className()) { // the name comes with a change of status
			c.fonts.needCJK() // a class named in Chinese, on an English page
		}
	}
	if cc.student == nil {
		return
	}
	st, _ := cc.student.Status()
	r := c.R
	// The class's sets are its language's model's: a session of another
	// language's model (which could not read them) ranks its own until the
	// student switches (the class screen offers it).
	if st.Phase != classlink.Joined || st.Set.ID == 0 || !r.Ready || r.Lang != st.Lang || r.Cand == nil || !draftEmpty {
		return
	}
	shown := [2]uint64{uint64(r.Session), r.Cand.ID}
	if !isSet(r.Cand, st.Set) && shown != cc.offered {
		cc.offered = shown
		r.Send(protocol.Offer{Prompt: st.Set.Prompt, Answers: st.Set.Answers})
	}
}

// className is the class's name as the server gave it ("" before).
func (cc *classConn) className() string {
	if cc.teacher == nil {
		st, _ := cc.student.Status()
		return st.Class
	}
	if ov, _, _, _ := cc.teacher.Overview(); ov != nil {
		return ov.Class.Name
	}
	return ""
}

func (cc *classConn) version() int {
	v := 0
	if cc.student != nil {
		_, v = cc.student.Status()
	}
	if cc.teacher != nil {
		_, _, _, tv := cc.teacher.Overview()
		v += tv
	}
	return v
}

// isSet reports whether the candidate is the shared set.
func isSet(cand *sim.Candidate, set api.Set) bool {
	return cand.Prompt == set.Prompt && slices.Equal(cand.Answers, set.Answers)
}

// sharedSet returns the shared set the candidate is, if it is one.
func (cc *classConn) sharedSet(cand *sim.Candidate) (api.Set, bool) {
	if cc == nil || cc.student == nil || cand == nil {
		return api.Set{}, false
	}
	st, _ := cc.student.Status()
	return st.Set, st.Set.ID != 0 && isSet(cand, st.Set)
}

// ranked is told of every ranking the student submits (after the page's
// journal has it): a ranking of the shared set goes to the class's queue
// too, saved before this returns.
func (cc *classConn) ranked(cand *sim.Candidate, order []int) {
	if set, ok := cc.sharedSet(cand); ok {
		cc.student.Submit(set.ID, order)
		cc.poke()
	}
}

// skipped is told of every skip: a skipped shared set is not offered again.
func (cc *classConn) skipped(cand *sim.Candidate) {
	if set, ok := cc.sharedSet(cand); ok {
		cc.student.Skip(set.ID)
		cc.poke()
	}
}

// join joins the class as nickname.
func (cc *classConn) join(nickname string) {
	cc.failed = ""
	cc.do("join", func(ctx context.Context) func(*Context) {
		cc.student.Join(ctx, nickname) // the refusal is in the status
		cc.poke()
		return nil
	})
}

// useClassModel downloads the class reward model and has the engine use it.
func (cc *classConn) useClassModel() {
	cc.failed = ""
	cc.do("model", func(ctx context.Context) func(*Context) {
		b, info, err := cc.student.RewardModel(ctx)
		if err != nil {
			return cc.fail(err)
		}
		return func(c *Context) { c.R.send(protocol.UseRewardModel{Source: classlink.ModelSource(info.Version)}, b) }
	})
}

// trainClass fetches the pooled rankings and starts the class reward
// model's job in this tab's engine.
func (cc *classConn) trainClass() {
	cc.failed = ""
	cc.do("pooled", func(ctx context.Context) func(*Context) {
		rs, err := cc.teacher.Pooled(ctx)
		if err != nil {
			return cc.fail(err)
		}
		b, err := json.Marshal(rs)
		if err != nil {
			return cc.fail(err)
		}
		return func(c *Context) { c.R.send(protocol.TrainClassReward{}, b) }
	})
}

// sendModel sends the class reward model the engine trained to the class.
func (cc *classConn) sendModel(ckpt []byte) {
	cc.failed = ""
	cc.do("send", func(ctx context.Context) func(*Context) {
		info, err := cc.teacher.SendModel(ctx, ckpt)
		if err != nil {
			return cc.fail(err)
		}
		return func(*Context) { cc.sent = &info }
	})
}

// setReplicas changes how many students see each set.
func (cc *classConn) setReplicas(n int) {
	cc.do("replicas", func(ctx context.Context) func(*Context) {
		if err := cc.teacher.SetReplicas(ctx, n); err != nil {
			return cc.fail(err)
		}
		return nil
	})
}

// export downloads the class's rankings as format ("json", "csv").
func (cc *classConn) export(format string) {
	cc.do(format, func(ctx context.Context) func(*Context) {
		b, err := cc.teacher.Export(ctx, format)
		if err != nil {
			return cc.fail(err)
		}
		return func(*Context) { download(b, "class-rankings."+format) }
	})
}

// ClassState is state().class: the class connection as the browser tests read it.
type ClassState struct {
	Role     string `json:"role"` // "student" or "teacher"
	Phase    string `json:"phase,omitempty"`
	Open     bool   `json:"open"` // the class screen is shown
	Name     string `json:"name,omitempty"`
	Lang     string `json:"lang,omitempty"` // the class's language (its model's)
	Nickname string `json:"nickname,omitempty"`
	Online   bool   `json:"online"`
	Queued   int    `json:"queued"`
	AtServer int    `json:"at_server"`
	SetID    int    `json:"set_id"`
	Shared   bool   `json:"shared"` // the waiting answers are the shared set
	Model    int    `json:"model"`  // the newest class reward model's version (0: none)
	Error    string `json:"error,omitempty"`

	// The teacher's dashboard.
	Students  []ClassStudent `json:"students,omitempty"`
	Rankings  int            `json:"rankings"`
	Matrix    [][]*float64   `json:"matrix,omitempty"`
	Agreement *float64       `json:"agreement"`
	Replicas  int            `json:"replicas"`
	Trained   int            `json:"trained"` // rankings the class model this tab trained learned from (0: none yet)
	Sent      int            `json:"sent"`    // the version this tab sent (0: none)
}

// ClassStudent is one row of the dashboard.
type ClassStudent struct {
	Nickname  string `json:"nickname"`
	Rankings  int    `json:"rankings"`
	Connected bool   `json:"connected"`
}

var phaseNames = [...]string{classlink.None: "", classlink.Invited: "invited", classlink.Joined: "joined"}

func (cc *classConn) state(r *remote, open bool) *ClassState {
	if !cc.active() {
		return nil
	}
	s := &ClassState{Open: open, Error: cc.failed}
	if cc.student != nil {
		st, _ := cc.student.Status()
		s.Role, s.Phase, s.Name, s.Lang, s.Nickname, s.Online = "student", phaseNames[st.Phase], st.Class, st.Lang, st.Nickname, st.Online
		s.Queued, s.AtServer, s.SetID = st.Queued, st.Rankings, st.Set.ID
		_, s.Shared = cc.sharedSet(r.Cand)
		if st.Model != nil {
			s.Model = st.Model.Version
		}
		if s.Error == "" {
			s.Error = st.Err
		}
		return s
	}
	s.Role = "teacher"
	ov, online, refusal, _ := cc.teacher.Overview()
	s.Online = online
	if s.Error == "" {
		s.Error = refusal
	}
	if ov != nil {
		s.Name, s.Lang, s.Rankings, s.Matrix, s.Agreement, s.Replicas = ov.Class.Name, ov.Class.Lang, ov.Rankings, ov.Agreement.Pairwise, ov.Agreement.Class, ov.Class.Settings.Replicas
		for _, st := range ov.Students {
			s.Students = append(s.Students, ClassStudent{st.Nickname, st.Rankings, st.Connected})
		}
		if ov.RewardModel != nil {
			s.Model = ov.RewardModel.Version
		}
	}
	if r.ClassRM != nil {
		s.Trained = r.ClassRM.Rankings
	}
	if cc.sent != nil {
		s.Sent = cc.sent.Version
	}
	return s
}
