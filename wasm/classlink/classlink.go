// Package classlink is the app's end of the class server (package class):
// a student's connection (the join with a nickname, the heartbeat, the
// shared candidate sets to rank, the rankings queued until the server
// acknowledged them) and the teacher's (the dashboard's figures, the
// settings, the pooled rankings, the class reward model). It has no
// browser code: the page (wasm/classlink.go) runs its calls in goroutines
// (net/http goes through the browser's fetch in GOOS=js) and keeps its
// state in localStorage through Store, so it is tested natively against a
// real class server.
//
// Nothing a student ranks is lost: Submit puts the ranking, with a ranking
// id made then, in the queue and saves the queue (synchronously, as the
// page's journal is) before it returns; Sync sends the queue oldest first,
// and a ranking leaves it only when the server acknowledged it (or refused
// it for good). A reload restores the token and the queue.
package classlink

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"rlhfplayground/class/api"
	"rlhfplayground/sim"
)

// Store keeps a string under a key across reloads (the page's localStorage).
type Store interface {
	Load(key string) (string, bool)
	Save(key, value string) error
}

// The keys of what the link keeps in the Store.
const (
	StudentKey = "rlhf-class"         // the student's token and queue
	TeacherKey = "rlhf-class-teacher" // the teacher's token
)

// HeldSets is how many sets a student holds from the server at once: one to
// rank and one ready behind it.
const HeldSets = 2

// Phase is where a student stands with the class.
type Phase int

const (
	None    Phase = iota // no class: the app works alone
	Invited              // the student link was opened: the nickname is asked for
	Joined               // the server gave the student a token
)

// saved is the student's connection as the Store keeps it.
type saved struct {
	Base     string               `json:"base"`            // the class server
	Code     string               `json:"code"`            // the join code of the link
	Token    string               `json:"token"`           // the student's, once joined
	Nickname string               `json:"nickname"`        // as the server has it
	Class    string               `json:"class"`           // the class's name
	Lang     string               `json:"lang,omitempty"`  // the class's language (its model's); "" from before classes had one: English
	Queue    []api.RankingRequest `json:"queue"`           // rankings not yet acknowledged, oldest first
	Model    int                  `json:"model,omitempty"` // the version of the class reward model last taken
}

// Status is the student's connection as the screens show it.
type Status struct {
	Phase    Phase
	Class    string // the class's name
	Lang     string // the class's language: the sets are its model's answers, and the class reward model is of its shape
	Nickname string
	Online   bool // the server answered the last request (false before any)
	Queued   int  // rankings waiting for the server
	Rankings int  // the student's rankings the server holds
	Rejected int  // rankings the server refused for good
	// Set is the shared set to rank next (ID 0: none yet).
	Set api.Set
	// Model is the class reward model the teacher sent (nil: none yet);
	// Taken is the version the student last took.
	Model *api.ModelInfo
	Taken int
	// Err is the server's refusal of the last join (a nickname taken, a
	// closed class), for the form; "" if none.
	Err string
}

// Student is a student's connection. Its methods may be called from any
// goroutine.
type Student struct {
	mu       sync.Mutex
	store    Store
	s        saved
	sets     []api.Set
	skipped  map[int]bool // sets left unranked in this tab
	ranked   map[int]bool // sets ranked in this tab (queued or sent)
	online   bool
	rankings int
	rejected int
	model    *api.ModelInfo
	err      string
	version  int // counts changes of Status, so a screen redraws only when it changed
	outbox   *api.Outbox
	fetch    Fetcher
}

// OpenStudent restores the student's connection from store (none if it
// holds none); its calls go through fetch.
func OpenStudent(store Store, fetch Fetcher) *Student {
	s := &Student{store: store, fetch: fetch, skipped: map[int]bool{}, ranked: map[int]bool{}}
	if v, ok := store.Load(StudentKey); ok {
		json.Unmarshal([]byte(v), &s.s) // a damaged entry is no connection
	}
	s.outbox = api.NewOutbox(s.s.Queue)
	return s
}

