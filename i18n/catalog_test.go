package i18n

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// paths returns lang's catalog as path → string.
func paths(lang Lang) map[string]string {
	m := map[string]string{}
	walk(reflect.ValueOf(For(lang)).Elem(), "", func(p, s string) { m[p] = s })
	return m
}

// optional are the fields that may be empty, in both languages at once.
var optional = regexp.MustCompile(`^(Stages\[\d\]\.Badge|Lesson\.Cards\[\d\]\.Check)$`)

// TestCatalog: every message is in both languages (a field empty in one
// language is empty in both, and only where that means "none"), with the
// same format verbs for the same arguments.
func TestCatalog(t *testing.T) {
	e, z := paths(English), paths(Chinese)
	if len(e) != len(z) {
		t.Fatalf("%d English strings, %d Chinese", len(e), len(z))
	}
	keys := 0
	for p, es := range e {
		zs, ok := z[p]
		switch {
		case !ok:
			t.Errorf("%s: no Chinese", p)
		case (es == "") != (zs == ""):
			t.Errorf("%s: English %q, Chinese %q: one language is missing", p, es, zs)
		case es == "" && !optional.MatchString(p):
			t.Errorf("%s: empty in both languages", p)
		}
		if ev, zv := verbs(es), verbs(zs); !slices.Equal(ev, zv) {
			t.Errorf("%s: format verbs %v in English %q, %v in Chinese %q", p, ev, es, zv, zs)
		}
		keys++
	}
	t.Logf("%d messages in each language", keys)
	if For("fr") != For(English) || For(Chinese).Lang != Chinese || For(English).Lang != English {
		t.Errorf("For: the wrong catalog")
	}
}

var verbRE = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])`)

// verbs lists s's format verbs as "argument:verb", sorted, so that a
// translation may reorder the arguments with explicit indexes (%[2]s).
func verbs(s string) []string {
	var out []string
	next := 1
	for _, m := range verbRE.FindAllStringSubmatch(s, -1) {
		if m[2] == "%" {
			continue
		}
		if m[1] != "" {
			next, _ = strconv.Atoi(m[1])
		}
		out = append(out, fmt.Sprintf("%d:%s", next, m[2]))
		next++
	}
	slices.Sort(out)
	return out
}

func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// TestChinese: the Chinese is written as Taiwanese text is: no space
// between two Chinese characters, full-width punctuation next to Chinese
// (never an ASCII comma, full stop, colon, question mark, exclamation mark,
// semicolon or parenthesis, nor curly quotes), and the chapter's terms.
func TestChinese(t *testing.T) {
	var all strings.Builder
	for p, s := range paths(Chinese) {
		all.WriteString(s)
		rs := []rune(s)
		for i, r := range rs {
			prevHan := i > 0 && isHan(rs[i-1])
			nextHan := i+1 < len(rs) && isHan(rs[i+1])
			switch {
			case r == ' ' && prevHan && nextHan:
				t.Errorf("%s: a space between Chinese characters in %q", p, s)
			case strings.ContainsRune(",.:?!;()“”‘’\"", r) && (prevHan || nextHan):
				t.Errorf("%s: ASCII punctuation %q beside Chinese in %q; use the full-width form", p, r, s)
			}
		}
	}
	for _, term := range []string{"預訓練", "監督微調", "獎勵模型", "近端策略最佳化", "標記者", "提示", "排名", "基於人類反饋的強化學習", "詞元"} {
		if !strings.Contains(all.String(), term) {
			t.Errorf("the Chinese catalog never says %s", term)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		tag  string
		want Lang
		ok   bool
	}{
		{"en", English, true},
		{"en-GB", English, true},
		{"EN_us", English, true},
		{"zh-TW", Chinese, true},
		{"zh-tw", Chinese, true},
		{"zh-Hant", Chinese, true},
		{"zh-Hant-TW", Chinese, true},
		{"zh-HK", Chinese, true},
		{"zh-MO", Chinese, true},
		{"zh", Chinese, true},
		{"zh-CN", "", false},
		{"zh-Hans", "", false},
		{"zh-Hans-TW", "", false},
		{"zh-SG", "", false},
		{"ja", "", false},
		{"", "", false},
		{"english", "", false},
	} {
		if got, ok := Match(c.tag); got != c.want || ok != c.ok {
			t.Errorf("Match(%q) = %q, %v; want %q, %v", c.tag, got, ok, c.want, c.ok)
		}
	}
}

func TestChoose(t *testing.T) {
	for _, c := range []struct {
		query, saved string
		browser      []string
		want         Lang
	}{
		{"", "", nil, English},
		{"", "", []string{"zh-TW", "en"}, Chinese},
		{"", "", []string{"zh-HK"}, Chinese},
		{"", "", []string{"zh-Hant"}, Chinese},
		{"", "", []string{"zh-CN", "en"}, English},
		{"", "", []string{"fr", "zh-TW"}, Chinese},
		{"", "", []string{"de", "fr"}, English},
		{"", "en", []string{"zh-TW"}, English},      // the person chose English before
		{"zh-TW", "en", []string{"en-US"}, Chinese}, // a teacher's link wins
		{"en", "zh-TW", []string{"zh-TW"}, English}, // so does a link to English
		{"klingon", "", []string{"zh-TW"}, Chinese}, // an unknown ?lang= is ignored
		{"", "zh-TW", []string{"en-US", "en"}, Chinese},
	} {
		if got := Choose(c.query, c.saved, c.browser); got != c.want {
			t.Errorf("Choose(%q, %q, %q) = %q, want %q", c.query, c.saved, c.browser, got, c.want)
		}
	}
}

func TestHelpers(t *testing.T) {
	z, e := For(Chinese), For(English)
	if got := z.List([]string{"鱷", "鯊"}); got != "鱷、鯊" {
		t.Errorf("List: %q", got)
	}
	if got := e.Quoted("hi"); got != "“hi”" {
		t.Errorf("Quoted: %q", got)
	}
	if got := z.Persona("concise", "you"); got != "簡潔" {
		t.Errorf("Persona(concise): %q", got)
	}
	if got := z.Persona("you", "you"); got != "你" {
		t.Errorf("Persona(you): %q", got)
	}
	if got := z.Persona("likes-tea", "you"); got != "likes-tea" {
		t.Errorf("a custom persona: %q", got)
	}
	if got := fmt.Sprintf(z.Switch.MissingBody, z.Model(Chinese), z.Model(English)); got != "這台伺服器還沒有中文模型，所以繼續使用英文模型和它的工作階段。介面則已經切換好了。" {
		t.Errorf("MissingBody: %q", got)
	}
	if n := len(Strings(Chinese)); n != len(Strings(English)) || n < 200 {
		t.Errorf("Strings: %d Chinese, %d English", n, len(Strings(English)))
	}
}
