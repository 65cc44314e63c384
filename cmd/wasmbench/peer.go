package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// runPeer runs the TF.js peer's best configuration, wasm:simd:custom, in
// headless Chromium with its own runner (run.sh, puppeteer-core, the same
// launch flags as runChromium) and returns its training tokens/s. The peer
// folder may be read-only, so it is copied into the user's cache, where its
// node_modules (`npm ci`, the only network use) are kept between runs.
func runPeer(peerDir string, steps int) (float64, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	work := filepath.Join(cache, "rlhfplayground", "tfjs-gpt")
	if err := copyPeer(peerDir, work); err != nil {
		return 0, err
	}
	lock, _ := os.ReadFile(filepath.Join(work, "package-lock.json"))
	installed, _ := os.ReadFile(filepath.Join(work, ".installed-lock"))
	skip := "1"
	if !bytes.Equal(lock, installed) {
		skip = "0" // run.sh runs npm ci
	}
	log.Printf("TF.js peer wasm:simd:custom in chromium (%s) …", work)
	cmd := exec.Command("bash", "run.sh")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "SKIP_NPM_CI="+skip, "BROWSER_CONFIGS=wasm:simd:custom", "NODE_CONFIGS=",
		fmt.Sprintf("BENCH_STEPS=%d", steps))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("run.sh: %v\n%s", err, stderr.String())
	}
	if err := os.WriteFile(filepath.Join(work, ".installed-lock"), lock, 0o644); err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct {
			ID       string  `json:"id"`
			OK       bool    `json:"ok"`
			LossOK   bool    `json:"loss_ok"`
			TokensPS float64 `json:"train_tokens_per_s"`
			Error    string  `json:"error"`
		}
		if json.Unmarshal(sc.Bytes(), &r) != nil || r.ID != "chromium/wasm:simd:custom" {
			continue
		}
		if !r.OK || !r.LossOK {
			return 0, fmt.Errorf("%s failed: %s", r.ID, r.Error)
		}
		if *verbose {
			log.Print(sc.Text())
		}
		return r.TokensPS, nil
	}
	return 0, fmt.Errorf("run.sh printed no result for wasm:simd:custom:\n%s", stderr.String())
}

// copyPeer copies the peer's files, but not its node_modules or results, into work.
func copyPeer(src, work string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if top := strings.Split(rel, string(filepath.Separator))[0]; top == "node_modules" || top == "results" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(work, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(work, rel), b, 0o644)
	})
}
