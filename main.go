// Command rlhfplayground builds the RLHF Playground app (Go → WebAssembly)
// and serves it.
//
//	go run .                        # build if needed, serve on http://127.0.0.1:8080/
//	go run . -addr 0.0.0.0:8080     # share on a classroom network
//	go run . -dist out/             # write a static site to out/ and exit
//	go run . -class                 # also serve the class API (package class) and print its links
//	go run . -class -store postgres://user:pass@host/db   # the class store in PostgreSQL
//	go run . -class -class-lang zh-TW -class-name 七年三班   # a class that ranks the 繁體中文 model's answers
//	go run . -packs DIR             # serve the language packs in DIR/<lang>/ (default assets)
//
// It must run in the repository root. The wasm is rebuilt when the hash of its
// inputs (wasmInputs: the packages of both programs, go.mod, go.sum, the Go version) differs from
// the hash recorded beside the last build. serve.go holds the HTTP side.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"rlhfplayground/class"
)

// wasmInputs are the files and folders whose content decides the wasm build;
// TestWasmInputsCoverTheBuild checks that they hold every package of the two programs.
var wasmInputs = []string{"wasm", "worker", "protocol", "jsglobal", "sim", "assets", "quality", "i18n", "class", "presets", "go.mod", "go.sum"} // class: the page speaks class/api

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen `address`; 0.0.0.0:8080 shares the app on the local network, port 0 picks a free port")
	dist := flag.String("dist", "", "write a static site to `dir` and exit instead of serving")
	classMode := flag.Bool("class", false, "serve the class API too: students join with a code, their rankings are pooled for the teacher")
	store := flag.String("store", "rlhf-class.db", "the class store: a SQLite `file`, or a postgres:// URL")
	className := flag.String("class-name", "My class", "the class to serve the links of, by the name its students see; made on first use, kept in the store")
	classLang := flag.String("class-lang", "en", "the language of a class made by -class-name: its model, the answers its students rank (en or zh-TW)")
	packsDir := flag.String("packs", "assets", "serve the models of the languages in the folders of `dir` named by a language tag (assets/zh-TW/…; see packs.go)")
	flag.Parse()
	log.SetFlags(log.Ltime)
	log.SetPrefix("rlhfplayground: ")

	var api http.Handler
	var announce func(string)
	if *classMode && *dist == "" {
		api, announce = startClass(*store, *className, *classLang)
	}

	root, err := os.Getwd()
	if err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "wasm")); err != nil {
		log.Fatal("run me from the repository root (the folder with go.mod and wasm/)")
	}
	goroot := goRoot()
	cache, err := cacheDir(root)
	if err != nil {
		log.Fatal(err)
	}
	wasmPath, err := ensureWasm(filepath.Join(goroot, "bin", "go"), root, cache)
	if err != nil {
		log.Fatal(err)
	}
	s, err := loadSite(goroot, wasmPath)
	if err != nil {
		log.Fatal(err)
	}
	packs, err := loadPacks(*packsDir)
	if err != nil {
		log.Fatal(err)
	}
	s.addLanguages(packs)
	if *dist != "" {
		if err := s.writeDist(*dist); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote static site to %s", *dist)
		return
	}
	if err := serve(*addr, s, api, announce); err != nil {
		log.Fatal(err)
	}
}

// startClass opens the class store and the class called name (making it
// the first time), and returns the API's handler and what to print for each
// of the server's URLs.
func startClass(store, name, lang string) (http.Handler, func(string)) {
	ctx := context.Background()
	opt, err := class.Shipped()
	if err != nil {
		log.Fatal(err)
	}
	if opt.Store, err = class.OpenStore(ctx, store); err != nil {
		log.Fatal(err)
	}
	srv := class.NewServer(opt)
	c, created, err := srv.EnsureClass(ctx, name, lang)
	if err != nil {
		log.Fatal(err)
	}
	if created {
		log.Printf("class %q (%s) created in %s", c.Name, c.Lang, storeName(store))
	} else {
		log.Printf("class %q (%s) reopened from %s", c.Name, c.Lang, storeName(store))
	}
	return srv, func(url string) {
		student, teacher := class.Links(url, c)
		fmt.Printf("Class %q: students open %s (join code %s)\n", c.Name, student, c.JoinCode)
		fmt.Printf("Class %q: the teacher opens %s (keep it secret)\n", c.Name, teacher)
	}
}

