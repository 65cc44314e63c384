package i18n

import (
	"fmt"
	"strings"
)

// Sprintf formats a catalog string as fmt.Sprintf does, after choosing its
// plural forms: "{one|other}" in a format is "one" when the integer argument
// of the last verb before it is 1 (or -1), else "other". English writes
//
//	"%d {student|students}" // "1 student", "2 students", "0 students"
//
// and Chinese, which has no plural, needs no braces ("%d 位學生"). A brace
// with no integer verb before it, or without a '|', is left as it is. Verbs
// are counted in order, one argument each: a format with a plural does not
// use explicit indexes (%[2]d) or '*' widths. The page formats every
// catalog string with it, so that a plural added to the catalog needs no
// change in code.
func Sprintf(format string, args ...any) string {
	if !strings.Contains(format, "{") {
		return fmt.Sprintf(format, args...)
	}
	var b strings.Builder
	verb := 0 // verbs seen so far: the argument of verb k is args[k-1]
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '%' && i+1 < len(format) && format[i+1] == '%':
			b.WriteString("%%")
			i++
			continue
		case c == '%':
			verb++
		case c == '{':
			if end := strings.IndexByte(format[i:], '}'); end > 0 {
				one, other, ok := strings.Cut(format[i+1:i+end], "|")
				if n, isInt := intArg(args, verb-1); ok && isInt {
					if n == 1 || n == -1 {
						b.WriteString(one)
					} else {
						b.WriteString(other)
					}
					i += end
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return fmt.Sprintf(b.String(), args...)
}

// intArg returns args[k] if it is an integer.
func intArg(args []any, k int) (int64, bool) {
	if k < 0 || k >= len(args) {
		return 0, false
	}
	switch v := args[k].(type) {
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	case uint:
		return int64(v), true
	case uint32:
		return int64(v), true
	case uint64:
		return int64(v), true
	}
	return 0, false
}
