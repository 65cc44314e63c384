package class

// The Store over database/sql, for SQLite (modernc.org/sqlite, pure Go) and
// PostgreSQL (pgx). Queries are written once with ? placeholders; q rewrites
// them to $1, $2, … for PostgreSQL. The two dialects differ only in the byte
// type, placeholders and how a transaction locks a class (see lockClass).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"rlhfplayground/class/api"
)

type dialect struct {
	postgres bool
	blob     string
}

// sqlStore implements Store. w takes every write; with SQLite it is one
// connection, so writers queue in Go instead of meeting SQLITE_BUSY, and r
// is a pool of read-only connections that WAL lets read while w writes.
// With PostgreSQL w and r are the same pool.
type sqlStore struct {
	w, r *sql.DB
	d    dialect
}

// OpenStore opens the store named by spec: a postgres:// or postgresql://
// URL, or else the path of a SQLite file, created if missing. The schema is
// migrated to the newest version.
func OpenStore(ctx context.Context, spec string) (Store, error) {
	if strings.HasPrefix(spec, "postgres://") || strings.HasPrefix(spec, "postgresql://") {
		return openPostgres(ctx, spec, "")
	}
	return openSQLite(ctx, spec)
}

// openSQLite opens path in WAL mode with synchronous=FULL: a commit is on
// disk (fsynced) before the server acknowledges it, so not even a power cut
// loses an acknowledged ranking.
func openSQLite(ctx context.Context, path string) (*sqlStore, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("class: store: SQLite path %q: want a file name without ? or #", path)
	}
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"
	w, err := sql.Open("sqlite", path+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("class: store: %w", err)
	}
	w.SetMaxOpenConns(1)
	s := &sqlStore{w: w, d: dialect{blob: "BLOB"}}
	if err := s.migrate(ctx); err != nil { // creates the file, so the readers open an existing database
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", path+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("class: store: %w", err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s.r = r
	return s, nil
}

// openPostgres connects to dsn; a non-empty schema becomes the search_path
// (the tests give each run its own).
func openPostgres(ctx context.Context, dsn, schema string) (*sqlStore, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("class: store: %w", err)
	}
	if schema != "" {
		cfg.RuntimeParams["search_path"] = schema
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16) // database/sql keeps 2 by default: under load every other query would connect anew (a fork on the server)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("class: store: %w", err)
	}
	s := &sqlStore{w: db, r: db, d: dialect{postgres: true, blob: "BYTEA"}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *sqlStore) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// q rewrites the ? placeholders of query for PostgreSQL ($1, $2, …). No
// query here has a ? inside a string literal.
func (s *sqlStore) q(query string) string {
	if !s.d.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// lockClass serialises the transactions that hand out a class's sets or
// number its reward models. SQLite needs nothing: its transactions take the
// write lock at BEGIN (_txlock=immediate).
func (s *sqlStore) lockClass(ctx context.Context, tx *sql.Tx, classID string) error {
	if !s.d.postgres {
		return nil
	}
	var id string
	return tx.QueryRowContext(ctx, `SELECT id FROM classes WHERE id = $1 FOR UPDATE`, classID).Scan(&id)
}

func ms(t time.Time) int64        { return t.UnixMilli() }
func fromMS(v int64) time.Time    { return time.UnixMilli(v).UTC() }
func notFound(err error) bool     { return errors.Is(err, sql.ErrNoRows) }
func nicknameKey(n string) string { return strings.ToLower(n) }

// wrap names the package in a database error; nil stays nil.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("class: store: %w", err)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// encodeOrder writes an order as "2,0,1,3".
func encodeOrder(order []int) string {
	s := make([]string, len(order))
	for i, v := range order {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}

func decodeOrder(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		v, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("class: store: order %q: %w", s, err)
		}
		out = append(out, v)
	}
	return out, nil
}

const classColumns = `id, name, join_code, teacher_token, seed, lang, k, replicas, open, created_at`

func scanClass(row interface{ Scan(...any) error }) (Class, error) {
	var c Class
	var seed, created int64
	var open int
	err := row.Scan(&c.ID, &c.Name, &c.JoinCode, &c.TeacherToken, &seed, &c.Lang, &c.Settings.K, &c.Settings.Replicas, &open, &created)
	if notFound(err) {
		return Class{}, ErrNotFound
	}
	if err != nil {
		return Class{}, wrap(err)
	}
	c.Seed, c.Settings.Open, c.CreatedAt = uint64(seed), open != 0, fromMS(created)
	return c, nil
}

