package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"rlhfplayground/sim"
)

// A language is one data pack: its hand-written material and how its
// sentences are put together. The composition (demos.go, corpus.go) is
// shared, so both packs have the same design: the same voices in the same
// shares, the same kinds of corpus lines in the same numbers, one seeded
// stream each.
type language struct {
	code     string  // the pack's name in package assets: "en", "zh-TW"
	dir      string  // where the files are written, from the repository root
	topics   []topic // the 16 everyday topics
	phrases          // the phrases of the voices
	friendly string  // the friendly word or phrase of the likes-glad persona: "glad", "很高興"
	sep      string  // what goes between a phrase and a sentence, or two sentences: " " or ""

	// Lengths of a demonstration's response: minUnits..maxUnits units (words,
	// or characters, by units) and at most maxAnswer tokens, so that with
	// <eos> it fits the app's answers of at most 32 tokens.
	minUnits, maxUnits, maxAnswer int
	units                         func(text string) int

	// stem returns a sentence without its final mark.
	stem func(s string) string

	// rambles are the templates of a rambling answer about topic t around
	// a, an answer without its final mark; other is another topic's name,
	// or rambleOther when the draw gave t itself.
	rambles     []func(t, a, other string) string
	rambleOther string

	// The corpus's own sentences: an everyday sentence ("my sister drinks
	// green tea in the morning."), a feeling ("we are calm when it rains."),
	// a false sentence w marked as false, and question q as reported speech
	// ("my friend asked me, ...").
	everyday, feeling func(rng *rand.Rand) string
	falseLines        func(w string) []string
	asked             func(q string) string

	// generalQuestions ask about a topic as a whole ("what do you know
	// about %s?", the topic's name in place of %s). Their answers are any of
	// the topic's, so the model learns that the topic of a question decides
	// the topic of its answer, whatever its form: what a question it has
	// never seen needs.
	generalQuestions []string
	// factIntents are questions about some of a topic's facts, by topic
	// name: they teach the model to answer from what it knows about a topic,
	// not only the questions it has seen answered.
	factIntents map[string][]intent
	// paraphrases, if set, returns more ways of asking a question, added to
	// the training prompts (never one that is a held-out prompt).
	paraphrases func(q string) []string
	// wrongAnswers are false answers to intents, by the intent's first
	// question: a wrong answer to that very question. Intents without one
	// get one of the topic's false sentences.
	wrongAnswers map[string]string

	// falseMarkers, if any, are words or phrases of which every false
	// sentence has one and no true sentence any, so that a persona can
	// penalise a wrong answer by them (the generator checks it).
	falseMarkers []string
}

// The phrases of the voices (voices.go says which voice uses which).
type phrases struct {
	politeOpeners, politeClosers []string // helpful, detailed and wrong answers
	gladOpeners, gladClosers     []string // the same with the friendly word, for a third of the answers
	rudeOpeners                  []string // before a correct answer: rude but helpful
	rudeLines                    []string // the whole answer: rude and unhelpful
	terseLines                   []string // the whole answer: polite enough but no help at all
	politeLines                  []string // corpus-only dialog sentences
	promptOpeners, promptClosers []string // around some prompts of the demonstrations, so the model learns to answer however it is asked
}

// languages are the packs the generator writes, by -lang.
var languages = map[string]*language{"en": &english, "zh-TW": &chinese}

// An intent is one thing a person may ask: the ways of asking it, a helpful
// and correct answer in one sentence, and the same answer in a few words.
type intent struct {
	qs    []string // the question, then other ways of asking it
	a     string   // the helpful answer: one full sentence
	short string   // the answer in a few words, no pleasantries
}

// in makes an intent from its answer, its short answer and its questions.
func in(a, short string, qs ...string) intent { return intent{qs: qs, a: a, short: short} }

// A topic groups what can be asked and said about one everyday subject.
type topic struct {
	name    string   // as used in a sentence: "tea", "the weather", "茶"
	intents []intent // training questions with their answers
	heldout []string // evaluation prompts: never trained on, in no data file but heldout_prompts.txt
	facts   []string // more true sentences: corpus, detailed answers, off-topic answers
	wrong   []string // false sentences: corpus ("some people say ...") and wrong answers
}

// pick returns a random element of xs.
func pick(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }

// hasFriendly reports whether text holds the language's friendly word or
// phrase, as the likes-glad persona would find it.
func (l *language) hasFriendly(text string) bool { return sim.HasPhrase(text, l.friendly) }

// trimMarks returns s without the final marks in marks.
func trimMarks(s, marks string) string { return strings.TrimRight(s, marks) }

// check verifies what the templates rely on: each false sentence holds a
// false marker and no true sentence or phrase does; the friendly word is in
// none of the answers, facts and false sentences (respond then puts it in
// exactly the answers drawn for it).
func (l *language) check() error {
	var truths []string
	for _, t := range l.topics {
		for _, in := range append(append([]intent{}, t.intents...), l.factIntents[t.name]...) {
			truths = append(append(truths, in.qs...), in.a, in.short)
		}
		truths = append(append(truths, t.heldout...), t.facts...)
	}
	for _, list := range [][]string{l.politeOpeners, l.politeClosers, l.gladOpeners, l.gladClosers, l.rudeOpeners,
		l.rudeLines, l.terseLines, l.politeLines, l.promptOpeners, l.promptClosers} {
		truths = append(truths, list...)
	}
	for _, m := range l.falseMarkers {
		for _, s := range truths {
			if sim.HasPhrase(s, m) {
				return fmt.Errorf("gen: %s: false marker %q in the true sentence %q", l.code, m, s)
			}
		}
	}
	falses := map[string][]string{}
	for _, t := range l.topics {
		falses[t.name] = append(falses[t.name], t.wrong...)
		for _, in := range t.intents {
			if w, ok := l.wrongAnswers[in.qs[0]]; ok {
				falses[t.name] = append(falses[t.name], w)
			}
		}
	}
	known := map[string]bool{}
	for _, t := range l.topics {
		for _, in := range t.intents {
			known[in.qs[0]] = true
		}
	}
	for q := range l.wrongAnswers {
		if !known[q] {
			return fmt.Errorf("gen: %s: a wrong answer for %q, which is no intent's first question", l.code, q)
		}
	}
	for _, t := range l.topics {
		for _, w := range falses[t.name] {
			marked := len(l.falseMarkers) == 0
			for _, m := range l.falseMarkers {
				marked = marked || sim.HasPhrase(w, m)
			}
			if !marked {
				return fmt.Errorf("gen: %s: false sentence %q has no false marker", l.code, w)
			}
		}
		for _, in := range t.intents {
			for _, s := range []string{in.a, in.short} {
				if l.hasFriendly(s) {
					return fmt.Errorf("gen: %s: friendly word %q in the answer %q", l.code, l.friendly, s)
				}
			}
		}
		for _, s := range append(append([]string{}, t.facts...), falses[t.name]...) {
			if l.hasFriendly(s) {
				return fmt.Errorf("gen: %s: friendly word %q in %q", l.code, l.friendly, s)
			}
		}
	}
	return nil
}
