// Package load simulates a class of students against a class server over
// HTTP: each joins, holds a few candidate sets, ranks them as a persona
// would (sim.Persona, with its noise, so the agreement figures mean
// something), queues each ranking in an api.Outbox and flushes it, and
// rides out an unreachable server by retrying. It records every request's
// latency and every acknowledgement, so a test can check that each
// acknowledged ranking is stored exactly once. cmd/classload runs it at
// full size (100 students × 50 rankings); the class tests run it small.
package load

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"rlhfplayground/class/api"
	"rlhfplayground/sim"
)

// Config is one simulated class.
type Config struct {
	BaseURL  string // the server, "http://127.0.0.1:PORT"
	JoinCode string
	Students int
	Rankings int           // each student ranks this many sets
	Hold     int           // sets a student asks to hold at once (1…api.MaxSetsAtOnce): with more than 1 a student keeps ranking while the server is down
	Resend   float64       // share of rankings sent a second time, as if the first answer were lost
	Think    time.Duration // a student's mean pause before each ranking (uniform in 0.5…1.5×); 0: none, as fast as the server answers
	Seed     uint64
	// Patience is how long a student keeps retrying a server that does not
	// answer (a crash test restarts it meanwhile) before giving up.
	Patience time.Duration
	Nickname string // prefix of the nicknames: "student" gives student-000, student-001, …
	// OnRank and OnAck, if set, are called (from the students' goroutines)
	// when a student makes a ranking and when one is first acknowledged.
	OnRank, OnAck func()
}

// Ack is one acknowledged ranking, as the client sent it.
type Ack struct {
	StudentID string
	RankingID string
	SetID     int
	Order     []int
	Queued    time.Time // when the student made it
	Acked     time.Time // when the server acknowledged it (the first time)
	Duplicate bool      // the acknowledgement said the store had it already
}

// Sample is one HTTP request: its endpoint ("POST rankings"), status (0 for
// a network error) and latency.
type Sample struct {
	Endpoint string
	Status   int
	Latency  time.Duration
}

// Report is what a run did.
type Report struct {
	Acks     []Ack
	Samples  []Sample
	Resent   int // rankings sent twice on purpose
	Elapsed  time.Duration
	Students []string // the students' ids
}

// Run simulates the class and returns when every student has had all its
// rankings acknowledged, or with the first student's error.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Hold < 1 {
		cfg.Hold = 1
	}
	if cfg.Nickname == "" {
		cfg.Nickname = "student"
	}
	rec := &recorder{}
	rec.lastOK.Store(time.Now().UnixNano())
	client := &http.Client{Transport: &timing{next: &http.Transport{MaxIdleConnsPerHost: cfg.Students + 4, MaxIdleConns: cfg.Students + 4}, rec: rec},
		Timeout: 30 * time.Second}
	personas := sim.Personas()
	start := time.Now()
	rep := &Report{Students: make([]string, cfg.Students)}
	var mu sync.Mutex
	var resent atomic.Int64
	errs := make([]error, cfg.Students)
	var wg sync.WaitGroup
	for i := range cfg.Students {
		wg.Go(func() {
			s := &student{cfg: cfg, c: &api.Client{BaseURL: cfg.BaseURL, HTTP: client}, out: api.NewOutbox(nil),
				persona: personas[i%2], rng: rand.New(rand.NewPCG(cfg.Seed, uint64(i))), nick: fmt.Sprintf("%s-%03d", cfg.Nickname, i), rec: rec}
			acks, err := s.run(ctx)
			if err != nil {
				errs[i] = fmt.Errorf("load: %s: %w", s.nick, err)
			}
			resent.Add(int64(s.resent))
			mu.Lock()
			rep.Acks = append(rep.Acks, acks...)
			rep.Students[i] = s.id
			mu.Unlock()
		})
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	rep.Samples = rec.samples
	rep.Resent = int(resent.Load())
	return rep, errors.Join(errs...)
}

type student struct {
	cfg     Config
	c       *api.Client
	out     *api.Outbox
	persona *sim.Persona
	rng     *rand.Rand
	nick    string
	id      string
	resent  int
	rec     *recorder
}

