package main

// The HTTP side of the command: a fixed table of routes, each file held in
// memory with its brotli and gzip forms computed once. Nothing is read from
// the repository per request, so there is no path to traverse.

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
)

var (
	//go:embed index.html
	indexHTML []byte
	//go:embed loader.js
	loaderJS []byte
	//go:embed worker.js
	workerJS []byte
	// The WebAssembly-SIMD kernels and their glue (sim/kernels/simd), which
	// the engine's worker loads before its Go program starts (the page does
	// not: app.wasm multiplies no matrix).
	//go:embed sim/kernels/simd/kernels.js
	kernelsJS []byte
	//go:embed sim/kernels/simd/kernels.wasm
	kernelsWasm []byte
)

// asset is one servable file and its precompressed forms (nil when
// compression would not make it smaller).
type asset struct {
	ctype    string
	body     []byte
	br, gz   []byte
	etagBase string
}

func newAsset(ctype string, body, br, gz []byte) *asset {
	if len(br) >= len(body) {
		br = nil
	}
	if len(gz) >= len(body) {
		gz = nil
	}
	sum := sha256.Sum256(body)
	return &asset{ctype: ctype, body: body, br: br, gz: gz, etagBase: base64.RawURLEncoding.EncodeToString(sum[:12])}
}

// site maps each URL path to its asset; every other path is a 404.
type site struct {
	routes map[string]*asset
	csp    string
}

// wasmFile is a built wasm module and its precompressed forms.
type wasmFile struct{ body, br, gz []byte }

// newSite builds the site from the app's bytes: app is the page's wasm (the
// ebiten app), worker the engine's, run by worker.js in a Web Worker. The
// small text files are compressed here.
func newSite(wasmExec []byte, app, worker wasmFile) *site {
	text := func(ctype string, b []byte) *asset {
		return newAsset(ctype, b, compressBrotli(b, brotliBest), compressGzip(b))
	}
	index := text("text/html; charset=utf-8", indexHTML)
	return &site{
		routes: map[string]*asset{
			"/":             index,
			"/index.html":   index,
			"/loader.js":    text("text/javascript; charset=utf-8", loaderJS),
			"/wasm_exec.js": text("text/javascript; charset=utf-8", wasmExec),
			"/app.wasm":     newAsset("application/wasm", app.body, app.br, app.gz),
			"/worker.js":    text("text/javascript; charset=utf-8", workerJS),
			"/worker.wasm":  newAsset("application/wasm", worker.body, worker.br, worker.gz),
			"/kernels.js":   text("text/javascript; charset=utf-8", kernelsJS),
			"/kernels.wasm": text("application/wasm", kernelsWasm),
		},
		csp: contentSecurityPolicy(indexHTML),
	}
}

// loadSite reads wasm_exec.js from goroot, app.wasm and worker.wasm beside
// it (each with the .br and .gz that precompress wrote).
func loadSite(goroot, wasmPath string) (*site, error) {
	var files [7][]byte
	workerPath := filepath.Join(filepath.Dir(wasmPath), "worker.wasm")
	paths := []string{
		filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"),
		wasmPath, wasmPath + ".br", wasmPath + ".gz",
		workerPath, workerPath + ".br", workerPath + ".gz",
	}
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if i == 0 && errors.Is(err, os.ErrNotExist) {
			b, err = os.ReadFile(filepath.Join(goroot, "misc", "wasm", "wasm_exec.js")) // Go < 1.24
		}
		if err != nil {
			return nil, err
		}
		files[i] = b
	}
	return newSite(files[0], wasmFile{files[1], files[2], files[3]}, wasmFile{files[4], files[5], files[6]}), nil
}