// Invite takes the join code of a student link opened at base (the page's
// origin). The same code as the connection's keeps it (a reload of the
// link); another starts a new one, but the rankings still queued for the
// old class stay queued, not lost: they go when the old class is joined again.
func (s *Student) Invite(base, code string) {
	code = strings.ToUpper(strings.TrimSpace(code))
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == "" || (code == s.s.Code && base == s.s.Base) {
		return
	}
	if len(s.s.Queue) > 0 {
		return // the queue belongs to the class joined before; that class keeps the link until it is sent
	}
	s.s = saved{Base: base, Code: code}
	s.sets, s.model, s.rankings, s.err, s.online = nil, nil, 0, "", false
	s.saveLocked()
}

func (s *Student) client() *Client {
	return &Client{BaseURL: s.s.Base, Token: s.s.Token, Fetch: s.fetch}
}

// Join joins the invited class as nickname.
func (s *Student) Join(ctx context.Context, nickname string) error {
	s.mu.Lock()
	if s.s.Code == "" {
		s.mu.Unlock()
		return errors.New("classlink: no class to join: open the student link")
	}
	c := s.client()
	code := s.s.Code
	s.mu.Unlock()
	r, err := c.Join(ctx, code, strings.TrimSpace(nickname))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noteLocked(err)
	var se *api.StatusError
	switch {
	case err == nil:
		s.s.Token, s.s.Nickname, s.s.Class, s.s.Lang, s.err = r.Token, r.Student.Nickname, r.Class.Name, r.Class.Lang, ""
		s.saveLocked()
	case errors.As(err, &se):
		s.err = se.Message
	}
	s.version++
	return err
}

// Submit queues the student's ranking of set setID (order: indices into
// its answers, best first) under a new ranking id and saves the queue; Sync
// sends it. The error is the Store's: the ranking is queued in memory then,
// and sent all the same while the tab lives.
func (s *Student) Submit(setID int, order []int) error {
	r := api.RankingRequest{RankingID: api.NewRankingID(), SetID: setID, Order: slices.Clone(order)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outbox.Add(r)
	s.ranked[setID] = true
	s.s.Queue = s.outbox.Pending()
	s.version++
	return s.saveLocked()
}

// Skip leaves set setID unranked: it is not offered again in this tab.
func (s *Student) Skip(setID int) {
	s.mu.Lock()
	s.skipped[setID] = true
	s.version++
	s.mu.Unlock()
}

// Sync is one heartbeat: it sends the queued rankings, asks who the
// student is (the count, the class model) and tops up the held sets. It
// returns the first error (the others are tried all the same).
func (s *Student) Sync(ctx context.Context) error {
	s.mu.Lock()
	if s.s.Token == "" {
		s.mu.Unlock()
		return nil
	}
	c := s.client()
	s.mu.Unlock()

	acked, ferr := s.outbox.Flush(ctx, c)
	s.mu.Lock()
	s.s.Queue = s.outbox.Pending()
	s.rejected = len(s.outbox.Rejected())
	if len(acked) > 0 {
		s.rankings = acked[len(acked)-1].Rankings
		s.saveLocked()
	}
	s.noteLocked(ferr)
	s.version++
	s.mu.Unlock()

	me, merr := c.Me(ctx)
	s.mu.Lock()
	s.noteLocked(merr)
	var se *api.StatusError
	switch {
	case merr == nil:
		s.rankings, s.model, s.s.Class, s.s.Lang = me.Rankings, me.RewardModel, me.Class.Name, me.Class.Lang
	case errors.As(merr, &se) && se.Status == 401:
		// The server does not know the token (a new store): join again,
		// keeping the queue for when the student has.
		s.s.Token = ""
		s.saveLocked()
	}
	s.version++
	s.mu.Unlock()
	if merr != nil {
		return errors.Join(ferr, merr)
	}

	var nerr error
	if s.needSets() {
		var sets []api.Set
		sets, nerr = c.Next(ctx, HeldSets+s.skippedHeld())
		s.mu.Lock()
		s.noteLocked(nerr)
		if nerr == nil {
			s.sets = sets
		}
		s.version++
		s.mu.Unlock()
	}
	return errors.Join(ferr, nerr)
}

// needSets reports whether fewer than HeldSets sets wait to be ranked.
func (s *Student) needSets() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.waitingLocked()) < HeldSets
}

