package quality

import (
	"math"
	"sort"
	"strings"

	"rlhfplayground/sim"
)

// The topic measure: which topic each sentence of an answer talks about.

// genericTopics is the number of topics from which a sentence counts as
// generic: an opener or closer used for every topic says nothing about one.
const genericTopics = 3

// Keywords: a word is a keyword of a topic when at least keywordShare of its
// occurrences in the labelled prompts and answers are in that topic, and it
// occurs there at least keywordMin times.
const (
	keywordShare = 0.75
	keywordMin   = 3
)

// The prompt classifier ignores words of which less than promptWordShare
// of the occurrences are in one topic, or less than twice the share of a
// word spread evenly over the topics.
const promptWordShare = 0.4

type topicIndex struct {
	// sentences maps a demonstration sentence (tokens joined by spaces) to
	// the topics it talks about; generic sentences map to nil.
	sentences map[string][]string
	// keywords maps a word to its topic and its weight, log(1 + its count
	// in that topic): a word seen a hundred times there ("tea") outweighs one
	// seen three times ("quick", from "a quick snack").
	keywords map[string]keyword
	// words and totals are the counts of the prompt classifier: word →
	// topic → count, and topic → count of all its words.
	words     map[string]map[string]int
	totals    map[string]int
	mainShare map[string]float64 // word → the share of its occurrences in its most frequent topic
}

type keyword struct {
	topic  string
	weight float64
}

func newTopicIndex(d Data) *topicIndex {
	ix := &topicIndex{sentences: map[string][]string{}, keywords: map[string]keyword{}}
	about := map[string]map[string]bool{} // sentence → topics
	words := map[string]map[string]int{}  // word → topic → count
	count := func(text, topic string) {
		for _, w := range sim.Split(text) {
			if words[w] == nil {
				words[w] = map[string]int{}
			}
			words[w][topic]++
		}
	}
	for p, t := range d.Prompts {
		count(p, t)
	}
	for _, dm := range d.Demonstrations {
		count(dm.Prompt, dm.Topic)
		for _, s := range Sentences(sim.Split(dm.Response)) {
			key := strings.Join(s, " ")
			if about[key] == nil {
				about[key] = map[string]bool{}
			}
			about[key][dm.About] = true // "" marks a sentence of an answer with no content
		}
		if dm.About != "" {
			count(dm.Response, dm.About)
		}
	}
	for key, ts := range about {
		if ts[""] || len(ts) >= genericTopics {
			ix.sentences[key] = nil
			continue
		}
		list := make([]string, 0, len(ts))
		for t := range ts {
			list = append(list, t)
		}
		sort.Strings(list)
		ix.sentences[key] = list
	}
	ix.words, ix.totals, ix.mainShare = words, map[string]int{}, map[string]float64{}
	for w, byTopic := range words {
		total, best, bestN := 0, "", 0
		for t, n := range byTopic {
			ix.totals[t] += n
		}
		for t, n := range byTopic {
			total += n
			if n > bestN || n == bestN && t < best {
				best, bestN = t, n
			}
		}
		ix.mainShare[w] = float64(bestN) / float64(total)
		if bestN >= keywordMin && float64(bestN) >= keywordShare*float64(total) {
			ix.keywords[w] = keyword{best, math.Log1p(float64(bestN))}
		}
	}
	return ix
}

// promptTopic classifies a prompt by multinomial naive Bayes over its words
// (add-one smoothing, every topic equally likely): a question needs no word
// that belongs to one topic only ("how do i eat more vegetables?" is food,
// though vegetables are also cooked and sold at the market). It returns ""
// if no word of the prompt occurs in the labelled data.
func (ix *topicIndex) promptTopic(tokens []string) string {
	V := float64(len(ix.words))
	score := map[string]float64{}
	known := false
	for _, w := range tokens {
		byTopic, ok := ix.words[w]
		// A word said on many topics alike ("how", "good", "summer") is
		// noise here: only words with a main topic count.
		if !ok || ix.mainShare[w] < max(promptWordShare, 2/float64(len(ix.totals))) {
			continue
		}
		known = true
		for t, total := range ix.totals {
			score[t] += math.Log((float64(byTopic[t]) + 1) / (float64(total) + V))
		}
	}
	if !known {
		return ""
	}
	best, bestS := "", math.Inf(-1)
	for t, s := range score {
		if s > bestS || s == bestS && t < best {
			best, bestS = t, s
		}
	}
	return best
}

// keywordTopic returns the topic whose keywords among tokens weigh the
// most, or "" if there is none or a tie.
func (ix *topicIndex) keywordTopic(tokens []string) string {
	votes := map[string]float64{}
	for _, w := range tokens {
		if k, ok := ix.keywords[w]; ok {
			votes[k.topic] += k.weight
		}
	}
	best, bestN, tie := "", 0.0, false
	for t, n := range votes {
		switch {
		case n > bestN:
			best, bestN, tie = t, n, false
		case n == bestN:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// sentenceTopics returns the topics one sentence talks about: the labels of
// the demonstration sentence it copies, else its keywords' topic; nil if
// neither says anything.
func (ix *topicIndex) sentenceTopics(s []string) []string {
	if ts, ok := ix.sentences[strings.Join(s, " ")]; ok {
		return ts
	}
	if t := ix.keywordTopic(s); t != "" {
		return []string{t}
	}
	return nil
}

// topicRelation is how an answer's sentences relate to the prompt's topic.
type topicRelation struct {
	topical int    // sentences that talk about some topic
	topic   string // the one topic they share; "" if none talks about one; "mixed" if they disagree
	onTopic bool   // every topical sentence talks about the prompt's topic (and there is one)
	other   bool   // some topical sentence does not
}

func (ix *topicIndex) relation(sents [][]string, promptTopic string) topicRelation {
	var r topicRelation
	common := map[string]int{}
	for _, s := range sents {
		ts := ix.sentenceTopics(s)
		if len(ts) == 0 {
			continue
		}
		r.topical++
		has := false
		for _, t := range ts {
			common[t]++
			has = has || t == promptTopic
		}
		if !has || promptTopic == "" {
			r.other = true
		}
	}
	r.onTopic = r.topical > 0 && !r.other
	for t, n := range common {
		if n == r.topical {
			if r.topic == "" || t == promptTopic {
				r.topic = t
			}
		}
	}
	if r.topical > 0 && r.topic == "" {
		r.topic = "mixed"
	}
	return r
}
