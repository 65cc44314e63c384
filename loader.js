// Loader for RLHF Playground: checks that the browser has WebAssembly and
// WebGL, downloads and compiles app.wasm with a progress bar counting the
// bytes received, starts the engine's Web Worker (worker.js) and the Go program.
// No application logic lives here; the app removes #loading on its first frame.
"use strict";

// The loading screen's words, in the page's language. The app's own words
// are in package i18n.
const words = {
  en: {
    tagline: "Be the human labeler in ChatGPT's training recipe, on a GPT small enough to train in your browser.",
    loading: "Loading…",
    progress: "Downloading the app",
    of: (got, total) => `Downloading the app: ${got} of ${total}`,
    got: (got) => `Downloading the app: ${got}`,
    starting: "Starting…",
    failed: "RLHF Playground could not start.",
    noWasm: "This browser does not support WebAssembly, which RLHF Playground needs.\n" +
            "Please open the page in a current Firefox, Chrome, Edge or Safari.",
    noWebGL: "This browser does not support WebGL (or it is turned off), which RLHF Playground needs to draw.\n" +
             "Please turn on hardware acceleration, or open the page in a current Firefox, Chrome, Edge or Safari.",
    engine: "The engine (worker.js) failed: ",
    http: (status, text) => `Downloading app.wasm failed: HTTP ${status} ${text}`,
    exit: (code) => `The app stopped with exit code ${code}. The browser console has the details.`,
  },
  "zh-TW": {
    tagline: "在 ChatGPT 的訓練流程裡當人類標記者，用的是一個小到能在瀏覽器裡訓練的 GPT。",
    loading: "載入中…",
    progress: "下載程式中",
    of: (got, total) => `下載程式中：${got}／${total}`,
    got: (got) => `下載程式中：${got}`,
    starting: "啟動中…",
    failed: "RLHF Playground 無法啟動。",
    noWasm: "這個瀏覽器不支援 WebAssembly，而 RLHF Playground 需要它。\n" +
            "請用新版的 Firefox、Chrome、Edge 或 Safari 開啟這個頁面。",
    noWebGL: "這個瀏覽器不支援 WebGL（或已關閉），而 RLHF Playground 需要它來繪圖。\n" +
             "請開啟硬體加速，或用新版的 Firefox、Chrome、Edge 或 Safari 開啟這個頁面。",
    engine: "引擎（worker.js）失敗：",
    http: (status, text) => `下載 app.wasm 失敗：HTTP ${status} ${text}`,
    exit: (code) => `程式以結束代碼 ${code} 停止。詳細資訊在瀏覽器的主控台。`,
  },
};

// The page's language by the app's rule (i18n.Match and i18n.Choose, which
// the app applies again): the URL's ?lang=, else the choice saved in this
// browser, else the first of the browser's languages the app has.
const pageLang = (() => {
  const match = (tag) => {
    const t = String(tag || "").trim().toLowerCase().replace(/_/g, "-");
    if (t === "en" || t.startsWith("en-")) return "en";
    if (t !== "zh" && !t.startsWith("zh-")) return null;
    for (const sub of t.split("-").slice(1)) {
      if (["hant", "tw", "hk", "mo"].includes(sub)) return "zh-TW";
      if (["hans", "cn", "sg", "my"].includes(sub)) return null;
    }
    return "zh-TW";
  };
  let saved = null;
  try { saved = localStorage.getItem("rlhf-lang"); } catch (e) { /* storage off */ }
  const tags = [new URLSearchParams(location.search).get("lang"), saved, ...(navigator.languages || [navigator.language])];
  for (const tag of tags) {
    const lang = match(tag);
    if (lang) return lang;
  }
  return "en";
})();

(async () => {
  const $ = (id) => document.getElementById(id);
  const progress = $("progress"), status = $("status");
  const w = words[pageLang];
  document.documentElement.lang = pageLang;
  if (pageLang !== "en") {
    document.querySelector(".tagline").textContent = w.tagline;
    status.textContent = w.loading;
    progress.setAttribute("aria-label", w.progress);
    // The Chinese font, beside app.wasm, so the first frame need not wait
    // for it (the app reads this promise: wasm/web_lang.go).
    window.rlhfFont = fetch("fonts/NotoSansCJKtc-Subset.otf")
      .then((r) => r.ok ? r.arrayBuffer() : Promise.reject(new Error("HTTP " + r.status)));
    window.rlhfFont.catch(() => {}); // the app reports a failure
  }

  const fail = (message) => {
    progress.hidden = true;
    status.textContent = w.failed;
    $("error").textContent = message;
    $("error").hidden = false;
  };
  const mb = (n) => (n / 1048576).toFixed(1) + " MB";

  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    fail(w.noWasm);
    return;
  }
  const probe = document.createElement("canvas");
  if (!(probe.getContext("webgl2") || probe.getContext("webgl"))) {
    fail(w.noWebGL);
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
    worker.onerror = (e) => fail(w.engine + (e.message || e));

    // performance.mark("rlhf:…") records start-up moments; the app reports
    // them in window.rlhf.state().startup_ms.
    performance.mark("rlhf:fetch");
    const response = await fetch("app.wasm");
    if (!response.ok) {
      throw new Error(w.http(response.status, response.statusText));
    }
    // The stream yields decoded bytes, so the total is the decoded size: the
    // server sends it as X-Decoded-Length when the transfer is compressed.
    const total = Number(response.headers.get("X-Decoded-Length") ||
      (response.headers.get("Content-Encoding") ? 0 : response.headers.get("Content-Length"))) || 0;
    const show = (received) => {
      if (total > 0) {
        progress.value = Math.min(received / total, 1);
        status.textContent = w.of(mb(received), mb(total));
      } else {
        status.textContent = w.got(mb(received));
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
      status.textContent = w.starting;
    })().catch(() => {});
    const go = new Go();
    go.exit = (code) => {
      if (code !== 0) fail(w.exit(code));
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