// skippedHeld counts the held sets skipped, which the server still counts
// as held (at most api.MaxSetsAtOnce are, all told).
func (s *Student) skippedHeld() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, set := range s.sets {
		if s.skipped[set.ID] {
			n++
		}
	}
	return min(n, api.MaxSetsAtOnce-HeldSets)
}

// waitingLocked is the held sets neither ranked (queued, sent) nor skipped, oldest first.
func (s *Student) waitingLocked() []api.Set {
	var w []api.Set
	for _, set := range s.sets {
		queued := slices.ContainsFunc(s.s.Queue, func(r api.RankingRequest) bool { return r.SetID == set.ID })
		if !queued && !s.ranked[set.ID] && !s.skipped[set.ID] {
			w = append(w, set)
		}
	}
	return w
}

// noteLocked records whether a request reached the server: any answer
// does, a network error does not.
func (s *Student) noteLocked(err error) {
	var se *api.StatusError
	if err == nil || errors.As(err, &se) {
		s.online = true
	} else if !errors.Is(err, context.Canceled) {
		s.online = false
	}
}

func (s *Student) saveLocked() error {
	s.s.Queue = s.outbox.Pending()
	b, _ := json.Marshal(s.s)
	return s.store.Save(StudentKey, string(b))
}

// Leave forgets the connection, in the store too: the token, the class and
// the rankings still queued for it, whose number it returns. The app then
// works alone until a student link is opened again (a computer shared by
// a class, a class joined by mistake).
func (s *Student) Leave() (dropped int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	dropped = len(s.outbox.Pending())
	s.s = saved{}
	s.outbox = api.NewOutbox(nil)
	s.sets, s.model, s.rankings, s.rejected, s.err, s.online = nil, nil, 0, 0, "", false
	clear(s.skipped)
	clear(s.ranked)
	s.version++
	s.saveLocked()
	return dropped
}

// RewardModel downloads the class reward model and records its version as taken.
func (s *Student) RewardModel(ctx context.Context) ([]byte, api.ModelInfo, error) {
	s.mu.Lock()
	c, info := s.client(), s.model
	s.mu.Unlock()
	if info == nil {
		return nil, api.ModelInfo{}, errors.New("classlink: the teacher has sent no class reward model yet")
	}
	b, err := c.RewardModel(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noteLocked(err)
	if err == nil {
		s.s.Model = info.Version
		s.saveLocked()
	}
	s.version++
	return b, *info, err
}

// Status is the connection now, and a number that changes whenever it does.
func (s *Student) Status() (Status, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{Class: s.s.Class, Lang: cmp.Or(s.s.Lang, "en"), Nickname: s.s.Nickname, Online: s.online, Queued: len(s.s.Queue), Rankings: s.rankings,
		Rejected: s.rejected, Model: s.model, Taken: s.s.Model, Err: s.err}
	switch {
	case s.s.Token != "":
		st.Phase = Joined
	case s.s.Code != "":
		st.Phase = Invited
	}
	if w := s.waitingLocked(); len(w) > 0 {
		st.Set = w[0]
	}
	return st, s.version
}

// ModelSource names version v of the class reward model, as the session
// records the reward model in use (sim.Lab.UseRewardModel).
func ModelSource(v int) string { return fmt.Sprintf("class v%d", v) }

// Teacher is the teacher's connection: the dashboard's calls.
type Teacher struct {
	Client Client
	store  Store

	mu      sync.Mutex
	gone    bool // Forget was called
	ov      *api.Overview
	online  bool
	err     string
	version int
}

// OpenTeacher restores the teacher's token from store, or takes token (from
// a teacher link opened at base) and keeps it; nil if there is neither. Its
// calls go through fetch.
func OpenTeacher(store Store, fetch Fetcher, base, token string) *Teacher {
	type kept struct{ Base, Token string }
	var k kept
	if token != "" {
		k = kept{base, token}
		b, _ := json.Marshal(k)
		store.Save(TeacherKey, string(b))
	} else if v, ok := store.Load(TeacherKey); !ok || json.Unmarshal([]byte(v), &k) != nil || k.Token == "" {
		return nil
	}
	return &Teacher{Client: Client{BaseURL: k.Base, Token: k.Token, Fetch: fetch}, store: store}
}

// Forget removes the teacher's token from the store and ends the
// connection: Refresh does nothing after it, and this computer opens the
// dashboard again only from the teacher link (a projector's computer that
// students use next).
func (t *Teacher) Forget() {
	t.store.Save(TeacherKey, "")
	t.mu.Lock()
	defer t.mu.Unlock()
	t.gone, t.ov = true, nil
	t.version++
}

// Active reports whether the connection is on: Forget ends it.
func (t *Teacher) Active() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return !t.gone
}

