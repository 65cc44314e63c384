package textlayout

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"rlhfplayground/sim"
)

// runes measures text as one unit per character, a space included.
func runes(s string) float64 { return float64(utf8.RuneCountInString(s)) }

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		s     string
		width float64
		want  []string
	}{
		{"the cat sat on the mat", 7, []string{"the cat", "sat on", "the mat"}},
		{"the cat sat on the mat", 100, []string{"the cat sat on the mat"}},
		{"a  b\nc", 10, []string{"a b", "c"}},
		{"  leading and trailing  ", 100, []string{"leading and trailing"}},
		{"supercalifragilistic is long", 5, []string{"supercalifragilistic", "is", "long"}},
		{"", 10, []string{""}},
		// Between any two Chinese characters.
		{"我喜歡喝綠茶", 4, []string{"我喜歡喝", "綠茶"}},
		// Never before closing punctuation: 。 and ？ stay with the character before.
		{"我喜歡喝茶。你呢？", 4, []string{"我喜歡喝", "茶。你", "呢？"}},
		{"好，好。", 1, []string{"好，", "好。"}},
		// Never after opening punctuation: 「 goes to the next line with 好.
		{"他說「好」。", 3, []string{"他說", "「好」。"}},
		{"（一）二", 2, []string{"（一）", "二"}},
		// An ellipsis never starts a line, nor splits.
		{"嗯……好", 2, []string{"嗯……", "好"}},
		// Chinese next to Latin and numbers breaks there, without a space;
		// a Latin word inside Chinese punctuation stays whole.
		{"步驟 1：監督微調（SFT）", 6, []string{"步驟 1：監", "督微調", "（SFT）"}},
		{"使用PPO微調", 4, []string{"使用", "PPO微", "調"}},
		{"RM 87%的準確率", 4, []string{"RM", "87%的", "準確率"}},
		// Latin punctuation does not start a line either.
		{"好的, ok", 3, []string{"好的,", "ok"}},
		// A line of full-width text and a newline.
		{"第一行。\n第二行。", 10, []string{"第一行。", "第二行。"}},
	} {
		got := Wrap(c.s, c.width, runes)
		if !slices.Equal(got, c.want) {
			t.Errorf("Wrap(%q, %v) = %q, want %q", c.s, c.width, got, c.want)
		}
		for _, l := range got {
			if runes(l) > c.width && !slices.Contains(c.want, l) {
				t.Errorf("Wrap(%q, %v): line %q is too wide", c.s, c.width, l)
			}
		}
	}
}

// TestWrapKeepsText: wrapping loses no character but the spaces it breaks
// at, for every width.
func TestWrapKeepsText(t *testing.T) {
	for _, s := range []string{
		"監督微調（SFT）讓預訓練模型認識有幫助的回答長什麼樣子。人寫下示範：一個提示，加上一個好的回答。",
		"The SFT model writes several answers to the same prompt, and you rank them from best to worst.",
		"PPO 用小幅、經過裁剪的更新，讓高分的回答稍微更容易出現。KL 懲罰（每 nat 乘上 β）衡量策略偏離 SFT 模型有多遠。",
	} {
		want := strings.ReplaceAll(s, " ", "")
		for w := 1.0; w < 60; w++ {
			lines := Wrap(s, w, runes)
			if got := strings.ReplaceAll(strings.Join(lines, ""), " ", ""); got != want {
				t.Fatalf("Wrap(%q, %v) lost text: %q", s, w, lines)
			}
			for i, l := range lines {
				first, _ := utf8.DecodeRuneInString(l)
				last, _ := utf8.DecodeLastRuneInString(l)
				if i > 0 && strings.ContainsRune(noStart, first) {
					t.Errorf("Wrap(%q, %v): line %q starts with %q", s, w, l, first)
				}
				if i+1 < len(lines) && strings.ContainsRune(noEnd, last) {
					t.Errorf("Wrap(%q, %v): line %q ends with %q", s, w, l, last)
				}
			}
		}
	}
}

func TestCanBreak(t *testing.T) {
	for _, c := range []struct {
		a, b rune
		want bool
	}{
		{'a', 'b', false}, {'a', '.', false},
		{'我', '你', true}, {'我', 'a', true}, {'a', '我', true}, {'1', '步', true},
		{'我', '。', false}, {'我', '，', false}, {'我', '」', false}, {'我', '）', false}, {'我', '？', false},
		{'「', '我', false}, {'（', 'S', false}, {'。', '「', true}, {'」', '我', true},
		{'…', '…', false},
	} {
		if got := CanBreak(c.a, c.b); got != c.want {
			t.Errorf("CanBreak(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestJoin(t *testing.T) {
	for _, c := range [][3]string{
		{"the cat", "sat", "the cat sat"},
		{"我喜歡", "喝茶", "我喜歡喝茶"},
		{"步驟", "1", "步驟1"},
		{"使用 PPO", "微調", "使用 PPO微調"},
		{"", "x", "x"},
		{"x", "", "x"},
	} {
		if got := Join(c[0], c[1]); got != c[2] {
			t.Errorf("Join(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

// TestWords: the spans are the tokenizer's words, in order, so the text
// field underlines exactly the words it reports unknown.
func TestWords(t *testing.T) {
	for _, s := range []string{
		"", "Hello, world!", "don't stop", "rock’n roll", "  3.5 cups ", "café au lait",
		"我喜歡喝茶。", "I like 綠茶 and tea.", "怎麼泡茶？「三分鐘」", "ｆｕｌｌ width", "tab\tand\nnewline",
		"'quoted' words'", "a-b_c", "ﾊﾝｶｸ",
	} {
		var got []string
		for _, sp := range Words(s) {
			got = append(got, strings.ToLower(strings.ReplaceAll(s[sp.Start:sp.End], "’", "'")))
		}
		if want := sim.Split(s); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q; sim.Split says %q", s, got, want)
		}
	}
}
