package main

// The files the page and the engine fetch only when a language needs them:
// the Chinese font (the page draws Chinese with it; English needs only the
// Go fonts in app.wasm), each language's pack, its models and data, which
// the engine's worker fetches when a person chooses that language, and
// English's checkpoints, /packs/en/ (its text is built into worker.wasm),
// which it fetches when an English session needs a fresh model. To ship a
// language's model, put its files (packFiles) in assets/<lang>/: a folder
// that lacks one of them is reported at start and not served. English's
// checkpoints are this program's own (package assets), whatever -packs says.

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"rlhfplayground/assets"
	"rlhfplayground/worker/dispatch"
)

var (
	// The subset of Noto Sans CJK TC (assets/fonts/README.md) and its licence.
	//go:embed assets/fonts/NotoSansCJKtc-Subset.otf
	cjkFont []byte
	//go:embed assets/fonts/OFL.txt
	cjkFontLicence []byte
)

// fontPath is where the page fetches the Chinese font (wasm/fonts.go, loader.js).
const fontPath = "/fonts/NotoSansCJKtc-Subset.otf"

// packFiles are a pack's files, as dispatch.PackFiles names them
// (TestPackFiles checks), with their content types.
var packFiles = []struct{ name, ctype string }{
	{"pretrained.ckpt", "application/octet-stream"},
	{"sft.ckpt", "application/octet-stream"},
	{"corpus.txt", "text/plain; charset=utf-8"},
	{"prompts.txt", "text/plain; charset=utf-8"},
	{"heldout_prompts.txt", "text/plain; charset=utf-8"},
	{"demonstrations.jsonl", "application/jsonl; charset=utf-8"},
}

// langRE is a folder name that is a language tag (zh-TW, pt-BR, ja).
var langRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// pack is one language's files, by name.
type pack map[string][]byte

// loadPacks reads every complete pack in the folders of dir named by a
// language tag other than English, and says which folders are incomplete.
func loadPacks(dir string) (map[string]pack, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	packs := map[string]pack{}
	for _, e := range entries {
		lang := e.Name()
		if !e.IsDir() || !langRE.MatchString(lang) || lang == "en" {
			continue
		}
		p, missing := pack{}, []string(nil)
		for _, f := range packFiles {
			b, err := os.ReadFile(filepath.Join(dir, lang, f.name))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				missing = append(missing, f.name)
			case err != nil:
				return nil, err
			default:
				p[f.name] = b
			}
		}
		if len(missing) > 0 {
			log.Printf("%s has no %s: no %s model is served", filepath.Join(dir, lang), strings.Join(missing, ", "), lang)
			continue
		}
		packs[lang] = p
	}
	return packs, nil
}

// addLanguages adds the font's routes and, under /packs/, English's
// checkpoints, each pack's files and the index of the languages served
// besides English.
func (s *site) addLanguages(packs map[string]pack) {
	s.routes[fontPath] = newAsset("font/otf", cjkFont, compressBrotli(cjkFont, brotliBest), compressGzip(cjkFont))
	s.routes["/fonts/OFL.txt"] = newAsset("text/plain; charset=utf-8", cjkFontLicence, nil, nil)
	english := map[string][]byte{"pretrained.ckpt": assets.Pretrained, "sft.ckpt": assets.SFT}
	for _, name := range dispatch.CheckpointFiles {
		b := english[name]
		s.routes["/packs/"+dispatch.English+"/"+name] = newAsset("application/octet-stream", b, compressBrotli(b, brotliFast), compressGzip(b))
	}
	langs := []string{}
	for lang, p := range packs {
		langs = append(langs, lang)
		for _, f := range packFiles {
			b := p[f.name]
			s.routes["/packs/"+lang+"/"+f.name] = newAsset(f.ctype, b, compressBrotli(b, brotliFast), compressGzip(b))
		}
	}
	slices.Sort(langs)
	index, _ := json.Marshal(map[string][]string{"models": langs})
	s.routes["/packs/index.json"] = newAsset("application/json", index, nil, nil)
	if len(langs) > 0 {
		log.Printf("serving the models of %s from packs/", strings.Join(langs, ", "))
	}
}

// writeLanguages writes the font and the packs beside the static site.
func (s *site) writeLanguages(dir string) error {
	for path, a := range s.routes {
		if !strings.HasPrefix(path, "/fonts/") && !strings.HasPrefix(path, "/packs/") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(path, "/")))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, a.body, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}
