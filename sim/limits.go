package sim

// Limits on what reaches the engine from outside: text a student types, a
// persona file, a session file, the session's lists. Each is far above what
// a lesson needs and low enough that reading the largest input the limit
// allows takes a moment and a bounded amount of memory. docs/inputs.md lists
// them with what a bad input gets.

import "errors"

const (
	// MaxTextRunes bounds a demonstration's prompt and answer, each, in
	// characters (runes). The model reads far fewer tokens than this (its
	// context); the limit is on what may be typed or pasted.
	MaxTextRunes = 1000
	// MaxTextBytes bounds any other text of a session (a ranking's prompt
	// and answers, a persona's name and words): MaxTextRunes characters of
	// up to 4 bytes.
	MaxTextBytes = 4 * MaxTextRunes
	// MaxUserDemos bounds the student's demonstrations in one session.
	MaxUserDemos = 5000
	// MaxRankings bounds the rankings (the student's and auto-labelled) in
	// one session: 1000 presses of Auto-label.
	MaxRankings = 20000
	// MaxPersonaBytes bounds a persona file.
	MaxPersonaBytes = 64 << 10
	// MaxPersonaWords bounds the words a persona weighs.
	MaxPersonaWords = 1000
	// MaxSessionBytes bounds a session file (the zip) to import or restore.
	MaxSessionBytes = 64 << 20
	// maxSessionJSON bounds session.json inside it, uncompressed.
	maxSessionJSON = 32 << 20
	// maxSessionModel bounds one checkpoint inside it, uncompressed: the
	// largest a checkpoint can be (see maxParams).
	maxSessionModel = 16 + maxHeader + 4*maxParams + 4
)

// ErrTooMany: a session already holds the most rankings or demonstrations
// it can (MaxRankings, MaxUserDemos).
var ErrTooMany = errors.New("the session is full")

// ErrTooLarge: a file is larger than its limit (MaxSessionBytes,
// MaxPersonaBytes).
var ErrTooLarge = errors.New("the file is too large")