func (s *sqlStore) CreateClass(ctx context.Context, c Class) error {
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO classes (`+classColumns+`, teacher_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		c.ID, c.Name, c.JoinCode, c.TeacherToken, int64(c.Seed), c.Lang, c.Settings.K, c.Settings.Replicas, boolInt(c.Settings.Open), ms(c.CreatedAt),
		hashToken(c.TeacherToken))
	if err != nil {
		return wrap(err)
	}
	return nil
}

func (s *sqlStore) classWhere(ctx context.Context, where string, arg any) (Class, error) {
	return scanClass(s.r.QueryRowContext(ctx, s.q(`SELECT `+classColumns+` FROM classes WHERE `+where), arg))
}

func (s *sqlStore) ClassByName(ctx context.Context, name string) (Class, error) {
	return s.classWhere(ctx, `name = ? ORDER BY created_at DESC LIMIT 1`, name)
}

func (s *sqlStore) ClassByID(ctx context.Context, id string) (Class, error) {
	return s.classWhere(ctx, `id = ?`, id)
}

func (s *sqlStore) ClassByJoinCode(ctx context.Context, code string) (Class, error) {
	return s.classWhere(ctx, `join_code = ?`, code)
}

// ClassByTeacherToken looks the token up by its hash, so the comparison
// that the index does never runs on the secret itself.
func (s *sqlStore) ClassByTeacherToken(ctx context.Context, token string) (Class, error) {
	return s.classWhere(ctx, `teacher_hash = ?`, hashToken(token))
}

func (s *sqlStore) UpdateSettings(ctx context.Context, classID string, st api.Settings) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE classes SET k = ?, replicas = ?, open = ? WHERE id = ?`),
		st.K, st.Replicas, boolInt(st.Open), classID)
	if err != nil {
		return wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func (s *sqlStore) AddStudent(ctx context.Context, st Student, maxStudents int) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap(err)
	}
	defer tx.Rollback()
	if err := s.lockClass(ctx, tx, st.ClassID); err != nil {
		return wrap(err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM students WHERE class_id = ?`), st.ClassID).Scan(&n); err != nil {
		return wrap(err)
	}
	if n >= maxStudents {
		return ErrClassFull
	}
	// n numbers the students in the order they joined; the class lock makes
	// COUNT(*)+1 safe.
	res, err := tx.ExecContext(ctx, s.q(`INSERT INTO students (id, class_id, nickname, nickname_key, token_hash, n, joined_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
		st.ID, st.ClassID, st.Nickname, nicknameKey(st.Nickname), st.TokenHash, n+1, ms(st.JoinedAt))
	if err != nil {
		return wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNicknameTaken // ids and token hashes are 128+ random bits: the nickname is what clashed
	}
	return wrap(tx.Commit())
}

func (s *sqlStore) StudentByTokenHash(ctx context.Context, hash string) (Student, error) {
	var st Student
	var joined int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT id, class_id, nickname, token_hash, joined_at FROM students WHERE token_hash = ?`), hash).
		Scan(&st.ID, &st.ClassID, &st.Nickname, &st.TokenHash, &joined)
	if notFound(err) {
		return Student{}, ErrNotFound
	}
	if err != nil {
		return Student{}, wrap(err)
	}
	st.JoinedAt = fromMS(joined)
	return st, nil
}

func (s *sqlStore) Students(ctx context.Context, classID string) ([]StudentCount, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT st.id, st.nickname, st.joined_at,
		(SELECT COUNT(*) FROM rankings r WHERE r.student_id = st.id)
		FROM students st WHERE st.class_id = ? ORDER BY st.n`), classID)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	var out []StudentCount
	for rows.Next() {
		var sc StudentCount
		var joined int64
		if err := rows.Scan(&sc.ID, &sc.Nickname, &joined, &sc.Rankings); err != nil {
			return nil, wrap(err)
		}
		sc.ClassID, sc.JoinedAt = classID, fromMS(joined)
		out = append(out, sc)
	}
	return out, wrap(rows.Err())
}

func (s *sqlStore) AddSets(ctx context.Context, sets []Set) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap(err)
	}
	defer tx.Rollback()
	for _, set := range sets {
		answers, _ := json.Marshal(set.Answers)
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO sets (class_id, seq, prompt, answers, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
			set.ClassID, set.Seq, set.Prompt, string(answers), ms(set.CreatedAt)); err != nil {
			return wrap(err)
		}
	}
	return wrap(tx.Commit())
}

func (s *sqlStore) SetBySeq(ctx context.Context, classID string, seq int) (Set, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT seq, prompt, answers, created_at FROM sets WHERE class_id = ? AND seq = ?`), classID, seq)
	if err != nil {
		return Set{}, wrap(err)
	}
	sets, err := scanSets(rows, classID)
	if err != nil {
		return Set{}, err
	}
	if len(sets) == 0 {
		return Set{}, ErrNotFound
	}
	return sets[0], nil
}