// run is one student's lesson.
func (s *student) run(ctx context.Context) ([]Ack, error) {
	err := s.retry(ctx, func() error {
		r, err := s.c.Join(ctx, s.cfg.JoinCode, s.nick)
		s.id = r.Student.ID
		return err
	})
	if err != nil {
		return nil, err
	}
	made := map[string]*Ack{}
	var acks []Ack
	var held []api.Set
	ranked := map[int]bool{}
	for len(acks) < s.cfg.Rankings {
		// Rank a held set, if there is one and rankings are still to make.
		if len(held) > 0 && len(made) < s.cfg.Rankings {
			if s.cfg.Think > 0 {
				select {
				case <-ctx.Done():
					return acks, ctx.Err()
				case <-time.After(time.Duration((0.5 + s.rng.Float64()) * float64(s.cfg.Think))):
				}
			}
			set := held[0]
			held = held[1:]
			order := s.persona.Rank(set.Prompt, set.Answers, s.rng)
			r := api.RankingRequest{RankingID: api.NewRankingID(), SetID: set.ID, Order: order}
			made[r.RankingID] = &Ack{StudentID: s.id, RankingID: r.RankingID, SetID: set.ID, Order: order, Queued: time.Now()}
			ranked[set.ID] = true
			if s.cfg.OnRank != nil {
				s.cfg.OnRank()
			}
			s.out.Add(r)
			if s.rng.Float64() < s.cfg.Resend {
				s.out.Add(r) // the same ranking again: the store must keep one
				s.resent++
			}
		}
		got, err := s.out.Flush(ctx, s.c)
		for _, a := range got {
			m := made[a.RankingID]
			if m.Acked.IsZero() {
				m.Acked, m.Duplicate = time.Now(), a.Duplicate
				acks = append(acks, *m)
				if s.cfg.OnAck != nil {
					s.cfg.OnAck()
				}
			}
		}
		if rej := s.out.Rejected(); len(rej) > 0 {
			return acks, fmt.Errorf("ranking %s refused: %v", rej[0].Ranking.RankingID, rej[0].Err)
		}
		if err != nil {
			if len(held) > 0 {
				continue // the server is away: keep ranking into the outbox
			}
			if err := s.wait(ctx, err); err != nil {
				return acks, err
			}
			continue
		}
		// Keep Hold sets at hand, as the app does, so that the student can
		// go on ranking when the server is away. Next returns the sets held
		// already too.
		if want := min(s.cfg.Hold, s.cfg.Rankings-len(made)); len(held) < want {
			var sets []api.Set
			next := func() (err error) {
				sets, err = s.c.Next(ctx, want)
				return err
			}
			var err error
			if len(held) > 0 {
				err = next() // once: with sets at hand, a failure can wait
			} else {
				err = s.retry(ctx, next)
			}
			switch {
			case err != nil && len(held) > 0 && api.Retryable(err):
				continue
			case err != nil:
				return acks, err
			}
			for _, set := range sets {
				if !ranked[set.ID] && !slices.ContainsFunc(held, func(h api.Set) bool { return h.ID == set.ID }) {
					held = append(held, set)
				}
			}
		}
	}
	return acks, nil
}

// retry calls f until it succeeds, fails for good, or the server has been
// away for longer than Patience.
func (s *student) retry(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil || !api.Retryable(err) {
			return err
		}
		if err := s.wait(ctx, err); err != nil {
			return err
		}
	}
}

