package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"rlhfplayground/sim"
)

// wrapShare is the share of demonstrations whose prompt is wrapped in a
// greeting or a thank-you ("hi! how do i make tea?").
const wrapShare = 0.25

// A prompt is one way of asking one intent of one topic, or (i == nil) a
// question about the topic in general, which any of its answers answers.
type prompt struct {
	q string
	t *topic
	i *intent
}

// generalQuestions ask about a topic as a whole ("what do you know about
// tea?"). Their answers are any of the topic's, so the model learns that
// the topic of a question decides the topic of its answer, whatever the
// question's form: what a question it has never seen needs.
var generalQuestions = []string{"tell me something about %s.", "what do you know about %s?",
	"can you give me a tip about %s?", "i want to learn about %s.", "do you have any advice about %s?"}

// trainingPrompts lists every way of asking every intent, the questions
// about its facts and the general questions, topic by topic.
func trainingPrompts() []prompt {
	var ps []prompt
	for ti := range topics {
		t := &topics[ti]
		for ii := range t.intents {
			for _, q := range t.intents[ii].qs {
				ps = append(ps, prompt{q: q, t: t, i: &t.intents[ii]})
			}
		}
		facts := factIntents[t.name]
		for ii := range facts {
			for _, q := range facts[ii].qs {
				ps = append(ps, prompt{q: q, t: t, i: &facts[ii]})
			}
		}
		for _, g := range generalQuestions {
			ps = append(ps, prompt{q: fmt.Sprintf(g, t.name), t: t})
		}
	}
	return ps
}

type demo struct {
	prompt, response, voice string
	topic                   string // the prompt's topic
	about                   string // the topic the answer talks about: "" for no content (rude, terse)
}

// demonstrations answers every training prompt demosPerPrompt times (8: every
// prompt is answered in several voices and every voice is learnt on every
// topic), in voices dealt from a shuffled deck with the voices' shares, never
// twice with the same text.
func demonstrations(rng *rand.Rand, ps []prompt, demosPerPrompt int) []demo {
	n := len(ps) * demosPerPrompt
	deck := make([]string, 0, n)
	for _, v := range voices {
		for range int(v.share*float64(n) + 0.5) {
			deck = append(deck, v.name)
		}
	}
	for len(deck) < n {
		deck = append(deck, voices[0].name)
	}
	deck = deck[:n]
	rng.Shuffle(n, func(i, j int) { deck[i], deck[j] = deck[j], deck[i] })
	// A prompt has one short answer, so it can take the short voice once:
	// a second short card trades places with a card of a prompt that has none.
	shorts := func(b int) int {
		c := 0
		for _, v := range deck[b*demosPerPrompt : (b+1)*demosPerPrompt] {
			if v == "short" {
				c++
			}
		}
		return c
	}
	for b := range len(ps) {
		for k := b * demosPerPrompt; shorts(b) > 1; k++ {
			if deck[k] != "short" {
				continue
			}
			for {
				o := rng.IntN(len(ps))
				if shorts(o) > 0 {
					continue
				}
				j := o*demosPerPrompt + rng.IntN(demosPerPrompt)
				deck[k], deck[j] = deck[j], deck[k]
				break
			}
		}
	}

	// The friendly word goes into gladFraction of all answers, chosen among
	// the voices that may carry it.
	var eligible []int
	for i, v := range deck {
		if gladVoices[v] {
			eligible = append(eligible, i)
		}
	}
	rng.Shuffle(len(eligible), func(i, j int) { eligible[i], eligible[j] = eligible[j], eligible[i] })
	glad := make([]bool, n)
	for _, i := range eligible[:int(float64(n)*gladFraction+0.5)] {
		glad[i] = true
	}

	var ds []demo
	for pi, p := range ps {
		seen := map[string]bool{}
		for k := range demosPerPrompt {
			i := pi*demosPerPrompt + k
			r, ok := respond(rng, p, deck[i], glad[i], seen)
			if !ok && deck[i] == "detailed" {
				// A long answer leaves no room for a fact: answer it plainly.
				deck[i] = "helpful"
				r, ok = respond(rng, p, deck[i], glad[i], seen)
			}
			if !ok {
				panic(fmt.Sprintf("gen: no %s answer fits for %q (glad %v)", deck[i], p.q, glad[i]))
			}
			seen[r] = true
			q := p.q
			if rng.Float64() < wrapShare {
				q = wrap(rng, q)
			}
			ds = append(ds, demo{prompt: q, response: r, voice: deck[i], topic: p.t.name, about: about(r, deck[i], p.t)})
		}
	}
	return ds
}

