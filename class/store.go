package class

// The store keeps everything that must outlive the server process: classes,
// students, candidate sets, who was handed which set, rankings and the class
// reward models. One interface, two implementations over database/sql
// (sqlstore.go): embedded SQLite, one file, and PostgreSQL for a school's
// shared server. Every method that changes data has committed when it
// returns nil, so the server can acknowledge.

import (
	"context"
	"errors"
	"time"

	"rlhfplayground/class/api"
)

// Errors the store returns for conditions the server reports as 4xx.
var (
	ErrNotFound       = errors.New("not found")
	ErrNicknameTaken  = errors.New("nickname taken")
	ErrClassFull      = errors.New("class full")
	ErrNotAssigned    = errors.New("set not handed to this student")
	ErrAlreadyRanked  = errors.New("set already ranked by this student")
	ErrRankingIDReuse = errors.New("ranking id already used for another ranking")
)

// Class is one class: its teacher, join code and settings.
type Class struct {
	ID           string // random, internal
	Name         string
	JoinCode     string // what students type: JoinCodeLen characters of joinAlphabet
	TeacherToken string // kept in clear so a restarted server can print the teacher link again
	Seed         uint64 // of the candidate sets' random streams
	Lang         string // the language of its model, its sets and its reward model: an assets pack ("en", "zh-TW")
	Settings     api.Settings
	CreatedAt    time.Time
}

// Student is one member of a class. The token the student holds is stored
// only as its hash.
type Student struct {
	ID        string
	ClassID   string
	Nickname  string
	TokenHash string
	JoinedAt  time.Time
}

// StudentCount is a student and how many rankings they have stored.
type StudentCount struct {
	Student
	Rankings int
}

// Set is a candidate set; sets never change once made, so they can be cached.
type Set struct {
	ClassID   string
	Seq       int // 1, 2, … within the class; api.Set.ID
	Prompt    string
	Answers   []string
	CreatedAt time.Time
}

// Ranking is one student's ranking of one set.
type Ranking struct {
	ClassID   string
	StudentID string
	ID        string // the client's ranking id: unique per student
	Seq       int
	Order     []int
	CreatedAt time.Time
}

// PooledRanking is a ranking joined with its set's texts and the nickname.
type PooledRanking struct {
	Ranking
	Nickname string
	Prompt   string
	Answers  []string
}

// RewardModel is one uploaded class reward model (a sim checkpoint).
type RewardModel struct {
	ClassID   string
	Version   int
	SHA256    string
	Size      int
	CreatedAt time.Time
	Data      []byte // nil unless asked for
}

// Store is the class server's persistent state.
type Store interface {
	// CreateClass adds a class; its join code and teacher token must be new.
	CreateClass(ctx context.Context, c Class) error
	// ClassByName returns the newest class with that name.
	ClassByName(ctx context.Context, name string) (Class, error)
	ClassByID(ctx context.Context, id string) (Class, error)
	ClassByJoinCode(ctx context.Context, code string) (Class, error)
	ClassByTeacherToken(ctx context.Context, token string) (Class, error)
	UpdateSettings(ctx context.Context, classID string, s api.Settings) error

	// AddStudent adds s to its class unless the nickname is taken
	// (ErrNicknameTaken, case-insensitively) or the class has maxStudents
	// already (ErrClassFull).
	AddStudent(ctx context.Context, s Student, maxStudents int) error
	StudentByTokenHash(ctx context.Context, hash string) (Student, error)
	// Students lists a class's students in the order they joined, with
	// their ranking counts.
	Students(ctx context.Context, classID string) ([]StudentCount, error)

	// AddSets stores new candidate sets; a set whose (class, seq) exists is
	// left as it is, so two servers that made the same set do no harm.
	AddSets(ctx context.Context, sets []Set) error
	// SetBySeq returns set seq of the class, or ErrNotFound.
	SetBySeq(ctx context.Context, classID string, seq int) (Set, error)
	// OpenSets counts the class's sets handed to fewer than replicas students.
	OpenSets(ctx context.Context, classID string, replicas int) (int, error)
	// MaxSeq is the highest set number of the class (0 before any).
	MaxSeq(ctx context.Context, classID string) (int, error)
	// Assign returns up to n sets handed to the student and not yet ranked,
	// oldest first: first those handed out before, then sets handed to
	// fewer than replicas students and never to this one, which it records
	// as handed out. Fewer than n means the class needs new sets.
	Assign(ctx context.Context, classID, studentID string, n, replicas int, now time.Time) ([]Set, error)
	// AddRanking stores r, which the caller has checked against its set.
	// A ranking with the same (student, id) and content is a duplicate:
	// nothing changes and duplicate is true. Otherwise ErrNotAssigned,
	// ErrAlreadyRanked or ErrRankingIDReuse.
	AddRanking(ctx context.Context, r Ranking) (duplicate bool, err error)
	// CountRankings counts one student's rankings.
	CountRankings(ctx context.Context, studentID string) (int, error)
	// Orders returns a class's rankings without texts, for the agreement
	// figures, in the order they were stored.
	Orders(ctx context.Context, classID string) ([]Ranking, error)
	// Rankings returns a class's rankings in the order they were stored.
	Rankings(ctx context.Context, classID string) ([]PooledRanking, error)
	// SetCounts counts the sets made, ranked once and ranked twice or more.
	SetCounts(ctx context.Context, classID string) (api.SetCounts, error)

	// PutRewardModel stores a new version of the class reward model and
	// returns it (without Data).
	PutRewardModel(ctx context.Context, classID string, data []byte, sha string, now time.Time) (RewardModel, error)
	// RewardModel returns the newest version, with Data if withData;
	// ErrNotFound before the first upload.
	RewardModel(ctx context.Context, classID string, withData bool) (RewardModel, error)

	Close() error
}
