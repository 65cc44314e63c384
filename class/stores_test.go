package class

// The stores under test: SQLite always, PostgreSQL when RLHF_PG names a
// server (a DSN such as the one .ci/postgres prints). With RLHF_PG set, a
// PostgreSQL that cannot be reached is a failure, not a skip.

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// storeKinds lists the stores every store test runs against.
func storeKinds() []string { return []string{"sqlite", "postgres"} }

// openTestStore opens an empty store of kind, closed when the test ends. A
// PostgreSQL store lives in a schema of its own, dropped at the end. It
// also returns the spec another process may open the same store with (for
// PostgreSQL, with the schema as search_path).
func openTestStore(t testing.TB, kind string) (*sqlStore, string) {
	t.Helper()
	ctx := context.Background()
	switch kind {
	case "sqlite":
		path := filepath.Join(t.TempDir(), "class.db")
		s, err := openSQLite(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, path
	case "postgres":
		dsn := os.Getenv("RLHF_PG")
		if dsn == "" {
			t.Skip("class: PostgreSQL tests skipped: set RLHF_PG to a DSN (bash .ci/postgres starts a server and prints one) to run them")
		}
		schema := "test_" + newID()[:12]
		admin := pgAdmin(t, dsn)
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatalf("RLHF_PG is set but PostgreSQL refused: %v", err)
		}
		t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
		s, err := openPostgres(ctx, dsn, schema)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, pgWithSchema(t, dsn, schema)
	}
	t.Fatalf("unknown store kind %q", kind)
	return nil, ""
}

func pgAdmin(t testing.TB, dsn string) *sql.DB {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("RLHF_PG=%q: %v", dsn, err)
	}
	db := stdlib.OpenDB(*cfg)
	if err := db.Ping(); err != nil {
		t.Fatalf("RLHF_PG is set but PostgreSQL cannot be reached: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// pgWithSchema adds the schema to dsn as its search_path.
func pgWithSchema(t testing.TB, dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}
