// Command fontsubset makes assets/fonts/NotoSansCJKtc-Subset.otf, the font
// the app draws Traditional Chinese with: the glyphs of Noto Sans CJK TC
// Regular for printable ASCII, every character of the data files
// (fonts.DataPatterns: assets/*.txt, assets/*.jsonl and assets/zh-TW/*,
// read as files, so a pack that is not checked out is not there) and every
// character of assets/fonts/ui_chars.txt, and nothing else. Run it from the
// repository root after the data or the interface's characters change:
//
//	go run ./assets/internal/fontsubset
//	go run ./assets/internal/fontsubset -data 'assets/*.txt,assets/*.jsonl,/elsewhere/zh-TW/*'
//
// It needs Debian's fonts-noto-cjk (the source font, a collection whose TC
// face it finds by name) and fontTools, which it runs as
//
//	/usr/bin/python3 -m fontTools.subset NotoSansCJK-Regular.ttc --font-number=N
//		--unicodes-file=FILE --output-file=OUT --no-hinting --desubroutinize
//		--layout-features=kern --drop-tables+=vhea,vmtx,VORG,BASE
//
// (apt-get install fonts-noto-cjk python3-fonttools). The result is
// committed, so building and testing the app needs neither. The same inputs
// give the same bytes: fontTools keeps the source's timestamps.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
	"golang.org/x/image/font/sfnt"

	"rlhfplayground/assets/fonts"
)

// family is the face of the source collection the subset is made from.
const family = "Noto Sans CJK TC"

// subsetOptions are fontTools.subset's options besides the files: no hints
// (the app draws unhinted, golang.org/x/image/font/opentype with
// HintingNone); no subroutines, which compresses better; of the layout
// features only kerning, since the app does not shape text, and the other
// features would pull in alternate glyphs (vertical forms) it never draws;
// no vertical metrics.
var subsetOptions = []string{"--no-hinting", "--desubroutinize", "--layout-features=kern",
	"--drop-tables+=vhea,vmtx,VORG,BASE"}

func main() {
	src := flag.String("src", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "the source font collection")
	python := flag.String("python", "/usr/bin/python3", "a Python with fontTools")
	ui := flag.String("ui", fonts.UIChars, "the interface's extra characters")
	data := flag.String("data", strings.Join(fonts.DataPatterns, ","), "comma-separated `patterns` of the data files whose characters go in")
	out := flag.String("out", "assets/fonts/NotoSansCJKtc-Subset.otf", "the font to write")
	flag.Parse()
	if err := run(*src, *python, *ui, strings.Split(*data, ","), *out); err != nil {
		fmt.Fprintln(os.Stderr, "fontsubset:", err)
		os.Exit(1)
	}
}

func run(src, python, ui string, patterns []string, out string) error {
	want, err := fonts.Runes(".", patterns, ui)
	if err != nil {
		return err
	}
	index, err := faceIndex(src, family)
	if err != nil {
		return err
	}
	if err := subset(src, index, python, fonts.Sorted(want), out); err != nil {
		return err
	}
	// The few glyphs the English page draws before it has the Chinese font:
	// its language switch's label.
	return subset(src, index, python, fonts.SwitchRunes(), filepath.Join(filepath.Dir(out), fonts.SwitchFile))
}

// subset writes the glyphs of runes from face index of src to out.
func subset(src string, index int, python string, runes []rune, out string) error {
	dir, err := os.MkdirTemp("", "fontsubset")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var list strings.Builder
	for _, r := range runes {
		fmt.Fprintf(&list, "%04X\n", r)
	}
	unicodes := filepath.Join(dir, "unicodes.txt")
	if err := os.WriteFile(unicodes, []byte(list.String()), 0o644); err != nil {
		return err
	}
	args := append([]string{"-m", "fontTools.subset", src, fmt.Sprintf("--font-number=%d", index),
		"--unicodes-file=" + unicodes, "--output-file=" + out}, subsetOptions...)
	cmd := exec.Command(python, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", python, strings.Join(args, " "), err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	gz, br := compressed(data)
	fmt.Printf("%s: %d characters from face %d (%s) of %s; %d bytes, gzip -9 %d, brotli -q 11 %d\n",
		out, len(runes), index, family, src, len(data), gz, br)
	return nil
}

// faceIndex returns the index of the face called name in the font
// collection at path.
func faceIndex(path, name string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	c, err := sfnt.ParseCollection(data)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	var names []string
	for i := range c.NumFonts() {
		f, err := c.Font(i)
		if err != nil {
			return 0, fmt.Errorf("%s: face %d: %w", path, i, err)
		}
		n, err := f.Name(nil, sfnt.NameIDFamily)
		if err != nil {
			return 0, fmt.Errorf("%s: face %d: %w", path, i, err)
		}
		if n == name {
			return i, nil
		}
		names = append(names, n)
	}
	return 0, fmt.Errorf("%s has no face %q, only %q", path, name, names)
}

// compressed returns the sizes of data compressed as the server sends it:
// gzip at its best compression, brotli at quality 11.
func compressed(data []byte) (gz, br int) {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(data)
	w.Close()
	gz = b.Len()
	b.Reset()
	bw := brotli.NewWriterLevel(&b, 11)
	bw.Write(data)
	bw.Close()
	return gz, b.Len()
}
