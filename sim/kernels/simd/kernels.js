// RLHF Playground's WebAssembly-SIMD kernels (sim/kernels/simd): the glue
// that instantiates kernels.wasm on the Go instance's own memory before the
// Go program starts. Every bootstrap of a program that trains (worker.js,
// the Node test runner node_exec.js, cmd/wasmbench's page) calls
//
//   if (self.rlhfLoadKernels) await self.rlhfLoadKernels(instance);
//
// between instantiating the wasm and go.run(instance); the page's app.wasm
// multiplies no matrix and does not load this file. worker/jskernels then
// finds globalThis.rlhfKernels and registers the "simd" kernel set. Which set is used at start-up is globalThis.rlhfKernelSet
// ("simd" or "go"), else the URL parameter ?kernels=…, else "simd" when the
// browser has WebAssembly SIMD. No application logic lives here.
"use strict";

(() => {
  // The smallest module that uses SIMD: func () -> v128 { v128.const 0 }.
  // Engines without SIMD reject it, and then the Go kernels run.
  const probe = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
    0x03, 0x02, 0x01, 0x00, // one function of type 0
    0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code: v128.const
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b,
  ]);

  // rlhfLoadKernels instantiates kernels.wasm with instance.exports.mem as
  // its memory. bytes (optional) is the module; without it, it is fetched
  // from kernels.wasm beside the page or worker script.
  globalThis.rlhfLoadKernels = async (instance, bytes) => {
    if (globalThis.rlhfKernelSet === undefined && typeof location === "object") {
      const wanted = new URLSearchParams(location.search).get("kernels");
      if (wanted) globalThis.rlhfKernelSet = wanted;
    }
    if (typeof WebAssembly.validate !== "function" || !WebAssembly.validate(probe)) {
      console.info("rlhf: no WebAssembly SIMD in this browser; using the Go kernels");
      return;
    }
    try {
      if (bytes === undefined) {
        const response = await fetch("kernels.wasm");
        if (!response.ok) throw new Error(`kernels.wasm: HTTP ${response.status}`);
        bytes = await response.arrayBuffer();
      }
      const { instance: kernels } = await WebAssembly.instantiate(bytes, { go: { mem: instance.exports.mem } });
      globalThis.rlhfKernels = kernels.exports;
    } catch (err) {
      // The Go kernels compute the same products, only slower.
      console.warn("rlhf: the SIMD kernels could not be loaded; using the Go kernels:", err);
    }
  };
})();
