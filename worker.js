// Web Worker bootstrap for RLHF Playground's engine: loads worker.wasm (the
// sim.Lab, see worker/main.go) and starts it. No application logic lives here.
"use strict";
importScripts("wasm_exec.js", "kernels.js");

// Messages that arrive while the wasm loads wait here; the Go program reads
// them on start and then handles onmessage itself.
self.rlhfInbox = [];
self.onmessage = (e) => self.rlhfInbox.push(e.data);

(async () => {
  try {
    const go = new Go();
    const { instance } = await WebAssembly.instantiateStreaming(fetch("worker.wasm"), go.importObject);
    // Hook for the WebAssembly-SIMD kernels (sim/kernels): keep before go.run.
    if (self.rlhfLoadKernels) await self.rlhfLoadKernels(instance);
    await go.run(instance);
  } catch (err) {
    self.postMessage({ json: JSON.stringify({ error: "The engine could not start: " + String(err && err.stack ? err.stack : err) }) });
  }
})();
