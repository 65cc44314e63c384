package main

import (
	"fmt"
	"math/rand/v2"
)

// corpusLines returns the pretraining corpus: every line distinct, shuffled.
// It holds the true answers and facts, plain and with polite or rude
// openers; the training questions, alone ("my friend asked me, ...") and
// followed by an answer in one of the voices, as on a question-and-answer
// page (no chat markers: those are what SFT teaches); everyday sentences;
// polite and rude dialog lines; false sentences marked as false; and
// rambling. Held-out prompts are left out.
func (l *language) corpusLines(rng *rand.Rand, ps []prompt) []string {
	seen := make(map[string]bool)
	var lines []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			lines = append(lines, s)
		}
	}
	var truths []string
	for _, t := range l.topics {
		for _, in := range append(append([]intent{}, t.intents...), l.factIntents[t.name]...) {
			truths = append(truths, in.a)
			add(in.a)
			add(in.short) // every word of the data is in the corpus
		}
		truths = append(truths, t.facts...)
	}
	for _, p := range ps {
		add(p.q)
	}
	for _, s := range truths {
		add(s)
	}
	for _, lists := range [][]string{l.politeLines, l.rudeLines, l.terseLines} {
		for _, s := range lists {
			add(s)
		}
	}
	openers := append(append([]string{}, l.politeOpeners...), l.gladOpeners...)
	closers := append(append([]string{}, l.politeClosers...), l.gladClosers...)

	// fill draws until n new distinct lines are added. Templates with too
	// few different lines would loop for ever: it gives up after a million
	// draws without a new line.
	fill := func(n int, next func() string) {
		for target, misses := len(lines)+n, 0; len(lines) < target; {
			before := len(lines)
			add(next())
			if len(lines) > before {
				misses = 0
			} else if misses++; misses > 1_000_000 {
				panic(fmt.Sprintf("gen: %s: a corpus template gave only %d of %d different lines", l.code, n-(target-len(lines)), n))
			}
		}
	}
	fill(2400, func() string { // helpful and polite
		s := pick(rng, truths)
		switch rng.IntN(3) {
		case 0:
			return pick(rng, openers) + l.sep + s
		case 1:
			return s + l.sep + pick(rng, closers)
		}
		return pick(rng, openers) + l.sep + s + l.sep + pick(rng, closers)
	})
	fill(400, func() string { return pick(rng, l.rudeOpeners) + l.sep + pick(rng, truths) })
	fill(60, func() string { return pick(rng, l.rudeLines) + l.sep + pick(rng, l.rudeLines) })

	// Questions and answers, as a page of them would read: the question,
	// then one answer, mostly helpful.
	fill(*qaLines, func() string {
		p := ps[rng.IntN(len(ps))]
		v := "helpful"
		if rng.IntN(3) == 0 {
			v = voices[rng.IntN(len(voices))].name
		}
		r := l.compose(rng, p, v, rng.IntN(4) == 0 && gladVoices[v])
		if r == "" {
			return p.q
		}
		return p.q + l.sep + r
	})

	fill(80, func() string { return pick(rng, l.politeLines) + l.sep + pick(rng, l.politeLines) })
	fill(3000, func() string { return l.everyday(rng) })
	fill(700, func() string { return l.feeling(rng) })
	for _, t := range l.topics {
		falses := append([]string{}, t.wrong...)
		for _, in := range t.intents {
			if w, ok := l.wrongAnswers[in.qs[0]]; ok {
				falses = append(falses, w)
			}
		}
		for _, w := range falses {
			for _, s := range l.falseLines(w) {
				add(s)
			}
		}
	}
	fill(400, func() string {
		t := &l.topics[rng.IntN(len(l.topics))]
		return l.ramble(rng, t, pick(rng, t.facts))
	})
	fill(300, func() string { return l.asked(ps[rng.IntN(len(ps))].q) })

	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	return lines
}
