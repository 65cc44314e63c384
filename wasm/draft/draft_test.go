package draft

import (
	"fmt"
	"slices"
	"testing"
)

// op is one action on a ranking, written as in the table: "pick 2",
// "unrank 1", "undo", "drop 0 3" (card 0 to slot 3).
type op struct {
	name string
	a, b int
}

func pick(c int) op          { return op{"pick", c, 0} }
func unrank(c int) op        { return op{"unrank", c, 0} }
func undo() op               { return op{"undo", 0, 0} }
func drop(card, slot int) op { return op{"drop", card, slot} }

func (o op) apply(r *Ranking) {
	switch o.name {
	case "pick":
		r.Pick(o.a)
	case "unrank":
		r.Unrank(o.a)
	case "undo":
		r.Undo()
	case "drop":
		r.Drop(o.a, o.b)
	}
}

func (o op) String() string {
	switch o.name {
	case "undo":
		return "undo"
	case "drop":
		return fmt.Sprintf("drop %d at %d", o.a, o.b)
	}
	return fmt.Sprintf("%s %d", o.name, o.a)
}

// TestRanking plays each row's actions on an empty ranking of K cards and
// compares the order, and whether it is complete, with the row's.
func TestRanking(t *testing.T) {
	for _, tc := range []struct {
		name string
		k    int
		ops  []op
		want []int
	}{
		{"empty", 4, nil, []int{}},
		{"pick best first", 4, []op{pick(2), pick(0)}, []int{2, 0}},
		{"the last card follows the next-to-last", 4, []op{pick(1), pick(0), pick(3)}, []int{1, 0, 3, 2}},
		{"a card is picked once", 4, []op{pick(1), pick(1)}, []int{1}},
		{"keys past K do nothing", 4, []op{pick(4), pick(-1)}, []int{}},
		{"undo takes back the last pick", 4, []op{pick(1), pick(0), undo()}, []int{1}},
		// Backspace and the Undo button both call Undo: from a complete
		// ranking it takes back the automatic card and the pick before it.
		{"undo from complete", 4, []op{pick(1), pick(0), pick(3), undo()}, []int{1, 0}},
		{"undo from complete, then a new pick", 4, []op{pick(1), pick(0), pick(3), undo(), pick(2)}, []int{1, 0, 2, 3}},
		{"undo on nothing", 4, []op{undo()}, []int{}},
		{"unrank a card and those after it", 4, []op{pick(3), pick(1), unrank(3)}, []int{}},
		{"unrank the automatic card", 4, []op{pick(1), pick(0), pick(3), unrank(2)}, []int{1, 0}},
		{"unrank a card not ranked", 4, []op{pick(1), unrank(2)}, []int{1}},
		{"drag the first card to the last slot ranks all", 4, []op{drop(0, 3)}, []int{1, 2, 3, 0}},
		{"drag to the top", 4, []op{drop(2, 0)}, []int{2}},
		{"drag to slot 1 ranks two", 4, []op{drop(3, 1)}, []int{0, 3}},
		{"drag into the ranked cards: as many stay ranked", 4, []op{pick(2), pick(1), drop(0, 1)}, []int{2, 0}},
		{"drag to the next-to-last slot completes", 4, []op{drop(3, 2)}, []int{0, 1, 3, 2}},
		{"drag within a complete ranking", 4, []op{pick(0), pick(1), pick(2), drop(3, 0)}, []int{3, 0, 1, 2}},
		{"drag past the end", 4, []op{drop(1, 9)}, []int{0, 2, 3, 1}},
		{"K = 2: one pick completes", 2, []op{pick(1)}, []int{1, 0}},
		{"K = 2: undo empties", 2, []op{pick(1), undo()}, []int{}},
		{"K = 2: drag to the top completes", 2, []op{drop(1, 0)}, []int{1, 0}},
		{"K = 9: eight picks complete", 9, []op{pick(8), pick(7), pick(6), pick(5), pick(4), pick(3), pick(2), pick(1)}, []int{8, 7, 6, 5, 4, 3, 2, 1, 0}},
		{"K = 9: seven picks do not", 9, []op{pick(8), pick(7), pick(6), pick(5), pick(4), pick(3), pick(2)}, []int{8, 7, 6, 5, 4, 3, 2}},
		{"K = 9: undo from complete", 9, []op{pick(0), pick(1), pick(2), pick(3), pick(4), pick(5), pick(6), pick(7), undo()}, []int{0, 1, 2, 3, 4, 5, 6}},
		{"K = 9: drag to slot 4", 9, []op{drop(8, 4)}, []int{0, 1, 2, 3, 8}},
		{"K = 9: drag to slot 7 completes", 9, []op{drop(0, 7)}, []int{1, 2, 3, 4, 5, 6, 7, 0, 8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := New(tc.k)
			for _, o := range tc.ops {
				o.apply(&r)
				if r.Len() == tc.k-1 && tc.k > 1 {
					t.Fatalf("after %v: %v is one card short", o, r.Order())
				}
			}
			if got := r.Order(); !slices.Equal(got, tc.want) {
				t.Errorf("%v: order %v, want %v", tc.ops, got, tc.want)
			}
			if r.Complete() != (len(tc.want) == tc.k) {
				t.Errorf("%v: complete %v with %d of %d cards", tc.ops, r.Complete(), len(tc.want), tc.k)
			}
			if d := r.Display(); !slices.Equal(d[:len(tc.want)], tc.want) || len(d) != tc.k {
				t.Errorf("display %v does not start with the ranking %v", d, tc.want)
			}
		})
	}
}

// TestRankOfACard: Rank is the card's place, −1 before it is ranked.
func TestRankOfACard(t *testing.T) {
	r := New(3)
	r.Pick(2)
	if r.Rank(2) != 0 || r.Rank(0) != -1 {
		t.Errorf("after pick 2: ranks %d %d, want 0 and -1", r.Rank(2), r.Rank(0))
	}
	r.Pick(0)
	if r.Rank(1) != 2 || !r.Complete() {
		t.Errorf("the automatic last card has rank %d, complete %v", r.Rank(1), r.Complete())
	}
}
