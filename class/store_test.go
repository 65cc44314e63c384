package class

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"rlhfplayground/class/api"
)

var t0 = time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)

func testClass(name string) Class {
	return Class{ID: newID(), Name: name, JoinCode: newJoinCode(), TeacherToken: newToken(teacherTokenPrefix), Seed: 1<<63 + 5, Lang: "zh-TW",
		Settings: api.Settings{K: 4, Replicas: 2, Open: true}, CreatedAt: t0}
}

func testStudent(c Class, nick string) Student {
	return Student{ID: newID(), ClassID: c.ID, Nickname: nick, TokenHash: hashToken(newToken(studentTokenPrefix)), JoinedAt: t0}
}

func testSets(c Class, from, n int) []Set {
	var out []Set
	for seq := from; seq < from+n; seq++ {
		out = append(out, Set{ClassID: c.ID, Seq: seq, Prompt: fmt.Sprintf("prompt %d", seq),
			Answers: []string{"a", "b", "c", fmt.Sprintf("d%d", seq)}, CreatedAt: t0})
	}
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func seqs(sets []Set) []int {
	var out []int
	for _, s := range sets {
		out = append(out, s.Seq)
	}
	return out
}

func TestStoreClasses(t *testing.T) {
	for _, kind := range storeKinds() {
		t.Run(kind, func(t *testing.T) {
			s, _ := openTestStore(t, kind)
			ctx := context.Background()
			if v, err := schemaVersion(ctx, s.w); err != nil || v != len(migrations) {
				t.Fatalf("schema version %d, %v; want %d", v, err, len(migrations))
			}
			must(t, s.migrate(ctx)) // a second migration does nothing
			c := testClass("7b")
			must(t, s.CreateClass(ctx, c))
			for name, get := range map[string]func() (Class, error){
				"name":    func() (Class, error) { return s.ClassByName(ctx, "7b") },
				"id":      func() (Class, error) { return s.ClassByID(ctx, c.ID) },
				"code":    func() (Class, error) { return s.ClassByJoinCode(ctx, c.JoinCode) },
				"teacher": func() (Class, error) { return s.ClassByTeacherToken(ctx, c.TeacherToken) },
			} {
				got, err := get()
				if err != nil || got != c {
					t.Errorf("by %s: %+v, %v; want %+v", name, got, err, c)
				}
			}
			for name, get := range map[string]func() (Class, error){
				"name":    func() (Class, error) { return s.ClassByName(ctx, "7c") },
				"code":    func() (Class, error) { return s.ClassByJoinCode(ctx, "AAAAAA") },
				"teacher": func() (Class, error) { return s.ClassByTeacherToken(ctx, c.TeacherToken+"x") },
			} {
				if _, err := get(); !errors.Is(err, ErrNotFound) {
					t.Errorf("unknown %s: %v, want ErrNotFound", name, err)
				}
			}
			dup := testClass("other")
			dup.JoinCode = c.JoinCode
			if err := s.CreateClass(ctx, dup); err == nil {
				t.Error("a second class with the same join code was stored")
			}
			st := api.Settings{K: 6, Replicas: 5, Open: false}
			must(t, s.UpdateSettings(ctx, c.ID, st))
			if got, _ := s.ClassByID(ctx, c.ID); got.Settings != st {
				t.Errorf("settings %+v, want %+v", got.Settings, st)
			}
			if err := s.UpdateSettings(ctx, "nope", st); !errors.Is(err, ErrNotFound) {
				t.Errorf("settings of an unknown class: %v", err)
			}
		})
	}
}

func TestStoreStudents(t *testing.T) {
	for _, kind := range storeKinds() {
		t.Run(kind, func(t *testing.T) {
			s, _ := openTestStore(t, kind)
			ctx := context.Background()
			c, other := testClass("a"), testClass("b")
			must(t, s.CreateClass(ctx, c))
			must(t, s.CreateClass(ctx, other))
			ada := testStudent(c, "Ada")
			must(t, s.AddStudent(ctx, ada, 3))
			if err := s.AddStudent(ctx, testStudent(c, "ADA"), 3); !errors.Is(err, ErrNicknameTaken) {
				t.Errorf("ADA after Ada: %v, want ErrNicknameTaken", err)
			}
			must(t, s.AddStudent(ctx, testStudent(other, "Ada"), 3)) // another class
			must(t, s.AddStudent(ctx, testStudent(c, "Bo"), 3))
			must(t, s.AddStudent(ctx, testStudent(c, "Cy"), 3))
			if err := s.AddStudent(ctx, testStudent(c, "Di"), 3); !errors.Is(err, ErrClassFull) {
				t.Errorf("a fourth of 3: %v, want ErrClassFull", err)
			}
			got, err := s.StudentByTokenHash(ctx, ada.TokenHash)
			if err != nil || got != ada {
				t.Errorf("by token: %+v, %v; want %+v", got, err, ada)
			}
			if _, err := s.StudentByTokenHash(ctx, hashToken("x")); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown token: %v", err)
			}
			list, err := s.Students(ctx, c.ID)
			must(t, err)
			var names []string
			for _, sc := range list {
				names = append(names, sc.Nickname)
			}
			if !slices.Equal(names, []string{"Ada", "Bo", "Cy"}) {
				t.Errorf("students %v", names)
			}
		})
	}
}

