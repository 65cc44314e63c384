package class

// The HTTP side: a fixed table of routes under api.Prefix (routes.go), each
// with who may call it and how large its body may be. Every request is
// authenticated, rate-limited and size-limited before its handler runs, and
// every refusal is a JSON api.Error with a 4xx status and a sentence.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"rlhfplayground/class/api"
	"rlhfplayground/class/request"
	"rlhfplayground/sim"
)

// Limits are the server's bounds on what clients may send.
type Limits struct {
	Student     Rate // every request of one student
	Teacher     Rate // every request with one class's teacher token
	Address     Rate // joins, and requests with a wrong token, per remote address
	MaxStudents int  // per class
}

// DefaultLimits suit a classroom: a student ranks every few seconds at
// most, but a queue of rankings kept while the network was down (50) must
// go through at once when it is back.
func DefaultLimits() Limits {
	return Limits{
		Student:     Rate{PerSecond: 5, Burst: 60},
		Teacher:     Rate{PerSecond: 20, Burst: 40},
		Address:     Rate{PerSecond: 2, Burst: 40},
		MaxStudents: 200,
	}
}

// Options configure a Server.
type Options struct {
	Store Store
	// Models are the languages a class may be in, by language (an assets
	// pack: "en", "zh-TW"): each one's model makes the sets of a class in
	// that language. DefaultLang must be one of them.
	Models map[string]Model
	Limits Limits
	Now    func() time.Time // the clock; time.Now if nil
	Log    *log.Logger      // for 5xx causes; log.Default() if nil
	// Stock is how many sets a class keeps made ahead of demand (sets
	// handed to fewer than replicas students), topped up in the background
	// so that a student asking for a set seldom waits for the sampling;
	// 0 means DefaultStock, < 0 none.
	Stock int
}

// Model is one language's model of the class API.
type Model struct {
	Generator  *Generator      // makes the candidate sets
	Checkpoint *sim.Checkpoint // an uploaded reward model must match its shape and vocabulary
}

// DefaultLang is the language of a class made without one.
const DefaultLang = "en"

// DefaultStock covers a class of 30 holding a few sets each for a while:
// sampling a set takes about 17 ms of one core with the shipped model.
const DefaultStock = 24

// Server answers the class API.
type Server struct {
	opt                         Options
	mux                         *http.ServeMux
	student, teacher, addresses *limiter

	bg       sync.WaitGroup // the stock's background work
	bgCtx    context.Context
	bgCancel context.CancelFunc

	mu       sync.Mutex
	stocking map[string]bool        // class id → its stock is being topped up
	seen     map[string]time.Time   // student id → last request, since this process started
	tokens   map[string]Student     // token hash → student (students never change)
	setLocks map[string]*sync.Mutex // class id → held while its sets are made
	sets     map[setKey]Set         // sets never change: a cache
}

type setKey struct {
	class string
	seq   int
}

// NewServer returns a server over opt.Store.
func NewServer(opt Options) *Server {
	if opt.Store == nil || opt.Models[DefaultLang].Generator == nil {
		panic("class: NewServer: needs a store and the models, " + DefaultLang + " among them")
	}
	for lang, m := range opt.Models {
		if m.Generator == nil || m.Checkpoint == nil {
			panic("class: NewServer: the " + lang + " model needs a generator and a checkpoint")
		}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = log.Default()
	}
	if opt.Stock == 0 {
		opt.Stock = DefaultStock
	}
	s := &Server{opt: opt, student: newLimiter(opt.Limits.Student), teacher: newLimiter(opt.Limits.Teacher),
		addresses: newLimiter(opt.Limits.Address),
		seen:      map[string]time.Time{}, tokens: map[string]Student{}, setLocks: map[string]*sync.Mutex{}, sets: map[setKey]Set{},
		stocking: map[string]bool{}}
	s.bgCtx, s.bgCancel = context.WithCancel(context.Background())
	s.mux = http.NewServeMux()
	for _, rt := range routes {
		s.mux.Handle(rt.method+" "+rt.path, s.wrap(rt))
	}
	s.mux.HandleFunc("/api/", s.notFound) // every other path under /api/, which serve.go sends here
	return s
}

// Close stops the background work and waits for it; it does not close the
// store.
func (s *Server) Close() {
	s.mu.Lock()
	s.bgCancel() // under mu: topUp adds to bg only under mu with the context alive
	s.mu.Unlock()
	s.bg.Wait()
}

