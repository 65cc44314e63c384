package quality

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"rlhfplayground/sim"
)

// The voice measure: a multinomial naive Bayes classifier (add-one
// smoothing) over an answer's words and word pairs, plus features the words
// alone cannot give: how the answer relates to the prompt's topic (an
// off-topic answer is a helpful answer to another question; a categorical
// feature, barely smoothed, so an answer about another topic is off-topic
// whatever its words, and one about the prompt's topic is not), how many of
// its sentences talk about a topic (a detailed answer has two) and its
// length (a short answer has a few words); and, for each sentence copied from
// a demonstration, the set of voices that sentence was written in ("tea is
// made from rocks." only in wrong answers, "ugh, fine." only in rude-helpful
// ones, "glad you asked!" in several), for the first sentence once more.

// structWeight is how many word counts each of the three features weighs:
// an answer has 5–30 words, and one feature among them would barely count.
const structWeight = 6

type voiceModel struct {
	// sentences maps a demonstration sentence to the voices it occurs in, sorted.
	sentences map[string][]string
	names     []string
	logPrior  []float64
	relations [][numRelations]float64 // per voice: log P(relation | voice)
	counts    []map[string]float64    // per voice: feature → count
	totals    []float64
	vocab     map[string]bool
}

// relationOf names how an answer relates to its prompt's topic.
func relationOf(rel topicRelation) int {
	switch {
	case rel.onTopic:
		return relSame
	case rel.topical > 0:
		return relOther
	}
	return relNone
}

const (
	relNone  = iota // no sentence talks about a topic
	relSame         // all that do talk about the prompt's
	relOther        // some talk about another topic
	numRelations
)

// relationSmoothing is the pseudo-count of the topic relation: so small
// that a voice never seen with a relation in the demonstrations (an
// off-topic answer about the prompt's own topic) is all but ruled out.
const relationSmoothing = 0.01

// voiceFeatures lists the features of an answer's tokens given its topic relation.
func (m *voiceModel) voiceFeatures(toks []string, rel topicRelation) []string {
	fs := make([]string, 0, 2*len(toks)+3*structWeight+2)
	prev := startToken
	for _, t := range toks {
		fs = append(fs, "w:"+t, "b:"+prev+" "+t)
		prev = t
	}
	fs = append(fs, "b:"+prev+" "+endToken)
	length := "long"
	switch n := len(toks); {
	case n <= 5:
		length = "tiny"
	case n <= 9:
		length = "short"
	case n <= 16:
		length = "medium"
	}
	for range structWeight {
		fs = append(fs, fmt.Sprintf("topical:%d", min(rel.topical, 2)), "len:"+length)
	}
	for i, s := range Sentences(toks) {
		sig := "new"
		if vs, ok := m.sentences[strings.Join(s, " ")]; ok {
			sig = strings.Join(vs, ",")
		}
		for range structWeight {
			fs = append(fs, "sentence:"+sig)
			if i == 0 {
				fs = append(fs, "first:"+sig)
			}
		}
	}
	return fs
}

func trainVoices(j *Judge, demos []Demonstration, voices []Voice) *voiceModel {
	m := &voiceModel{vocab: map[string]bool{}, sentences: map[string][]string{}}
	inVoice := map[string]map[string]bool{}
	for _, d := range demos {
		for _, s := range Sentences(sim.Split(d.Response)) {
			key := strings.Join(s, " ")
			if inVoice[key] == nil {
				inVoice[key] = map[string]bool{}
			}
			inVoice[key][d.Voice] = true
		}
	}
	for key, vs := range inVoice {
		for v := range vs {
			m.sentences[key] = append(m.sentences[key], v)
		}
		sort.Strings(m.sentences[key])
	}
	index := map[string]int{}
	for _, v := range voices {
		index[v.Name] = len(m.names)
		m.names = append(m.names, v.Name)
		m.counts = append(m.counts, map[string]float64{})
	}
	m.totals = make([]float64, len(m.names))
	docs := make([]float64, len(m.names))
	relCount := make([][numRelations]float64, len(m.names))
	for _, d := range demos {
		c := index[d.Voice]
		docs[c]++
		toks := sim.Split(d.Response)
		rel := j.topics.relation(Sentences(toks), d.Topic)
		relCount[c][relationOf(rel)]++
		for _, f := range m.voiceFeatures(toks, rel) {
			m.counts[c][f]++
			m.totals[c]++
			m.vocab[f] = true
		}
	}
	m.relations = make([][numRelations]float64, len(m.names))
	for c := range m.names {
		m.logPrior = append(m.logPrior, math.Log((docs[c]+1)/(float64(len(demos))+float64(len(m.names)))))
		for r := range numRelations {
			m.relations[c][r] = math.Log((relCount[c][r] + relationSmoothing) / (docs[c] + numRelations*relationSmoothing))
		}
	}
	return m
}

func (m *voiceModel) classify(toks []string, rel topicRelation) string {
	fs := m.voiceFeatures(toks, rel)
	best, bestLP := "", math.Inf(-1)
	V := float64(len(m.vocab))
	r := relationOf(rel)
	for c, name := range m.names {
		lp := m.logPrior[c] + structWeight*m.relations[c][r]
		for _, f := range fs {
			lp += math.Log((m.counts[c][f] + 1) / (m.totals[c] + V))
		}
		if lp > bestLP {
			best, bestLP = name, lp
		}
	}
	return best
}

// CrossValidate trains the voice classifier on all but one fold of d's
// demonstrations and classifies the held-back fold, for each of folds folds
// (the demonstrations are dealt to folds in a shuffled order from rng). It
// returns the confusion counts: truth → predicted voice → number.
func CrossValidate(d Data, folds int, rng *rand.Rand) (map[string]map[string]int, error) {
	if folds < 2 {
		panic("quality: CrossValidate: need at least 2 folds")
	}
	perm := rng.Perm(len(d.Demonstrations))
	confusion := map[string]map[string]int{}
	for f := range folds {
		train := d
		train.Demonstrations = nil
		var test []Demonstration
		for i, k := range perm {
			if i%folds == f {
				test = append(test, d.Demonstrations[k])
			} else {
				train.Demonstrations = append(train.Demonstrations, d.Demonstrations[k])
			}
		}
		j, err := New(train)
		if err != nil {
			return nil, err
		}
		for _, dm := range test {
			toks := sim.Split(dm.Response)
			got := j.voices.classify(toks, j.topics.relation(Sentences(toks), dm.Topic))
			if confusion[dm.Voice] == nil {
				confusion[dm.Voice] = map[string]int{}
			}
			confusion[dm.Voice][got]++
		}
	}
	return confusion, nil
}

// Accuracy returns the share of a confusion table's counts on its diagonal.
func Accuracy(confusion map[string]map[string]int) float64 {
	right, all := 0, 0
	for truth, row := range confusion {
		for got, n := range row {
			all += n
			if got == truth {
				right += n
			}
		}
	}
	if all == 0 {
		return 0
	}
	return float64(right) / float64(all)
}

// FormatConfusion renders a confusion table, voices in the given order.
func FormatConfusion(confusion map[string]map[string]int, voices []Voice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-13s", "truth \\ got")
	for _, v := range voices {
		fmt.Fprintf(&b, " %8.8s", v.Name)
	}
	b.WriteString("\n")
	for _, t := range voices {
		fmt.Fprintf(&b, "%-13s", t.Name)
		for _, g := range voices {
			fmt.Fprintf(&b, " %8d", confusion[t.Name][g.Name])
		}
		b.WriteString("\n")
	}
	return b.String()
}