// storeName hides the password of a store URL.
func storeName(store string) string {
	if u, err := url.Parse(store); err == nil && u.User != nil {
		return u.Redacted()
	}
	return store
}

// goRoot is the GOROOT of the toolchain that runs this program, so that the
// wasm and wasm_exec.js come from the same Go version.
func goRoot() string {
	// runtime.GOROOT is deprecated, but under `go run` it is exactly the
	// toolchain that built us; `go env GOROOT` is the fallback.
	if r := runtime.GOROOT(); r != "" {
		if _, err := os.Stat(filepath.Join(r, "bin", "go")); err == nil {
			return r
		}
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		log.Fatalf("cannot find GOROOT: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// cacheDir is a build folder private to this checkout, so that two checkouts
// never overwrite each other's app.wasm.
func cacheDir(root string) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	sum := sha256.Sum256([]byte(root))
	dir := filepath.Join(base, "rlhfplayground", hex.EncodeToString(sum[:6]))
	return dir, os.MkdirAll(dir, 0o755)
}

// inputsHash hashes the path and content of every file under wasmInputs,
// plus the Go version.
func inputsHash(root, goVersion string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "go %s\n", goVersion)
	for _, in := range wasmInputs {
		err := filepath.WalkDir(filepath.Join(root, in), func(path string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // sim/ or assets/ may not exist yet
			}
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ensureWasm returns the path of an app.wasm built from the current sources,
// with worker.wasm (the engine, for the Web Worker) beside it, building both
// into dir if the recorded input hash is missing or stale.
func ensureWasm(goBin, root, dir string) (string, error) {
	wasm := filepath.Join(dir, "app.wasm")
	version, err := exec.Command(goBin, "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("%s env GOVERSION: %v", goBin, err)
	}
	want, err := inputsHash(root, strings.TrimSpace(string(version)))
	if err != nil {
		return "", err
	}
	worker := filepath.Join(dir, "worker.wasm")
	if got, err := os.ReadFile(wasm + ".inputs"); err == nil && string(got) == want &&
		exist(wasm, wasm+".br", wasm+".gz", worker, worker+".br", worker+".gz") {
		log.Printf("app.wasm and worker.wasm are up to date (%s)", dir)
		return wasm, nil
	}
	for _, b := range []struct{ pkg, out string }{{"./wasm", wasm}, {"./worker", worker}} {
		if err := buildWasm(goBin, root, b.pkg, b.out); err != nil {
			return "", err
		}
		if err := precompress(b.out); err != nil {
			return "", err
		}
	}
	// The hash is written last: it vouches for app.wasm, .br and .gz together.
	return wasm, writeAtomic(wasm+".inputs", []byte(want))
}

// buildWasm runs GOOS=js GOARCH=wasm go build pkg into a temporary file and
// renames it to out, so a reader never sees half a file (and two builders
// at once, such as the server of the browser tests and TestBuildWasm, each
// write a whole one).
func buildWasm(goBin, root, pkg, out string) error {
	name := filepath.Base(out)
	log.Printf("building %s (GOOS=js GOARCH=wasm go build %s); the first build takes a minute or two", name, pkg)
	start := time.Now()
	tmp, err := tempName(out)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	cmd := exec.Command(goBin, "build", "-trimpath", "-o", tmp, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = os.Stderr, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building %s failed: %v\n%s", name, err, stderr.String())
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fi, err := os.Stat(out)
	if err != nil {
		return err
	}
	log.Printf("built %s: %s in %s", name, humanBytes(fi.Size()), time.Since(start).Round(100*time.Millisecond))
	return nil
}

// precompress writes path.br and path.gz once, so requests never compress.
func precompress(path string) error {
	start := time.Now()
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var br []byte
	done := make(chan struct{})
	go func() { br = compressBrotli(b, brotliFast); close(done) }()
	gz := compressGzip(b)
	<-done
	if err := writeAtomic(path+".br", br); err != nil {
		return err
	}
	if err := writeAtomic(path+".gz", gz); err != nil {
		return err
	}
	log.Printf("compressed %s: br %s, gzip %s in %s", filepath.Base(path), humanBytes(int64(len(br))), humanBytes(int64(len(gz))), time.Since(start).Round(100*time.Millisecond))
	return nil
}

// tempName returns the name of a new empty file beside path.
func tempName(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

// writeAtomic writes b to path through a temporary file and a rename.
func writeAtomic(path string, b []byte) error {
	tmp, err := tempName(path)
	if err != nil {
		return err
	}
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

func exist(paths ...string) bool {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
