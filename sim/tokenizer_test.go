package sim

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"How do I make tea?", []string{"how", "do", "i", "make", "tea", "?"}},
		{"Hello, world!!", []string{"hello", ",", "world", "!", "!"}},
		{"don't stop", []string{"don't", "stop"}},
		{"don’t", []string{"don't"}},
		{"'quoted' words'", []string{"'", "quoted", "'", "words", "'"}},
		{"(yes) 3.5", []string{"(", "yes", ")", "3", ".", "5"}},
		{"我喜歡喝茶。", []string{"我", "喜", "歡", "喝", "茶", "。"}},
		{"i like 茶,ok", []string{"i", "like", "茶", ",", "ok"}},
		{"カタカナー ひらがな 한국", []string{"カ", "タ", "カ", "ナ", "ー", "ひ", "ら", "が", "な", "한", "국"}},
		{"café\tNAÏVE\n", []string{"café", "naïve"}},
		{"お茶\u3000です", []string{"お", "茶", "で", "す"}}, // an IME's full-width space is a space (found by FuzzText)
	} {
		if got := Split(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Split(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	// Normalized text: lower case, single spaces, no space before , . ! ? ; : )
	// nor after (, none between CJK characters.
	texts := []string{
		"",
		"how do i make tea?",
		"hello, world! (yes) i'm fine; ok: done.",
		"wait... what?!",
		"我喜歡喝茶。",
		"你好，我想喝咖啡！",
		"i like 茶 and 咖啡, too.",
		"tea is warm. 茶很好喝。 coffee is bitter.",
	}
	tok := BuildTokenizer(texts)
	for _, s := range texts {
		ids, unknown := tok.EncodeUnknown(s)
		if len(unknown) != 0 {
			t.Errorf("EncodeUnknown(%q): unknown %q", s, unknown)
		}
		if got := tok.Decode(ids); got != s {
			t.Errorf("Decode(Encode(%q)) = %q", s, got)
		}
	}
}

func TestEncodeUnknown(t *testing.T) {
	tok := BuildTokenizer([]string{"i like tea."})
	ids, unknown := tok.EncodeUnknown("I like coffee and tea, and coffee.")
	if want := []string{"coffee", "and", ",", "and", "coffee"}; !reflect.DeepEqual(unknown, want) {
		t.Errorf("unknown = %q, want %q", unknown, want)
	}
	if got, want := tok.Decode(ids), "i like <unk> <unk> tea <unk> <unk> <unk>."; got != want {
		t.Errorf("Decode = %q, want %q", got, want)
	}
	if !reflect.DeepEqual(tok.Encode("I like coffee and tea, and coffee."), ids) {
		t.Error("Encode and EncodeUnknown disagree")
	}
}

func TestDecodeSkipsSpecials(t *testing.T) {
	tok := BuildTokenizer([]string{"hi there."})
	hi, _ := tok.ID("hi")
	there, _ := tok.ID("there")
	dot, _ := tok.ID(".")
	ids := []int{BeginID, UserID, hi, BotID, there, dot, EndID, PadID, UnknownID}
	if got, want := tok.Decode(ids), "hi there. <unk>"; got != want {
		t.Errorf("Decode = %q, want %q", got, want)
	}
}

func TestBuildTokenizer(t *testing.T) {
	texts := []string{"the cat sleeps.", "The dog, the cat!", "我喜歡貓。"}
	a, b := BuildTokenizer(texts), BuildTokenizer(texts)
	if !reflect.DeepEqual(a.Words(), b.Words()) {
		t.Fatal("BuildTokenizer is not deterministic")
	}
	want := append(specialWords[:], "!", ",", ".", "cat", "dog", "sleeps", "the", "。", "喜", "我", "歡", "貓")
	if !reflect.DeepEqual(a.Words(), want) {
		t.Errorf("Words = %q, want %q", a.Words(), want)
	}
	if a.Size() != len(want) {
		t.Errorf("Size = %d, want %d", a.Size(), len(want))
	}
	c := NewTokenizer(a.Words())
	for _, s := range append(texts, "a dog I do not know") {
		if !reflect.DeepEqual(a.Encode(s), c.Encode(s)) {
			t.Errorf("NewTokenizer(Words()) encodes %q differently", s)
		}
	}
	w := a.Words()
	w[NumSpecial] = "changed"
	if a.Words()[NumSpecial] == "changed" {
		t.Error("Words does not return a copy")
	}
	for id, s := range specialWords {
		if got, ok := a.ID(s); !ok || got != id {
			t.Errorf("ID(%q) = %d, %v; want %d", s, got, ok, id)
		}
	}
}

func TestNewTokenizerPanics(t *testing.T) {
	good := append(specialWords[:], "a", "b")
	for _, tc := range []struct {
		name  string
		words []string
	}{
		{"too short", specialWords[:3]},
		{"specials swapped", append([]string{"<unk>", "<pad>"}, good[2:]...)},
		{"no specials", []string{"a", "b", "c", "d", "e", "f", "g"}},
		{"duplicate", append(append([]string{}, good...), "a")},
		{"empty word", append(append([]string{}, good...), "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if msg, ok := r.(string); !ok || !strings.HasPrefix(msg, "sim: NewTokenizer: ") {
					t.Errorf("panic %v, want one starting with \"sim: NewTokenizer: \"", r)
				}
			}()
			NewTokenizer(tc.words)
		})
	}
}

