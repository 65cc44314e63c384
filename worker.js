// Web Worker bootstrap for RLHF Playground's engine: loads worker.wasm (the
// sim.Lab, see worker/main.go) and starts it. No application logic lives here.
"use strict";
importScripts("wasm_exec.js", "kernels.js");

// The page creates this worker as soon as it loads, but the engine's wasm is
// fetched only on the message {start: true}, which loader.js sends once the
// app's own wasm is compiled: on a two-core machine, compiling both at once
// slows the app's start. (Created early, the worker is ready to receive the
// app's first commands at once; created late, they waited seconds for the
// busy main thread to hand them over.)
// Messages that arrive while the wasm loads wait in rlhfInbox; the Go
// program reads them on start and then handles onmessage itself.
self.rlhfInbox = [];
let started = false;
self.onmessage = (e) => {
  if (e.data && e.data.start === true) {
    if (!started) {
      started = true;
      start();
    }
    return;
  }
  self.rlhfInbox.push(e.data);
};

// tell posts a protocol.Message (see protocol/message.go): "no-engine" when
// the engine could not start, "engine-stopped" when it ran and stopped (the
// Go program exited: out of memory, a crash), which the page offers to
// reload from the stored session.
function tell(code, detail) {
  self.postMessage({ json: JSON.stringify({ kind: "Message", body: { code, detail: "worker.js: " + detail } }) });
}

async function start() {
  let running = false;
  try {
    const go = new Go();
    const { instance } = await WebAssembly.instantiateStreaming(fetch("worker.wasm"), go.importObject);
    // The WebAssembly-SIMD kernels (kernels.js), on this instance's memory
    // before go.run: worker/jskernels registers them with sim/kernels.
    if (self.rlhfLoadKernels) await self.rlhfLoadKernels(instance);
    running = true;
    await go.run(instance); // returns only when the Go program exits
    tell("engine-stopped", "the engine's Go program exited");
  } catch (err) {
    tell(running ? "engine-stopped" : "no-engine", String(err && err.stack ? err.stack : err));
  }
}
