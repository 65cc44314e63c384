package main

// The quality report: how many of the answers to the evaluation prompts are
// grammatical, on the prompt's topic, in which voices, how many distinct
// (package quality says how each is measured). The evaluation prompts are
// the built-in held-out prompts, or a teacher's own file (-eval-prompts).

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"rlhfplayground/assets"
	"rlhfplayground/quality"
	"rlhfplayground/sim"
)

// maxEvalPrompts bounds a teacher's prompt file: each prompt is answered
// samplesEach times by two models.
const maxEvalPrompts = 1000

// readEvalPrompts returns the prompts of path, one per non-empty line, and
// the topic of each: a line "topic<TAB>prompt" names it, a line with only a
// prompt leaves it to the quality judge (topics[i] == "").
func readEvalPrompts(path string) (prompts, topics []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("rlhf: -eval-prompts: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		topic, prompt, ok := strings.Cut(line, "\t")
		if !ok {
			topic, prompt = "", line
		}
		if prompt = strings.TrimSpace(prompt); prompt != "" {
			prompts, topics = append(prompts, prompt), append(topics, strings.TrimSpace(topic))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("rlhf: -eval-prompts %s: %w", path, err)
	}
	switch {
	case len(prompts) == 0:
		return nil, nil, fmt.Errorf("rlhf: -eval-prompts %s: no prompts (one per line)", path)
	case len(prompts) > maxEvalPrompts:
		return nil, nil, fmt.Errorf("rlhf: -eval-prompts %s: %d prompts, at most %d", path, len(prompts), maxEvalPrompts)
	}
	return prompts, topics, nil
}

// newJudge builds the quality judge of the pack's data.
func newJudge(pack *assets.Pack) (*quality.Judge, error) {
	d, err := pack.QualityData()
	if err != nil {
		return nil, fmt.Errorf("rlhf: %w", err)
	}
	return quality.New(d)
}

// judge fills the quality report of s and each sample's verdict; topics
// gives the known topic of a prompt (from -eval-prompts), if any.
func (s *sampleSet) judge(j *quality.Judge, topics map[string]string) {
	answers := make([]quality.Answer, len(s.Samples))
	for i, x := range s.Samples {
		answers[i] = quality.Answer{Prompt: x.Prompt, Topic: topics[x.Prompt], Text: x.Answer, Ended: x.Ended}
	}
	r := j.Report(answers)
	for i, v := range r.Verdicts {
		s.Samples[i].Verdict = v
	}
	s.Quality = &r
}

// qualityLine is the quality report in one line of the summary.
func qualityLine(r *quality.Report) string {
	return fmt.Sprintf("grammatical %.0f%% (fluent %.0f%%), on topic %.0f%%, helpful voices %.0f%%, distinct %.0f%%",
		100*r.Grammatical, 100*r.Fluent, 100*r.OnTopic, 100*r.Helpful, 100*r.Distinct)
}

// labelSets is the quality of the answers the persona ranked: the voices a
// person on the label screen would have seen (the Lab draws them at the
// label temperature).
type labelSets struct {
	Sets         int             `json:"sets"`
	Quality      *quality.Report `json:"quality"`
	EveryVoice   bool            `json:"every_voice"`   // each voice of the data among the answers
	MedianVoices int             `json:"median_voices"` // distinct voices in one ranking, the median over rankings
	TwoOrMore    float64         `json:"two_or_more"`   // share of rankings with at least two voices
}

// judgeLabelSets reports on the answers of rankings.
func judgeLabelSets(j *quality.Judge, rankings []sim.Ranking) *labelSets {
	var answers []quality.Answer
	for _, rk := range rankings {
		for _, a := range rk.Answers {
			answers = append(answers, quality.Answer{Prompt: rk.Prompt, Text: a, Ended: true})
		}
	}
	r := j.Report(answers)
	sizes := make([]int, len(rankings))
	for i, rk := range rankings {
		sizes[i] = len(rk.Answers)
	}
	spread := quality.VoiceSpread(r, sizes)
	return &labelSets{Sets: len(rankings), Quality: &r, EveryVoice: spread.EveryVoice, MedianVoices: spread.MedianVoices, TwoOrMore: spread.TwoOrMore}
}