func TestStoreAssignAndRank(t *testing.T) {
	for _, kind := range storeKinds() {
		t.Run(kind, func(t *testing.T) {
			s, _ := openTestStore(t, kind)
			ctx := context.Background()
			c := testClass("a")
			must(t, s.CreateClass(ctx, c))
			a, b, d := testStudent(c, "a"), testStudent(c, "b"), testStudent(c, "d")
			for _, st := range []Student{a, b, d} {
				must(t, s.AddStudent(ctx, st, 10))
			}
			if sets, err := s.Assign(ctx, c.ID, a.ID, 2, 2, t0); err != nil || len(sets) != 0 {
				t.Fatalf("no sets yet: %v, %v", seqs(sets), err)
			}
			must(t, s.AddSets(ctx, testSets(c, 1, 3)))
			must(t, s.AddSets(ctx, testSets(c, 3, 1))) // set 3 again: kept as it was
			if n, _ := s.OpenSets(ctx, c.ID, 2); n != 3 {
				t.Errorf("%d open sets before any hand-out, want 3", n)
			}
			if n, _ := s.MaxSeq(ctx, c.ID); n != 3 {
				t.Errorf("max seq %d, want 3", n)
			}
			got, err := s.SetBySeq(ctx, c.ID, 2)
			if err != nil || got.Prompt != "prompt 2" || !slices.Equal(got.Answers, []string{"a", "b", "c", "d2"}) {
				t.Errorf("set 2: %+v, %v", got, err)
			}
			// Replicas 2: sets 1 and 2 go to a and b; d gets set 3 only.
			for _, tc := range []struct {
				st   Student
				n    int
				want []int
			}{
				{a, 2, []int{1, 2}},
				{a, 2, []int{1, 2}}, // asked again: the same, nothing new handed out
				{b, 1, []int{1}},
				{b, 2, []int{1, 2}},
				{d, 2, []int{3}},
				{a, 3, []int{1, 2, 3}},
			} {
				sets, err := s.Assign(ctx, c.ID, tc.st.ID, tc.n, 2, t0)
				if err != nil || !slices.Equal(seqs(sets), tc.want) {
					t.Errorf("%s asks for %d: %v, %v; want %v", tc.st.Nickname, tc.n, seqs(sets), err, tc.want)
				}
			}
			if n, _ := s.OpenSets(ctx, c.ID, 2); n != 0 {
				t.Errorf("%d open sets after every set went to two students, want 0", n)
			}
			rank := func(st Student, id string, seq int, order ...int) (bool, error) {
				return s.AddRanking(ctx, Ranking{ClassID: c.ID, StudentID: st.ID, ID: id, Seq: seq, Order: order, CreatedAt: t0})
			}
			for _, tc := range []struct {
				st      Student
				id      string
				seq     int
				order   []int
				dup     bool
				wantErr error
			}{
				{a, "rank-a-1", 1, []int{0, 1, 2, 3}, false, nil},
				{a, "rank-a-1", 1, []int{0, 1, 2, 3}, true, nil},                // a resend
				{a, "rank-a-1", 1, []int{3, 2, 1, 0}, false, ErrRankingIDReuse}, // same id, other order
				{a, "rank-a-1", 2, []int{0, 1, 2, 3}, false, ErrRankingIDReuse}, // same id, other set
				{a, "rank-a-9", 1, []int{0, 1, 2, 3}, false, ErrAlreadyRanked},
				{d, "rank-d-1", 1, []int{0, 1, 2, 3}, false, ErrNotAssigned},
				{d, "rank-d-9", 99, []int{0, 1, 2, 3}, false, ErrNotAssigned},
				{b, "rank-a-1", 1, []int{1, 0, 2, 3}, false, nil}, // ids are per student
				{a, "rank-a-2", 2, []int{3, 2, 1, 0}, false, nil},
			} {
				dup, err := rank(tc.st, tc.id, tc.seq, tc.order...)
				if dup != tc.dup || !errors.Is(err, tc.wantErr) {
					t.Errorf("%s ranks set %d as %s %v: duplicate %v, %v; want %v, %v", tc.st.Nickname, tc.seq, tc.id, tc.order, dup, err, tc.dup, tc.wantErr)
				}
			}
			// Ranked sets are no longer pending.
			if sets, _ := s.Assign(ctx, c.ID, a.ID, 5, 2, t0); !slices.Equal(seqs(sets), []int{3}) {
				t.Errorf("a holds %v after ranking 1 and 2, want [3]", seqs(sets))
			}
			if n, _ := s.CountRankings(ctx, a.ID); n != 2 {
				t.Errorf("a has %d rankings, want 2", n)
			}
			pooled, err := s.Rankings(ctx, c.ID)
			must(t, err)
			if len(pooled) != 3 {
				t.Fatalf("%d pooled rankings, want 3", len(pooled))
			}
			for _, p := range pooled {
				if p.Prompt != fmt.Sprintf("prompt %d", p.Seq) || len(p.Answers) != 4 || p.Nickname == "" || len(p.Order) != 4 {
					t.Errorf("pooled ranking %+v", p)
				}
			}
			orders, err := s.Orders(ctx, c.ID)
			must(t, err)
			if len(orders) != 3 {
				t.Errorf("%d orders, want 3", len(orders))
			}
			counts, err := s.SetCounts(ctx, c.ID)
			if err != nil || counts != (api.SetCounts{Made: 3, Ranked: 2, Shared: 1}) {
				t.Errorf("set counts %+v, %v", counts, err)
			}
			list, _ := s.Students(ctx, c.ID)
			for _, sc := range list {
				if want := map[string]int{"a": 2, "b": 1, "d": 0}[sc.Nickname]; sc.Rankings != want {
					t.Errorf("%s: %d rankings, want %d", sc.Nickname, sc.Rankings, want)
				}
			}
		})
	}
}