func (t *Teacher) note(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var se *api.StatusError
	t.online = err == nil || errors.As(err, &se)
	t.err = ""
	if se != nil {
		t.err = se.Message
	}
	t.version++
}

// Refresh reads the dashboard's figures.
func (t *Teacher) Refresh(ctx context.Context) error {
	if !t.Active() {
		return nil
	}
	ov, err := t.Client.Overview(ctx)
	if err == nil {
		t.mu.Lock()
		if !t.gone {
			t.ov = &ov
		}
		t.mu.Unlock()
	}
	t.note(err)
	return err
}

// Overview is the last figures read (nil before any), whether the server
// answered the last request, its refusal if it refused, and a number that
// changes whenever any of them does.
func (t *Teacher) Overview() (ov *api.Overview, online bool, refusal string, version int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ov, t.online, t.err, t.version
}

// SetReplicas sets how many students see each candidate set, within the API's bounds.
func (t *Teacher) SetReplicas(ctx context.Context, n int) error {
	n = min(max(n, api.MinReplicas), api.MaxReplicas)
	_, err := t.Client.PatchSettings(ctx, api.SettingsPatch{Replicas: &n})
	t.note(err)
	if err == nil {
		return t.Refresh(ctx)
	}
	return err
}

// Pooled is the class's rankings as the engine trains on them (the labeler
// is the student's nickname).
func (t *Teacher) Pooled(ctx context.Context) ([]sim.Ranking, error) {
	r, err := t.Client.Rankings(ctx)
	t.note(err)
	if err != nil {
		return nil, err
	}
	return Rankings(r), nil
}

// Rankings turns the JSON export into rankings for the engine.
func Rankings(r api.Rankings) []sim.Ranking {
	out := make([]sim.Ranking, 0, len(r.Rankings))
	for _, p := range r.Rankings {
		out = append(out, sim.Ranking{Prompt: p.Prompt, Answers: p.Answers, Order: p.Order, Labeler: p.Labeler})
	}
	return out
}

// Export is the rankings as a file: "json" or "csv".
func (t *Teacher) Export(ctx context.Context, format string) ([]byte, error) {
	var b []byte
	var err error
	switch format {
	case "csv":
		b, err = t.Client.RankingsCSV(ctx)
	case "json":
		var r api.Rankings
		if r, err = t.Client.Rankings(ctx); err == nil {
			b, err = json.MarshalIndent(r, "", " ")
		}
	default:
		return nil, fmt.Errorf("classlink: no export as %q", format)
	}
	t.note(err)
	return b, err
}

// SendModel sends the class reward model (a checkpoint) to the class.
func (t *Teacher) SendModel(ctx context.Context, checkpoint []byte) (api.ModelInfo, error) {
	info, err := t.Client.PutRewardModel(ctx, checkpoint)
	t.note(err)
	if err == nil {
		t.Refresh(ctx)
	}
	return info, err
}
