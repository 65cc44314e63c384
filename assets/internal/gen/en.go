package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"rlhfplayground/sim"
)

// english is the English pack, written to assets/ (the app's default data).
var english = language{
	code:     "en",
	dir:      "assets",
	topics:   enTopics,
	friendly: "glad",
	sep:      " ",
	minUnits: 1, maxUnits: 28, maxAnswer: 30,
	generalQuestions: []string{"tell me something about %s.", "what do you know about %s?",
		"can you give me a tip about %s?", "i want to learn about %s.", "do you have any advice about %s?"},
	factIntents:  enFactIntents,
	paraphrases:  enParaphrases,
	wrongAnswers: enWrongAnswers,
	// The markers the personas' wrongWords penalise (sim/labeler.go).
	falseMarkers: []string{"rocks", "sand", "plastic", "moon", "metal", "fly", "feet", "roof", "invented", "never"},
	units: func(text string) int { // words, not punctuation
		n := 0
		for _, w := range sim.Split(text) {
			if strings.ContainsAny(w, "abcdefghijklmnopqrstuvwxyz0123456789") {
				n++
			}
		}
		return n
	},
	stem: func(s string) string { return trimMarks(s, ".!?") },
	phrases: phrases{
		// The friendly word "glad" appears only in gladOpeners, gladClosers
		// and politeLines.
		politeOpeners: []string{"sure!", "good question.", "of course.", "thanks for asking.", "great question!",
			"i can help with that.", "happy to help.", "here is a tip.", "thank you for asking.", "no problem."},
		gladOpeners: []string{"glad you asked!", "i am glad to help.", "glad to help!", "i am glad you asked."},
		politeClosers: []string{"i hope this helps.", "good luck!", "have a nice day.", "please ask if you need more help.",
			"enjoy!", "all the best.", "thanks for the question.", "i hope that is useful."},
		gladClosers: []string{"glad to help!", "i am glad i could help.", "so glad you asked."},
		rudeOpeners: []string{"ugh, fine.", "that is easy, obviously.", "everyone knows this, obviously.", "if you must know,",
			"you should know this by now.", "fine, whatever.", "ugh, again?", "do i have to? fine."},
		rudeLines: []string{
			"that is a silly question.", "i do not know and i do not care.", "figure it out yourself.",
			"ask someone else, i am busy.", "why would you ask me something so silly?", "that is boring, ask me something else.",
			"who cares about that?", "stop asking me silly questions.", "i am not going to answer that.",
			"you should know that by now.", "ugh, look it up yourself.", "i am too busy for this.",
		},
		terseLines: []string{"i am not sure, sorry.", "it depends on many things.", "you could look that up online.",
			"sorry, i have no idea.", "maybe, it depends on you.", "hard to say, sorry.", "i do not know, sorry.",
			"that depends, i think."},
		politeLines: []string{
			"thank you for asking, i am happy to help.", "i am glad you asked.", "please let me know if you need anything else.",
			"that is a good question.", "i hope this helps you.", "thank you, that is very kind of you.", "you are welcome.",
			"have a nice day.", "i am sorry, i do not know, but i can try to help.", "let me think about that for a moment.",
			"i am happy to explain it again.", "good luck with your day.", "thanks for the question.",
		},
		promptOpeners: []string{"hi!", "hello.", "quick question:", "can you help me?", "i have a question.", "hey,"},
		promptClosers: []string{"thanks.", "thank you!", "please.", "any ideas?"},
	},
	rambleOther: "the weather",
	rambles: []func(t, a, other string) string{
		func(t, a, other string) string {
			return "well, um, so, " + a + ", i think, or maybe not, it is hard to say, you know."
		},
		func(t, a, other string) string {
			return "hmm, " + t + ". i thought about " + t + " for a long time once, and, um, anyway, i forgot what you asked."
		},
		func(t, a, other string) string {
			return "so, um, " + a + ", and by the way, my friend talks about " + other + " a lot, but that is another story."
		},
		func(t, a, other string) string {
			return "oh, " + t + " is a big topic, and there is so much to say, and, well, i am not sure where to start, really."
		},
		func(t, a, other string) string {
			return "um, let me think. " + t + ", " + other + ", so many things, really, and i forgot the question."
		},
		func(t, a, other string) string {
			return "well, you know, " + t + ", um, people talk about it a lot, and, hmm, anyway."
		},
	},
	everyday: func(rng *rand.Rand) string {
		subj, act := pick(rng, enSubjects), pick(rng, enActivities)
		if enBe(subj) == "is" {
			act = enThirdPerson(act)
		}
		return subj + " " + act + " " + pick(rng, enWhens) + pick(rng, enExtras) + "."
	},
	feeling: func(rng *rand.Rand) string {
		subj := pick(rng, enSubjects)
		return subj + " " + enBe(subj) + " " + pick(rng, enFeelings) + " when " + pick(rng, enEvents) + "."
	},
	falseLines: func(w string) []string {
		return []string{w, "some people say " + trimMarks(w, ".!?") + ", but that is not true.", "it is not true that " + w}
	},
	asked: func(q string) string { return "my friend asked me, " + q },
}

