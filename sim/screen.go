package sim

// What the pretraining and SFT screens show beside their charts. Every
// answer here is drawn with the Screen stream, so showing it never changes
// a training run.

// Samples are sentences the base model writes from <bos>.
type Samples struct {
	Step      int      `json:"step"` // pretraining steps when drawn
	Sentences []string `json:"sentences"`
}

// Samples draws n sentences from the base model (temperature 0.8, at most 24 tokens).
func (l *Lab) Samples(n int) Samples {
	prompts := make([][]int, n)
	for i := range prompts {
		prompts[i] = []int{BeginID}
	}
	out := Sample(l.Base, prompts, SampleOptions{Temperature: 0.8, MaxNew: 24}, l.streams.Screen)
	s := Samples{Step: len(l.History.Pretrain)}
	for _, ids := range out {
		s.Sentences = append(s.Sentences, AnswerText(l.Tok, ids))
	}
	return s
}

// Compare is the same prompt answered by the pretrained and the SFT model.
type Compare struct {
	Prompt string   `json:"prompt"`
	Before []string `json:"before"`
	After  []string `json:"after"`
	Step   int      `json:"step"` // SFT steps when drawn
}

// Compare answers prompt twice with the pretrained and twice with the SFT
// model, at PPO's sampling temperature.
func (l *Lab) Compare(prompt string) Compare {
	temp := l.Settings.PPO.Temperature
	twice := []string{prompt, prompt}
	return Compare{Prompt: prompt, Step: len(l.History.SFT), Before: l.Answers(l.Base, twice, temp), After: l.Answers(l.SFT, twice, temp)}
}

// Answers samples one answer from model m to each prompt with the screen's
// random stream, so showing answers never changes a training run.
func (l *Lab) Answers(m *GPT, prompts []string, temperature float64) []string {
	return l.sampleAnswers(m, prompts, temperature, l.streams.Screen)
}
