// Command classload is the class server's load test at full size: a class
// server on loopback (in this process, over real TCP) and 100 simulated
// students who each rank 50 sets concurrently, queueing in their outboxes
// and resending a tenth of their rankings as if an answer were lost. It
// checks that every acknowledged ranking is stored exactly once and prints
// the latency of each endpoint.
//
//	go run ./cmd/classload                               # SQLite in a temporary folder
//	go run ./cmd/classload -store postgres://user:pw@127.0.0.1/db   # a new class in that database
//	go run ./cmd/classload -students 30 -rankings 20 -prepare
//	go run ./cmd/classload -think 2s                     # students who pause about 2 s before each ranking
//
// The default limits apply (5 requests/s per student, burst 60), except the
// per-address join limit: every simulated student joins from 127.0.0.1.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"rlhfplayground/class"
	"rlhfplayground/class/api"
	"rlhfplayground/class/load"
)

func main() {
	students := flag.Int("students", 100, "simulated students")
	rankings := flag.Int("rankings", 50, "rankings per student")
	store := flag.String("store", "", "a SQLite `file` or a postgres:// URL; empty: SQLite in a temporary folder")
	hold := flag.Int("hold", 3, "sets each student holds at once (1…5)")
	resend := flag.Float64("resend", 0.1, "share of rankings sent twice")
	replicas := flag.Int("replicas", class.DefaultReplicas, "students who see each set")
	prepare := flag.Bool("prepare", false, "make all the sets before the students start (otherwise the server samples them on demand)")
	seed := flag.Uint64("seed", 1, "seed of the students' rankings")
	think := flag.Duration("think", 0, "a student's mean pause before each ranking (0: as fast as the server answers)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("classload: ")

	ctx := context.Background()
	spec, kind := *store, "PostgreSQL"
	if spec == "" {
		dir, err := os.MkdirTemp("", "classload-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		spec = filepath.Join(dir, "class.db")
	}
	if !strings.HasPrefix(spec, "postgres") {
		kind = "SQLite"
	}
	opt, err := class.Shipped()
	if err != nil {
		log.Fatal(err)
	}
	if opt.Store, err = class.OpenStore(ctx, spec); err != nil {
		log.Fatal(err)
	}
	defer opt.Store.Close()
	opt.Limits.Address.Burst = *students + 10
	srv := class.NewServer(opt)
	c, _, err := srv.CreateClass(ctx, fmt.Sprintf("load-%s", time.Now().UTC().Format("20060102-150405")), class.DefaultLang)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, srv)
	base := "http://" + ln.Addr().String()
	teacher := &api.Client{BaseURL: base, Token: c.TeacherToken}
	if _, err := teacher.PatchSettings(ctx, api.SettingsPatch{Replicas: replicas}); err != nil {
		log.Fatal(err)
	}
	c.Settings.Replicas = *replicas
	if *prepare {
		start := time.Now()
		n := (*students**rankings + *replicas - 1) / *replicas
		if err := srv.MakeSets(ctx, c, n); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("made %d sets in %v before the lesson\n", n, time.Since(start).Round(time.Millisecond))
	}
	fmt.Printf("%d students × %d rankings, %s store, K %d, replicas %d, think %v, on %s\n", *students, *rankings, kind, c.Settings.K, *replicas, *think, base)

	rep, err := load.Run(ctx, load.Config{BaseURL: base, JoinCode: c.JoinCode, Students: *students, Rankings: *rankings,
		Hold: *hold, Resend: *resend, Seed: *seed, Think: *think, Patience: time.Minute})
	if err != nil {
		log.Fatal(err)
	}
	pool, err := teacher.Rankings(ctx)
	if err != nil {
		log.Fatal(err)
	}
	stored := make([]load.Stored, len(pool.Rankings))
	for i, r := range pool.Rankings {
		stored[i] = load.Stored{StudentID: r.StudentID, RankingID: r.RankingID, SetID: r.SetID, Order: r.Order}
	}
	dups, problems := load.Check(rep.Acks, stored)
	fmt.Printf("stored %d rankings, acknowledged %d, duplicates %d, problems %d; %d resent on purpose, each acknowledged and stored once\n",
		len(stored), len(rep.Acks), dups, len(problems), rep.Resent)
	for _, p := range problems[:min(len(problems), 10)] {
		fmt.Println("  ", p)
	}
	fmt.Printf("%v for the lesson, %.0f rankings/s\n\n", rep.Elapsed.Round(time.Millisecond), float64(len(stored))/rep.Elapsed.Seconds())
	fmt.Printf("%-18s %7s %9s %9s %9s %9s %6s\n", "endpoint", "n", "p50", "p95", "p99", "max", "429s")
	ok := func(e string) func(load.Sample) bool {
		return func(s load.Sample) bool { return (e == "" || s.Endpoint == e) && s.Status/100 == 2 }
	}
	row := func(name, e string) {
		p50, n := load.Quantile(rep.Samples, 0.50, ok(e))
		p95, _ := load.Quantile(rep.Samples, 0.95, ok(e))
		p99, _ := load.Quantile(rep.Samples, 0.99, ok(e))
		mx, _ := load.Quantile(rep.Samples, 1, ok(e))
		limited := 0
		for _, s := range rep.Samples {
			if (e == "" || s.Endpoint == e) && s.Status == http.StatusTooManyRequests {
				limited++
			}
		}
		ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }
		fmt.Printf("%-18s %7d %9s %9s %9s %9s %6d\n", name, n, ms(p50), ms(p95), ms(p99), ms(mx), limited)
	}
	for _, e := range load.Endpoints(rep.Samples) {
		row(e, e)
	}
	row("all", "")
	o, err := teacher.Overview(ctx)
	if err != nil {
		log.Fatal(err)
	}
	if o.Agreement.Class != nil {
		fmt.Printf("\nclass agreement %.3f over %d pairs of rankings of %d shared sets (personas helpful-polite and concise, noise 0.05)\n",
			*o.Agreement.Class, o.Agreement.Comparisons, o.Sets.Shared)
	}
	if dups != 0 || len(problems) > 0 || len(stored) != *students**rankings {
		os.Exit(1)
	}
}
