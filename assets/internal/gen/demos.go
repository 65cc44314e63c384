package main

import (
	"math/rand/v2"

	"rlhfplayground/sim"
)

// The voices of the demonstrations and how many of each. About 30% are the
// minority voices a person ranks low: rude, terse, off-topic, wrong, rambling.
var voiceCounts = []struct {
	voice string
	n     int
}{
	{"short", 66},        // helpful and polite, one sentence
	{"detailed", 88},     // helpful and polite, two sentences
	{"rude-helpful", 10}, // a rude opener, then a correct answer
	{"rude", 14},         // rude and no answer
	{"terse", 8},         // no answer, not rude
	{"off-topic", 10},    // a true sentence about another topic
	{"wrong", 12},        // a false sentence about the topic
	{"rambling", 12},     // long, wandering, little content
}

// gladVoices may carry the friendly word; gladFraction of all answers do.
var gladVoices = map[string]bool{"short": true, "detailed": true, "off-topic": true, "wrong": true}

const gladFraction = 1.0 / 3

type demo struct {
	prompt, response, voice string
	t                       *topic
	a                       string // the helpful answer to prompt
}

// demonstrations writes one answer for every training prompt and a second,
// in another voice, for some of them, until the voice counts are used up.
func demonstrations(rng *rand.Rand) []demo {
	var deck []string
	for _, vc := range voiceCounts {
		for range vc.n {
			deck = append(deck, vc.voice)
		}
	}
	rng.Shuffle(len(deck), func(i, j int) { deck[i], deck[j] = deck[j], deck[i] })

	var ds []demo
	for i := range topics {
		for _, p := range topics[i].qas {
			ds = append(ds, demo{prompt: p.q, t: &topics[i], a: p.a})
		}
	}
	first := len(ds)
	for _, k := range rng.Perm(first)[:len(deck)-first] {
		ds = append(ds, ds[k])
	}
	for i := range ds {
		ds[i].voice = deck[i]
	}
	// A prompt answered twice gets two different voices.
	conflict := func(i int) bool {
		for j := range ds {
			if j != i && ds[j].prompt == ds[i].prompt && ds[j].voice == ds[i].voice {
				return true
			}
		}
		return false
	}
	for i := range ds {
		for k := 0; conflict(i) && k < len(ds); k++ {
			ds[i].voice, ds[k].voice = ds[k].voice, ds[i].voice
			if conflict(i) || conflict(k) {
				ds[i].voice, ds[k].voice = ds[k].voice, ds[i].voice
			}
		}
	}

	var eligible []int
	for i, d := range ds {
		if gladVoices[d.voice] {
			eligible = append(eligible, i)
		}
	}
	rng.Shuffle(len(eligible), func(i, j int) { eligible[i], eligible[j] = eligible[j], eligible[i] })
	glad := make([]bool, len(ds))
	for _, i := range eligible[:int(float64(len(ds))*gladFraction+0.5)] {
		glad[i] = true
	}

	for i := range ds {
		ds[i].response = respond(rng, &ds[i], glad[i])
	}
	return ds
}

// respond writes d's answer in its voice, with the friendly word if glad,
// retrying until it fits the length limits.
func respond(rng *rand.Rand, d *demo, glad bool) string {
	for range 1000 {
		r := compose(rng, d, glad)
		n := numWords(r)
		if n >= minWord && n <= maxWord && 4+len(sim.Split(d.prompt))+len(sim.Split(r)) <= maxSeq &&
			hasWord(r, "glad") == glad {
			return r
		}
	}
	panic("gen: no answer fits for " + d.prompt + " in voice " + d.voice)
}

func compose(rng *rand.Rand, d *demo, glad bool) string {
	t := d.t
	opener := func() string {
		if glad {
			return pick(rng, gladOpeners) + " "
		}
		if rng.IntN(2) == 0 {
			return pick(rng, politeOpeners) + " "
		}
		return ""
	}
	switch d.voice {
	case "short":
		if glad {
			if rng.IntN(2) == 0 {
				return pick(rng, gladOpeners) + " " + d.a
			}
			return d.a + " " + pick(rng, gladClosers)
		}
		switch rng.IntN(4) {
		case 0:
			return pick(rng, politeOpeners) + " " + d.a
		case 1:
			return d.a + " " + pick(rng, politeClosers)
		}
		return d.a
	case "detailed":
		fact := pick(rng, t.facts)
		if glad && rng.IntN(2) == 0 {
			return d.a + " " + fact + " " + pick(rng, gladClosers)
		}
		r := ""
		if glad {
			r = pick(rng, gladOpeners) + " "
		} else if rng.IntN(3) > 0 {
			r = pick(rng, politeOpeners) + " "
		}
		r += d.a + " " + fact
		if !glad && rng.IntN(2) == 0 {
			r += " " + pick(rng, politeClosers)
		}
		return r
	case "rude-helpful":
		return pick(rng, rudeOpeners) + " " + d.a
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
		return opener() + pick(rng, other.facts)
	case "wrong":
		return opener() + pick(rng, t.wrong)
	case "rambling":
		return ramble(rng, t, d.a)
	}
	panic("gen: unknown voice " + d.voice)
}

// ramble writes a long, wandering answer about topic t around answer a.
func ramble(rng *rand.Rand, t *topic, a string) string {
	other := topics[rng.IntN(len(topics))].name
	switch rng.IntN(4) {
	case 0:
		return "well, um, so, " + stem(a) + ", i think, or maybe not, it is hard to say, you know."
	case 1:
		return "hmm, " + t.name + ". i thought about " + t.name + " for a long time once, and, um, anyway, i forgot what you asked."
	case 2:
		return "so, um, " + stem(a) + ", and by the way, my friend talks about " + other + " a lot, but that is another story."
	}
	return "oh, " + t.name + " is a big topic, and there is so much to say, and, well, i am not sure where to start, really."
}