// wait sleeps before a retry: a 429's Retry-After, or a short random
// pause for a network error or 5xx, counting towards Patience.
func (s *student) wait(ctx context.Context, cause error) error {
	var se *api.StatusError
	d := time.Duration(20+s.rng.IntN(60)) * time.Millisecond
	if errors.As(cause, &se) && se.RetryAfter > 0 {
		d = se.RetryAfter
	} else if !errors.As(cause, &se) {
		if time.Since(s.lastAnswer()) > s.cfg.Patience {
			return fmt.Errorf("the server has not answered for %v: %w", s.cfg.Patience, cause)
		}
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// lastAnswer is when the server last answered any student of the run.
func (s *student) lastAnswer() time.Time { return time.Unix(0, s.rec.lastOK.Load()) }

// timing is a RoundTripper that records each request's latency.
type timing struct {
	next http.RoundTripper
	rec  *recorder
}

func (t *timing) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	status := 0
	if err == nil {
		status = resp.StatusCode
		t.rec.lastOK.Store(time.Now().UnixNano())
	}
	t.rec.add(Sample{Endpoint: r.Method + " " + strings.TrimPrefix(r.URL.Path, api.Prefix), Status: status, Latency: time.Since(start)})
	return resp, err
}

type recorder struct {
	mu      sync.Mutex
	samples []Sample
	lastOK  atomic.Int64 // Unix nanoseconds of the newest answer
}

func (r *recorder) add(s Sample) {
	r.mu.Lock()
	r.samples = append(r.samples, s)
	r.mu.Unlock()
}

// Quantile returns the q-quantile (0…1) of the latencies of the samples
// that keep says to, and how many there were.
func Quantile(samples []Sample, q float64, keep func(Sample) bool) (time.Duration, int) {
	var d []time.Duration
	for _, s := range samples {
		if keep(s) {
			d = append(d, s.Latency)
		}
	}
	if len(d) == 0 {
		return 0, 0
	}
	slices.Sort(d)
	i := int(q*float64(len(d))+0.5) - 1
	return d[max(0, min(len(d)-1, i))], len(d)
}

// Endpoints lists the endpoints in the samples, sorted.
func Endpoints(samples []Sample) []string {
	seen := map[string]bool{}
	for _, s := range samples {
		seen[s.Endpoint] = true
	}
	var out []string
	for e := range seen {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// Stored is one ranking as the server's export lists it.
type Stored struct {
	StudentID, RankingID string
	SetID                int
	Order                []int
}

// Check compares the acknowledged rankings with what the store holds: each
// acknowledged ranking must be there once with the order sent, nothing may
// be there that was not acknowledged... except rankings whose answer was
// lost in a crash (committed, never acknowledged), which the student then
// resends and gets acknowledged as duplicates — so, with every student
// done, the two sets are equal. It returns the duplicates found (0 when
// all is well) and a description of every difference.
func Check(acks []Ack, stored []Stored) (duplicates int, problems []string) {
	type key struct{ student, id string }
	got := map[key][]Stored{}
	perSet := map[[2]string]int{}
	for _, s := range stored {
		k := key{s.StudentID, s.RankingID}
		got[k] = append(got[k], s)
		perSet[[2]string{s.StudentID, fmt.Sprint(s.SetID)}]++
	}
	for k, v := range got {
		if len(v) > 1 {
			duplicates += len(v) - 1
			problems = append(problems, fmt.Sprintf("ranking %s of %s stored %d times", k.id, k.student, len(v)))
		}
	}
	for k, n := range perSet {
		if n > 1 {
			duplicates += n - 1
			problems = append(problems, fmt.Sprintf("student %s ranked set %s %d times", k[0], k[1], n))
		}
	}
	acked := map[key]bool{}
	for _, a := range acks {
		k := key{a.StudentID, a.RankingID}
		acked[k] = true
		v := got[k]
		switch {
		case len(v) == 0:
			problems = append(problems, fmt.Sprintf("acknowledged ranking %s of %s is not stored", a.RankingID, a.StudentID))
		case v[0].SetID != a.SetID || !slices.Equal(v[0].Order, a.Order):
			problems = append(problems, fmt.Sprintf("ranking %s stored as set %d %v, sent as set %d %v", a.RankingID, v[0].SetID, v[0].Order, a.SetID, a.Order))
		}
	}
	for k := range got {
		if !acked[k] {
			problems = append(problems, fmt.Sprintf("ranking %s of %s is stored but was never acknowledged", k.id, k.student))
		}
	}
	sort.Strings(problems)
	return duplicates, problems
}