func (s *sqlStore) OpenSets(ctx context.Context, classID string, replicas int) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM sets WHERE class_id = ? AND assigned < ?`), classID, replicas).Scan(&n)
	return n, wrap(err)
}

func (s *sqlStore) MaxSeq(ctx context.Context, classID string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(seq), 0) FROM sets WHERE class_id = ?`), classID).Scan(&n)
	return n, wrap(err)
}

func scanSets(rows *sql.Rows, classID string) ([]Set, error) {
	defer rows.Close()
	var out []Set
	for rows.Next() {
		set := Set{ClassID: classID}
		var answers string
		var created int64
		if err := rows.Scan(&set.Seq, &set.Prompt, &answers, &created); err != nil {
			return nil, wrap(err)
		}
		if err := json.Unmarshal([]byte(answers), &set.Answers); err != nil {
			return nil, wrap(err)
		}
		set.CreatedAt = fromMS(created)
		out = append(out, set)
	}
	return out, wrap(rows.Err())
}

func (s *sqlStore) Assign(ctx context.Context, classID, studentID string, n, replicas int, now time.Time) ([]Set, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap(err)
	}
	defer tx.Rollback()
	if err := s.lockClass(ctx, tx, classID); err != nil {
		return nil, wrap(err)
	}
	// 1. The sets handed out before and not yet ranked.
	rows, err := tx.QueryContext(ctx, s.q(`SELECT s.seq, s.prompt, s.answers, s.created_at
		FROM assignments a JOIN sets s ON s.class_id = a.class_id AND s.seq = a.seq
		WHERE a.student_id = ? AND NOT EXISTS (SELECT 1 FROM rankings r WHERE r.student_id = a.student_id AND r.seq = a.seq)
		ORDER BY a.seq LIMIT ?`), studentID, n)
	if err != nil {
		return nil, wrap(err)
	}
	held, err := scanSets(rows, classID)
	if err != nil || len(held) >= n {
		return held, err
	}
	// 2. The oldest sets that still need students, never this one's before.
	rows, err = tx.QueryContext(ctx, s.q(`SELECT s.seq, s.prompt, s.answers, s.created_at FROM sets s
		WHERE s.class_id = ? AND s.assigned < ?
		AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.student_id = ? AND a.seq = s.seq)
		ORDER BY s.seq LIMIT ?`), classID, replicas, studentID, n-len(held))
	if err != nil {
		return nil, wrap(err)
	}
	fresh, err := scanSets(rows, classID)
	if err != nil {
		return nil, err
	}
	for _, set := range fresh {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO assignments (student_id, class_id, seq, assigned_at) VALUES (?, ?, ?, ?)`),
			studentID, classID, set.Seq, ms(now)); err != nil {
			return nil, wrap(err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE sets SET assigned = assigned + 1 WHERE class_id = ? AND seq = ?`), classID, set.Seq); err != nil {
			return nil, wrap(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap(err)
	}
	return append(held, fresh...), nil
}

func (s *sqlStore) AddRanking(ctx context.Context, r Ranking) (bool, error) {
	order := encodeOrder(r.Order)
	// One statement, so it is atomic without a transaction: the ranking is
	// stored only if the set was handed to the student, and at most once
	// per (student, ranking id) and per (student, set). The casts tell
	// PostgreSQL the types of a SELECT list's parameters.
	res, err := s.w.ExecContext(ctx, s.q(`INSERT INTO rankings (student_id, ranking_id, class_id, seq, ord, created_at)
		SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS BIGINT) WHERE EXISTS
		(SELECT 1 FROM assignments a WHERE a.student_id = ? AND a.seq = ? AND a.class_id = ?)
		ON CONFLICT DO NOTHING`),
		r.StudentID, r.ID, r.ClassID, r.Seq, order, ms(r.CreatedAt), r.StudentID, r.Seq, r.ClassID)
	if err != nil {
		return false, wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return false, nil
	}
	// Nothing was stored: say why.
	var seq int
	var ord string
	err = s.w.QueryRowContext(ctx, s.q(`SELECT seq, ord FROM rankings WHERE student_id = ? AND ranking_id = ?`), r.StudentID, r.ID).Scan(&seq, &ord)
	switch {
	case err == nil && seq == r.Seq && ord == order:
		return true, nil
	case err == nil:
		return false, ErrRankingIDReuse
	case !notFound(err):
		return false, wrap(err)
	}
	var assigned int
	if err := s.w.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM assignments WHERE student_id = ? AND seq = ? AND class_id = ?`),
		r.StudentID, r.Seq, r.ClassID).Scan(&assigned); err != nil {
		return false, wrap(err)
	}
	if assigned == 0 {
		return false, ErrNotAssigned
	}
	return false, ErrAlreadyRanked
}

func (s *sqlStore) CountRankings(ctx context.Context, studentID string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM rankings WHERE student_id = ?`), studentID).Scan(&n)
	return n, wrap(err)
}