// ServeHTTP answers every path under /api/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	s.mux.ServeHTTP(w, r)
}

// notFound answers paths and methods no route has: 405 with Allow for a
// known path, else 404.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, rt := range routes {
		if rt.path == r.URL.Path {
			allow = append(allow, rt.method)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s %s: this endpoint takes %s", r.Method, r.URL.Path, strings.Join(allow, " or ")))
		return
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("no endpoint %s %s (docs/class-api.md lists them)", r.Method, r.URL.Path))
}

// call is one authenticated request on its way to a handler.
type call struct {
	r       *http.Request
	body    []byte
	class   Class
	student Student // zero for a teacher
	teacher bool
}

// wrap authenticates, rate-limits and reads the body of a request to rt.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := s.opt.Now()
		c := &call{r: r}
		if err := s.admit(c, rt.who, now); err != nil {
			s.fail(w, r, err)
			return
		}
		if rt.ctype != "" && r.ContentLength != 0 {
			if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); !strings.EqualFold(strings.TrimSpace(ct), rt.ctype) {
				s.fail(w, r, &request.Error{Status: http.StatusUnsupportedMediaType, Msg: fmt.Sprintf("send the body as Content-Type: %s", rt.ctype)})
				return
			}
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, rt.maxBody))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				err = &request.Error{Status: http.StatusRequestEntityTooLarge, Msg: fmt.Sprintf("the request body is over this endpoint's limit of %d bytes", rt.maxBody)}
			} else {
				err = request.Bad("the request body could not be read: %v", err)
			}
			s.fail(w, r, err)
			return
		}
		c.body = body
		if err := rt.handle(s, w, c); err != nil {
			s.fail(w, r, err)
		}
	})
}

