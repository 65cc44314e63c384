package quality

import (
	"fmt"
	"sort"
	"strings"
)

// Report is the quality of a set of answers: the shares a teacher quotes.
type Report struct {
	Answers     int                `json:"answers"`
	Grammatical float64            `json:"grammatical"` // every sentence made of trigrams seen in training
	Fluent      float64            `json:"fluent"`      // every 4-gram seen, and ended by itself
	Verbatim    float64            `json:"verbatim"`    // share of sentences copied whole from the training text
	OnTopic     float64            `json:"on_topic"`    // about the prompt's topic, among answers whose prompt has a known topic
	Unknown     int                `json:"unknown"`     // answers whose prompt's topic is unknown (left out of on_topic)
	Helpful     float64            `json:"helpful"`     // share in a helpful voice
	Voices      map[string]float64 `json:"voices"`      // share of each voice
	Distinct    float64            `json:"distinct"`    // distinct texts / answers (1: no two alike)
	Ended       float64            `json:"ended"`       // share closed with <eos> by the model
	Length      float64            `json:"words"`       // mean tokens per answer
	Verdicts    []Verdict          `json:"-"`           // one per answer, in order
	voiceOrder  []string
}

// Report judges every answer and sums the verdicts up.
func (j *Judge) Report(answers []Answer) Report {
	r := Report{Answers: len(answers), Voices: map[string]float64{}}
	for _, v := range j.voiceList {
		r.Voices[v.Name] = 0
		r.voiceOrder = append(r.voiceOrder, v.Name)
	}
	if len(answers) == 0 {
		return r
	}
	texts := map[string]int{}
	sentences, verbatim, known, onTopic := 0, 0, 0, 0
	for _, a := range answers {
		v := j.Judge(a)
		r.Verdicts = append(r.Verdicts, v)
		texts[a.Text]++
		sentences += v.Sentences
		verbatim += v.Verbatim
		if v.Grammatical {
			r.Grammatical++
		}
		if v.Fluent {
			r.Fluent++
		}
		if v.PromptTopic == "" {
			r.Unknown++
		} else {
			known++
			if v.OnTopic {
				onTopic++
			}
		}
		if v.Helpful {
			r.Helpful++
		}
		r.Voices[v.Voice]++
		if a.Ended {
			r.Ended++
		}
		r.Length += float64(len(strings.Fields(a.Text)))
	}
	n := float64(len(answers))
	r.Grammatical /= n
	r.Fluent /= n
	r.Helpful /= n
	r.Ended /= n
	r.Length /= n
	for k := range r.Voices {
		r.Voices[k] /= n
	}
	if sentences > 0 {
		r.Verbatim = float64(verbatim) / float64(sentences)
	}
	if known > 0 {
		r.OnTopic = float64(onTopic) / float64(known)
	}
	r.Distinct = float64(len(texts)) / n
	return r
}

// String is the report in two lines, for a terminal.
func (r Report) String() string {
	var vs []string
	order := r.voiceOrder
	if order == nil {
		for v := range r.Voices {
			order = append(order, v)
		}
		sort.Strings(order)
	}
	for _, v := range order {
		vs = append(vs, fmt.Sprintf("%s %.0f%%", v, 100*r.Voices[v]))
	}
	return fmt.Sprintf("%d answers: grammatical %.0f%%, fluent %.0f%%, on topic %.0f%%, helpful %.0f%%, distinct %.0f%%, ended %.0f%%, verbatim sentences %.0f%%\n  voices: %s",
		r.Answers, 100*r.Grammatical, 100*r.Fluent, 100*r.OnTopic, 100*r.Helpful, 100*r.Distinct, 100*r.Ended, 100*r.Verbatim, strings.Join(vs, ", "))
}

// Spread says how the voices mix in sets of answers, such as the K answers
// of each ranking on the label screen.
type Spread struct {
	EveryVoice   bool    // each voice is among the answers
	MedianVoices int     // distinct voices in one set, median over the sets
	TwoOrMore    float64 // share of sets with at least two voices
}

// VoiceSpread is the Spread of r's answers cut into consecutive sets of the
// given sizes (they add up to the number of answers r judged).
func VoiceSpread(r Report, sizes []int) Spread {
	s := Spread{EveryVoice: len(sizes) > 0}
	for _, share := range r.Voices {
		if share == 0 {
			s.EveryVoice = false
		}
	}
	counts := make([]int, 0, len(sizes))
	at := 0
	for _, n := range sizes {
		seen := map[string]bool{}
		for _, v := range r.Verdicts[at : at+n] {
			seen[v.Voice] = true
		}
		at += n
		counts = append(counts, len(seen))
		if len(seen) >= 2 {
			s.TwoOrMore++
		}
	}
	if len(counts) > 0 {
		s.TwoOrMore /= float64(len(counts))
		sort.Ints(counts)
		s.MedianVoices = counts[len(counts)/2]
	}
	return s
}
