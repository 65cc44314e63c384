package main

import (
	"math/rand/v2"
	"strings"
)

// Templates for everyday sentences: "{subject} {activity} {when}{extra}."
var (
	subjects = []string{"i", "we", "they", "my mother", "my father", "my sister", "my brother", "my friend",
		"our teacher", "the old man", "the little girl", "my neighbor", "anna", "tom"}
	// activities are in the base form; thirdPerson makes "drinks", "goes", "studies".
	activities = []string{
		"drink tea", "drink green tea", "drink black coffee", "make tea", "make soup", "cook rice",
		"bake bread", "eat fruit", "eat breakfast", "walk the dog", "feed the cat", "water the plants",
		"read a book", "read the news", "listen to music", "play the piano", "play the guitar",
		"play football", "play tennis", "go swimming", "go running", "ride a bike", "take the bus",
		"take the train", "study math", "do homework", "write notes", "go to the market", "visit the park",
		"go to the library", "sleep early", "take a nap", "wash the dishes", "clean the kitchen",
		"work at the office", "answer emails", "sing songs", "watch a film", "pack a bag",
		"check the weather", "wear a warm coat", "carry an umbrella", "grow tomatoes", "plant flowers",
		"visit the doctor", "drink warm milk", "eat soup", "bake a cake", "wash the car", "call a friend",
	}
	whens = []string{"in the morning", "in the evening", "at night", "every day", "on sunday", "after work",
		"after school", "before bed", "in the summer", "in the winter", "on the weekend", "at noon",
		"after lunch", "on rainy days", "once a week", "in the spring"}
	extras = []string{"", "", "", " because it is fun", " because it is healthy", " with a friend",
		" at home", " in the park", " in the city", " when it is sunny", " to relax"}

	// Templates for feelings: "{subject} {is} {feeling} when {event}."
	feelings = []string{"happy", "glad", "tired", "calm", "sad", "cold", "warm", "hungry", "sleepy",
		"excited", "bored", "angry", "relaxed"}
	events = []string{"it rains", "the sun is out", "the tea is hot", "the bus is late", "the dog is happy",
		"the test is over", "the music is loud", "the room is quiet", "dinner is ready", "the plants grow",
		"friends visit", "the work is done", "the weekend comes", "it snows", "the coffee is cold",
		"the cat sleeps on the bed", "the train is on time", "the book ends"}
)

// thirdPerson returns activity with its verb in the third person singular.
func thirdPerson(activity string) string {
	verb, rest, _ := strings.Cut(activity, " ")
	switch {
	case verb == "go" || verb == "do":
		verb += "es"
	case verb == "have":
		verb = "has"
	case strings.HasSuffix(verb, "y") && !strings.HasSuffix(verb, "ay"):
		verb = verb[:len(verb)-1] + "ies"
	case strings.HasSuffix(verb, "sh") || strings.HasSuffix(verb, "ch") || strings.HasSuffix(verb, "s"):
		verb += "es"
	default:
		verb += "s"
	}
	return verb + " " + rest
}

// be returns the form of "to be" that goes with subject.
func be(subject string) string {
	switch subject {
	case "i":
		return "am"
	case "we", "they":
		return "are"
	}
	return "is"
}

// corpusLines returns the pretraining corpus: every line distinct, shuffled.
// It holds the true answers and facts, plain and with polite or rude
// openers; the training questions, alone ("my friend asked me, ...") and
// followed by an answer in one of the voices, as on a question-and-answer
// page (no chat markers: those are what SFT teaches); everyday sentences;
// polite and rude dialog lines; false sentences marked as false; and
// rambling. Held-out prompts are left out.
func corpusLines(rng *rand.Rand, ps []prompt) []string {
	seen := make(map[string]bool)
	var lines []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			lines = append(lines, s)
		}
	}
	var truths []string
	for _, t := range topics {
		for _, in := range append(t.intents, factIntents[t.name]...) {
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
	for _, lists := range [][]string{politeLines, rudeLines, terseLines} {
		for _, s := range lists {
			add(s)
		}
	}
	openers := append(append([]string{}, politeOpeners...), gladOpeners...)
	closers := append(append([]string{}, politeClosers...), gladClosers...)

	// fill draws until n new distinct lines are added.
	fill := func(n int, next func() string) {
		for target := len(lines) + n; len(lines) < target; {
			add(next())
		}
	}
	fill(2400, func() string { // helpful and polite
		s := pick(rng, truths)
		switch rng.IntN(3) {
		case 0:
			return pick(rng, openers) + " " + s
		case 1:
			return s + " " + pick(rng, closers)
		}
		return pick(rng, openers) + " " + s + " " + pick(rng, closers)
	})
	fill(400, func() string { return pick(rng, rudeOpeners) + " " + pick(rng, truths) })
	fill(60, func() string { return pick(rng, rudeLines) + " " + pick(rng, rudeLines) })

	// Questions and answers, as a page of them would read: the question,
	// then one answer, mostly helpful.
	fill(*qaLines, func() string {
		p := ps[rng.IntN(len(ps))]
		v := "helpful"
		if rng.IntN(3) == 0 {
			v = voices[rng.IntN(len(voices))].name
		}
		r := compose(rng, p, v, rng.IntN(4) == 0 && gladVoices[v])
		if r == "" {
			return p.q
		}
		return p.q + " " + r
	})

	fill(80, func() string { return pick(rng, politeLines) + " " + pick(rng, politeLines) })
	fill(3000, func() string {
		subj, act := pick(rng, subjects), pick(rng, activities)
		if be(subj) == "is" {
			act = thirdPerson(act)
		}
		return subj + " " + act + " " + pick(rng, whens) + pick(rng, extras) + "."
	})
	fill(700, func() string {
		subj := pick(rng, subjects)
		return subj + " " + be(subj) + " " + pick(rng, feelings) + " when " + pick(rng, events) + "."
	})
	for _, t := range topics {
		for _, w := range t.wrong {
			add(w)
			add("some people say " + stem(w) + ", but that is not true.")
			add("it is not true that " + w)
		}
	}
	fill(400, func() string {
		t := &topics[rng.IntN(len(topics))]
		return ramble(rng, t, pick(rng, t.facts))
	})
	fill(300, func() string {
		return "my friend asked me, " + ps[rng.IntN(len(ps))].q
	})

	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	return lines
}
