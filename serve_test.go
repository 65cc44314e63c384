package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"rlhfplayground/assets"
)

// fakeWasm starts with the wasm magic and is long and repetitive enough that
// both compressions shrink it; no test but TestBuildWasm builds the real one.
var fakeWasm = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("rlhf playground "), 512)...)

func testSite() *site {
	w := wasmFile{fakeWasm, compressBrotli(fakeWasm, brotliFast), compressGzip(fakeWasm)}
	return newSite([]byte("// wasm_exec.js\n"+strings.Repeat("globalThis.Go = class {};\n", 20)), w, w)
}

// get sends a request with the raw target, as a browser or curl --path-as-is would.
func get(t *testing.T, h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestRoutes(t *testing.T) {
	s := testSite()
	for _, tc := range []struct {
		path  string
		code  int
		ctype string
	}{
		{"/", 200, "text/html; charset=utf-8"},
		{"/index.html", 200, "text/html; charset=utf-8"},
		{"/loader.js", 200, "text/javascript; charset=utf-8"},
		{"/wasm_exec.js", 200, "text/javascript; charset=utf-8"},
		{"/app.wasm", 200, "application/wasm"},
		{"/app.wasm?v=2", 200, "application/wasm"}, // a query does not change the file

		// Everything else is 404: the repository is never served.
		{"/../go.mod", 404, ""},
		{"/%2e%2e/go.mod", 404, ""},
		{"/%2E%2E/%2E%2E/etc/passwd", 404, ""},
		{"/sim/", 404, ""},
		{"/wasm/", 404, ""},
		{"/wasm/main.go", 404, ""},
		{"/go.mod", 404, ""},
		{"/serve.go", 404, ""},
		{"/.git/config", 404, ""},
		{"/assets/", 404, ""},
		{"/app.wasm.br", 404, ""},
		{"/app.wasm/", 404, ""},
		{"//app.wasm", 404, ""},
		{"/%2Fapp.wasm", 404, ""},
		{"/index.html/..", 404, ""},
		{"/favicon.ico", 404, ""},
		{"/INDEX.HTML", 404, ""},
	} {
		w := get(t, s, "GET", tc.path)
		if w.Code != tc.code {
			t.Errorf("GET %s: status %d, want %d", tc.path, w.Code, tc.code)
			continue
		}
		if tc.code == 200 && w.Header().Get("Content-Type") != tc.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.path, w.Header().Get("Content-Type"), tc.ctype)
		}
		if tc.code == 404 && strings.Contains(w.Body.String(), "module") {
			t.Errorf("GET %s: 404 body leaks a file: %q", tc.path, w.Body.String())
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := testSite()
	for _, path := range []string{"/", "/app.wasm", "/nope"} {
		h := get(t, s, "GET", path).Header()
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q, want nosniff", path, got)
		}
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
			t.Errorf("%s: CSP %q allows inline code or eval", path, csp)
		}
	}
	// The one inline <style> is allowed by its hash, which must match the file.
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindSubmatch(indexHTML)
	if m == nil {
		t.Fatal("index.html has no <style>")
	}
	sum := sha256.Sum256(m[1])
	want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if csp := s.csp; !strings.Contains(csp, want) {
		t.Errorf("CSP %q lacks %q", csp, want)
	}
}

func TestIndexHTML(t *testing.T) {
	page := string(indexHTML)
	for _, want := range []string{"<title>RLHF Playground</title>", `<progress id="progress"`, `<pre id="error" hidden>`,
		`<script src="wasm_exec.js"`, `<script src="loader.js"`, `id="loading"`} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	// The CSP forbids inline scripts and handlers, so the page must have none.
	if regexp.MustCompile(`<script(\s[^>]*)?>\s*[^<\s]`).MatchString(page) || regexp.MustCompile(`\son[a-z]+=`).MatchString(page) {
		t.Error("index.html has inline script, which the Content-Security-Policy blocks")
	}
	if !bytes.Contains(loaderJS, []byte("WebAssembly.instantiate")) || !bytes.Contains(loaderJS, []byte("getReader")) {
		t.Error("loader.js should stream app.wasm and instantiate it")
	}
}