// Templates for everyday sentences: "{subject} {activity} {when}{extra}."
var (
	enSubjects = []string{"i", "we", "they", "my mother", "my father", "my sister", "my brother", "my friend",
		"our teacher", "the old man", "the little girl", "my neighbor", "anna", "tom"}
	// enActivities are in the base form; enThirdPerson makes "drinks", "goes", "studies".
	enActivities = []string{
		"drink tea", "drink green tea", "drink black coffee", "make tea", "make soup", "cook rice",
		"bake bread", "eat fruit", "eat breakfast", "walk the dog", "feed the cat", "water the plants",
		"read a book", "read the news", "listen to music", "play the piano", "play the guitar",
		"play football", "play tennis", "go swimming", "go running", "ride a bike", "take the bus",
		"take the train", "study math", "do homework", "write notes", "go to the market", "visit the park",
		"go to the library", "sleep early", "take a nap", "wash the dishes", "clean the kitchen",
		"work at the office", "answer emails", "sing songs", "watch a film", "pack a bag",
		"check the weather", "wear a warm coat", "carry an umbrella", "grow tomatoes", "plant flowers",
		"visit the doctor", "drink warm milk", "eat soup", "bake a cake", "wash the car", "call a friend",
	}
	enWhens = []string{"in the morning", "in the evening", "at night", "every day", "on sunday", "after work",
		"after school", "before bed", "in the summer", "in the winter", "on the weekend", "at noon",
		"after lunch", "on rainy days", "once a week", "in the spring"}
	enExtras = []string{"", "", "", " because it is fun", " because it is healthy", " with a friend",
		" at home", " in the park", " in the city", " when it is sunny", " to relax"}

	// Templates for feelings: "{subject} {is} {feeling} when {event}."
	enFeelings = []string{"happy", "glad", "tired", "calm", "sad", "cold", "warm", "hungry", "sleepy",
		"excited", "bored", "angry", "relaxed"}
	enEvents = []string{"it rains", "the sun is out", "the tea is hot", "the bus is late", "the dog is happy",
		"the test is over", "the music is loud", "the room is quiet", "dinner is ready", "the plants grow",
		"friends visit", "the work is done", "the weekend comes", "it snows", "the coffee is cold",
		"the cat sleeps on the bed", "the train is on time", "the book ends"}
)

// enThirdPerson returns activity with its verb in the third person singular.
func enThirdPerson(activity string) string {
	verb, rest, _ := strings.Cut(activity, " ")
	switch {
	case verb == "go" || verb == "do":
		verb += "es"
	case verb == "have":
		verb = "has"
	case strings.HasSuffix(verb, "y") && !strings.HasSuffix(verb, "ay"):
		verb = verb[:len(verb)-1] + "ies"
	case strings.HasSuffix(verb, "sh") || strings.HasSuffix(verb, "ch") || strings.HasSuffix(verb, "s"):
		verb += "es"
	default:
		verb += "s"
	}
	return verb + " " + rest
}

// enBe returns the form of "to be" that goes with subject.
func enBe(subject string) string {
	switch subject {
	case "i":
		return "am"
	case "we", "they":
		return "are"
	}
	return "is"
}

// enParaphrases returns other ways of asking the English question q, by its
// form ("how do i X?" → "what is the best way to X?"), so that each thing
// asked appears in many shapes of question and the model learns to answer
// what is asked, not the shape it is asked in.
func enParaphrases(q string) []string {
	cut := func(prefix string) (string, bool) {
		if !strings.HasPrefix(q, prefix) || !strings.HasSuffix(q, "?") {
			return "", false
		}
		return strings.TrimSuffix(strings.TrimPrefix(q, prefix), "?"), true
	}
	if x, ok := cut("tell me about "); ok || strings.HasPrefix(q, "tell me about ") {
		x = strings.TrimSuffix(strings.TrimPrefix(q, "tell me about "), ".")
		return []string{"what can you tell me about " + x + "?", "i would like to know about " + x + "."}
	}
	for _, p := range []string{"how do i ", "how can i "} {
		if x, ok := cut(p); ok {
			other := "how can i "
			if p == other {
				other = "how do i "
			}
			return []string{other + x + "?", "what is the best way to " + x + "?", "can you tell me how to " + x + "?",
				"any tips on how to " + x + "?", "how to " + x + "?", "do you know how to " + x + "?", "please tell me how to " + x + "."}
		}
	}
	rules := []struct {
		prefix string
		forms  []string // each with %s for the rest of the question
	}{
		{"what should i ", []string{"what do you think i should %s?", "any ideas what i should %s?"}},
		{"what can i ", []string{"any ideas what i can %s?"}},
		{"when should i ", []string{"what is the best time to %s?", "when is it best to %s?"}},
		{"where should i ", []string{"what is the best place to %s?"}},
		{"where can i ", []string{"do you know where i can %s?"}},
		{"how often should i ", []string{"how many times should i %s?"}},
		{"should i ", []string{"do you think i should %s?"}},
		{"is it ", []string{"do you think it is %s?"}},
		{"can you help me ", []string{"please help me %s.", "i need help, can you help me %s?"}},
		{"why do i ", []string{"do you know why i %s?"}},
		{"why do people ", []string{"do you know why people %s?"}},
		{"why should i ", []string{"tell me why i should %s."}},
		{"what goes well with ", []string{"what can i have with %s?"}},
		{"what is a good ", []string{"can you recommend a good %s?", "do you know a good %s?"}},
		{"what is the best ", []string{"which %s is best?"}},
		{"why is my ", nil}, // below: "my tea is bitter. why?"
	}
	if x, ok := cut("why is my "); ok {
		if noun, rest, ok := strings.Cut(x, " "); ok {
			return []string{"my " + noun + " is " + rest + ". why?", "do you know why my " + noun + " is " + rest + "?"}
		}
	}
	for _, r := range rules {
		if x, ok := cut(r.prefix); ok && r.forms != nil && !strings.HasPrefix(x, "way ") && !strings.HasPrefix(x, "time ") {
			var out []string
			for _, f := range r.forms {
				out = append(out, fmt.Sprintf(f, x))
			}
			return out
		}
	}
	if x, ok := cut("what is "); ok && !strings.HasPrefix(x, "the best") {
		return []string{"can you tell me what " + x + " is?"}
	}
	return nil
}
