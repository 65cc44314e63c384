// Package class is the class server: the students of a classroom are the
// labelers of InstructGPT's step 2. It runs in the app's binary
// (go run . -class), pools every student's rankings on the teacher's
// machine, hands the same candidate sets to several students so their
// disagreement can be measured, and lets the teacher send a class reward
// model back to every student. docs/class-api.md is the API's reference.
//
// # Files
//
//	store.go       the Store interface: classes, students, sets, hand-outs, rankings, reward models
//	sqlstore.go    the Store over database/sql: SQLite (one file, WAL) and PostgreSQL
//	migrate.go     the schema, as numbered migrations
//	candidates.go  candidate sets sampled from the shipped SFT model, set n from stream PCG(seed, n)
//	agreement.go   pairwise, majority and class agreement: pure functions
//	server.go      Server: authentication, rate limits, body limits, errors
//	routes.go      the endpoints and their handlers
//	auth.go        join codes, tokens, hashes
//	limit.go       token buckets
//	shipped.go     the options for the shipped model and prompts
//
// Package class/api holds the wire types and a Go client with an outbox
// (what the app will use); class/request decodes and checks every request
// body (and is fuzzed); class/load simulates a class for the load and
// crash tests and cmd/classload.
//
// # Guarantees
//
// A ranking is acknowledged only after the store committed it, and a
// resend under the same client-made ranking id is stored once. A student
// never gets a set twice; a set goes to at most replicas students. Every
// request is size-limited and rate-limited, and anything malformed is a 4xx
// with a sentence and changes nothing.
//
// # Randomness
//
// Tokens, ids and join codes come from crypto/rand. Set n of a class is
// sampled from rand.NewPCG(class seed, n), so a class's sets are
// reproducible and independent of the order they are made in.
package class