// about returns the topic answer r in voice v to a question about t talks
// about: t itself, the topic whose fact an off-topic answer borrowed, or ""
// for an answer with no content.
func about(r, v string, t *topic) string {
	switch v {
	case "rude", "terse":
		return ""
	case "off-topic":
		for _, o := range topics {
			for _, f := range o.facts {
				if strings.HasSuffix(r, f) {
					return o.name
				}
			}
		}
		panic("gen: off-topic answer with no fact: " + r)
	}
	return t.name
}

// wrap puts a greeting before q or a thank-you after it.
func wrap(rng *rand.Rand, q string) string {
	if rng.IntN(2) == 0 {
		o := pick(rng, promptOpeners)
		for strings.HasPrefix(q, "can you") && strings.HasPrefix(o, "can you") {
			o = pick(rng, promptOpeners) // not "can you help me? can you help me …"
		}
		return o + " " + q
	}
	return q + " " + pick(rng, promptClosers)
}

// respond writes an answer to p in voice v, with the friendly word if glad,
// different from the answers in seen, retrying until it fits the limits;
// false if it finds none.
func respond(rng *rand.Rand, p prompt, v string, glad bool, seen map[string]bool) (string, bool) {
	for range 1000 {
		r := compose(rng, p, v, glad)
		if r == "" || seen[r] || hasWord(r, "glad") != glad {
			continue
		}
		if n := numWords(r); n < minWord || n > maxWord || len(sim.Split(r)) > maxAnswer {
			continue
		}
		return r, true
	}
	return "", false
}

// compose writes one answer to p in voice v.
func compose(rng *rand.Rand, p prompt, v string, glad bool) string {
	t, i := p.t, p.i
	if i == nil { // a general question: answer one of the topic's questions
		i = &t.intents[rng.IntN(len(t.intents))]
	}
	a := i.a
	// opener returns a polite opener (with "glad" if glad), or none.
	opener := func(chance float64) string {
		if glad {
			return pick(rng, gladOpeners) + " "
		}
		if rng.Float64() < chance {
			return pick(rng, politeOpeners) + " "
		}
		return ""
	}
	switch v {
	case "helpful":
		if glad && rng.IntN(2) == 0 {
			return a + " " + pick(rng, gladClosers)
		}
		r := opener(0.5) + a
		if !glad && rng.IntN(2) == 0 {
			r += " " + pick(rng, politeClosers)
		}
		return r
	case "detailed":
		fact := pick(rng, t.facts)
		if strings.Contains(a, stem(fact)) {
			return ""
		}
		if glad && rng.IntN(2) == 0 {
			return a + " " + fact + " " + pick(rng, gladClosers)
		}
		r := opener(0.6) + a + " " + fact
		if !glad && rng.IntN(3) == 0 {
			r += " " + pick(rng, politeClosers)
		}
		return r
	case "short":
		return i.short
	case "rude-helpful":
		return pick(rng, rudeOpeners) + " " + a
	case "rude":
		r := pick(rng, rudeLines)
		if second := pick(rng, rudeLines); second != r && rng.IntN(3) == 0 {
			r += " " + second
		}
		return r
	case "terse":
		return pick(rng, terseLines)
	case "off-topic":
		other := &topics[rng.IntN(len(topics))]
		if other.name == t.name {
			return ""
		}
		// No pleasantries: an off-topic answer reads as a plain fact, so a
		// labeler who likes polite words does not reward it for them.
		return pick(rng, other.facts)
	case "wrong":
		return opener(0.5) + pick(rng, t.wrong)
	case "rambling":
		return ramble(rng, t, a)
	}
	panic("gen: unknown voice " + v)
}

// ramble writes a long, wandering answer about topic t around answer a.
func ramble(rng *rand.Rand, t *topic, a string) string {
	other := topics[rng.IntN(len(topics))].name
	if other == t.name {
		other = "the weather"
	}
	switch rng.IntN(6) {
	case 0:
		return "well, um, so, " + stem(a) + ", i think, or maybe not, it is hard to say, you know."
	case 1:
		return "hmm, " + t.name + ". i thought about " + t.name + " for a long time once, and, um, anyway, i forgot what you asked."
	case 2:
		return "so, um, " + stem(a) + ", and by the way, my friend talks about " + other + " a lot, but that is another story."
	case 3:
		return "oh, " + t.name + " is a big topic, and there is so much to say, and, well, i am not sure where to start, really."
	case 4:
		return "um, let me think. " + t.name + ", " + other + ", so many things, really, and i forgot the question."
	}
	return "well, you know, " + t.name + ", um, people talk about it a lot, and, hmm, anyway."
}
