package sim

import "testing"

func TestEndsProperly(t *testing.T) {
	for _, tc := range []struct {
		ids  []int
		want bool
	}{
		{nil, false},
		{[]int{EndID}, true},
		{[]int{NumSpecial, EndID}, true},
		{[]int{NumSpecial, NumSpecial}, false},                // ran out of tokens
		{[]int{NumSpecial, UserID, NumSpecial, EndID}, false}, // wrote the user's turn
		{[]int{BotID, EndID}, false},
		{[]int{BeginID, EndID}, false},
	} {
		if got := EndsProperly(tc.ids); got != tc.want {
			t.Errorf("EndsProperly(%v) = %v, want %v", tc.ids, got, tc.want)
		}
	}
}
