package dispatch

import (
	"testing"

	"rlhfplayground/protocol"
)

// TestPPOTrace: PPOTrace before a reward model is refused; after one, it
// stops a PPO run, runs one iteration (one more entry in the history) and
// answers with the trace of that iteration.
func TestPPOTrace(t *testing.T) {
	d, rec := tinyDispatchers(t)()
	d.Handle(1, protocol.PPOTrace{}, nil)
	if m, ok := last[protocol.Message](rec); !ok || m.Code != protocol.NoRewardModel || m.Job != protocol.JobPPO {
		t.Fatalf("PPOTrace without a reward model: %+v", rec.got)
	}
	d.Handle(2, protocol.AutoLabel{N: 4}, nil)
	for d.Work() {
	}
	d.Handle(3, protocol.TrainReward{}, nil)
	for d.Work() {
	}
	d.Handle(4, protocol.Run{Job: protocol.JobPPO}, nil)
	d.Work()
	rec.got = nil
	d.Handle(5, protocol.PPOTrace{}, nil)
	tr, ok := last[protocol.Trace](rec)
	if !ok || d.Busy() {
		t.Fatalf("after PPOTrace: busy %v, updates %+v", d.Busy(), rec.got)
	}
	if n := len(d.Lab.History.PPO); tr.Iteration != 2 || n != 2 || len(tr.Words) == 0 || len(tr.NewProb) != len(tr.Words) {
		t.Fatalf("trace of iteration %d (%d words, %d probabilities), history has %d", tr.Iteration, len(tr.Words), len(tr.NewProb), n)
	}
}