func TestStoreRewardModels(t *testing.T) {
	for _, kind := range storeKinds() {
		t.Run(kind, func(t *testing.T) {
			s, _ := openTestStore(t, kind)
			ctx := context.Background()
			c := testClass("a")
			must(t, s.CreateClass(ctx, c))
			if _, err := s.RewardModel(ctx, c.ID, true); !errors.Is(err, ErrNotFound) {
				t.Errorf("before any upload: %v", err)
			}
			for v, data := range [][]byte{{1, 2, 3}, {0, 255, 7, 9}} {
				m, err := s.PutRewardModel(ctx, c.ID, data, fmt.Sprint("sha", v), t0)
				if err != nil || m.Version != v+1 || m.Size != len(data) {
					t.Errorf("upload %d: %+v, %v", v, m, err)
				}
				got, err := s.RewardModel(ctx, c.ID, true)
				if err != nil || got.Version != v+1 || !slices.Equal(got.Data, data) || got.SHA256 != fmt.Sprint("sha", v) {
					t.Errorf("download %d: %+v, %v", v, got, err)
				}
				if got, _ := s.RewardModel(ctx, c.ID, false); got.Data != nil {
					t.Errorf("without data: %d bytes", len(got.Data))
				}
			}
		})
	}
}

// TestStoreConcurrentAssign: students who ask at once never get a set more
// than replicas times, nor one set twice.
func TestStoreConcurrentAssign(t *testing.T) {
	for _, kind := range storeKinds() {
		t.Run(kind, func(t *testing.T) {
			s, _ := openTestStore(t, kind)
			ctx := context.Background()
			c := testClass("a")
			must(t, s.CreateClass(ctx, c))
			must(t, s.AddSets(ctx, testSets(c, 1, 12)))
			const students, replicas = 8, 3
			got := make([][]int, students)
			var wg sync.WaitGroup
			for i := range students {
				st := testStudent(c, fmt.Sprint("s", i))
				must(t, s.AddStudent(ctx, st, 100))
				wg.Go(func() {
					for range 20 { // 12 sets, 2 at a time: at most 6 rounds
						sets, err := s.Assign(ctx, c.ID, st.ID, 2, replicas, t0)
						if err != nil {
							t.Error(err)
							return
						}
						if len(sets) == 0 {
							return
						}
						for _, set := range sets {
							if slices.Contains(got[i], set.Seq) {
								t.Errorf("set %d handed to student %d twice", set.Seq, i)
							}
							got[i] = append(got[i], set.Seq)
							if _, err := s.AddRanking(ctx, Ranking{ClassID: c.ID, StudentID: st.ID, ID: fmt.Sprintf("r-%d-%d", i, set.Seq),
								Seq: set.Seq, Order: []int{0, 1, 2, 3}, CreatedAt: t0}); err != nil {
								t.Error(err)
							}
						}
					}
				})
			}
			wg.Wait()
			per := map[int]int{}
			total := 0
			for _, g := range got {
				for _, seq := range g {
					per[seq]++
					total++
				}
			}
			for seq, n := range per {
				if n > replicas {
					t.Errorf("set %d handed to %d students, replicas %d", seq, n, replicas)
				}
			}
			if total != 12*replicas {
				t.Errorf("%d hand-outs, want all %d", total, 12*replicas)
			}
		})
	}
}

// TestMigrateClassLang: a store made before classes had a language (schema
// version 1) opens with its classes in English, the only language there was.
func TestMigrateClassLang(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	w, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	old := &sqlStore{w: w, d: dialect{blob: "BLOB"}}
	_, err = w.ExecContext(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
	must(t, err)
	must(t, old.migrateTo(ctx, 1))
	_, err = w.ExecContext(ctx, `INSERT INTO classes (id, name, join_code, teacher_token, teacher_hash, seed, k, replicas, open, created_at)
		VALUES ('c1', '7b', 'ABCDEF', 'tt_x', 'h', 5, 4, 3, 1, 0)`)
	must(t, err)
	must(t, w.Close())

	s, err := openSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.ClassByName(ctx, "7b")
	if err != nil || c.Lang != "en" || c.JoinCode != "ABCDEF" {
		t.Fatalf("the old class after the migration: %+v, %v; want it in en", c, err)
	}
}
