package sim

import (
	"slices"
	"testing"
)

// TestRepeatedAnswers: the answers drawCandidate draws again are those equal
// to an earlier one, each repeat once.
func TestRepeatedAnswers(t *testing.T) {
	for _, tc := range []struct {
		answers []string
		want    []int
	}{
		{nil, nil},
		{[]string{"a", "b", "c", "d"}, nil},
		{[]string{"a", "a", "b", "c"}, []int{1}},
		{[]string{"a", "b", "a", "a"}, []int{2, 3}},
		{[]string{"a", "b", "b", "a"}, []int{2, 3}},
		{[]string{"", ""}, []int{1}},
	} {
		if got := repeatedAnswers(tc.answers); !slices.Equal(got, tc.want) {
			t.Errorf("repeatedAnswers(%q) = %v, want %v", tc.answers, got, tc.want)
		}
	}
}
