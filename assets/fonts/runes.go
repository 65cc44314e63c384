package fonts

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"rlhfplayground/i18n"
)

// DataPatterns are the data files whose characters the font must have,
// relative to the repository root: the English pack and, where it is
// checked out, the Traditional Chinese one. They are read as files (not
// through package assets), so a pack that is not in this tree is simply not
// there.
var DataPatterns = []string{"assets/*.txt", "assets/*.jsonl", "assets/zh-TW/*"}

// UIChars is the file of extra characters, relative to the repository root.
const UIChars = "assets/fonts/ui_chars.txt"

// Runes returns every character the font must draw, each with where it
// comes from: printable ASCII, every string of the page's catalog (package
// i18n) in every language, every character of the files matched by
// patterns (relative to root unless absolute; JSON and JSON Lines files by their decoded strings,
// other files as text; Markdown files are documentation and skipped) and of
// the lines of ui that do not start with "#". Control characters are left
// out.
func Runes(root string, patterns []string, ui string) (map[rune]string, error) {
	want := map[rune]string{}
	for r := rune(0x20); r < 0x7f; r++ {
		want[r] = "ASCII"
	}
	add := func(s, from string) {
		for _, r := range s {
			if _, ok := want[r]; !ok && r >= 0x20 && r != 0x7f && r != 0xfeff {
				if rs := []rune(from); len(rs) > 72 {
					from = string(rs[:71]) + "…"
				}
				want[r] = from
			}
		}
	}
	for _, lang := range i18n.Langs {
		for _, s := range i18n.Strings(lang) {
			add(s, "catalog "+string(lang)+": "+s)
		}
	}
	for _, pat := range patterns {
		name := pat
		if !filepath.IsAbs(pat) {
			pat = filepath.Join(root, pat)
		}
		files, err := filepath.Glob(pat)
		if err != nil {
			return nil, fmt.Errorf("fonts: %s: %w", name, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, ".md") || strings.HasSuffix(f, ".ckpt") { // a README; a model's weights
				continue
			}
			if err := addFile(f, add); err != nil {
				return nil, err
			}
		}
	}
	if ui != "" {
		f, err := os.Open(filepath.Join(root, ui))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if l := sc.Text(); !strings.HasPrefix(l, "#") {
				add(l, ui+": "+l)
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("fonts: %s: %w", ui, err)
		}
	}
	return want, nil
}

// addFile adds the characters of one data file, naming it and its line.
func addFile(path string, add func(s, from string)) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	name := filepath.ToSlash(path)
	switch filepath.Ext(path) {
	case ".json":
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("fonts: %s: %w", name, err)
		}
		walkStrings(v, func(s string) { add(s, name+": "+s) })
	case ".jsonl":
		for i, l := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(l) == "" {
				continue
			}
			var v any
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				return fmt.Errorf("fonts: %s:%d: %w", name, i+1, err)
			}
			walkStrings(v, func(s string) { add(s, fmt.Sprintf("%s:%d: %s", name, i+1, s)) })
		}
	default:
		for i, l := range strings.Split(string(b), "\n") {
			add(l, fmt.Sprintf("%s:%d: %s", name, i+1, l))
		}
	}
	return nil
}

// walkStrings calls f with every string in a decoded JSON value, keys included.
func walkStrings(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case []any:
		for _, e := range v {
			walkStrings(e, f)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f(k)
			walkStrings(v[k], f)
		}
	}
}

// Sorted returns the runes of want in order.
func Sorted(want map[rune]string) []rune {
	runes := make([]rune, 0, len(want))
	for r := range want {
		runes = append(runes, r)
	}
	slices.Sort(runes)
	return runes
}

// SwitchFile is the subset with the glyphs of SwitchRunes, beside
// NotoSansCJKtc-Subset.otf.
const SwitchFile = "NotoSansCJKtc-Switch.otf"

// SwitchRunes are the characters of the language switch's labels that are
// not ASCII ("中文"): the English page draws them before, and without, the
// Chinese font, from the tiny subset SwitchFile embedded in app.wasm.
func SwitchRunes() []rune {
	set := map[rune]string{}
	for _, lang := range i18n.Langs {
		for _, r := range i18n.For(lang).SwitchTo {
			if r > 0x7e {
				set[r] = "switch"
			}
		}
	}
	return Sorted(set)
}
