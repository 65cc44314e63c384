// Package jsglobal names every JavaScript global that ties RLHF
// Playground's JavaScript files to its Go programs. No other global is
// ours; TestEveryGlobalIsListed fails on a name that is not listed here.
//
//	global           realm           set by                                  read by
//	rlhf             page            wasm/web.go: rlhf.state()               e2e tests, people at the console
//	rlhfWorker       page            loader.js: the engine's Web Worker      wasm/remote.go
//	rlhfInbox        page            loader.js: the worker's messages that   protocol.Port.Listen (app.wasm)
//	                                 came before app.wasm listened
//	rlhfInbox        worker          worker.js: the page's messages that     protocol.Port.Listen (worker.wasm)
//	                                 came before worker.wasm listened
//	rlhfFont         page            loader.js: a promise of the Chinese     wasm/web_lang.go (fetchFont)
//	                                 font's bytes, fetched beside app.wasm
//	                                 when the page starts in 繁體中文
//	rlhfLoadKernels  worker, Node    kernels.js: instantiates the SIMD       worker.js, node_exec.js,
//	                                 module on a Go instance's memory        cmd/wasmbench/page.html
//	rlhfKernels      worker, Node    kernels.js: the SIMD module's exports   worker/jskernels
//	rlhfKernelSet    worker, Node    kernels.js (URL ?kernels=),             worker/jskernels
//	                                 node_exec.js (RLHF_KERNELS)
//
// The page never loads kernels.js: app.wasm multiplies no matrix. Globals
// of others are not listed: Go (wasm_exec.js), ebiten's
// _ebitengine_textinput_* (whose handler loader.js installs without eval),
// and the e2e tests' __cspViolations and __e2eArmed. localStorage's keys
// rlhfplayground.journal (wasm/storage.go), rlhf-lang (wasm/web_lang.go and
// loader.js) and rlhf-model-lang (wasm/web_lang.go), the Web Lock and the
// BroadcastChannel rlhfplayground.session (wasm/lock.go) are names the tabs
// of one browser share, not globals.
package jsglobal

// The names of the globals above.
const (
	API         = "rlhf"
	Worker      = "rlhfWorker"
	Inbox       = "rlhfInbox"
	Font        = "rlhfFont"
	LoadKernels = "rlhfLoadKernels"
	Kernels     = "rlhfKernels"
	KernelSet   = "rlhfKernelSet"
)