// styleRE finds the one inline <style> of index.html, which the CSP allows by hash.
var styleRE = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// contentSecurityPolicy allows scripts only from this origin, wasm
// compilation ('wasm-unsafe-eval', needed by WebAssembly.instantiate), and
// the inline <style> of index by its hash.
func contentSecurityPolicy(index []byte) string {
	style := "'none'"
	if m := styleRE.FindSubmatch(index); m != nil {
		sum := sha256.Sum256(m[1])
		style = "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	return "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; " +
		"img-src 'self' data: blob:; style-src " + style + "; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// ServeHTTP serves only the paths in s.routes, GET and HEAD only.
func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// RawPath is set only when the path had escapes like %2F that change its
	// meaning; such paths are never ours.
	a, ok := s.routes[r.URL.Path]
	if !ok || r.URL.RawPath != "" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, enc := a.body, ""
	switch accepts := acceptedEncodings(r.Header.Get("Accept-Encoding")); {
	case a.br != nil && accepts["br"]:
		body, enc = a.br, "br"
	case a.gz != nil && accepts["gzip"]:
		body, enc = a.gz, "gzip"
	}
	h.Set("Vary", "Accept-Encoding")
	h.Set("Content-Type", a.ctype)
	h.Set("Cache-Control", "no-cache") // revalidate with the ETag: a rebuilt wasm shows up on reload
	etag := `"` + a.etagBase + enc + `"`
	h.Set("ETag", etag)
	if strings.Contains(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if enc != "" {
		h.Set("Content-Encoding", enc)
		// The loader's progress bar counts decoded bytes, so it needs the decoded total.
		h.Set("X-Decoded-Length", strconv.Itoa(len(a.body)))
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// acceptedEncodings parses an Accept-Encoding header such as
// "gzip, deflate, br;q=0.5"; an encoding with q=0 is refused.
func acceptedEncodings(header string) map[string]bool {
	ok := map[string]bool{}
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		q := 1.0
		if v, found := strings.CutPrefix(strings.TrimSpace(params), "q="); found {
			q, _ = strconv.ParseFloat(v, 64) // a malformed q counts as 0
		}
		ok[strings.ToLower(strings.TrimSpace(name))] = q > 0
	}
	return ok
}

// apiPrefix is where the class server (package class, mounted by main.go
// with -class) answers; the site never serves a path under it.
const apiPrefix = "/api/"

// serve listens on addr and prints the URL; the e2e tests read that line.
// With a non-nil api, every path under apiPrefix goes to it, and announce
// prints its lines (the class's links) for each URL.
func serve(addr string, s *site, api http.Handler, announce func(url string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	for _, u := range urls(ln.Addr().(*net.TCPAddr)) {
		fmt.Printf("RLHF Playground is at %s\n", u)
		if announce != nil {
			announce(u)
		}
	}
	srv := &http.Server{Handler: logRequests(withAPI(s, api)), ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
	return srv.Serve(ln)
}

// withAPI sends the paths under apiPrefix to api and all others to the
// site; with a nil api it is the site alone.
func withAPI(s *site, api http.Handler) http.Handler {
	if api == nil {
		return s
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, apiPrefix) {
			api.ServeHTTP(w, r)
			return
		}
		s.ServeHTTP(w, r)
	})
}

// urls lists the addresses a browser can use: for 0.0.0.0 that is every
// address of this machine, so a teacher can read one out to the class.
func urls(a *net.TCPAddr) []string {
	if !a.IP.IsUnspecified() {
		return []string{fmt.Sprintf("http://%s/", a)}
	}
	var out []string
	addrs, _ := net.InterfaceAddrs()
	for _, ia := range addrs {
		if n, ok := ia.(*net.IPNet); ok && n.IP.To4() != nil {
			out = append(out, fmt.Sprintf("http://%s/", &net.TCPAddr{IP: n.IP, Port: a.Port}))
		}
	}
	return out
}

// logRequests writes one line per request:
//
//	19:04:05 GET /app.wasm 200 br 3.2 MB 14ms
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		enc := rec.Header().Get("Content-Encoding")
		if enc == "" {
			enc = "-"
		}
		log.Printf("%s %s %d %s %s %s", r.Method, r.URL.RequestURI(), rec.status, enc,
			humanBytes(rec.bytes), time.Since(start).Round(time.Millisecond))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// writeDist writes the site as static files, with app.wasm.br (recompressed
// at the best brotli quality) and app.wasm.gz for hosts that serve
// precompressed files.
func (s *site) writeDist(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	wasm, worker := s.routes["/app.wasm"], s.routes["/worker.wasm"]
	log.Printf("compressing app.wasm and worker.wasm with brotli quality %d (about a minute)", brotliBest)
	files := map[string][]byte{
		"index.html":     s.routes["/index.html"].body,
		"loader.js":      s.routes["/loader.js"].body,
		"wasm_exec.js":   s.routes["/wasm_exec.js"].body,
		"worker.js":      s.routes["/worker.js"].body,
		"app.wasm":       wasm.body,
		"app.wasm.br":    compressBrotli(wasm.body, brotliBest),
		"app.wasm.gz":    wasm.gz,
		"worker.wasm":    worker.body,
		"worker.wasm.br": compressBrotli(worker.body, brotliBest),
		"worker.wasm.gz": worker.gz,
		"kernels.js":     kernelsJS,
		"kernels.wasm":   kernelsWasm,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return s.writeLanguages(dir)
}

// Brotli qualities. On the 15 MB app.wasm, quality 6 takes about 1 s and
// gives 3.0 MB; quality 11 takes about a minute and gives 2.5 MB, worth it
// only for -dist.
const (
	brotliFast = 6
	brotliBest = 11
)

// compressBrotli uses a 16 MB window (LGWin 24), enough to see all of app.wasm.
func compressBrotli(b []byte, quality int) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: quality, LGWin: 24})
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func compressGzip(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}