// TestLongText: 10,000 characters pasted into a demonstration (CJK, emoji,
// combining marks, as an IME commits them) are refused as too long, by the
// character count, before anything tokenises them.
func TestLongText(t *testing.T) {
	lab := journalLab(t)
	long := strings.Repeat("茶🍵e\u0301 ", 2500)[:10000]
	for _, d := range []Demonstration{{Prompt: long, Response: "milk ."}, {Prompt: "the cat", Response: long}} {
		if _, err := lab.AddDemonstration(d); !errors.Is(err, ErrTooLong) {
			t.Errorf("a demonstration of %d characters: %v, want ErrTooLong", len([]rune(long)), err)
		}
	}
	if len(lab.UserDemos) != 0 {
		t.Errorf("%d demonstrations filed, want none", len(lab.UserDemos))
	}
}

// FuzzText is what a student types, in any script: the tokenizer splits any
// text into non-empty tokens without spaces, encodes every token to an ID of
// the vocabulary (unknown words to UnknownID, and reported as such), and a
// demonstration of the text is either filed or refused with the session as
// it was.
//
//	go test -run '^$' -fuzz '^FuzzText$' -fuzztime 1000000x -fuzzminimizetime 0 ./sim/
func FuzzText(f *testing.F) {
	for _, s := range []string{"how do i make tea?", "我喜歡喝茶。", "don’t 'stop'", "e\u0301\u200d👩‍👩‍👧 \x00\xff", strings.Repeat("猫 ", 400)} {
		f.Add(s, "drinks milk .")
	}
	lab := journalLab(f)
	f.Fuzz(func(t *testing.T, prompt, response string) {
		for _, tok := range Split(prompt) {
			if tok == "" || strings.IndexFunc(tok, unicode.IsSpace) >= 0 {
				t.Fatalf("Split(%q) has the token %q", prompt, tok)
			}
		}
		ids, unknown := lab.Tok.EncodeUnknown(prompt)
		nUnknown := 0
		for _, id := range ids {
			if id < 0 || id >= lab.Tok.Size() {
				t.Fatalf("Encode(%q) has the ID %d of a vocabulary of %d", prompt, id, lab.Tok.Size())
			}
			if id == UnknownID {
				nUnknown++
			}
		}
		if nUnknown != len(unknown) {
			t.Fatalf("Encode(%q): %d unknown IDs, %d words reported unknown", prompt, nUnknown, len(unknown))
		}
		lab.Tok.Decode(ids)
		before := len(lab.UserDemos)
		if _, err := lab.AddDemonstration(Demonstration{Prompt: prompt, Response: response}); err != nil {
			if len(lab.UserDemos) != before {
				t.Fatalf("a refused demonstration (%v) was filed", err)
			}
			return
		}
		if d := lab.UserDemos[len(lab.UserDemos)-1]; d.Validate() != nil || d.Prompt != prompt {
			t.Fatalf("filed %+v", d)
		}
		lab.UserDemos = lab.UserDemos[:before] // the next input starts from the same session
	})
}
