package sim

import "math/rand/v2"

// Streams are the independent random sources of one run, all made from one
// seed. Each kind of draw has its own stream, so drawing for one purpose
// (sampling answers to show on screen, say) never shifts another (the order
// of training data), and a seed replays a whole classroom demo.
type Streams struct {
	Init    *rand.Rand // initial weights and heads
	Data    *rand.Rand // order of training examples (pretraining, SFT, reward model)
	Sample  *rand.Rand // tokens of answers drawn for labelling and PPO rollouts
	PPO     *rand.Rand // prompts of each rollout batch and the minibatch shuffles
	Labeler *rand.Rand // simulated labelers' noise
	Screen  *rand.Rand // answers drawn only to be shown (probes, previews)
}

// NewStreams derives the streams from seed.
func NewStreams(seed uint64) *Streams {
	s := func(i uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, i)) }
	return &Streams{Init: s(1), Data: s(2), Sample: s(3), PPO: s(4), Labeler: s(5), Screen: s(6)}
}
