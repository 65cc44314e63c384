//go:build js && !shippedmodels

package assets

// In a js/wasm build the English checkpoints are not built in: they are
// 1.1 MB that a Chinese session never needs, so the engine's worker fetches
// them from the server (/packs/en/, worker/packs.go) when an English session
// needs a fresh model, as it fetches every other language's pack. Pretrained
// and SFT are nil here, and Models says ErrNoCheckpoints; the text data
// stays built in, so a stored English session is restored without a fetch.
var Pretrained, SFT []byte
