package class

// Schema migrations. Each migration runs once, in its own transaction, and
// is recorded in schema_migrations; a store opened by an older binary than
// its schema refuses to run. Append new migrations, never edit old ones.
// Times are Unix milliseconds (BIGINT) in both dialects, ids are text, and
// {{blob}} is the dialect's byte-string type.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

var migrations = []struct {
	name string
	sql  string
}{
	{"classes, students, sets, assignments, rankings, reward models", `
CREATE TABLE classes (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	join_code     TEXT NOT NULL UNIQUE,
	teacher_token TEXT NOT NULL,
	teacher_hash  TEXT NOT NULL UNIQUE,
	seed          BIGINT NOT NULL,
	k             INTEGER NOT NULL,
	replicas      INTEGER NOT NULL,
	open          INTEGER NOT NULL,
	created_at    BIGINT NOT NULL
);
CREATE INDEX classes_name ON classes (name, created_at);

CREATE TABLE students (
	id           TEXT PRIMARY KEY,
	class_id     TEXT NOT NULL REFERENCES classes (id),
	nickname     TEXT NOT NULL,
	nickname_key TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	n            INTEGER NOT NULL,
	joined_at    BIGINT NOT NULL,
	UNIQUE (class_id, nickname_key),
	UNIQUE (class_id, n)
);

CREATE TABLE sets (
	class_id   TEXT NOT NULL REFERENCES classes (id),
	seq        INTEGER NOT NULL,
	prompt     TEXT NOT NULL,
	answers    TEXT NOT NULL,
	assigned   INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (class_id, seq)
);
CREATE INDEX sets_open ON sets (class_id, assigned, seq);

CREATE TABLE assignments (
	student_id  TEXT NOT NULL REFERENCES students (id),
	class_id    TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	assigned_at BIGINT NOT NULL,
	PRIMARY KEY (student_id, seq),
	FOREIGN KEY (class_id, seq) REFERENCES sets (class_id, seq)
);

CREATE TABLE rankings (
	student_id TEXT NOT NULL,
	ranking_id TEXT NOT NULL,
	class_id   TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	ord        TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (student_id, ranking_id),
	UNIQUE (student_id, seq),
	FOREIGN KEY (student_id, seq) REFERENCES assignments (student_id, seq)
);
CREATE INDEX rankings_class ON rankings (class_id, created_at);

CREATE TABLE reward_models (
	class_id   TEXT NOT NULL REFERENCES classes (id),
	version    INTEGER NOT NULL,
	sha256     TEXT NOT NULL,
	size       INTEGER NOT NULL,
	data       {{blob}} NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (class_id, version)
);
`},
	{"a class's language", `
ALTER TABLE classes ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
`},
}

// migrate brings the schema up to date.
func (s *sqlStore) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("class: store: %w", err)
	}
	for v := 1; v <= len(migrations); v++ {
		if err := s.migrateTo(ctx, v); err != nil {
			return fmt.Errorf("class: store: migration %d (%s): %w", v, migrations[v-1].name, err)
		}
	}
	var newest int
	if err := s.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("class: store: %w", err)
	}
	if newest > len(migrations) {
		return fmt.Errorf("class: store: the schema is at version %d, this program knows %d: use a newer program", newest, len(migrations))
	}
	return nil
}

// migrateTo applies migration v unless it was; concurrent servers starting
// on one PostgreSQL database take turns (an advisory lock), SQLite's
// transactions take the write lock at BEGIN.
func (s *sqlStore) migrateTo(ctx context.Context, v int) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.d.postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7301013)`); err != nil {
			return err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), v).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body := strings.ReplaceAll(migrations[v-1].sql, "{{blob}}", s.d.blob)
	for stmt := range strings.SplitSeq(body, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w\n%s", err, stmt)
		}
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
		v, migrations[v-1].name, time.Now().UnixMilli()); err != nil {
		return err
	}
	return tx.Commit()
}

// schemaVersion is the newest applied migration (for tests).
func schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
