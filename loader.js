// Loader for RLHF Playground: checks that the browser has WebAssembly and
// WebGL, downloads and compiles app.wasm with a progress bar counting the
// bytes received, starts the engine's Web Worker (worker.js) and the Go program.
// No application logic lives here; the app removes #loading on its first frame.
"use strict";

(async () => {
  const $ = (id) => document.getElementById(id);
  const progress = $("progress"), status = $("status");

  const fail = (message) => {
    progress.hidden = true;
    status.textContent = "RLHF Playground could not start.";
    $("error").textContent = message;
    $("error").hidden = false;
  };
  const mb = (n) => (n / 1048576).toFixed(1) + " MB";

  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    fail("This browser does not support WebAssembly, which RLHF Playground needs.\n" +
         "Please open the page in a current Firefox, Chrome, Edge or Safari.");
    return;
  }
  const probe = document.createElement("canvas");
  if (!(probe.getContext("webgl2") || probe.getContext("webgl"))) {
    fail("This browser does not support WebGL (or it is turned off), which RLHF Playground needs to draw.\n" +
         "Please turn on hardware acceleration, or open the page in a current Firefox, Chrome, Edge or Safari.");
    return;
  }

  // ebiten's exp/textinput (the IME-aware text fields) installs this focus
  // handler with eval(), which the Content-Security-Policy forbids ('unsafe-eval'
  // is not allowed); this installs the same handler without eval.
  const nativeEval = window.eval;
  window.eval = (src) => {
    if (typeof src !== "string" || !src.includes("ebitengine-textinput")) return nativeEval(src);
    const handler = () => {
      if (window._ebitengine_textinput_x === undefined || window._ebitengine_textinput_y === undefined) return;
      const textarea = document.getElementById("ebitengine-textinput");
      textarea.value = "";
      textarea.focus();
      textarea.style.left = window._ebitengine_textinput_x + "px";
      textarea.style.top = window._ebitengine_textinput_y + "px";
      window._ebitengine_textinput_x = undefined;
      window._ebitengine_textinput_y = undefined;
      window._ebitengine_textinput_ready = true;
    };
    for (const ev of ["mouseup", "touchend", "keyup"]) document.body.addEventListener(ev, handler);
  };

  try {
    // The engine's Web Worker (worker.js); its first messages wait in
    // rlhfInbox until the app listens (the globals: package jsglobal).
    const worker = new Worker("worker.js" + location.search);
    window.rlhfWorker = worker;
    window.rlhfInbox = [];
    worker.onmessage = (e) => window.rlhfInbox.push(e.data);
    worker.onerror = (e) => fail("The engine (worker.js) failed: " + (e.message || e));

    // performance.mark("rlhf:…") records start-up moments; the app reports
    // them in window.rlhf.state().startup_ms.
    performance.mark("rlhf:fetch");
    const response = await fetch("app.wasm");
    if (!response.ok) {
      throw new Error(`Downloading app.wasm failed: HTTP ${response.status} ${response.statusText}`);
    }
    // The stream yields decoded bytes, so the total is the decoded size: the
    // server sends it as X-Decoded-Length when the transfer is compressed.
    const total = Number(response.headers.get("X-Decoded-Length") ||
      (response.headers.get("Content-Encoding") ? 0 : response.headers.get("Content-Length"))) || 0;
    const show = (received) => {
      if (total > 0) {
        progress.value = Math.min(received / total, 1);
        status.textContent = `Downloading the app: ${mb(received)} of ${mb(total)}`;
      } else {
        status.textContent = `Downloading the app: ${mb(received)}`;
      }
    };
    // The compiler reads the response itself, compiling while the download
    // runs (instantiateStreaming); a copy of the stream counts the bytes.
    // (Passing the bytes on through a JavaScript stream instead makes the
    // page's main thread feed the compiler chunk by chunk: seconds here.)
    let received = 0;
    const reader = response.clone().body.getReader();
    (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.length;
        show(received);
      }
      progress.value = 1;
      status.textContent = "Starting…";
    })().catch(() => {});
    const go = new Go();
    go.exit = (code) => {
      if (code !== 0) fail(`The app stopped with exit code ${code}. The browser console has the details.`);
    };
    const { instance } = await WebAssembly.instantiateStreaming(response, go.importObject);
    performance.mark("rlhf:compiled");
    // The engine starts loading now that the app's wasm is compiled (see worker.js).
    worker.postMessage({ start: true });
    performance.mark("rlhf:go-run");
    go.run(instance);
  } catch (err) {
    fail(String(err && err.stack ? err.stack : err));
  }
})();
