package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"rlhfplayground/assets"
	"rlhfplayground/internal/testpack"
	"rlhfplayground/worker/dispatch"
)

// TestPackFiles: the server serves the files the worker reads.
func TestPackFiles(t *testing.T) {
	var names []string
	for _, f := range packFiles {
		names = append(names, f.name)
	}
	if !slices.Equal(names, dispatch.PackFiles) {
		t.Errorf("serve.go's pack files %q, the worker's %q", names, dispatch.PackFiles)
	}
}

// TestLanguageRoutes: a complete pack folder is served under /packs/ and
// listed in /packs/index.json, an incomplete one is not, English's
// checkpoints (and only they) are served under /packs/en/ whatever the
// folder holds, and the Chinese font is served; -dist writes them all.
func TestLanguageRoutes(t *testing.T) {
	dir := t.TempDir()
	if err := testpack.Write(dir); err != nil {
		t.Fatal(err)
	}
	// A pack with data but no models (the zh-TW data before its checkpoints).
	if err := os.MkdirAll(filepath.Join(dir, "ja"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ja", "corpus.txt"), []byte("猫\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	packs, err := loadPacks(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadPacks(filepath.Join(dir, "nowhere")); err != nil {
		t.Errorf("a missing packs folder: %v", err)
	}
	s := testSite()
	s.addLanguages(packs)
	w := get(t, s, "GET", "/packs/index.json")
	var idx struct{ Models []string }
	if err := json.Unmarshal(w.Body.Bytes(), &idx); err != nil || w.Code != 200 || !slices.Equal(idx.Models, []string{testpack.Lang}) {
		t.Errorf("/packs/index.json: %d %s", w.Code, w.Body)
	}
	files, _ := testpack.Files()
	for _, name := range dispatch.PackFiles {
		w := get(t, s, "GET", "/packs/zh-TW/"+name)
		if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), files[name]) {
			t.Errorf("/packs/zh-TW/%s: %d, %d bytes", name, w.Code, w.Body.Len())
		}
	}
	for name, want := range map[string][]byte{"pretrained.ckpt": assets.Pretrained, "sft.ckpt": assets.SFT} {
		w := get(t, s, "GET", "/packs/en/"+name)
		if w.Code != 200 || len(want) == 0 || !bytes.Equal(w.Body.Bytes(), want) {
			t.Errorf("/packs/en/%s: %d, %d bytes, want the %d of the shipped checkpoint", name, w.Code, w.Body.Len(), len(want))
		}
	}
	for _, path := range []string{"/packs/en/corpus.txt", "/packs/ja/corpus.txt", "/packs/zh-TW/README.md", "/packs/zh-TW/../index.json", "/fonts/NotoSansCJKtc-Subset.otf.br"} {
		if w := get(t, s, "GET", path); w.Code != 404 {
			t.Errorf("GET %s: %d, want 404", path, w.Code)
		}
	}
	w = get(t, s, "GET", fontPath, "Accept-Encoding", "br")
	if w.Code != 200 || w.Header().Get("Content-Type") != "font/otf" || w.Header().Get("Content-Encoding") != "br" || w.Body.Len() >= len(cjkFont) {
		t.Errorf("the font: %d, %s, %s, %d bytes of %d", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Encoding"), w.Body.Len(), len(cjkFont))
	}
	out := t.TempDir()
	if err := s.writeDist(out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"packs/index.json", "packs/en/pretrained.ckpt", "packs/en/sft.ckpt", "packs/zh-TW/sft.ckpt", "fonts/NotoSansCJKtc-Subset.otf", "fonts/OFL.txt"} {
		if fi, err := os.Stat(filepath.Join(out, name)); err != nil || fi.Size() == 0 {
			t.Errorf("-dist: %s missing or empty (%v)", name, err)
		}
	}
}
