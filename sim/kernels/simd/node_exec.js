// node_exec.js runs a js/wasm Go binary under Node with the SIMD kernels
// loaded, like $GOROOT/lib/wasm/go_js_wasm_exec but calling
// rlhfLoadKernels (kernels.js) before go.run. Use it for tests and benchmarks:
//
//   GOOS=js GOARCH=wasm go test -exec "node $PWD/sim/kernels/simd/node_exec.js" ./sim/...
//   node node_exec.js prog.wasm [args]
//
// RLHF_KERNELS=go (or simd) chooses the kernel set at start-up; wasm_exec.js
// comes from $GOROOT/lib/wasm (GOROOT from the environment or `go env`).
"use strict";

const fs = require("fs");
const path = require("path");

if (process.argv.length < 3) {
  console.error("usage: node node_exec.js prog.wasm [arguments]");
  process.exit(1);
}

globalThis.require = require;
globalThis.fs = fs;
globalThis.path = path;
globalThis.TextEncoder = require("util").TextEncoder;
globalThis.TextDecoder = require("util").TextDecoder;
globalThis.performance ??= require("perf_hooks").performance;
globalThis.crypto ??= require("crypto");

const goroot = process.env.GOROOT ||
  require("child_process").execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
require(path.join(goroot, "lib", "wasm", "wasm_exec.js"));
require(path.join(__dirname, "kernels.js"));
if (process.env.RLHF_KERNELS) globalThis.rlhfKernelSet = process.env.RLHF_KERNELS;

(async () => {
  const go = new Go();
  go.argv = process.argv.slice(2);
  go.env = Object.assign({ TMPDIR: require("os").tmpdir() }, process.env);
  go.exit = process.exit;
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(process.argv[2]), go.importObject);
  await globalThis.rlhfLoadKernels(instance, fs.readFileSync(path.join(__dirname, "kernels.wasm")));
  process.on("exit", (code) => { // Node exits when no event is pending
    if (code === 0 && !go.exited) {
      // deadlock: make Go print the error and the stacks
      go._pendingEvent = { id: 0 };
      go._resume();
    }
  });
  await go.run(instance);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
