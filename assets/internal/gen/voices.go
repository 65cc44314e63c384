package main

// The voices of the demonstrations and how often each is used, in every
// language (each language's phrases for them are in its file: en.go, zh.go).
// A person ranking four answers should usually see
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
	{"wrong", 0.10, false, "a false answer to the question"},
	{"rambling", 0.08, false, "long and wandering, with little content"},
}

// gladVoices may carry the friendly word ("glad", "很高興"); about a third of all
// demonstrations do (gladFraction), so a persona that loves the word has
// something to reward, including some polite but wrong answers.
var gladVoices = map[string]bool{"helpful": true, "detailed": true, "wrong": true}

const gladFraction = 1.0 / 3