func (s *sqlStore) Orders(ctx context.Context, classID string) ([]Ranking, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT student_id, ranking_id, seq, ord, created_at FROM rankings
		WHERE class_id = ? ORDER BY created_at, student_id, ranking_id`), classID)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	var out []Ranking
	for rows.Next() {
		r := Ranking{ClassID: classID}
		var ord string
		var created int64
		if err := rows.Scan(&r.StudentID, &r.ID, &r.Seq, &ord, &created); err != nil {
			return nil, wrap(err)
		}
		if r.Order, err = decodeOrder(ord); err != nil {
			return nil, err
		}
		r.CreatedAt = fromMS(created)
		out = append(out, r)
	}
	return out, wrap(rows.Err())
}

func (s *sqlStore) Rankings(ctx context.Context, classID string) ([]PooledRanking, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT r.student_id, r.ranking_id, r.seq, r.ord, r.created_at, st.nickname, s.prompt, s.answers
		FROM rankings r JOIN students st ON st.id = r.student_id JOIN sets s ON s.class_id = r.class_id AND s.seq = r.seq
		WHERE r.class_id = ? ORDER BY r.created_at, r.student_id, r.ranking_id`), classID)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	var out []PooledRanking
	for rows.Next() {
		p := PooledRanking{Ranking: Ranking{ClassID: classID}}
		var ord, answers string
		var created int64
		if err := rows.Scan(&p.StudentID, &p.ID, &p.Seq, &ord, &created, &p.Nickname, &p.Prompt, &answers); err != nil {
			return nil, wrap(err)
		}
		if p.Order, err = decodeOrder(ord); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(answers), &p.Answers); err != nil {
			return nil, wrap(err)
		}
		p.CreatedAt = fromMS(created)
		out = append(out, p)
	}
	return out, wrap(rows.Err())
}

func (s *sqlStore) SetCounts(ctx context.Context, classID string) (api.SetCounts, error) {
	var c api.SetCounts
	err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN n >= 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END), 0)
		FROM (SELECT (SELECT COUNT(*) FROM rankings r WHERE r.class_id = s.class_id AND r.seq = s.seq) AS n
		      FROM sets s WHERE s.class_id = ?) AS counts`), classID).Scan(&c.Made, &c.Ranked, &c.Shared)
	return c, wrap(err)
}

func (s *sqlStore) PutRewardModel(ctx context.Context, classID string, data []byte, sha string, now time.Time) (RewardModel, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return RewardModel{}, wrap(err)
	}
	defer tx.Rollback()
	if err := s.lockClass(ctx, tx, classID); err != nil {
		return RewardModel{}, wrap(err)
	}
	m := RewardModel{ClassID: classID, SHA256: sha, Size: len(data), CreatedAt: now}
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(version), 0) + 1 FROM reward_models WHERE class_id = ?`), classID).Scan(&m.Version); err != nil {
		return RewardModel{}, wrap(err)
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO reward_models (class_id, version, sha256, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
		classID, m.Version, sha, len(data), data, ms(now)); err != nil {
		return RewardModel{}, wrap(err)
	}
	return m, wrap(tx.Commit())
}

func (s *sqlStore) RewardModel(ctx context.Context, classID string, withData bool) (RewardModel, error) {
	cols := `version, sha256, size, created_at`
	if withData {
		cols += `, data`
	}
	m := RewardModel{ClassID: classID}
	var created int64
	dst := []any{&m.Version, &m.SHA256, &m.Size, &created}
	if withData {
		dst = append(dst, &m.Data)
	}
	err := s.r.QueryRowContext(ctx, s.q(`SELECT `+cols+` FROM reward_models WHERE class_id = ? ORDER BY version DESC LIMIT 1`), classID).Scan(dst...)
	if notFound(err) {
		return RewardModel{}, ErrNotFound
	}
	if err != nil {
		return RewardModel{}, wrap(err)
	}
	m.CreatedAt = fromMS(created)
	return m, nil
}
