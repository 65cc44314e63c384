// Package sim is the engine of RLHF Playground: a tiny GPT and the whole
// recipe of InstructGPT/ChatGPT, in pure Go, with no screen and no
// JavaScript. It builds natively and for GOOS=js GOARCH=wasm, and a seed
// replays a run exactly.
//
// The Lab owns a session and computes every fact about it that a screen
// shows (Status, Candidate, Probe, Samples, Compare) and every job a button
// starts (PretrainStep, SFTStep, RewardJob, PPOStep, AutoLabel): the app's
// worker only dispatches commands to it (worker/dispatch) and cmd/rlhf
// calls the same methods.
//
// # The pipeline, file by file
//
//	tokenizer.go  words ↔ ids: lower-cased words, punctuation and CJK characters as tokens
//	gpt.go        the model: embeddings, pre-LayerNorm blocks, tied LM head, scalar head
//	layers.go     every layer's forward pass with its backward pass directly below
//	attention.go  float32 attention as small matrix products through the kernels; softmaxRows
//	fastmath.go   float32 exp for softmax and GELU, a prefix to the kernels' Exp (the float64 path keeps package math)
//	kernels/      the matrix products, a naive reference beside each fast one
//	loss.go       cross-entropy with temperature, entropy
//	adamw.go      AdamW with gradient-norm clipping
//	sample.go     sampling with a KV cache, temperature and top-k; what PPO keeps of each drawn token
//	chat.go       the chat format: <bos> <user> prompt <bot> answer <eos>
//	data.go       demonstrations and their file format
//	batch.go      sequences into (B, T) batches (padBatch, the one packer), batches of similar length, epoch order
//	lm.go         the language-model step that pretraining and SFT share
//	pretrain.go   step 0, pretraining: next-token prediction on plain sentences
//	sft.go        step 1, supervised fine-tuning on demonstrations (loss on the answer only)
//	labeler.go    who ranks answers: simulated personas (the person in the browser is You)
//	reward.go     step 2, the reward model: pairwise loss over each ranking's K(K−1)/2 pairs
//	rewardjob.go  "Train reward model": RewardConfig.Epochs passes, then the held-out evaluation
//	ppo.go        step 3, PPO against the reward model with a per-token KL penalty
//	stats.go      MeanStd
//	lab.go        Lab: one session's models, data, settings and metric history; Status
//	labeling.go   the answers waiting for a ranking (Candidate, Rank, Skip), agreement, newest rankings; Rerank (a new taste) and RestartRewardModel
//	probe.go      what the policy-shift panel shows: next-token probabilities, per-token KL
//	screen.go     what the pretraining and SFT screens show: sentences, answers before and after SFT
//	snapshot.go   a session in one file; checkpoint.go, one model's weights
//	journal.go    the student's actions, numbered, so each is applied once after a reload
//	limits.go     how much text, how large a file, how many rankings the engine takes
//	bench.go      bench-S, the model the TensorFlow.js peer trains, for speed and correctness
//
// # Shapes
//
// B is the batch (sequences), T the time (tokens per sequence), C the
// channels (d_model), V the vocabulary, H the heads (C/H channels each), L
// the blocks. Activations are row-major (B, T, C); attention weights (B, H,
// T, T). Linear weights are stored (in, out), so a layer computes inp · W.
//
// # Conventions
//
// Each layer is a pair: xxxForward writes its outputs, which come first in
// its arguments; xxxBackward adds into the gradients of its inputs (d prefix)
// and never assigns them, so two calls double a gradient. All parameters of a
// model live in one slab (Weights.Data) with named views; gradients use the
// same layout, and AdamW is one flat loop. The model is generic over the
// element type: float32 in the app (GPT = Model[float32]) and float64 in the
// gradient checks. Misuse panics with a "sim: " message; bad data, bad
// settings and diverged steps return errors, and the conditions a student
// is told about wrap a sentinel (ErrDiverged, ErrNoRankings, …) that the
// protocol turns into a code the page words.
//
// # Randomness
//
// Every random draw comes from a stream of Streams (rng.go), all derived from
// Settings.Seed: Init (weights and heads), Data (order of training examples),
// Sample (answers for labelling and PPO rollouts), PPO (rollout prompts and
// minibatch shuffles), Labeler (simulated labelers' noise) and Screen
// (answers and sentences drawn only to be shown: the probe, the SFT
// comparison, the pretraining samples, which therefore never change a run).
// The lowest-level sampler takes its coin: sampleIndex(probs, coin).
package sim