func TestEncodings(t *testing.T) {
	s := testSite()
	for _, tc := range []struct {
		accept, want string
	}{
		{"br", "br"},
		{"gzip, deflate, br, zstd", "br"},
		{"br;q=0, gzip", "gzip"},
		{"gzip", "gzip"},
		{"gzip;q=0.5", "gzip"},
		{"deflate", ""},
		{"identity", ""},
		{"", ""},
		{"br;q=0, gzip;q=0", ""},
	} {
		w := get(t, s, "GET", "/app.wasm", "Accept-Encoding", tc.accept)
		h := w.Header()
		if got := h.Get("Content-Encoding"); got != tc.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.want)
		}
		if h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q, want Accept-Encoding", tc.accept, h.Get("Vary"))
		}
		if got := h.Get("Content-Length"); got != strconv.Itoa(w.Body.Len()) {
			t.Errorf("Accept-Encoding %q: Content-Length %s, body %d bytes", tc.accept, got, w.Body.Len())
		}
		var body io.Reader = w.Body
		switch tc.want {
		case "br":
			body = brotli.NewReader(body)
		case "gzip":
			zr, err := gzip.NewReader(body)
			if err != nil {
				t.Fatal(err)
			}
			body = zr
		}
		got, err := io.ReadAll(body)
		if err != nil || !bytes.Equal(got, fakeWasm) {
			t.Errorf("Accept-Encoding %q: decoded body differs from app.wasm (err %v)", tc.accept, err)
		}
		if dl := h.Get("X-Decoded-Length"); tc.want != "" && dl != strconv.Itoa(len(fakeWasm)) {
			t.Errorf("Accept-Encoding %q: X-Decoded-Length %q, want %d", tc.accept, dl, len(fakeWasm))
		}
	}
}

func TestAcceptedEncodings(t *testing.T) {
	got := acceptedEncodings(" GZIP ;q=1.0 , br;q=0.000, deflate;q=0.2 , zstd;q=bad")
	want := map[string]bool{"gzip": true, "br": false, "deflate": true, "zstd": false}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: accepted %v, want %v", k, got[k], v)
		}
	}
}

func TestConditionalAndMethods(t *testing.T) {
	s := testSite()
	first := get(t, s, "GET", "/app.wasm", "Accept-Encoding", "br")
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if w := get(t, s, "GET", "/app.wasm", "Accept-Encoding", "br", "If-None-Match", etag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match: status %d with %d bytes, want 304 and none", w.Code, w.Body.Len())
	}
	if w := get(t, s, "GET", "/app.wasm", "If-None-Match", etag); w.Code != 200 {
		t.Errorf("the br ETag matched the identity body: status %d", w.Code)
	}
	if w := get(t, s, "HEAD", "/app.wasm"); w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != strconv.Itoa(len(fakeWasm)) {
		t.Errorf("HEAD: status %d, %d body bytes, Content-Length %q", w.Code, w.Body.Len(), w.Header().Get("Content-Length"))
	}
	if w := get(t, s, "POST", "/"); w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
}

// TestServer goes through a real listener and the logging wrapper, so raw
// request paths reach the handler as a browser sends them.
func TestServer(t *testing.T) {
	srv := httptest.NewServer(logRequests(testSite()))
	defer srv.Close()
	for path, want := range map[string]int{"/": 200, "/app.wasm": 200, "/../go.mod": 404, "/%2e%2e/go.mod": 404, "/sim/": 404, "/wasm/": 404} {
		req, err := http.NewRequest("GET", srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
}

func TestWriteDist(t *testing.T) {
	dir := t.TempDir()
	if err := testSite().writeDist(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "loader.js", "wasm_exec.js", "worker.js", "app.wasm", "app.wasm.br", "app.wasm.gz", "worker.wasm", "worker.wasm.br", "worker.wasm.gz"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", name, err)
		}
	}
	br, _ := os.ReadFile(filepath.Join(dir, "app.wasm.br"))
	if got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); err != nil || !bytes.Equal(got, fakeWasm) {
		t.Errorf("app.wasm.br does not decode to app.wasm (err %v)", err)
	}
}

