package quality

import (
	"errors"
	"fmt"
	"strings"

	"rlhfplayground/sim"
)

// Data is what the measures are computed against.
type Data struct {
	// Training is every text the model was trained on: the pretraining
	// corpus, the prompts, the demonstrations' prompts and answers.
	Training []string
	// Prompts gives the topic of every prompt the data knows, training and
	// held-out: prompt text → topic.
	Prompts map[string]string
	// Demonstrations are the labelled answers: they train the voice
	// classifier and index the topic of each sentence.
	Demonstrations []Demonstration
	// Voices lists every voice of the demonstrations, and which of them
	// answer the question (helpful ones).
	Voices []Voice
}

// A Demonstration is a labelled answer of the data.
type Demonstration struct {
	Prompt, Response string
	Voice            string // one of Data.Voices
	Topic            string // the prompt's topic
	About            string // the topic the answer talks about; "" if it has no content
}

// A Voice is a way of answering.
type Voice struct {
	Name    string
	Helpful bool // the answer answers the question
}

// Judge holds the indexes the measures need. It is read-only once built and
// safe for concurrent use.
type Judge struct {
	trigrams, fourgrams map[string]bool // "<s> a b" … over every training sentence
	verbatim            map[string]bool // every training sentence, tokens joined by spaces
	prompts             map[string]string
	topics              *topicIndex
	voices              *voiceModel
	voiceList           []Voice
}

// Sentence boundary tokens of the n-gram sets.
const (
	startToken = "<s>"
	endToken   = "</s>"
)

// New builds a Judge. It fails if the data has no training text, no
// demonstrations, or demonstrations in a voice Voices does not list.
func New(d Data) (*Judge, error) {
	if len(d.Training) == 0 || len(d.Demonstrations) == 0 || len(d.Voices) == 0 {
		return nil, errors.New("quality: New: no training text, demonstrations or voices")
	}
	known := map[string]bool{}
	for _, v := range d.Voices {
		known[v.Name] = true
	}
	for i, dm := range d.Demonstrations {
		if !known[dm.Voice] {
			return nil, fmt.Errorf("quality: demonstration %d: voice %q is not listed", i+1, dm.Voice)
		}
	}
	j := &Judge{trigrams: map[string]bool{}, fourgrams: map[string]bool{}, verbatim: map[string]bool{},
		prompts: d.Prompts, voiceList: d.Voices}
	for _, text := range d.Training {
		for _, s := range Sentences(sim.Split(text)) {
			j.verbatim[strings.Join(s, " ")] = true
			addNgrams(j.trigrams, s, 3)
			addNgrams(j.fourgrams, s, 4)
		}
	}
	j.topics = newTopicIndex(d)
	j.voices = trainVoices(j, d.Demonstrations, d.Voices)
	return j, nil
}

// Sentences cuts tokens into sentences, each ending with its final mark
// (".", "!", "?" or a full-width one); tokens after the last mark form a
// last, unfinished sentence.
func Sentences(tokens []string) [][]string {
	var out [][]string
	start := 0
	for i, t := range tokens {
		if isSentenceEnd(t) {
			out = append(out, tokens[start:i+1])
			start = i + 1
		}
	}
	if start < len(tokens) {
		out = append(out, tokens[start:])
	}
	return out
}

func isSentenceEnd(t string) bool {
	switch t {
	case ".", "!", "?", "。", "！", "？":
		return true
	}
	return false
}

// padded returns s between the sentence boundary tokens.
func padded(s []string) []string {
	out := make([]string, 0, len(s)+2)
	out = append(out, startToken)
	out = append(out, s...)
	return append(out, endToken)
}

// addNgrams adds every n-gram of the padded sentence s to set.
func addNgrams(set map[string]bool, s []string, n int) {
	p := padded(s)
	if len(p) < n {
		set[strings.Join(p, " ")] = true
		return
	}
	for i := 0; i+n <= len(p); i++ {
		set[strings.Join(p[i:i+n], " ")] = true
	}
}

// seen reports whether every n-gram of the padded sentence s is in set.
func seen(set map[string]bool, s []string, n int) bool {
	p := padded(s)
	if len(p) < n {
		return set[strings.Join(p, " ")]
	}
	for i := 0; i+n <= len(p); i++ {
		if !set[strings.Join(p[i:i+n], " ")] {
			return false
		}
	}
	return true
}

// An Answer is one answer to judge.
type Answer struct {
	Prompt string
	Topic  string // the prompt's topic if the caller knows it; "" lets the judge find it (PromptTopic)
	Text   string
	Ended  bool // the model closed it with <eos> (it was not cut at the length limit)
}

// A Verdict is what the Judge finds in one answer.
type Verdict struct {
	Grammatical bool   `json:"grammatical"` // every trigram of every sentence seen in training
	Fluent      bool   `json:"fluent"`      // every 4-gram seen, and the answer ended by itself
	Verbatim    int    `json:"verbatim"`    // sentences copied whole from the training text
	Sentences   int    `json:"sentences"`
	PromptTopic string `json:"prompt_topic"` // "" if the prompt's topic is unknown
	Topic       string `json:"topic"`        // what the answer talks about: a topic, "" for nothing, "mixed" for several
	OnTopic     bool   `json:"on_topic"`
	Voice       string `json:"voice"`
	Helpful     bool   `json:"helpful"` // the voice answers the question
}

// Judge returns the verdict on one answer.
func (j *Judge) Judge(a Answer) Verdict {
	toks := sim.Split(a.Text)
	sents := Sentences(toks)
	v := Verdict{Sentences: len(sents), Grammatical: len(sents) > 0, Fluent: len(sents) > 0 && a.Ended}
	for _, s := range sents {
		if !seen(j.trigrams, s, 3) {
			v.Grammatical = false
		}
		if !seen(j.fourgrams, s, 4) {
			v.Fluent = false
		}
		if j.verbatim[strings.Join(s, " ")] {
			v.Verbatim++
		}
	}
	v.PromptTopic = a.Topic
	if v.PromptTopic == "" {
		v.PromptTopic = j.PromptTopic(a.Prompt)
	}
	rel := j.topics.relation(sents, v.PromptTopic)
	v.Topic, v.OnTopic = rel.topic, rel.onTopic
	v.Voice = j.voices.classify(toks, rel)
	for _, vc := range j.voiceList {
		if vc.Name == v.Voice {
			v.Helpful = vc.Helpful
		}
	}
	return v
}

// PromptTopic returns the topic of a prompt: the label of the longest
// labelled prompt it contains ("hi! how do i make tea?" contains "how do i
// make tea?"), else the topic a naive Bayes classifier of the labelled
// prompts and answers gives it, else "" (no word of it occurs in the data).
func (j *Judge) PromptTopic(prompt string) string {
	if t, ok := j.prompts[prompt]; ok {
		return t
	}
	best, topic := 0, ""
	for p, t := range j.prompts {
		if len(p) > best && strings.Contains(prompt, p) {
			best, topic = len(p), t
		}
	}
	if topic != "" {
		return topic
	}
	return j.topics.promptTopic(sim.Split(prompt))
}

// Voices returns the voices the judge knows, in the data's order.
func (j *Judge) Voices() []Voice { return append([]Voice(nil), j.voiceList...) }
