package assets

import "rlhfplayground/sim"

// Recipe is how a pack's shipped checkpoints are made: cmd/mkcheckpoints
// runs it, and cmd/rlhf redoes its SFT from the pretrained checkpoint, so
// the headless recipe and the app start from the same model.
// docs/model-sweep.md says how it was chosen.
type Recipe struct {
	Model         sim.Config // the model's shape; Vocab is the pack's vocabulary's size
	Pretrain      sim.PretrainConfig
	PretrainSteps int
	SFT           sim.SFTConfig
	SFTSteps      int
	Seed          uint64
}

// Recipe returns the pack's recipe, with the model's vocabulary size left 0
// (the tokenizer built from the pack's text fixes it).
func (p *Pack) Recipe() Recipe {
	r := Recipe{Model: sim.DefaultConfig(0), Pretrain: sim.DefaultPretrainConfig(), SFT: sim.DefaultSFTConfig(),
		PretrainSteps: 6000, SFTSteps: 4000, Seed: 1}
	r.Model.Layers, r.Model.Embd, r.Model.Heads, r.Model.MLP = 4, 96, 4, 384
	r.Pretrain.Schedule = sim.Schedule{Warmup: 200, Decay: r.PretrainSteps}
	r.SFT.Schedule = sim.Schedule{Warmup: 50, Decay: r.SFTSteps}
	r.SFT.Dropout = 0.2 // docs/model-sweep.md, "Dropout": more on topic, and more grammatical
	return r
}

// WithSteps returns r with other step counts, its schedules stretched to them.
func (r Recipe) WithSteps(pretrain, sft int) Recipe {
	r.PretrainSteps, r.SFTSteps = pretrain, sft
	r.Pretrain.Schedule.Decay, r.SFT.Schedule.Decay = pretrain, sft
	return r
}
