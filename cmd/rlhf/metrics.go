package main

// metrics.json: the settings, the persona, the time of each stage and every
// stage's curves and sampled answers.

import (
	"encoding/json"
	"fmt"
	"os"

	"rlhfplayground/quality"
	"rlhfplayground/sim"
)

// runSettings are the Lab's settings plus the counts that only the CLI sets.
type runSettings struct {
	sim.Settings
	SFTSteps   int    `json:"sft_steps"`
	RMEpochs   int    `json:"rm_epochs"`
	Rankings   int    `json:"rankings"`
	PPOIters   int    `json:"ppo_iters"`
	PersonaArg string `json:"persona_arg"` // the -persona flag: a built-in name or a file
}

// sample is one answer to a held-out prompt.
type sample struct {
	Prompt          string  `json:"prompt"`
	Answer          string  `json:"answer"`
	Gold            float64 `json:"gold"`     // the persona's score
	RMScore         float64 `json:"rm_score"` // the final (normalised) reward model's score
	Ended           bool    `json:"ended"`    // closed with <eos> and no role marker
	quality.Verdict         // grammatical, on topic, voice (package quality)
	tokens          int     // sampled tokens, <eos> included
}

// sampleSet is what both the SFT model's and the policy's answers report.
type sampleSet struct {
	Samples      []sample `json:"samples"`
	EndedShare   float64  `json:"ended_share"`
	GoldMean     float64  `json:"gold_mean"`
	GoldStd      float64  `json:"gold_std"`
	RMScoreMean  float64  `json:"rm_score_mean"`
	AnswerLength float64  `json:"answer_length"` // mean sampled tokens per answer
	// DistinctShare is the share of distinct answers among the samples: it
	// falls when the policy collapses onto a few answers.
	DistinctShare float64 `json:"distinct_share"`
	// Quality is the answers' quality report: grammatical, on topic,
	// voices, distinct (package quality).
	Quality *quality.Report `json:"quality"`
}

type metrics struct {
	Settings runSettings  `json:"settings"`
	Persona  *sim.Persona `json:"persona"`
	Seconds  struct {
		SFT   float64 `json:"sft"`
		Label float64 `json:"label"`
		RM    float64 `json:"rm"`
		PPO   float64 `json:"ppo"`
		Total float64 `json:"total"`
	} `json:"seconds"`
	SFT struct {
		Loss []float64 `json:"loss"` // per step
		sampleSet
	} `json:"sft"`
	// Label is the quality of the answers the persona ranked.
	Label *labelSets `json:"label"`
	RM    struct {
		Loss            []float64        `json:"loss"`     // per step, training batch
		Accuracy        []float64        `json:"accuracy"` // per step, training batch pairs
		Heldout         []sim.RewardEval `json:"heldout"`  // at each epoch's end
		HeldoutAccuracy *float64         `json:"heldout_accuracy"`
		Norm            *sim.NormStats   `json:"norm"`
		TrainRankings   int              `json:"train_rankings"`
		HeldoutRankings int              `json:"heldout_rankings"`
	} `json:"rm"`
	PPO struct {
		Iterations []sim.PPOStats `json:"iterations"`
		sampleSet
		// WordShare is, for each persona word in some answer, the share of
		// the SFT and of the policy answers that contain it.
		WordShare map[string]wordShare `json:"word_share"`
	} `json:"ppo"`
}

type wordShare struct {
	Weight float64 `json:"weight"` // the persona's weight of the word
	SFT    float64 `json:"sft"`
	PPO    float64 `json:"ppo"`
}

// finish copies the Lab's history and scores both answer sets with the
// final reward model, so their rm_score compare on one scale.
func (m *metrics) finish(lab *sim.Lab, persona *sim.Persona) {
	m.RM.Heldout = append([]sim.RewardEval{}, lab.History.RewardEvals...)
	m.RM.Norm = lab.History.Norm
	m.PPO.Iterations = lab.History.PPO
	for _, s := range []*sampleSet{&m.SFT.sampleSet, &m.PPO.sampleSet} {
		s.score(lab)
	}
	m.PPO.WordShare = make(map[string]wordShare)
	for w, x := range persona.Words {
		a, b := containShare(m.SFT.Samples, w), containShare(m.PPO.Samples, w)
		if a > 0 || b > 0 {
			m.PPO.WordShare[w] = wordShare{Weight: x, SFT: a, PPO: b}
		}
	}
}

// score fills the rm scores and the summary numbers of the set.
func (s *sampleSet) score(lab *sim.Lab) {
	byPrompt := make(map[string][]int) // sample indices per prompt: RM.Score takes one prompt
	for i, x := range s.Samples {
		byPrompt[x.Prompt] = append(byPrompt[x.Prompt], i)
	}
	for prompt, idx := range byPrompt {
		answers := make([]string, len(idx))
		for j, i := range idx {
			answers[j] = s.Samples[i].Answer
		}
		for j, r := range lab.RM.Score(lab.Tok, prompt, answers) {
			s.Samples[idx[j]].RMScore = r
		}
	}
	s.EndedShare = endedShare(s.Samples)
	s.GoldMean, s.GoldStd = meanStd(s.Samples, func(x sample) float64 { return x.Gold })
	s.RMScoreMean, _ = meanStd(s.Samples, func(x sample) float64 { return x.RMScore })
	s.AnswerLength, _ = meanStd(s.Samples, func(x sample) float64 { return float64(x.tokens) })
	distinct := make(map[string]bool)
	for _, x := range s.Samples {
		distinct[x.Answer] = true
	}
	s.DistinctShare = float64(len(distinct)) / float64(max(1, len(s.Samples)))
}

func endedShare(s []sample) float64 {
	m, _ := meanStd(s, func(x sample) float64 {
		if x.Ended {
			return 1
		}
		return 0
	})
	return m
}

func goldMean(s []sample) float64 {
	m, _ := meanStd(s, func(x sample) float64 { return x.Gold })
	return m
}
func goldStd(s []sample) float64 {
	_, sd := meanStd(s, func(x sample) float64 { return x.Gold })
	return sd
}

// containShare returns the share of answers that contain word, a word or a
// phrase of a persona (sim.HasPhrase).
func containShare(s []sample, word string) float64 {
	m, _ := meanStd(s, func(x sample) float64 {
		if sim.HasPhrase(x.Answer, word) {
			return 1
		}
		return 0
	})
	return m
}

// meanStd returns the mean and the population standard deviation of f over s (0, 0 if empty).
func meanStd(s []sample, f func(sample) float64) (mean, std float64) {
	xs := make([]float64, len(s))
	for i, x := range s {
		xs[i] = f(x)
	}
	return sim.MeanStd(xs)
}

// writeJSON writes v indented to path. A NaN or infinity anywhere is an
// error (encoding/json refuses them), never a silently broken file.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("rlhf: %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("rlhf: %w", err)
	}
	return nil
}
