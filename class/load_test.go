package class

import (
	"context"
	"testing"
	"time"

	"rlhfplayground/class/api"
	"rlhfplayground/class/load"
)

// exported reads the teacher's JSON export in load.Check's terms.
func exported(t *testing.T, teacher *api.Client) []load.Stored {
	t.Helper()
	pool, err := teacher.Rankings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]load.Stored, len(pool.Rankings))
	for i, r := range pool.Rankings {
		out[i] = load.Stored{StudentID: r.StudentID, RankingID: r.RankingID, SetID: r.SetID, Order: r.Order}
	}
	return out
}

// TestLoadExactlyOnce is the load test at a size for go test (cmd/classload
// runs 100 × 50): students rank concurrently over loopback HTTP, a fifth of
// the rankings are sent twice, and every acknowledged ranking is stored
// exactly once.
func TestLoadExactlyOnce(t *testing.T) {
	for _, kind := range storeKinds() {
		t.Run(kind, func(t *testing.T) {
			lim := DefaultLimits()
			lim.Address.Burst = 1000 // every simulated student joins from 127.0.0.1
			e := newEnv(t, kind, lim)
			e.srv.opt.Now = time.Now // real time: the rate limits refill
			const students, rankings = 12, 6
			rep, err := load.Run(context.Background(), load.Config{BaseURL: e.ts.URL, JoinCode: e.class.JoinCode,
				Students: students, Rankings: rankings, Hold: 2, Resend: 0.2, Seed: 1, Patience: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			stored := exported(t, e.teacher)
			dups, problems := load.Check(rep.Acks, stored)
			if len(rep.Acks) != students*rankings || len(stored) != students*rankings || dups != 0 || len(problems) > 0 {
				t.Fatalf("%d acknowledged, %d stored, %d duplicates; problems: %v", len(rep.Acks), len(stored), dups, problems)
			}
			if rep.Resent == 0 {
				t.Error("no ranking was resent: the test did not test idempotency")
			}
			o, err := e.teacher.Overview(context.Background())
			if err != nil || o.Agreement.Class == nil || o.Sets.Shared == 0 {
				t.Fatalf("overview after the load: %+v, %v", o.Agreement, err)
			}
			p95, n := load.Quantile(rep.Samples, 0.95, func(s load.Sample) bool { return s.Endpoint == "POST rankings" })
			t.Logf("%s: %d rankings from %d students in %v; POST rankings p95 %v over %d requests; class agreement %.3f over %d comparisons",
				kind, len(stored), students, rep.Elapsed.Round(time.Millisecond), p95, n, *o.Agreement.Class, o.Agreement.Comparisons)
		})
	}
}
