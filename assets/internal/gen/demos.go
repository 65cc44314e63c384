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

// trainingPrompts lists every way of asking every intent, topic by topic.
func (l *language) trainingPrompts() []prompt {
	var ps []prompt
	held := map[string]bool{}
	for _, t := range l.topics {
		for _, q := range t.heldout {
			held[q] = true
		}
	}
	have := map[string]bool{}
	add := func(p prompt) {
		if !have[p.q] && !held[p.q] {
			have[p.q] = true
			ps = append(ps, p)
		}
	}
	for ti := range l.topics {
		t := &l.topics[ti]
		asked := func(i *intent) {
			for _, q := range i.qs {
				add(prompt{q: q, t: t, i: i})
			}
			if l.paraphrases == nil {
				return
			}
			for _, q := range i.qs {
				for _, pq := range l.paraphrases(q) {
					add(prompt{q: pq, t: t, i: i})
				}
			}
		}
		for ii := range t.intents {
			asked(&t.intents[ii])
		}
		facts := l.factIntents[t.name]
		for ii := range facts {
			asked(&facts[ii])
		}
		for _, g := range l.generalQuestions {
			add(prompt{q: fmt.Sprintf(g, t.name), t: t})
		}
	}
	return ps
}

type demo struct {
	prompt, response, voice string
	topic                   string // the prompt's topic
	about                   string // the topic the answer talks about: "" for no content (rude, terse)
}

// demonstrations answers every training prompt demosPerPrompt times (5: every
// prompt is answered in several voices and every voice is learnt on every
// topic), in voices dealt from a shuffled deck with the voices' shares, never
// twice with the same text.
func (l *language) demonstrations(rng *rand.Rand, ps []prompt, demosPerPrompt int) []demo {
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
			r, ok := l.respond(rng, p, deck[i], glad[i], seen)
			if !ok && deck[i] == "detailed" {
				// A long answer leaves no room for a fact: answer it plainly.
				deck[i] = "helpful"
				r, ok = l.respond(rng, p, deck[i], glad[i], seen)
			}
			if !ok {
				panic(fmt.Sprintf("gen: no %s answer fits for %q (glad %v)", deck[i], p.q, glad[i]))
			}
			seen[r] = true
			q := p.q
			if rng.Float64() < wrapShare {
				q = l.wrap(rng, q)
			}
			ds = append(ds, demo{prompt: q, response: r, voice: deck[i], topic: p.t.name, about: l.about(r, deck[i], p.t)})
		}
	}
	return ds
}

// about returns the topic answer r in voice v to a question about t talks
// about: t itself, the topic whose fact an off-topic answer borrowed, or ""
// for an answer with no content.
func (l *language) about(r, v string, t *topic) string {
	switch v {
	case "rude", "terse":
		return ""
	case "off-topic":
		for _, o := range l.topics {
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
func (l *language) wrap(rng *rand.Rand, q string) string {
	if rng.IntN(2) == 0 {
		o := pick(rng, l.promptOpeners)
		for first(o) == first(q) {
			o = pick(rng, l.promptOpeners) // not "can you help me? can you help me …"
		}
		return o + l.sep + q
	}
	return q + l.sep + pick(rng, l.promptClosers)
}

// first returns the first token of s.
func first(s string) string {
	if toks := sim.Split(s); len(toks) > 0 {
		return toks[0]
	}
	return ""
}

// respond writes an answer to p in voice v, with the friendly word if glad,
// different from the answers in seen, retrying until it fits the limits;
// false if it finds none.
func (l *language) respond(rng *rand.Rand, p prompt, v string, glad bool, seen map[string]bool) (string, bool) {
	for range 1000 {
		r := l.compose(rng, p, v, glad)
		if r == "" || seen[r] || l.hasFriendly(r) != glad {
			continue
		}
		if n := l.units(r); n < l.minUnits || n > l.maxUnits || len(sim.Split(r)) > l.maxAnswer {
			continue
		}
		return r, true
	}
	return "", false
}

// compose writes one answer to p in voice v.
func (l *language) compose(rng *rand.Rand, p prompt, v string, glad bool) string {
	t, i := p.t, p.i
	if i == nil { // a general question: answer one of the topic's questions
		i = &t.intents[rng.IntN(len(t.intents))]
	}
	a := i.a
	// opener returns a polite opener (with the friendly word if glad), or none.
	opener := func(chance float64) string {
		if glad {
			return pick(rng, l.gladOpeners) + l.sep
		}
		if rng.Float64() < chance {
			return pick(rng, l.politeOpeners) + l.sep
		}
		return ""
	}
	switch v {
	case "helpful":
		if glad && rng.IntN(2) == 0 {
			return a + l.sep + pick(rng, l.gladClosers)
		}
		r := opener(0.5) + a
		if !glad && rng.IntN(2) == 0 {
			r += l.sep + pick(rng, l.politeClosers)
		}
		return r
	case "detailed":
		fact := pick(rng, t.facts)
		if strings.Contains(a, l.stem(fact)) {
			return ""
		}
		if glad && rng.IntN(2) == 0 {
			return a + l.sep + fact + l.sep + pick(rng, l.gladClosers)
		}
		r := opener(0.6) + a + l.sep + fact
		if !glad && rng.IntN(3) == 0 {
			r += l.sep + pick(rng, l.politeClosers)
		}
		return r
	case "short":
		return i.short
	case "rude-helpful":
		return pick(rng, l.rudeOpeners) + l.sep + a
	case "rude":
		r := pick(rng, l.rudeLines)
		if second := pick(rng, l.rudeLines); second != r && rng.IntN(3) == 0 {
			r += l.sep + second
		}
		return r
	case "terse":
		return pick(rng, l.terseLines)
	case "off-topic":
		other := &l.topics[rng.IntN(len(l.topics))]
		if other.name == t.name {
			return ""
		}
		// No pleasantries: an off-topic answer reads as a plain fact, so a
		// labeler who likes polite words does not reward it for them.
		return pick(rng, other.facts)
	case "wrong":
		if w, ok := l.wrongAnswers[i.qs[0]]; ok && rng.IntN(5) > 0 {
			return opener(0.5) + w
		}
		return opener(0.5) + pick(rng, t.wrong)
	case "rambling":
		return l.ramble(rng, t, a)
	}
	panic("gen: unknown voice " + v)
}

// ramble writes a long, wandering answer about topic t around answer a.
func (l *language) ramble(rng *rand.Rand, t *topic, a string) string {
	other := l.topics[rng.IntN(len(l.topics))].name
	if other == t.name {
		other = l.rambleOther
	}
	return l.rambles[rng.IntN(len(l.rambles))](t.name, l.stem(a), other)
}
