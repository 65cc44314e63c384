package i18n

import (
	"regexp"
	"strings"
	"testing"
)

func TestSprintf(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
		want   string
	}{
		{"%d {student|students}", []any{1}, "1 student"},
		{"%d {student|students}", []any{0}, "0 students"},
		{"%d {student|students}", []any{2}, "2 students"},
		{"%d {student|students}", []any{-1}, "-1 student"},
		{"%s · %d {student|students} · %d {ranking|rankings}", []any{"ABC", 1, 5}, "ABC · 1 student · 5 rankings"},
		{"%d {ranking|rankings} (%d%%) · %d {set|sets}", []any{3, 50, 1}, "3 rankings (50%) · 1 set"},
		{"after %d {step|steps} in this browser", []any{uint64(1)}, "after 1 step in this browser"},
		{"{a|b} first, %d", []any{1}, "{a|b} first, 1"},                    // no verb before it: kept
		{"%s {a|b}", []any{"x"}, "x {a|b}"},                                // not an integer: kept
		{"%d {ab}", []any{1}, "1 {ab}"},                                    // no '|': kept
		{"%d {a|b", []any{1}, "1 {a|b"},                                    // not closed: kept
		{"%d 位學生", []any{1}, "1 位學生"},                                      // Chinese has no plural
		{"loss %.2f, %d {step|steps}", []any{0.5, 1}, "loss 0.50, 1 step"}, // the last verb's argument decides
	} {
		if got := Sprintf(c.format, c.args...); got != c.want {
			t.Errorf("Sprintf(%q, %v) = %q, want %q", c.format, c.args, got, c.want)
		}
	}
}

var (
	pluralRE = regexp.MustCompile(`\{([^{}|]*)\|([^{}|]*)\}`)
	intVerb  = regexp.MustCompile(`%[-+# 0]*\d*d[^%]*$`)
)

// TestPlurals: every brace of the English catalog is a plural "{one|other}"
// right after an integer verb (with only words between them), so that
// Sprintf chooses it; the Chinese has none.
func TestPlurals(t *testing.T) {
	plurals := 0
	for p, s := range paths(English) {
		rest := s
		for _, m := range pluralRE.FindAllStringIndex(s, -1) {
			if !intVerb.MatchString(s[:m[0]]) {
				t.Errorf("%s: %q: the plural %q has no %%d before it", p, s, s[m[0]:m[1]])
			}
			plurals++
		}
		rest = pluralRE.ReplaceAllString(rest, "")
		if strings.ContainsAny(rest, "{}") {
			t.Errorf("%s: %q: a brace that is not a plural {one|other}", p, s)
		}
	}
	for p, s := range paths(Chinese) {
		if pluralRE.MatchString(s) {
			t.Errorf("%s: %q: Chinese has no plurals", p, s)
		}
	}
	if plurals < 10 {
		t.Errorf("%d plurals in the English catalog, want the counts of the page (>= 10)", plurals)
	}
}
