package quality

import (
	"reflect"
	"strings"
	"testing"

	"rlhfplayground/sim"
)

func TestSentences(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{"hello", []string{"hello"}},
		{"glad to help! boil water.", []string{"glad to help !", "boil water ."}},
		{"why? because, well", []string{"why ?", "because , well"}},
		{"我喜歡喝茶。你呢？", []string{"我 喜 歡 喝 茶 。", "你 呢 ？"}},
	} {
		var got []string
		for _, s := range Sentences(sim.Split(c.text)) {
			got = append(got, strings.Join(s, " "))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Sentences(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// tinyData is a two-topic world small enough to reason about by hand.
func tinyData() Data {
	demos := []Demonstration{
		{"how do i make tea?", "boil water and add the tea.", "helpful", "tea", "tea"},
		{"how do i make tea?", "glad to help! boil water and add the tea.", "helpful", "tea", "tea"},
		{"how do i make tea?", "walk the dog every day.", "off-topic", "tea", "dogs"},
		{"how do i make tea?", "who cares?", "rude", "tea", ""},
		{"how do i walk a dog?", "walk the dog every day.", "helpful", "dogs", "dogs"},
		{"how do i walk a dog?", "glad to help! walk the dog every day.", "helpful", "dogs", "dogs"},
		{"how do i walk a dog?", "boil water and add the tea.", "off-topic", "dogs", "tea"},
		{"how do i walk a dog?", "who cares?", "rude", "dogs", ""},
	}
	d := Data{Prompts: map[string]string{"how do i make tea?": "tea", "how do i walk a dog?": "dogs"},
		Demonstrations: demos, Voices: []Voice{{"helpful", true}, {"off-topic", false}, {"rude", false}}}
	for _, dm := range demos {
		d.Training = append(d.Training, dm.Prompt, dm.Response)
	}
	d.Training = append(d.Training, "the dog drinks water.", "glad to help!")
	return d
}

func TestJudgeTiny(t *testing.T) {
	j, err := New(tinyData())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		prompt, text     string
		ended            bool
		gram, fluent, on bool
		voice            string
	}{
		{"how do i make tea?", "boil water and add the tea.", true, true, true, true, "helpful"},
		{"how do i make tea?", "glad to help! boil water and add the tea.", true, true, true, true, "helpful"},
		// Cut at the length limit: the last sentence ends on an unseen trigram.
		{"how do i make tea?", "boil water and add the", false, false, false, true, ""},
		// Every trigram seen ("the dog drinks", "dog drinks water"), but not
		// the 4-gram "walk the dog drinks".
		{"how do i walk a dog?", "walk the dog drinks water.", true, true, false, true, ""},
		{"how do i make tea?", "walk the dog every day.", true, true, true, false, "off-topic"},
		{"how do i walk a dog?", "who cares?", true, true, true, false, "rude"},
		{"hi! how do i walk a dog?", "walk the dog every day.", true, true, true, true, "helpful"},
		{"how do i make tea?", "", true, false, false, false, ""},
	} {
		v := j.Judge(Answer{Prompt: c.prompt, Text: c.text, Ended: c.ended})
		if v.Grammatical != c.gram || v.Fluent != c.fluent || v.OnTopic != c.on || (c.voice != "" && v.Voice != c.voice) {
			t.Errorf("%q → %q: grammatical %v fluent %v on topic %v voice %s; want %v %v %v %s",
				c.prompt, c.text, v.Grammatical, v.Fluent, v.OnTopic, v.Voice, c.gram, c.fluent, c.on, c.voice)
		}
	}
}

func TestReport(t *testing.T) {
	j, err := New(tinyData())
	if err != nil {
		t.Fatal(err)
	}
	r := j.Report([]Answer{
		{Prompt: "how do i make tea?", Text: "boil water and add the tea.", Ended: true},
		{Prompt: "how do i make tea?", Text: "boil water and add the tea.", Ended: true},
		{Prompt: "how do i make tea?", Text: "who cares?", Ended: true},
		{Prompt: "what is this?", Text: "who cares?", Ended: false},
	})
	if r.Answers != 4 || r.Grammatical != 1 || r.Fluent != 0.75 || r.Distinct != 0.5 || r.Ended != 0.75 || r.Unknown != 1 {
		t.Errorf("report: %d answers, grammatical %v, fluent %v, distinct %v, ended %v, unknown %d", r.Answers, r.Grammatical, r.Fluent, r.Distinct, r.Ended, r.Unknown)
	}
	if r.OnTopic != 2.0/3 || r.Helpful != 0.5 || r.Voices["rude"] != 0.5 {
		t.Errorf("on topic %v (want 2/3), helpful %v, voices %v", r.OnTopic, r.Helpful, r.Voices)
	}
}

func TestNewRefuses(t *testing.T) {
	d := tinyData()
	d.Demonstrations[0].Voice = "poetic"
	if _, err := New(d); err == nil || !strings.Contains(err.Error(), "poetic") {
		t.Errorf("a voice that is not listed: err %v", err)
	}
	if _, err := New(Data{}); err == nil {
		t.Error("no data: no error")
	}
}

// TestVoiceSpread: the voices of consecutive sets of answers.
func TestVoiceSpread(t *testing.T) {
	v := func(voices ...string) Report {
		r := Report{Voices: map[string]float64{"helpful": 0, "rude": 0, "wrong": 0}}
		for _, x := range voices {
			r.Verdicts = append(r.Verdicts, Verdict{Voice: x})
			r.Voices[x] += 1 / float64(len(voices))
		}
		return r
	}
	for _, tc := range []struct {
		r     Report
		sizes []int
		want  Spread
	}{
		{v(), nil, Spread{}},
		{v("helpful", "rude", "helpful", "helpful"), []int{2, 2}, Spread{EveryVoice: false, MedianVoices: 2, TwoOrMore: 0.5}},
		{v("helpful", "rude", "wrong", "wrong", "wrong", "helpful"), []int{3, 3}, Spread{EveryVoice: true, MedianVoices: 3, TwoOrMore: 1}},
		{v("wrong", "wrong", "rude", "helpful", "rude"), []int{2, 3}, Spread{EveryVoice: true, MedianVoices: 2, TwoOrMore: 0.5}},
	} {
		if got := VoiceSpread(tc.r, tc.sizes); got != tc.want {
			t.Errorf("VoiceSpread(%v, %v) = %+v, want %+v", tc.r.Verdicts, tc.sizes, got, tc.want)
		}
	}
}
