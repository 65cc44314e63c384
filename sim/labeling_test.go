package sim

import (
	"errors"
	"slices"
	"testing"
)

// TestAnswersToRedraw: the answers drawCandidate draws again are those equal
// to an earlier one, each repeat once, and the empty ones.
func TestAnswersToRedraw(t *testing.T) {
	for _, tc := range []struct {
		answers []string
		want    []int
	}{
		{nil, nil},
		{[]string{"a", "b", "c", "d"}, nil},
		{[]string{"a", "a", "b", "c"}, []int{1}},
		{[]string{"a", "b", "a", "a"}, []int{2, 3}},
		{[]string{"a", "b", "b", "a"}, []int{2, 3}},
		{[]string{"", ""}, []int{0, 1}},
		{[]string{"a", " ", "b", ""}, []int{1, 3}},
	} {
		if got := answersToRedraw(tc.answers); !slices.Equal(got, tc.want) {
			t.Errorf("answersToRedraw(%q) = %v, want %v", tc.answers, got, tc.want)
		}
	}
}

// TestRerank: changing your mind. The personas' rankings are ranked again by
// the new persona, the student's are kept, the reward model starts over, and
// PPO goes on with the same policy once the new reward model is trained.
func TestRerank(t *testing.T) {
	s := DefaultSettings()
	s.PPO.Batch, s.PPO.MiniBatch = 4, 2
	lab := tinyLab(t, s)
	long := &Persona{Name: "long", PerToken: 1}
	short := &Persona{Name: "short", PerToken: -1}
	lab.CustomPersona = long
	s.Persona = "long"
	if err := lab.SetSettings(s); err != nil {
		t.Fatal(err)
	}
	if err := lab.AutoLabel(5); err != nil {
		t.Fatal(err)
	}
	mine := Ranking{Prompt: "the cat", Answers: []string{"drinks milk .", "sleeps ."}, Order: []int{1, 0}, Labeler: You}
	if err := lab.AddRanking(mine); err != nil {
		t.Fatal(err)
	}
	if _, err := lab.RewardStep(); err != nil {
		t.Fatal(err)
	}
	if _, err := lab.PPOStep(); err != nil {
		t.Fatal(err)
	}
	policy, oldRM := lab.Policy(), lab.RM
	lab.CustomPersona = short
	s.Persona = "short"
	if err := lab.SetSettings(s); err != nil {
		t.Fatal(err)
	}
	n, err := lab.Rerank()
	if err != nil || n != 5 {
		t.Fatalf("Rerank = %d, %v; want the 5 persona rankings", n, err)
	}
	for _, r := range lab.Rankings {
		if r.Labeler == You {
			if !slices.Equal(r.Order, mine.Order) {
				t.Errorf("the student's ranking became %v, want %v kept", r.Order, mine.Order)
			}
			continue
		}
		if want := short.Rank(r.Prompt, r.Answers, nil); r.Labeler != "short" || !slices.Equal(r.Order, want) {
			t.Errorf("ranking %d: labeler %q, order %v; want short's %v", r.ID, r.Labeler, r.Order, want)
		}
	}
	if lab.RM != nil || lab.History.Reward != nil || lab.History.Norm != nil {
		t.Fatal("the reward model was kept")
	}
	if _, err := lab.PPOStep(); !errors.Is(err, ErrNoRewardModel) {
		t.Fatalf("PPO before the new reward model: %v, want ErrNoRewardModel", err)
	}
	if _, err := lab.RewardStep(); err != nil {
		t.Fatal(err)
	}
	st, err := lab.PPOStep()
	if err != nil {
		t.Fatal(err)
	}
	if lab.Policy() != policy || lab.RM == oldRM || lab.ppo.RM != lab.RM || st.Iteration != 2 {
		t.Fatalf("after the new reward model: same policy %v, new RM %v, PPO scores with it %v, iteration %d; want true, true, true, 2",
			lab.Policy() == policy, lab.RM != oldRM, lab.ppo.RM == lab.RM, st.Iteration)
	}
}
