//go:build !js || shippedmodels

package assets

import _ "embed"

// The shipped English checkpoints, made by cmd/mkcheckpoints (see
// README.md), built into every native program (cmd/rlhf, cmd/mkcheckpoints,
// the class server, the server of `go run .`, which serves them under
// /packs/en/). A js/wasm build has none (checkpoints_js.go) unless it is
// built with -tags shippedmodels, as cmd/wasmbench builds its workload.
var (
	//go:embed pretrained.ckpt
	Pretrained []byte // the model after pretraining on Corpus

	//go:embed sft.ckpt
	SFT []byte // Pretrained after supervised fine-tuning on Demonstrations
)
