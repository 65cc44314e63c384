// Package api is the wire protocol of the class server (package class): the
// JSON bodies of every endpoint under Prefix, a small Go client (not in
// GOOS=js builds: see client.go), and an outbox that keeps rankings until
// the server acknowledged them. The class server, the load and crash tests,
// and the app (wasm/classlink, on the browser's fetch) all speak through
// these types, so the protocol has one definition. docs/class-api.md lists the endpoints, who may
// call them, their limits and their errors.
//
// Identity travels in the Authorization header, never in a URL (URLs end up
// in logs and Referer headers):
//
//	Authorization: Bearer <student token>   a student, issued by POST /api/class/join
//	Authorization: Bearer <teacher token>   the class's teacher, printed by the server
package api

import "time"

// Prefix is the path under which the class server answers.
const Prefix = "/api/class/"

// The limits of the fields a request carries. The server refuses a request
// that breaks one with a 400 and a message.
const (
	MaxNickname   = 24 // runes, after trimming spaces
	MinRankingID  = 8  // characters of a client-made ranking id
	MaxRankingID  = 64 // characters of [A-Za-z0-9_-]
	MaxSetsAtOnce = 5  // sets a student may hold unranked at once (NextRequest.Count)
	MinReplicas   = 1  // students who see each candidate set
	MaxReplicas   = 30
)

// JoinRequest is the body of POST /api/class/join. The nickname is all a
// student tells: no account, no e-mail, no real name needed.
type JoinRequest struct {
	Code     string `json:"code"`     // the class's join code, as printed by the server ("K7MQ2X"); case and spaces do not matter
	Nickname string `json:"nickname"` // 1…MaxNickname printable characters, unique in the class (case-insensitively)
}

// JoinResponse answers a join. The client keeps Token (in the browser's
// storage) and sends it with every later request.
type JoinResponse struct {
	Token   string  `json:"token"` // the student's secret; the server keeps only its hash
	Student Student `json:"student"`
	Class   Class   `json:"class"`
}

// Student is one member of a class as the class and the teacher see them.
type Student struct {
	ID       string    `json:"id"`
	Nickname string    `json:"nickname"`
	JoinedAt time.Time `json:"joined_at"`
}

// Class is what a student may know about their class.
type Class struct {
	Name     string   `json:"name"`
	Lang     string   `json:"lang"` // the language of the class's model: its sets and its reward model are in it ("en", "zh-TW")
	Settings Settings `json:"settings"`
}

// Settings are the teacher's choices; PUT /api/class/teacher/settings
// replaces them. They apply to candidate sets made from then on.
type Settings struct {
	K        int  `json:"k"`        // answers per candidate set, sim.MinK…sim.MaxK
	Replicas int  `json:"replicas"` // students who are handed each set, MinReplicas…MaxReplicas: ≥ 2 makes disagreement measurable
	Open     bool `json:"open"`     // new students may join
}

// Me answers GET /api/class/me: the student's view of the connection, which
// the app shows as "connected" and polls as a heartbeat.
type Me struct {
	Student     Student    `json:"student"`
	Class       Class      `json:"class"`
	Rankings    int        `json:"rankings"`               // the student's rankings the store holds
	RewardModel *ModelInfo `json:"reward_model,omitempty"` // the class reward model, once the teacher sent one
	Limits      LimitsInfo `json:"limits"`
}

// LimitsInfo tells a client how fast it may send, so it can pace itself
// instead of meeting 429s.
type LimitsInfo struct {
	RequestsPerSecond float64 `json:"requests_per_second"`
	Burst             int     `json:"burst"`
}

// SettingsPatch is the body of PATCH /api/class/teacher/settings: the
// fields given replace the class's, the others stay.
type SettingsPatch struct {
	K        *int  `json:"k,omitempty"`
	Replicas *int  `json:"replicas,omitempty"`
	Open     *bool `json:"open,omitempty"`
}

// NextRequest is the body of POST /api/class/sets/next (an empty body means
// Count 1).
type NextRequest struct {
	Count int `json:"count"` // how many unranked sets the student wants to hold, 1…MaxSetsAtOnce
}

// Set is a candidate set: a prompt and K answers sampled by the class's
// model. Several students are handed the same set, so their rankings of it
// can be compared.
type Set struct {
	ID      int      `json:"id"` // the set's number in its class, from 1
	Prompt  string   `json:"prompt"`
	Answers []string `json:"answers"` // in the order the order of a ranking indexes
}

// NextResponse lists the sets the student holds unranked, oldest first:
// the ones handed out earlier (a resent request gets the same sets) and new
// ones up to Count.
type NextResponse struct {
	Sets []Set `json:"sets"`
}

