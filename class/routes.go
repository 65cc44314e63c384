package class

// The endpoints. docs/class-api.md is this table for people; a test checks
// that it lists every route.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"rlhfplayground/class/api"
	"rlhfplayground/class/request"
)

// role is who may call an endpoint.
type role int

const (
	anyone      role = 1 << iota // no token; joining is rate-limited per address
	studentRole                  // a student's token
	teacherRole                  // the class's teacher token
)

func (r role) has(x role) bool { return r&x != 0 }

func (r role) String() string {
	switch r {
	case anyone:
		return "anyone with the join code"
	case studentRole:
		return "student"
	case teacherRole:
		return "teacher"
	case studentRole | teacherRole:
		return "student or teacher"
	}
	return fmt.Sprintf("role(%d)", int(r))
}

// MaxRewardModel bounds an uploaded reward model. The shipped model's
// checkpoint is about 0.4 MB; this leaves room for models forty times
// larger.
const MaxRewardModel = 16 << 20

type route struct {
	method, path string
	who          role
	maxBody      int64  // bytes; over it, 413
	ctype        string // the Content-Type a body must have; "" for none
	handle       func(*Server, http.ResponseWriter, *call) error
}

var routes = []route{
	{"POST", api.Prefix + "join", anyone, 1 << 10, "application/json", (*Server).join},
	{"GET", api.Prefix + "me", studentRole, 0, "", (*Server).me},
	{"POST", api.Prefix + "sets/next", studentRole, 256, "application/json", (*Server).next},
	{"POST", api.Prefix + "rankings", studentRole, 1 << 10, "application/json", (*Server).rank},
	{"GET", api.Prefix + "reward-model", studentRole | teacherRole, 0, "", (*Server).rewardModel},
	{"GET", api.Prefix + "teacher/overview", teacherRole, 0, "", (*Server).overview},
	{"PATCH", api.Prefix + "teacher/settings", teacherRole, 256, "application/json", (*Server).settings},
	{"GET", api.Prefix + "teacher/rankings", teacherRole, 0, "", (*Server).rankingsJSON},
	{"GET", api.Prefix + "teacher/rankings.csv", teacherRole, 0, "", (*Server).rankingsCSV},
	{"PUT", api.Prefix + "teacher/reward-model", teacherRole, MaxRewardModel, "application/octet-stream", (*Server).putRewardModel},
}

func (s *Server) join(w http.ResponseWriter, c *call) error {
	req, err := request.Join(c.body)
	if err != nil {
		return err
	}
	ctx := c.r.Context()
	class, err := s.opt.Store.ClassByJoinCode(ctx, req.Code)
	if errors.Is(err, ErrNotFound) {
		return &request.Error{Status: http.StatusNotFound, Msg: fmt.Sprintf("no class has the join code %s; check it with your teacher", req.Code)}
	}
	if err != nil {
		return err
	}
	if !class.Settings.Open {
		return &request.Error{Status: http.StatusForbidden, Msg: "this class is closed to new students; ask your teacher to open it"}
	}
	token := newToken(studentTokenPrefix)
	now := s.opt.Now()
	st := Student{ID: newID(), ClassID: class.ID, Nickname: req.Nickname, TokenHash: hashToken(token), JoinedAt: storeTime(now)}
	switch err := s.opt.Store.AddStudent(ctx, st, s.opt.Limits.MaxStudents); {
	case errors.Is(err, ErrNicknameTaken):
		return &request.Error{Status: http.StatusConflict, Msg: fmt.Sprintf("someone in this class is already called %q; pick another nickname", req.Nickname)}
	case errors.Is(err, ErrClassFull):
		return &request.Error{Status: http.StatusForbidden, Msg: fmt.Sprintf("this class has its %d students already", s.opt.Limits.MaxStudents)}
	case err != nil:
		return err
	}
	s.mu.Lock()
	s.seen[st.ID] = now
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, api.JoinResponse{Token: token, Student: apiStudent(st), Class: apiClass(class)})
	return nil
}

func apiStudent(st Student) api.Student {
	return api.Student{ID: st.ID, Nickname: st.Nickname, JoinedAt: st.JoinedAt}
}

func apiClass(c Class) api.Class { return api.Class{Name: c.Name, Lang: c.Lang, Settings: c.Settings} }

func (s *Server) me(w http.ResponseWriter, c *call) error {
	ctx := c.r.Context()
	n, err := s.opt.Store.CountRankings(ctx, c.student.ID)
	if err != nil {
		return err
	}
	me := api.Me{Student: apiStudent(c.student), Class: apiClass(c.class), Rankings: n,
		Limits: api.LimitsInfo{RequestsPerSecond: s.opt.Limits.Student.PerSecond, Burst: s.opt.Limits.Student.Burst}}
	if me.RewardModel, err = s.modelInfo(ctx, c.class.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, me)
	return nil
}

