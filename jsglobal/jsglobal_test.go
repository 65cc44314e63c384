package jsglobal

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryGlobalIsListed reads every JavaScript, HTML and Go file of the
// repository and fails on a global named rlhf… that the package doc does
// not list, and on a listed one that no JavaScript file uses.
func TestEveryGlobalIsListed(t *testing.T) {
	listed := map[string]bool{API: true, Worker: true, Inbox: true, Font: true, LoadKernels: true, Kernels: true, KernelSet: true}
	name := regexp.MustCompile(`\brlhf[A-Z]\w*`)
	usedInJS := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		ext := filepath.Ext(path)
		if d.IsDir() || (ext != ".js" && ext != ".html" && ext != ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, n := range name.FindAllString(string(b), -1) {
			if !listed[n] {
				t.Errorf("%s: %s is not listed in package jsglobal", path, n)
			}
			if ext != ".go" {
				usedInJS[n] = true
			}
		}
		if ext != ".go" && strings.Contains(string(b), "window.rlhf.") {
			usedInJS[API] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for n := range listed {
		if !usedInJS[n] && n != API {
			t.Errorf("%s is listed but no JavaScript file uses it", n)
		}
	}
}
