package main

// The voices of the demonstrations, how often each is used, and the phrases
// each one is made of. A person ranking four answers should usually see
// several voices: about 58% of the demonstrations answer the question
// (helpful, detailed, short), the rest do not, or do it rudely.

// A voice is a way of answering.
type voice struct {
	name    string
	share   float64 // fraction of the demonstrations in this voice
	helpful bool    // the answer answers the question, politely or plainly
	about   string  // what the voice is, for assets/README.md
}

var voices = []voice{
	{"helpful", 0.30, true, "the answer, often with a polite opener or closer"},
	{"detailed", 0.18, true, "the answer and a related fact, often polite"},
	{"short", 0.10, true, "the answer in a few words, no pleasantries"},
	{"rude-helpful", 0.07, false, "a rude opener, then the correct answer"},
	{"rude", 0.06, false, "rude, and no answer"},
	{"terse", 0.05, false, "no answer, not rude"},
	{"off-topic", 0.06, false, "a true sentence about another topic"},
	{"wrong", 0.10, false, "a false sentence about the topic"},
	{"rambling", 0.08, false, "long and wandering, with little content"},
}

// gladVoices may carry the friendly word "glad"; about a third of all
// demonstrations do (gladFraction), so a persona that loves the word has
// something to reward, including some polite but wrong answers.
var gladVoices = map[string]bool{"helpful": true, "detailed": true, "wrong": true}

const gladFraction = 1.0 / 3

// The phrases of the voices. The friendly word is "glad": it appears only in
// gladOpeners, gladClosers and politeLines.
var (
	politeOpeners = []string{"sure!", "good question.", "of course.", "thanks for asking.", "great question!",
		"i can help with that.", "happy to help.", "here is a tip.", "thank you for asking.", "no problem."}
	gladOpeners   = []string{"glad you asked!", "i am glad to help.", "glad to help!", "i am glad you asked."}
	politeClosers = []string{"i hope this helps.", "good luck!", "have a nice day.", "please ask if you need more help.",
		"enjoy!", "all the best.", "thanks for the question.", "i hope that is useful."}
	gladClosers = []string{"glad to help!", "i am glad i could help.", "so glad you asked."}

	// rudeOpeners come before a correct answer: rude but helpful.
	rudeOpeners = []string{"ugh, fine.", "that is easy, obviously.", "everyone knows this, obviously.", "if you must know,",
		"you should know this by now.", "fine, whatever.", "ugh, again?", "do i have to? fine."}
	// rudeLines are the whole answer: rude and unhelpful.
	rudeLines = []string{
		"that is a silly question.", "i do not know and i do not care.", "figure it out yourself.",
		"ask someone else, i am busy.", "why would you ask me something so silly?", "that is boring, ask me something else.",
		"who cares about that?", "stop asking me silly questions.", "i am not going to answer that.",
		"you should know that by now.", "ugh, look it up yourself.", "i am too busy for this.",
	}
	// terseLines are the whole answer: polite enough but no help at all.
	terseLines = []string{"i am not sure, sorry.", "it depends on many things.", "you could look that up online.",
		"sorry, i have no idea.", "maybe, it depends on you.", "hard to say, sorry.", "i do not know, sorry.",
		"that depends, i think."}

	// politeLines are corpus-only dialog sentences.
	politeLines = []string{
		"thank you for asking, i am happy to help.", "i am glad you asked.", "please let me know if you need anything else.",
		"that is a good question.", "i hope this helps you.", "thank you, that is very kind of you.", "you are welcome.",
		"have a nice day.", "i am sorry, i do not know, but i can try to help.", "let me think about that for a moment.",
		"i am happy to explain it again.", "good luck with your day.", "thanks for the question.",
	}

	// wrappers go around some prompts of the demonstrations, so that the
	// model learns to answer a question however it is asked.
	promptOpeners = []string{"hi!", "hello.", "quick question:", "can you help me?", "i have a question.", "hey,"}
	promptClosers = []string{"thanks.", "thank you!", "please.", "any ideas?"}
)
