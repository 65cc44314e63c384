package sim

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

// classRankings are rankings as the class server pools them: the same
// prompt and answers ranked by several students, best first "drinks milk".
func classRankings(n int) []Ranking {
	var rs []Ranking
	for i := range n {
		rs = append(rs, Ranking{Prompt: "the cat", Answers: []string{"drinks milk .", "the dog .", "cat cat"},
			Order: []int{0, 1, 2}, Labeler: []string{"ana", "bo", "cy"}[i%3]})
	}
	return rs
}

// TestOfferedSetIsRankedAsACandidate: a set from the class server waits as
// a candidate does, its ranking is filed with its texts (so the student's
// own reward model trains on it), and a bad set is refused.
func TestOfferedSetIsRankedAsACandidate(t *testing.T) {
	lab := tinyLab(t, DefaultSettings())
	drawn := lab.Candidate()
	c, err := lab.Offer("the dog", []string{"a", "b", "c"})
	if err != nil || c.ID == drawn.ID || lab.Candidate().ID != c.ID || c.Prompt != "the dog" || len(c.Answers) != 3 {
		t.Fatalf("Offer: %+v, %v; want a new waiting candidate of 3 answers", c, err)
	}
	r, err := lab.Rank(c.ID, []int{2, 0, 1})
	if err != nil || r.Prompt != "the dog" || !slices.Equal(r.Answers, []string{"a", "b", "c"}) || r.Labeler != You {
		t.Fatalf("ranking the offered set: %+v, %v", r, err)
	}
	if lab.Candidate().ID == c.ID || len(lab.Rankings) != 1 || lab.Status().YourRankings != 1 {
		t.Errorf("after ranking: candidate %d, %d rankings", lab.Candidate().ID, len(lab.Rankings))
	}
	if _, err := lab.Offer("the dog", []string{"only one"}); err == nil {
		t.Error("a set of one answer was offered")
	}
}

// TestPooledRewardJob: the class model trains on the pooled rankings apart
// from the session, comes out normalised, and a student's session can use
// it for PPO, compare it, go back to their own, and keep it across a save.
func TestPooledRewardJob(t *testing.T) {
	teacher := tinyLab(t, DefaultSettings())
	if _, err := teacher.StartPooledRewardJob(nil); !errors.Is(err, ErrNoRankings) {
		t.Fatalf("no rankings: %v, want ErrNoRankings", err)
	}
	bad := Ranking{Prompt: "the cat", Answers: []string{"a", "b"}, Order: []int{0, 0}}
	job, err := teacher.StartPooledRewardJob(append(classRankings(10), bad))
	if err != nil {
		t.Fatal(err)
	}
	if job.Used() != 10 || job.Checkpoint() != nil {
		t.Fatalf("used %d, want 10 (the bad one left out); a checkpoint before training", job.Used())
	}
	for !job.Finished() {
		if _, err := job.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if job.Done() != job.Steps() || job.Eval().Pairs == 0 || len(teacher.Rankings) != 0 || teacher.RM != nil || len(teacher.History.Reward) != 0 {
		t.Errorf("after the job: done %d of %d, eval %+v; the teacher's session has %d rankings, RM %v",
			job.Done(), job.Steps(), job.Eval(), len(teacher.Rankings), teacher.RM != nil)
	}
	var buf bytes.Buffer
	if err := WriteCheckpoint(&buf, job.Checkpoint()); err != nil {
		t.Fatal(err)
	}
	ckpt, err := ReadCheckpoint(&buf)
	if err != nil || ckpt.Norm == nil || ckpt.Norm.Gain == 1 {
		t.Fatalf("the class checkpoint: %v, norm %+v; want one normalised", err, ckpt.Norm)
	}

	student := tinyLab(t, DefaultSettings())
	if _, err := student.PPOStep(); !errors.Is(err, ErrNoRewardModel) {
		t.Fatalf("PPO before any reward model: %v", err)
	}
	policy := &Checkpoint{Config: ckpt.Config, Vocab: ckpt.Vocab, Params: ckpt.Params}
	if err := student.UseRewardModel(policy, "class v1"); !errors.Is(err, ErrNotRewardModel) {
		t.Errorf("a checkpoint without normalisation: %v, want ErrNotRewardModel", err)
	}
	for _, r := range classRankings(10) {
		r.Labeler = You
		r.ID = 0
		if err := student.AddRanking(r); err != nil {
			t.Fatal(err)
		}
	}
	own, err := student.StartRewardJob()
	if err != nil {
		t.Fatal(err)
	}
	for !own.Finished() {
		own.Step()
	}
	ownRM := student.RM
	if err := student.UseRewardModel(ckpt, "class v1"); err != nil {
		t.Fatal(err)
	}
	st := student.Status()
	if st.RMSource != "class v1" || !st.OwnRM || st.ClassRMAccuracy == nil || student.RM == ownRM {
		t.Fatalf("on the class model: source %q, own kept %v, accuracy %v", st.RMSource, st.OwnRM, st.ClassRMAccuracy)
	}
	if _, err := student.PPOStep(); err != nil {
		t.Fatalf("PPO on the class model: %v", err)
	}
	var snap bytes.Buffer
	if err := student.WriteSnapshot(&snap); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSnapshot(snap.Bytes(), student.Data)
	if err != nil {
		t.Fatal(err)
	}
	if bs := back.Status(); bs.RMSource != "class v1" || !bs.OwnRM || bs.ClassRMAccuracy == nil || *bs.ClassRMAccuracy != *st.ClassRMAccuracy {
		t.Errorf("restored: source %q, own %v, accuracy %v; want as saved", bs.RMSource, bs.OwnRM, bs.ClassRMAccuracy)
	}
	student.UseOwnRewardModel()
	if st := student.Status(); st.RMSource != "" || st.OwnRM || student.RM != ownRM || student.Policy() != nil {
		t.Errorf("back to the own model: source %q, own kept %v, RM is own %v, policy %v", st.RMSource, st.OwnRM, student.RM == ownRM, student.Policy() != nil)
	}
	// Training while the class model is in use trains the student's own.
	if err := student.UseRewardModel(ckpt, "class v1"); err != nil {
		t.Fatal(err)
	}
	if _, err := student.RewardStep(); err != nil || student.RM != ownRM || student.RewardSource() != "" {
		t.Errorf("a reward step on the class model: %v; own model back %v, source %q", err, student.RM == ownRM, student.RewardSource())
	}
}