func TestInputsHash(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module x\n")
	write("wasm/main.go", "package main\n")
	write("README.md", "not an input\n")
	hash := func() string {
		t.Helper()
		h, err := inputsHash(root, "go1.26")
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	h0 := hash() // sim/ and assets/ do not exist yet: fine
	if hash() != h0 {
		t.Fatal("the hash is not stable")
	}
	write("README.md", "changed, still not an input\n")
	if hash() != h0 {
		t.Error("a file outside the inputs changed the hash")
	}
	write("sim/gpt.go", "package sim\n")
	h1 := hash()
	if h1 == h0 {
		t.Error("a new file in sim/ did not change the hash")
	}
	write("wasm/main.go", "package main // edited\n")
	if hash() == h1 {
		t.Error("an edit in wasm/ did not change the hash")
	}
	if h, _ := inputsHash(root, "go1.27"); h == hash() {
		t.Error("the Go version is not part of the hash")
	}
}

// TestWasmInputsCoverTheBuild: every package of this module that app.wasm
// or worker.wasm is built from lies in one of wasmInputs, so editing it
// rebuilds the wasm.
func TestWasmInputsCoverTheBuild(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}} {{.Dir}}{{end}}", "./wasm", "./worker")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, _ := os.Getwd()
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, dir, _ := strings.Cut(line, " ")
		if !strings.HasPrefix(pkg, "rlhfplayground") {
			continue
		}
		rel, _ := filepath.Rel(root, dir)
		top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		if !slices.Contains(wasmInputs, top) {
			t.Errorf("%s (%s) goes into the wasm but is not under wasmInputs %v", pkg, rel, wasmInputs)
		}
	}
}

// TestBuildWasm builds the real app into this checkout's build folder, as
// go run . does (a minute or two on a cold build cache; nothing if it is up
// to date, which the browser tests' server may have made it), and checks
// that a second call reuses it.
func TestBuildWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the wasm; skipped with -short")
	}
	goBin := filepath.Join(goRoot(), "bin", "go")
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cacheDir(root)
	if err != nil {
		t.Fatal(err)
	}
	wasm, err := ensureWasm(goBin, ".", dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(wasm)
	if err != nil || !bytes.HasPrefix(b, []byte("\x00asm")) {
		t.Fatalf("%s is not a wasm module (err %v)", wasm, err)
	}
	fi, _ := os.Stat(wasm)
	if _, err := ensureWasm(goBin, ".", dir); err != nil {
		t.Fatal(err)
	}
	if fi2, _ := os.Stat(wasm); !fi2.ModTime().Equal(fi.ModTime()) {
		t.Error("the second ensureWasm rebuilt although nothing changed")
	}
	s, err := loadSite(goRoot(), wasm)
	if err != nil {
		t.Fatal(err)
	}
	a := s.routes["/app.wasm"]
	t.Logf("app.wasm %s, br %s, gzip %s", humanBytes(int64(len(a.body))), humanBytes(int64(len(a.br))), humanBytes(int64(len(a.gz))))
	if a.br == nil || a.gz == nil || !bytes.Contains(s.routes["/wasm_exec.js"].body, []byte("globalThis.Go = class")) {
		t.Error("the site lacks compressed forms of app.wasm or a real wasm_exec.js")
	}
	// The English checkpoints are served under /packs/en/, not built into
	// the engine (assets/checkpoints_js.go): a Chinese page never needs them.
	w := s.routes["/worker.wasm"]
	t.Logf("worker.wasm %s, br %s", humanBytes(int64(len(w.body))), humanBytes(int64(len(w.br))))
	// Nor are the other languages' packs, which the worker fetches
	// (assets.PackByLang links them all; the worker must not call it).
	zh, ok := assets.PackByLang("zh-TW")
	if !ok {
		t.Fatal("no zh-TW pack")
	}
	for name, ckpt := range map[string][]byte{"English pretrained.ckpt": assets.Pretrained, "English sft.ckpt": assets.SFT,
		"zh-TW sft.ckpt": zh.SFT, "zh-TW corpus.txt": []byte(zh.Corpus)} {
		mid := ckpt[len(ckpt)/2 : len(ckpt)/2+4096]
		if bytes.Contains(w.body, mid) {
			t.Errorf("worker.wasm holds the %s", name)
		}
	}
}

// TestWithAPI: the class API gets exactly the paths under /api/; the site
// keeps the rest, and without -class /api/ is a plain 404.
func TestWithAPI(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(299) })
	h := withAPI(testSite(), api)
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/api/class/me", 299},
		{"/api/", 299},
		{"/api", 404},
		{"/apiclass/me", 404},
		{"/app.wasm", 200},
		{"/", 200},
	} {
		if w := get(t, h, "GET", tc.path); w.Code != tc.code {
			t.Errorf("GET %s: %d, want %d", tc.path, w.Code, tc.code)
		}
	}
	if w := get(t, withAPI(testSite(), nil), "GET", "/api/class/me"); w.Code != 404 {
		t.Errorf("without the class server, /api/class/me: %d", w.Code)
	}
}