// RankingRequest is the body of POST /api/class/rankings: one student's
// ranking of one set they were handed.
type RankingRequest struct {
	// RankingID is made by the client (random, MinRankingID…MaxRankingID
	// characters of [A-Za-z0-9_-]) when the student submits, and kept with
	// the ranking until the server acknowledged it: a resend with the same
	// id is acknowledged again and stored once.
	RankingID string `json:"ranking_id"`
	SetID     int    `json:"set_id"`
	Order     []int  `json:"order"` // indices into the set's Answers, best first: a permutation of 0…K-1
}

// RankingResponse acknowledges a ranking; it is sent only after the store
// committed it.
type RankingResponse struct {
	RankingID string `json:"ranking_id"`
	Duplicate bool   `json:"duplicate"` // the store already had this ranking (a resend); nothing was added
	Rankings  int    `json:"rankings"`  // the student's rankings now stored
}

// ModelInfo describes the class reward model the teacher sent.
type ModelInfo struct {
	Version int       `json:"version"` // 1, 2, …: a new upload is a new version
	Bytes   int       `json:"bytes"`
	SHA256  string    `json:"sha256"` // hex
	SentAt  time.Time `json:"sent_at"`
}

// Error is the body of every 4xx and 5xx answer.
type Error struct {
	Error string `json:"error"` // a sentence a person can read
}

// Overview answers GET /api/class/teacher/overview: everything the
// teacher's dashboard shows.
type Overview struct {
	Class       TeacherClass     `json:"class"`
	Students    []StudentSummary `json:"students"` // in the order they joined; Agreement's rows and columns follow it
	Sets        SetCounts        `json:"sets"`
	Rankings    int              `json:"rankings"`
	Agreement   Agreement        `json:"agreement"`
	RewardModel *ModelInfo       `json:"reward_model,omitempty"`
}

// TeacherClass is the class as its teacher sees it.
type TeacherClass struct {
	Name      string    `json:"name"`
	JoinCode  string    `json:"join_code"`
	Seed      uint64    `json:"seed"` // the candidate sets are a function of it (and the model)
	Lang      string    `json:"lang"` // as Class.Lang
	Settings  Settings  `json:"settings"`
	CreatedAt time.Time `json:"created_at"`
}

// StudentSummary is one row of the dashboard's student list.
type StudentSummary struct {
	Student
	Rankings  int        `json:"rankings"`
	Connected bool       `json:"connected"`           // the server heard from the student in the last ConnectedWithin
	LastSeen  *time.Time `json:"last_seen,omitempty"` // since this server started
}

// ConnectedWithin is how recently a student must have made a request to
// count as connected (the app polls GET /api/class/me more often).
const ConnectedWithin = 30 * time.Second

// SetCounts counts the class's candidate sets.
type SetCounts struct {
	Made   int `json:"made"`   // generated so far
	Ranked int `json:"ranked"` // ranked by at least one student
	Shared int `json:"shared"` // ranked by at least two: the ones agreement is measured on
}

// Agreement is how often the students order two answers the same way: the
// figure InstructGPT reports for its labelers (about 73%).
type Agreement struct {
	// Pairwise[i][j] is the mean, over the sets students i and j both
	// ranked, of the share of answer pairs they ordered alike
	// (sim.Agreement); null where they share no set. The diagonal is null.
	Pairwise [][]*float64 `json:"pairwise"`
	// Shared[i][j] is the number of sets students i and j both ranked.
	Shared [][]int `json:"shared"`
	// Majority[i] is student i's agreement with the majority of the other
	// students who ranked the same sets, pair by pair (a tied majority
	// counts half); null if no one else ranked a set of theirs.
	Majority []*float64 `json:"majority"`
	// Class is the mean of sim.Agreement over every two rankings of the
	// same set by different students, null before any set is shared;
	// Comparisons is how many such pairs of rankings there are.
	Class       *float64 `json:"class"`
	Comparisons int      `json:"comparisons"`
}

// PooledRanking is one stored ranking with its texts. Its first four fields
// are sim.Ranking's (prompt, answers, order, labeler = the nickname), so
// the engine can train the class reward model on a list of them as it is.
type PooledRanking struct {
	Prompt    string    `json:"prompt"`
	Answers   []string  `json:"answers"`
	Order     []int     `json:"order"`
	Labeler   string    `json:"labeler"`
	RankingID string    `json:"ranking_id"`
	SetID     int       `json:"set_id"`
	StudentID string    `json:"student_id"`
	RankedAt  time.Time `json:"ranked_at"`
}

// Rankings answers GET /api/class/teacher/rankings: the JSON export.
type Rankings struct {
	Class    string          `json:"class"`
	Rankings []PooledRanking `json:"rankings"` // in the order they were stored
}
