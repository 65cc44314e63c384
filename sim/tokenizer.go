package sim

// The tokenizer turns text into the integer ids the model reads.
//
// It is word-level: text is lower-cased and cut at white space; each
// punctuation or symbol rune is a token of its own; each CJK character (Han,
// Hiragana, Katakana, Hangul, CJK punctuation, full-width forms) is a token of
// its own, so Traditional Chinese text such as "我喜歡喝茶。" works without a
// dictionary. An apostrophe between a word and a letter or digit stays inside
// the word ("don't" and "i'm" are single words); any other apostrophe is
// punctuation. Digits belong to words, so "3.5" is "3", ".", "5".
//
// Ids 0..NumSpecial-1 are the special tokens below; every other id is a word.
// The vocabulary is fixed when the tokenizer is built: words it has not seen
// encode as UnknownID.

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Special token ids. They come first in every vocabulary, in this order.
const (
	PadID     = iota // "<pad>" padding, distinct from EndID
	UnknownID        // "<unk>" a word outside the vocabulary
	BeginID          // "<bos>" start of a sequence
	EndID            // "<eos>" end of a sequence
	UserID           // "<user>" chat role: the person
	BotID            // "<bot>" chat role: the assistant
	NumSpecial
)

// specialWords are the spellings of the special tokens, indexed by id.
var specialWords = [NumSpecial]string{"<pad>", "<unk>", "<bos>", "<eos>", "<user>", "<bot>"}

// isCJK reports whether r is written without spaces between words and so is
// a token on its own.
func isCJK(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x303F: // CJK symbols and punctuation: 。、「」
		return true
	case r >= 0x30A0 && r <= 0x30FF: // Katakana, including the long-vowel mark ー
		return true
	case r >= 0xFF00 && r <= 0xFFEF: // half- and full-width forms: ，！？
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// isWordRune reports whether r continues a (non-CJK) word.
func isWordRune(r rune) bool {
	return !isCJK(r) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// Split lower-cases text and cuts it into word tokens as described at the top
// of this file. It is the splitter used by the Tokenizer and by the labelers.
func Split(text string) []string {
	var out []string
	rs := []rune(text)
	start := -1 // index in rs where the current word began, or -1
	var word []rune
	flush := func() {
		if start >= 0 {
			out = append(out, string(word))
			word = word[:0]
			start = -1
		}
	}
	for i, r := range rs {
		r = unicode.ToLower(r)
		switch {
		case unicode.IsSpace(r) || !unicode.IsGraphic(r): // before CJK: the ideographic space U+3000 is in its block
			flush()
		case isCJK(r):
			flush()
			out = append(out, string(r))
		case isWordRune(r) || (start >= 0 && unicode.IsMark(r)):
			if start < 0 {
				start = i
			}
			word = append(word, r)
		case (r == '\'' || r == '’') && start >= 0 && i+1 < len(rs) && isWordRune(rs[i+1]):
			word = append(word, '\'')
		default: // punctuation, symbols, a lone combining mark
			flush()
			out = append(out, string(r))
		}
	}
	flush()
	return out
}

// A Tokenizer maps words to ids and back. Build one from texts with
// BuildTokenizer or restore a saved vocabulary with NewTokenizer.
type Tokenizer struct {
	words []string       // vocabulary in id order; specials first
	ids   map[string]int // inverse of words
}

// NewTokenizer returns the tokenizer whose vocabulary is words, in id order,
// as returned by Words. It panics if the special tokens are missing or out of
// place, or if a word is empty or repeated.
func NewTokenizer(words []string) *Tokenizer {
	if len(words) < NumSpecial {
		panic(fmt.Sprintf("sim: NewTokenizer: %d words, need at least the %d special tokens", len(words), NumSpecial))
	}
	t := &Tokenizer{words: append([]string(nil), words...), ids: make(map[string]int, len(words))}
	for id, w := range words {
		if id < NumSpecial && w != specialWords[id] {
			panic(fmt.Sprintf("sim: NewTokenizer: word %d is %q, want special token %q", id, w, specialWords[id]))
		}
		if w == "" {
			panic(fmt.Sprintf("sim: NewTokenizer: word %d is empty", id))
		}
		if prev, dup := t.ids[w]; dup {
			panic(fmt.Sprintf("sim: NewTokenizer: word %q at ids %d and %d", w, prev, id))
		}
		t.ids[w] = id
	}
	return t
}

// BuildTokenizer returns a tokenizer whose vocabulary is the special tokens
// followed by every distinct word of texts in sorted order, so the same texts
// always give the same ids.
func BuildTokenizer(texts []string) *Tokenizer {
	seen := make(map[string]bool)
	for _, s := range specialWords {
		seen[s] = true
	}
	var found []string
	for _, text := range texts {
		for _, w := range Split(text) {
			if !seen[w] {
				seen[w] = true
				found = append(found, w)
			}
		}
	}
	sort.Strings(found)
	return NewTokenizer(append(specialWords[:], found...))
}

// Words returns a copy of the vocabulary in id order.
func (t *Tokenizer) Words() []string { return append([]string(nil), t.words...) }

// Size returns the number of ids, special tokens included (V).
func (t *Tokenizer) Size() int { return len(t.words) }

// ID returns the id of word, which must be a single token as Split gives it.
func (t *Tokenizer) ID(word string) (int, bool) {
	id, ok := t.ids[word]
	return id, ok
}

// Encode returns the ids of the words of text; unknown words become UnknownID.
func (t *Tokenizer) Encode(text string) []int {
	ids, _ := t.EncodeUnknown(text)
	return ids
}

// EncodeUnknown is Encode that also returns each word that was not in the
// vocabulary, once per occurrence, in order of appearance (for underlining).
func (t *Tokenizer) EncodeUnknown(text string) (ids []int, unknown []string) {
	words := Split(text)
	ids = make([]int, len(words))
	for i, w := range words {
		id, ok := t.ids[w]
		if !ok {
			id = UnknownID
			unknown = append(unknown, w)
		}
		ids[i] = id
	}
	return ids, unknown
}

// Decode returns readable text for ids: words are joined by single spaces,
// except that there is no space before , . ! ? ; : ) nor after (, and none
// between two CJK characters. Special tokens are skipped, except UnknownID,
// which is shown as "<unk>". Decode does not stop at EndID; callers cut there.
// It panics if an id is outside the vocabulary.
func (t *Tokenizer) Decode(ids []int) string {
	var b strings.Builder
	prev := "" // previous word written, "" at the start
	for _, id := range ids {
		if id < 0 || id >= len(t.words) {
			panic(fmt.Sprintf("sim: Decode: id %d outside vocabulary of %d", id, len(t.words)))
		}
		if id < NumSpecial && id != UnknownID {
			continue
		}
		w := t.words[id]
		if prev != "" && spaceBetween(prev, w) {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		prev = w
	}
	return b.String()
}

// spaceBetween reports whether Decode writes a space between words a and b.
func spaceBetween(a, b string) bool {
	if (len(b) == 1 && strings.Contains(",.!?;:)", b)) || a == "(" {
		return false
	}
	ra, rb := []rune(a), []rune(b)
	return !(isCJK(ra[len(ra)-1]) && isCJK(rb[0]))
}
