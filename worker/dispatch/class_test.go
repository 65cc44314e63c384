package dispatch

import (
	"encoding/json"
	"testing"

	"rlhfplayground/assets"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// TestClassReward drives the class's commands as the pages do: the
// teacher's tab trains the class reward model on pooled rankings (its own
// session untouched) and gets the checkpoint; a student's tab ranks a set
// from the class server, takes the class model, runs PPO on it, and goes
// back to their own.
func TestClassReward(t *testing.T) {
	data, err := assets.LabData()
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() (*sim.Lab, error) { return assets.NewLab(sim.DefaultSettings(), data) }
	newTab := func() (*Dispatcher, *sim.Lab, *[][]byte, *recorder) {
		lab, err := fresh()
		if err != nil {
			t.Fatal(err)
		}
		var rec recorder
		var files [][]byte
		d := New(lab, data, fresh, func(u protocol.Update, file []byte) {
			rec.emit(u, file)
			files = append(files, file)
		})
		d.Handle(1, protocol.Hello{}, nil)
		return d, lab, &files, &rec
	}

	// The class's rankings: a persona's, as if from three students.
	pool, err := fresh()
	if err != nil {
		t.Fatal(err)
	}
	if err := pool.AutoLabel(12); err != nil {
		t.Fatal(err)
	}
	for i := range pool.Rankings {
		pool.Rankings[i].Labeler, pool.Rankings[i].ID = []string{"ana", "bo", "cy"}[i%3], 0
	}
	pooled, _ := json.Marshal(pool.Rankings)

	teacher, tlab, tfiles, trec := newTab()
	teacher.Handle(2, protocol.TrainClassReward{}, []byte("{not json"))
	if m, _ := last[protocol.Message](trec); m.Code != protocol.Failed || teacher.Busy() {
		t.Fatalf("rankings that are not JSON: %+v, busy %v", m, teacher.Busy())
	}
	teacher.Handle(3, protocol.TrainClassReward{}, pooled)
	if !teacher.Busy() || teacher.job != protocol.JobClassReward {
		t.Fatalf("the class job: busy %v, job %q", teacher.Busy(), teacher.job)
	}
	for teacher.Work() {
	}
	done, ok := last[protocol.ClassRewardModel](trec)
	ckpt := (*tfiles)[len(*tfiles)-1]
	if !ok || done.Rankings != 12 || done.Eval.Pairs == 0 || len(ckpt) == 0 {
		t.Fatalf("the class model: %+v, %d bytes", done, len(ckpt))
	}
	if len(tlab.Rankings) != 0 || tlab.RM != nil {
		t.Errorf("the teacher's session took %d rankings, RM %v: the class model is trained apart", len(tlab.Rankings), tlab.RM != nil)
	}

	student, slab, _, srec := newTab()
	set := pool.Rankings[0]
	student.Handle(2, protocol.Offer{Prompt: set.Prompt, Answers: set.Answers}, nil)
	cand, _ := last[protocol.Candidate](srec)
	if cand.Prompt != set.Prompt || len(cand.Answers) != len(set.Answers) {
		t.Fatalf("the offered set: %+v", cand)
	}
	student.Handle(3, protocol.Rank{Candidate: cand.ID, Order: []int{3, 2, 1, 0}, Seq: 1}, nil)
	if len(slab.Rankings) != 1 || slab.Rankings[0].Prompt != set.Prompt {
		t.Fatalf("the ranking of the offered set: %+v", slab.Rankings)
	}
	student.Handle(4, protocol.UseRewardModel{Source: "class v1"}, []byte("not a checkpoint"))
	if m, _ := last[protocol.Message](srec); m.Code != protocol.Failed || slab.RewardSource() != "" {
		t.Fatalf("a broken checkpoint: %+v, source %q", m, slab.RewardSource())
	}
	student.Handle(5, protocol.UseRewardModel{Source: "class v1"}, ckpt)
	if scored, _ := last[protocol.Candidate](srec); slab.RewardSource() != "class v1" || len(scored.Scores) != len(scored.Answers) {
		t.Fatalf("on the class model: source %q, scores %v", slab.RewardSource(), scored.Scores)
	}
	student.Handle(6, protocol.Step{Job: protocol.JobPPO}, nil)
	for student.Work() {
	}
	if len(slab.History.PPO) != 1 {
		t.Fatalf("PPO on the class model: %d iterations, messages %+v", len(slab.History.PPO), srec.got)
	}
	srec.got = nil
	student.Flush()
	if p, _ := last[protocol.Progress](srec); p.State.RMSource != "class v1" || !p.State.HasPolicy {
		t.Errorf("state: source %q, policy %v", p.State.RMSource, p.State.HasPolicy)
	}
	student.Handle(7, protocol.UseOwnRewardModel{}, nil)
	if slab.RewardSource() != "" || slab.Policy() != nil {
		t.Errorf("back to the own model: source %q, policy %v", slab.RewardSource(), slab.Policy() != nil)
	}
}