// admit checks who is calling and charges their rate limit.
func (s *Server) admit(c *call, who role, now time.Time) error {
	ctx := c.r.Context()
	token, hasToken := strings.CutPrefix(c.r.Header.Get("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	if who == anyone {
		return s.charge(s.addresses, remoteHost(c.r), now, "joining from this address")
	}
	if !hasToken || token == "" {
		return &request.Error{Status: http.StatusUnauthorized, Msg: "this endpoint needs an Authorization: Bearer token (a student's from joining, or the teacher's)"}
	}
	if who.has(teacherRole) && strings.HasPrefix(token, teacherTokenPrefix) {
		class, err := s.opt.Store.ClassByTeacherToken(ctx, token)
		if err == nil {
			c.class, c.teacher = class, true
			return s.charge(s.teacher, class.ID, now, "the teacher")
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	if who.has(studentRole) && strings.HasPrefix(token, studentTokenPrefix) {
		st, err := s.studentByToken(ctx, token)
		if err == nil {
			if c.class, err = s.opt.Store.ClassByID(ctx, st.ClassID); err != nil {
				return err
			}
			c.student = st
			s.mu.Lock()
			s.seen[st.ID] = now
			s.mu.Unlock()
			return s.charge(s.student, st.ID, now, "this student")
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	if err := s.charge(s.addresses, remoteHost(c.r), now, "wrong tokens from this address"); err != nil {
		return err
	}
	if who == teacherRole && strings.HasPrefix(token, studentTokenPrefix) {
		return &request.Error{Status: http.StatusForbidden, Msg: "only the teacher may do this; a student's token was sent"}
	}
	if who == studentRole && strings.HasPrefix(token, teacherTokenPrefix) {
		if _, err := s.opt.Store.ClassByTeacherToken(ctx, token); err == nil {
			return &request.Error{Status: http.StatusForbidden, Msg: "this endpoint is for students; the teacher's token was sent"}
		}
	}
	return &request.Error{Status: http.StatusUnauthorized, Msg: "the token is not known here: join the class again (students) or use the teacher link the server printed"}
}

func (s *Server) studentByToken(ctx context.Context, token string) (Student, error) {
	h := hashToken(token)
	s.mu.Lock()
	st, ok := s.tokens[h]
	s.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := s.opt.Store.StudentByTokenHash(ctx, h)
	if err != nil {
		return st, err
	}
	s.mu.Lock()
	s.tokens[h] = st
	s.mu.Unlock()
	return st, nil
}

// charge takes a token from key's bucket or returns a 429 that says when to
// try again (Retry-After, whole seconds).
func (s *Server) charge(l *limiter, key string, now time.Time, who string) error {
	ok, wait := l.allow(key, now)
	if ok {
		return nil
	}
	return &rateError{wait: wait, msg: fmt.Sprintf("too many requests for %s: try again in %.1f s", who, wait.Seconds())}
}

type rateError struct {
	wait time.Duration
	msg  string
}

func (e *rateError) Error() string { return e.msg }

// remoteHost is the address the request came from, without its port.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// fail writes err as a JSON error: its own status for a request.Error, 429
// for a rateError, the store's conditions as 4xx, anything else as a 500
// whose cause goes to the log, not to the client.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var re *request.Error
	var rate *rateError
	switch {
	case errors.As(err, &re):
		writeError(w, re.Status, re.Msg)
	case errors.As(err, &rate):
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int((rate.wait+time.Second-1)/time.Second))))
		writeError(w, http.StatusTooManyRequests, rate.msg)
	case errors.Is(err, context.Canceled):
		writeError(w, http.StatusServiceUnavailable, "the request was cancelled")
	default:
		s.opt.Log.Printf("class: %s %s: %v", r.Method, r.URL.Path, err)
		writeError(w, http.StatusInternalServerError, "the class server could not do this (its log says why); nothing was changed, try again")
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, api.Error{Error: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("class: writeJSON: " + err.Error()) // only our own types are written
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// EnsureClass returns the newest class called name, or creates it in lang
// with the default settings (sim.DefaultSettings' K, three students per
// set, open). A restarted server thus keeps its class, join code and
// teacher token. A class of that name in another language is an error: its
// rankings are of another model's answers.
func (s *Server) EnsureClass(ctx context.Context, name, lang string) (c Class, created bool, err error) {
	c, err = s.opt.Store.ClassByName(ctx, name)
	switch {
	case err == nil && c.Lang != lang:
		return Class{}, false, fmt.Errorf("class: the class %q is in %s, not %s: give the class in %s another name", name, c.Lang, lang, lang)
	case err == nil || !errors.Is(err, ErrNotFound):
		return c, false, err
	}
	return s.CreateClass(ctx, name, lang)
}

// model is the model of a class in lang: an error when this server has none
// (a store shared with a server that has more languages).
func (s *Server) model(lang string) (Model, error) {
	m, ok := s.opt.Models[lang]
	if !ok {
		return Model{}, fmt.Errorf("class: this server has no model in %q (it has %s)", lang, strings.Join(s.Langs(), ", "))
	}
	return m, nil
}

// Langs are the languages a class may be in, sorted.
func (s *Server) Langs() []string {
	return slices.Sorted(maps.Keys(s.opt.Models))
}

// DefaultReplicas is how many students see each set in a new class.
const DefaultReplicas = 3

// CreateClass makes a new class in lang, one of the server's Models, with a
// fresh join code, teacher token and seed.
func (s *Server) CreateClass(ctx context.Context, name, lang string) (Class, bool, error) {
	if _, err := s.model(lang); err != nil {
		return Class{}, false, err
	}
	c := Class{ID: newID(), Name: name, Lang: lang, TeacherToken: newToken(teacherTokenPrefix), Seed: seedFrom(newID()),
		Settings: api.Settings{K: sim.DefaultSettings().K, Replicas: DefaultReplicas, Open: true}, CreatedAt: storeTime(s.opt.Now())}
	var err error
	for range 5 { // a clash of join codes is one in 10⁸ per class; try again
		c.JoinCode = newJoinCode()
		if err = s.opt.Store.CreateClass(ctx, c); err == nil {
			return c, true, nil
		}
	}
	return Class{}, false, err
}

// storeTime is t as the store keeps it (UTC, milliseconds), so an answer
// made now says what a later read of the store will.
func storeTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// seedFrom turns a hex id into a seed.
func seedFrom(hexID string) uint64 {
	v, _ := strconv.ParseUint(hexID[:16], 16, 64)
	return v
}

// Links are the two addresses the server prints for a class: the student
// link carries the join code, the teacher link the teacher token. Both
// travel in the URL's fragment, which a browser never sends to a server or
// in a Referer.
func Links(base string, c Class) (student, teacher string) {
	base = strings.TrimSuffix(base, "/") + "/"
	return base + "#join=" + c.JoinCode, base + "#teacher=" + c.TeacherToken
}
