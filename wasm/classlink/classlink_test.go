//go:build !js

// The tests run a real class server (SQLite), which does not build for GOOS=js.

package classlink

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"rlhfplayground/class"
	"rlhfplayground/sim"
)

// memStore is localStorage in a map.
type memStore map[string]string

func (m memStore) Load(k string) (string, bool) { v, ok := m[k]; return v, ok }
func (m memStore) Save(k, v string) error       { m[k] = v; return nil }

// flaky is a network that can be down: every request fails as fetch does
// when the server is unreachable.
type flaky struct{ down atomic.Bool }

// fetch is a Fetcher on net/http, as the page's is on the browser's fetch.
func (f *flaky) fetch(ctx context.Context, r Request) (Response, error) {
	if f.down.Load() {
		return Response{}, errors.New("fetch: network down")
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return Response{}, err
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, RetryAfter: resp.Header.Get("Retry-After"), Body: b}, err
}

// newClass starts a class server on a new SQLite store.
func newClass(t *testing.T) (*httptest.Server, class.Class, *class.Server) {
	t.Helper()
	ctx := context.Background()
	opt, err := class.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if opt.Store, err = class.OpenStore(ctx, filepath.Join(t.TempDir(), "class.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { opt.Store.Close() })
	opt.Stock = -1
	srv := class.NewServer(opt)
	t.Cleanup(srv.Close)
	c, _, err := srv.EnsureClass(ctx, "7b", class.DefaultLang)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, c, srv
}

// TestStudent: a student opens the link, joins with a nickname, ranks the
// shared sets; rankings made while the network is down stay queued across
// a reload and arrive once when it is back.
func TestStudent(t *testing.T) {
	ts, c, _ := newClass(t)
	ctx := context.Background()
	store, net := memStore{}, &flaky{}
	s := OpenStudent(store, net.fetch)
	if st, _ := s.Status(); st.Phase != None {
		t.Fatalf("no link opened: phase %v", st.Phase)
	}
	s.Invite(ts.URL, " "+c.JoinCode+" ")
	if st, _ := s.Status(); st.Phase != Invited {
		t.Fatalf("after the link: phase %v", st.Phase)
	}
	if err := s.Join(ctx, ""); err == nil {
		t.Fatal("joined without a nickname")
	}
	if st, _ := s.Status(); st.Phase != Invited || st.Err == "" || !st.Online {
		t.Fatalf("a refused join: %+v; want the server's message, still invited", st)
	}
	if err := s.Join(ctx, "  ana "); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	st, v := s.Status()
	if st.Phase != Joined || st.Nickname != "ana" || st.Class != "7b" || st.Lang != "en" || !st.Online || st.Set.ID == 0 || len(st.Set.Answers) != 4 {
		t.Fatalf("joined: %+v", st)
	}
	first := st.Set
	if err := s.Submit(first.ID, []int{3, 2, 1, 0}); err != nil {
		t.Fatal(err)
	}
	st, v2 := s.Status()
	if st.Queued != 1 || st.Set.ID == first.ID || st.Set.ID == 0 || v2 == v {
		t.Fatalf("after a ranking: %+v (version %d, was %d); want it queued and the next set offered", st, v2, v)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ = s.Status(); st.Queued != 0 || st.Rankings != 1 {
		t.Fatalf("after the heartbeat: %+v; want the ranking delivered", st)
	}

	// The network goes down: a ranking waits, the tab is reloaded.
	net.down.Store(true)
	second := st.Set
	s.Submit(second.ID, []int{0, 1, 2, 3})
	s.Skip(0) // skipping a set that is not held does nothing
	if err := s.Sync(ctx); err == nil {
		t.Fatal("a heartbeat with the network down succeeded")
	}
	if st, _ = s.Status(); st.Online || st.Queued != 1 {
		t.Fatalf("offline: %+v; want offline with one queued", st)
	}
	s = OpenStudent(store, net.fetch)
	if st, _ = s.Status(); st.Phase != Joined || st.Queued != 1 {
		t.Fatalf("reloaded: %+v; want joined with the queue kept", st)
	}
	net.down.Store(false)
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ = s.Status(); st.Queued != 0 || st.Rankings != 2 || st.Rejected != 0 || !st.Online {
		t.Fatalf("back online: %+v; want both rankings at the server", st)
	}
	// A skipped set is not offered again.
	skip := st.Set
	s.Skip(skip.ID)
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ = s.Status(); st.Set.ID == skip.ID || st.Set.ID == 0 {
		t.Errorf("after skipping set %d: offered %d", skip.ID, st.Set.ID)
	}
	// The same link again keeps the connection.
	s.Invite(ts.URL, c.JoinCode)
	if st, _ = s.Status(); st.Phase != Joined {
		t.Errorf("the link opened again: phase %v", st.Phase)
	}
	// Leaving, with a ranking queued offline: it is dropped, and a reload
	// finds no connection.
	net.down.Store(true)
	if err := s.Submit(st.Set.ID, []int{0, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	s.Sync(ctx)
	if n := s.Leave(); n != 1 {
		t.Errorf("leaving dropped %d rankings, want the 1 queued", n)
	}
	if st, _ = s.Status(); st.Phase != None || st.Queued != 0 || st.Class != "" || st.Set.ID != 0 {
		t.Errorf("after leaving: %+v", st)
	}
	if st, _ = OpenStudent(store, net.fetch).Status(); st.Phase != None {
		t.Errorf("reopened after leaving: %+v", st)
	}
}

// TestTeacher: the dashboard's figures, the replicas setting, the pooled
// rankings and exports, and the class reward model a student then takes.
func TestTeacher(t *testing.T) {
	ts, c, _ := newClass(t)
	ctx := context.Background()
	net := &flaky{}
	if OpenTeacher(memStore{}, net.fetch, ts.URL, "") != nil {
		t.Fatal("a teacher without a token")
	}
	store := memStore{}
	OpenTeacher(store, net.fetch, ts.URL, c.TeacherToken)
	teacher := OpenTeacher(store, net.fetch, "", "") // a reload: the token is kept
	if teacher == nil || !teacher.Active() {
		t.Fatal("the teacher's token was not kept")
	}
	defer func() {
		teacher.Forget()
		if ov, _, _, _ := teacher.Overview(); teacher.Active() || ov != nil || teacher.Refresh(ctx) != nil {
			t.Error("the forgotten dashboard still has figures")
		}
		if OpenTeacher(store, net.fetch, "", "") != nil {
			t.Error("the token was kept after Forget")
		}
	}()
	if err := teacher.SetReplicas(ctx, 99); err != nil {
		t.Fatal(err)
	}
	ov, online, _, _ := teacher.Overview()
	if !online || ov == nil || ov.Class.Settings.Replicas != 30 {
		t.Fatalf("replicas 99: %+v; want 30, the most", ov)
	}
	teacher.SetReplicas(ctx, 2)

	var students []*Student
	for _, nick := range []string{"ana", "bo"} {
		s := OpenStudent(memStore{}, net.fetch)
		s.Invite(ts.URL, c.JoinCode)
		if err := s.Join(ctx, nick); err != nil {
			t.Fatal(err)
		}
		if err := s.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		students = append(students, s)
	}
	for _, s := range students {
		st, _ := s.Status()
		s.Submit(st.Set.ID, []int{0, 1, 2, 3}) // both rank the shared first set alike
		if err := s.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := teacher.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	ov, _, _, _ = teacher.Overview()
	if len(ov.Students) != 2 || ov.Students[0].Rankings != 1 || ov.Rankings != 2 || ov.Agreement.Class == nil || *ov.Agreement.Class != 1 {
		t.Fatalf("overview: %+v", ov)
	}
	pooled, err := teacher.Pooled(ctx)
	if err != nil || len(pooled) != 2 || pooled[0].Labeler != "ana" || pooled[0].Validate() != nil {
		t.Fatalf("pooled: %+v, %v", pooled, err)
	}
	for _, f := range []string{"json", "csv"} {
		if b, err := teacher.Export(ctx, f); err != nil || !bytes.Contains(b, []byte("ana")) {
			t.Errorf("export %s: %v, %.80q", f, err, b)
		}
	}
	if _, err := teacher.Export(ctx, "xls"); err == nil {
		t.Error("an export as xls")
	}

	// A reward model of the class's shape (the shipped SFT weights with a
	// normalisation stand in for a trained one: the server checks the shape).
	opt, _ := class.Shipped()
	ckpt := *opt.Models[class.DefaultLang].Checkpoint
	ckpt.Name, ckpt.Norm = "reward", &sim.RewardNorm{Gain: 2, Bias: 0.5}
	var buf bytes.Buffer
	if err := sim.WriteCheckpoint(&buf, &ckpt); err != nil {
		t.Fatal(err)
	}
	if _, err := teacher.SendModel(ctx, []byte("no model")); err == nil {
		t.Error("the server took a file that is no checkpoint")
	}
	info, err := teacher.SendModel(ctx, buf.Bytes())
	if err != nil || info.Version != 1 {
		t.Fatalf("send: %+v, %v", info, err)
	}
	s := students[0]
	if _, _, err := OpenStudent(memStore{}, net.fetch).RewardModel(ctx); err == nil {
		t.Error("a class model for a student of no class")
	}
	s.Sync(ctx)
	if st, _ := s.Status(); st.Model == nil || st.Model.Version != 1 || st.Taken != 0 {
		t.Fatalf("the student sees %+v, taken %d", st.Model, st.Taken)
	}
	b, got, err := s.RewardModel(ctx)
	if err != nil || !bytes.Equal(b, buf.Bytes()) || got.Version != 1 {
		t.Fatalf("the class model: %d bytes, %+v, %v", len(b), got, err)
	}
	if st, _ := s.Status(); st.Taken != 1 || ModelSource(st.Taken) != "class v1" {
		t.Errorf("taken %d", st.Taken)
	}
}
