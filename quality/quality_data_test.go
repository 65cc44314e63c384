package quality_test

import (
	"math/rand/v2"
	"testing"

	"rlhfplayground/assets"
	"rlhfplayground/quality"
)

// The built-in data of each language, judged against itself: what the
// measures say about answers written by people, whose labels are known.

func builtIn(t *testing.T, p *assets.Pack) (quality.Data, *quality.Judge) {
	t.Helper()
	d, err := p.QualityData()
	if err != nil {
		t.Fatal(err)
	}
	j, err := quality.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return d, j
}

// forPacks runs test on every language's pack, as a subtest named by its language.
func forPacks(t *testing.T, test func(t *testing.T, p *assets.Pack)) {
	for _, p := range assets.Packs() {
		t.Run(p.Lang, func(t *testing.T) { test(t, p) })
	}
}

// TestDemonstrationsJudged: every demonstration is grammatical and fluent
// (it is training text), and the topic verdict agrees with its labels.
func TestDemonstrationsJudged(t *testing.T) { forPacks(t, testDemonstrationsJudged) }

func testDemonstrationsJudged(t *testing.T, p *assets.Pack) {
	d, j := builtIn(t, p)
	var answers []quality.Answer
	for _, dm := range d.Demonstrations {
		answers = append(answers, quality.Answer{Prompt: dm.Prompt, Text: dm.Response, Ended: true})
	}
	r := j.Report(answers)
	t.Log(r)
	if r.Grammatical != 1 || r.Fluent != 1 || r.Verbatim != 1 {
		t.Errorf("demonstrations: grammatical %.3f, fluent %.3f, verbatim %.3f, want 1", r.Grammatical, r.Fluent, r.Verbatim)
	}
	agree := 0
	for i, dm := range d.Demonstrations {
		want := dm.About != "" && dm.About == dm.Topic
		if r.Verdicts[i].OnTopic == want {
			agree++
		} else if agree-i > -10 {
			t.Logf("on topic %v, labels say %v: %q → %q", r.Verdicts[i].OnTopic, want, dm.Prompt, dm.Response)
		}
	}
	// Measured: 100% (the sentence index holds every demonstration).
	if share := float64(agree) / float64(len(d.Demonstrations)); share < 0.99 {
		t.Errorf("the topic verdict agrees with the labels on %.3f of the demonstrations, want >= 0.99", share)
	}
}

// TestVoiceCrossValidated: the voice classifier, trained on four fifths of
// the demonstrations, names the voice of the fifth it did not see.
func TestVoiceCrossValidated(t *testing.T) { forPacks(t, testVoiceCrossValidated) }

func testVoiceCrossValidated(t *testing.T, p *assets.Pack) {
	d, _ := builtIn(t, p)
	conf, err := quality.CrossValidate(d, 5, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	acc := quality.Accuracy(conf)
	t.Logf("voice accuracy %.3f (5-fold)\n%s", acc, quality.FormatConfusion(conf, d.Voices))
	// Measured en 0.977, zh-TW 0.993 (issue 11's data). Most errors are short answers whose
	// one sentence is in no other fold ("better not.", "最好不要。"), which
	// the full index does hold.
	if acc < 0.95 {
		t.Errorf("cross-validated voice accuracy %.3f, want >= 0.95", acc)
	}
	for _, v := range d.Voices {
		right, all := conf[v.Name][v.Name], 0
		for _, n := range conf[v.Name] {
			all += n
		}
		if all == 0 || float64(right)/float64(all) < 0.8 {
			t.Errorf("voice %s: %d of %d right, want >= 80%%", v.Name, right, all)
		}
	}
}

// TestHeldoutPromptTopics: the held-out prompts' topics, as the classifier
// would give them to a prompt it has no label for.
func TestHeldoutPromptTopics(t *testing.T) { forPacks(t, testHeldoutPromptTopics) }

func testHeldoutPromptTopics(t *testing.T, p *assets.Pack) {
	d, _ := builtIn(t, p)
	held := assets.Lines(p.HeldoutPrompts)
	labels := map[string]string{}
	for _, p := range held {
		labels[p] = d.Prompts[p]
		delete(d.Prompts, p)
	}
	j, err := quality.New(d)
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	for _, p := range held {
		if got := j.PromptTopic(p); got == labels[p] {
			right++
		} else {
			t.Logf("%q: %q, labelled %q", p, got, labels[p])
		}
	}
	share := float64(right) / float64(len(held))
	t.Logf("held-out prompts classified right without their labels: %d of %d", right, len(held))
	// Measured en 50 of 64 (0.78), zh-TW 61 of 64 (0.95). The misses are
	// prompts a person could file under either topic ("how do i learn to
	// ride a bike?": sports, not travel); a teacher's prompt file can name
	// each prompt's topic.
	if share < 0.75 {
		t.Errorf("%.2f of the held-out prompts classified right, want >= 0.75", share)
	}
}