func (s *Server) modelInfo(ctx context.Context, classID string) (*api.ModelInfo, error) {
	m, err := s.opt.Store.RewardModel(ctx, classID, false)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &api.ModelInfo{Version: m.Version, Bytes: m.Size, SHA256: m.SHA256, SentAt: m.CreatedAt}, nil
}

func (s *Server) next(w http.ResponseWriter, c *call) error {
	req, err := request.Next(c.body)
	if err != nil {
		return err
	}
	sets, err := s.assign(c.r.Context(), c.class, c.student.ID, req.Count)
	if err != nil {
		return err
	}
	resp := api.NextResponse{Sets: make([]api.Set, len(sets))}
	for i, set := range sets {
		resp.Sets[i] = api.Set{ID: set.Seq, Prompt: set.Prompt, Answers: set.Answers}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// assign hands the student n sets, making new ones when the class has too
// few that still need students. Sets are made under the class's lock, after
// a second look, so two students who ask at once share a set instead of
// each getting a new one.
func (s *Server) assign(ctx context.Context, class Class, studentID string, n int) ([]Set, error) {
	now := s.opt.Now().UTC()
	sets, err := s.opt.Store.Assign(ctx, class.ID, studentID, n, class.Settings.Replicas, now)
	if err != nil {
		return nil, err
	}
	s.topUp(class)
	if len(sets) >= n {
		return sets, nil
	}
	lock := s.setLock(class.ID)
	lock.Lock()
	defer lock.Unlock()
	more, err := s.opt.Store.Assign(ctx, class.ID, studentID, n-len(sets), class.Settings.Replicas, now)
	if err != nil {
		return nil, err
	}
	sets = append(sets, more...)
	if len(sets) >= n {
		return sets, nil
	}
	if err := s.makeSets(ctx, class, n-len(sets), now); err != nil {
		return nil, err
	}
	more, err = s.opt.Store.Assign(ctx, class.ID, studentID, n-len(sets), class.Settings.Replicas, now)
	return append(sets, more...), err
}

// MakeSets makes n new candidate sets for the class ahead of demand (a
// teacher may prepare a lesson's sets before it starts, so no student
// waits for the sampling).
func (s *Server) MakeSets(ctx context.Context, class Class, n int) error {
	lock := s.setLock(class.ID)
	lock.Lock()
	defer lock.Unlock()
	return s.makeSets(ctx, class, n, s.opt.Now().UTC())
}

// makeSets numbers n new sets after the class's last, sampling them on
// every core (each set has its own random stream, so the result does not
// depend on the order); the caller holds the class's set lock.
func (s *Server) makeSets(ctx context.Context, class Class, n int, now time.Time) error {
	model, err := s.model(class.Lang)
	if err != nil {
		return err
	}
	top, err := s.opt.Store.MaxSeq(ctx, class.ID)
	if err != nil {
		return err
	}
	made := make([]Set, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				seq := top + 1 + i
				prompt, answers := model.Generator.Set(class.Seed, seq, class.Settings.K)
				made[i] = Set{ClassID: class.ID, Seq: seq, Prompt: prompt, Answers: answers, CreatedAt: now}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return s.opt.Store.AddSets(ctx, made)
}

// stockChunk is how many sets the stock makes under one hold of the class's
// lock, so a student who needs a set at once waits for a few at most.
const stockChunk = 4

// topUp makes sets in the background until the class has opt.Stock sets
// still to hand out; one top-up per class at a time.
func (s *Server) topUp(class Class) {
	if s.opt.Stock < 0 {
		return
	}
	s.mu.Lock()
	if s.stocking[class.ID] || s.bgCtx.Err() != nil {
		s.mu.Unlock()
		return
	}
	s.stocking[class.ID] = true
	s.bg.Add(1)
	s.mu.Unlock()
	go func() {
		defer func() {
			s.mu.Lock()
			delete(s.stocking, class.ID)
			s.mu.Unlock()
			s.bg.Done()
		}()
		for s.bgCtx.Err() == nil {
			open, err := s.opt.Store.OpenSets(s.bgCtx, class.ID, class.Settings.Replicas)
			if err == nil && open < s.opt.Stock {
				err = s.MakeSets(s.bgCtx, class, min(stockChunk, s.opt.Stock-open))
			}
			if err != nil && s.bgCtx.Err() == nil {
				s.opt.Log.Printf("class: making sets ahead for class %q: %v", class.Name, err)
			}
			if err != nil || open >= s.opt.Stock {
				return
			}
		}
	}()
}

func (s *Server) setLock(classID string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.setLocks[classID]
	if !ok {
		l = new(sync.Mutex)
		s.setLocks[classID] = l
	}
	return l
}

// maxCachedSets bounds the cache of sets (about 1 kB each).
const maxCachedSets = 20000

// set returns a set of the class, from the cache when it can.
func (s *Server) set(ctx context.Context, classID string, seq int) (Set, error) {
	k := setKey{classID, seq}
	s.mu.Lock()
	set, ok := s.sets[k]
	s.mu.Unlock()
	if ok {
		return set, nil
	}
	set, err := s.opt.Store.SetBySeq(ctx, classID, seq)
	if err != nil {
		return set, err
	}
	s.mu.Lock()
	if len(s.sets) >= maxCachedSets {
		clear(s.sets) // a school's server may serve many classes; the store has them all
	}
	s.sets[k] = set
	s.mu.Unlock()
	return set, nil
}

// rank stores a ranking and acknowledges it only once the store committed
// it; a resend with the same ranking id is acknowledged again, stored once.
func (s *Server) rank(w http.ResponseWriter, c *call) error {
	req, err := request.Ranking(c.body)
	if err != nil {
		return err
	}
	ctx := c.r.Context()
	set, err := s.set(ctx, c.class.ID, req.SetID)
	if errors.Is(err, ErrNotFound) {
		return &request.Error{Status: http.StatusNotFound, Msg: fmt.Sprintf("your class has no set %d", req.SetID)}
	}
	if err != nil {
		return err
	}
	if len(req.Order) != len(set.Answers) {
		return request.Bad("set %d has %d answers; the order lists %d", req.SetID, len(set.Answers), len(req.Order))
	}
	dup, err := s.opt.Store.AddRanking(ctx, Ranking{ClassID: c.class.ID, StudentID: c.student.ID, ID: req.RankingID,
		Seq: req.SetID, Order: req.Order, CreatedAt: s.opt.Now().UTC()})
	switch {
	case errors.Is(err, ErrNotAssigned):
		return &request.Error{Status: http.StatusForbidden, Msg: fmt.Sprintf("set %d was not handed to you; ask for sets with POST %ssets/next", req.SetID, api.Prefix)}
	case errors.Is(err, ErrAlreadyRanked):
		return &request.Error{Status: http.StatusConflict, Msg: fmt.Sprintf("you ranked set %d already, under another ranking id", req.SetID)}
	case errors.Is(err, ErrRankingIDReuse):
		return &request.Error{Status: http.StatusConflict, Msg: fmt.Sprintf("ranking id %s was used for another ranking; make a new id for each ranking", req.RankingID)}
	case err != nil:
		return err
	}
	n, err := s.opt.Store.CountRankings(ctx, c.student.ID)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if dup {
		status = http.StatusOK
	}
	writeJSON(w, status, api.RankingResponse{RankingID: req.RankingID, Duplicate: dup, Rankings: n})
	return nil
}

func (s *Server) rewardModel(w http.ResponseWriter, c *call) error {
	m, err := s.opt.Store.RewardModel(c.r.Context(), c.class.ID, true)
	if errors.Is(err, ErrNotFound) {
		return &request.Error{Status: http.StatusNotFound, Msg: "the teacher has not sent a class reward model yet"}
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.Itoa(len(m.Data)))
	h.Set("ETag", `"`+m.SHA256+`"`)
	h.Set("X-Model-Version", strconv.Itoa(m.Version))
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="class-reward-v%d.ckpt"`, m.Version))
	w.WriteHeader(http.StatusOK)
	if c.r.Method != http.MethodHead {
		w.Write(m.Data)
	}
	return nil
}

func (s *Server) putRewardModel(w http.ResponseWriter, c *call) error {
	model, err := s.model(c.class.Lang)
	if err != nil {
		return err
	}
	if _, err := request.RewardModel(c.body, model.Checkpoint); err != nil {
		return err
	}
	sum := sha256.Sum256(c.body)
	m, err := s.opt.Store.PutRewardModel(c.r.Context(), c.class.ID, c.body, hex.EncodeToString(sum[:]), s.opt.Now().UTC())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, api.ModelInfo{Version: m.Version, Bytes: m.Size, SHA256: m.SHA256, SentAt: m.CreatedAt})
	return nil
}

func (s *Server) overview(w http.ResponseWriter, c *call) error {
	ctx := c.r.Context()
	students, err := s.opt.Store.Students(ctx, c.class.ID)
	if err != nil {
		return err
	}
	orders, err := s.opt.Store.Orders(ctx, c.class.ID)
	if err != nil {
		return err
	}
	counts, err := s.opt.Store.SetCounts(ctx, c.class.ID)
	if err != nil {
		return err
	}
	o := api.Overview{Class: api.TeacherClass{Name: c.class.Name, JoinCode: c.class.JoinCode, Seed: c.class.Seed, Lang: c.class.Lang,
		Settings: c.class.Settings, CreatedAt: c.class.CreatedAt}, Students: make([]api.StudentSummary, len(students)),
		Sets: counts, Rankings: len(orders)}
	index := map[string]int{}
	now := s.opt.Now()
	s.mu.Lock()
	for i, st := range students {
		index[st.ID] = i
		o.Students[i] = api.StudentSummary{Student: apiStudent(st.Student), Rankings: st.Rankings}
		if t, ok := s.seen[st.ID]; ok {
			t := t.UTC()
			o.Students[i].LastSeen, o.Students[i].Connected = &t, now.Sub(t) <= api.ConnectedWithin
		}
	}
	s.mu.Unlock()
	votes := make([]Vote, 0, len(orders))
	for _, r := range orders {
		if i, ok := index[r.StudentID]; ok {
			votes = append(votes, Vote{Student: i, Set: r.Seq, Order: r.Order})
		}
	}
	o.Agreement = Agreement(len(students), votes)
	if o.RewardModel, err = s.modelInfo(ctx, c.class.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (s *Server) settings(w http.ResponseWriter, c *call) error {
	st, err := request.Settings(c.body, c.class.Settings)
	if err != nil {
		return err
	}
	if err := s.opt.Store.UpdateSettings(c.r.Context(), c.class.ID, st); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) pooled(ctx context.Context, classID string) ([]api.PooledRanking, error) {
	rs, err := s.opt.Store.Rankings(ctx, classID)
	if err != nil {
		return nil, err
	}
	out := make([]api.PooledRanking, len(rs))
	for i, r := range rs {
		out[i] = api.PooledRanking{Prompt: r.Prompt, Answers: r.Answers, Order: r.Order, Labeler: r.Nickname,
			RankingID: r.ID, SetID: r.Seq, StudentID: r.StudentID, RankedAt: r.CreatedAt}
	}
	return out, nil
}

func (s *Server) rankingsJSON(w http.ResponseWriter, c *call) error {
	rs, err := s.pooled(c.r.Context(), c.class.ID)
	if err != nil {
		return err
	}
	if rs == nil {
		rs = []api.PooledRanking{}
	}
	w.Header().Set("Content-Disposition", `attachment; filename="class-rankings.json"`)
	writeJSON(w, http.StatusOK, api.Rankings{Class: c.class.Name, Rankings: rs})
	return nil
}

// rankingsCSV writes one row per ranking: the answers in the order they
// were shown (answer_0 …) and the order as indices, best first, and as
// ranks per answer (rank_of_0 …, 1 = best), for a spreadsheet. K is the
// largest of the class.
func (s *Server) rankingsCSV(w http.ResponseWriter, c *call) error {
	rs, err := s.pooled(c.r.Context(), c.class.ID)
	if err != nil {
		return err
	}
	K := 0
	for _, r := range rs {
		K = max(K, len(r.Answers))
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	head := []string{"ranked_at", "ranking_id", "student_id", "nickname", "set_id", "prompt", "order"}
	for i := range K {
		head = append(head, fmt.Sprintf("answer_%d", i))
	}
	for i := range K {
		head = append(head, fmt.Sprintf("rank_of_%d", i))
	}
	cw.Write(head)
	for _, r := range rs {
		order := make([]string, len(r.Order))
		for i, v := range r.Order {
			order[i] = strconv.Itoa(v)
		}
		row := []string{r.RankedAt.Format(time.RFC3339Nano), r.RankingID, r.StudentID, csvText(r.Labeler), strconv.Itoa(r.SetID),
			csvText(r.Prompt), strings.Join(order, " ")}
		ranks := make([]string, K)
		for pos, i := range r.Order {
			ranks[i] = strconv.Itoa(pos + 1)
		}
		for i := range K {
			a := ""
			if i < len(r.Answers) {
				a = csvText(r.Answers[i])
			}
			row = append(row, a)
		}
		cw.Write(append(row, ranks...))
	}
	cw.Flush()
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="class-rankings.csv"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}

// csvText keeps a spreadsheet from reading a cell as a formula (CSV
// injection): a text that starts with = + - @ or a tab gets a leading '.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
