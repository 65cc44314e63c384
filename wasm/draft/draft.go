// Package draft holds the rules of ranking K answers on the Label screen,
// with no screen: a Ranking is the order so far, and every way the student
// acts on the cards (a key, a click, a drag, the Undo button) is one of its
// methods, so the rules are the same whichever is used. It is table-tested
// the way ebiten's 2048 example tests MoveTiles.
//
// The one rule beside "best first": a ranking never stops one card short.
// When K−1 cards are ranked the last card follows by itself, and taking
// back any of them takes the automatic last card with it.
package draft

import "slices"

// Ranking is a draft ranking of K cards (answers 0…K−1), best first.
type Ranking struct {
	k     int
	order []int // ranked cards, best first; never k−1 of them
}

// New starts an empty ranking of k cards.
func New(k int) Ranking { return Ranking{k: k} }

// K is the number of cards.
func (r *Ranking) K() int { return r.k }

// Len is the number of cards ranked so far.
func (r *Ranking) Len() int { return len(r.order) }

// Complete reports whether every card has its place.
func (r *Ranking) Complete() bool { return r.k > 0 && len(r.order) == r.k }

// Order returns the ranked cards, best first (all K once Complete).
func (r *Ranking) Order() []int { return slices.Clone(r.order) }

// Rank returns card's place (0 for the best), or −1 if it is not ranked.
func (r *Ranking) Rank(card int) int { return slices.Index(r.order, card) }

// Display returns the cards top to bottom: the ranked ones best first,
// then the others in their own order.
func (r *Ranking) Display() []int {
	out := slices.Clone(r.order)
	for i := range r.k {
		if !slices.Contains(r.order, i) {
			out = append(out, i)
		}
	}
	return out
}

// Pick ranks card next, below the cards ranked so far (key 1…K, or a click
// on an unranked card). A card already ranked, or out of range, is ignored.
func (r *Ranking) Pick(card int) {
	if card < 0 || card >= r.k || slices.Contains(r.order, card) {
		return
	}
	r.order = append(r.order, card)
	r.grow()
}

// Unrank takes back card and every card ranked after it (a click on a
// ranked card).
func (r *Ranking) Unrank(card int) {
	if pos := slices.Index(r.order, card); pos >= 0 {
		r.order = r.order[:pos]
		r.shrink()
	}
}

// Undo takes back the last card ranked (Backspace, the Undo button).
func (r *Ranking) Undo() {
	if len(r.order) > 0 {
		r.order = r.order[:len(r.order)-1]
		r.shrink()
	}
}

// Drop puts card at display slot (a drag): the cards on screen, down to that
// slot or to the last ranked one if it is lower, become the ranking.
func (r *Ranking) Drop(card, slot int) {
	if card < 0 || card >= r.k || slot < 0 {
		return
	}
	disp := slices.DeleteFunc(r.Display(), func(i int) bool { return i == card })
	disp = slices.Insert(disp, min(slot, len(disp)), card)
	r.order = disp[:min(max(len(r.order), slot+1), r.k)]
	r.grow()
}

// grow adds the last card when one card short.
func (r *Ranking) grow() {
	if r.k > 1 && len(r.order) == r.k-1 {
		r.order = r.Display()
	}
}

// shrink takes back the automatic last card with the one that brought it.
func (r *Ranking) shrink() {
	if r.k > 1 && len(r.order) == r.k-1 {
		r.order = r.order[:r.k-2]
	}
}
