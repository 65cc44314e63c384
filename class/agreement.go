package class

// How often students agree. InstructGPT (Ouyang et al. 2022, §5.1 and
// appendix B.4) reports that its labelers agree with each other on about
// 73% of comparisons; here the comparisons are the answer pairs of a
// candidate set that several students ranked. Pure functions: they take the
// votes and return the figures, so they are tested on hand-made tables.

import (
	"rlhfplayground/class/api"
	"rlhfplayground/class/request"
	"rlhfplayground/sim"
)

// A Vote is one student's ranking of one set.
type Vote struct {
	Student int   // index into the class's student list
	Set     int   // the set's number
	Order   []int // best first, a permutation of 0…K-1
}

// Agreement computes the dashboard's figures for n students from their
// votes:
//
//   - pairwise: for students a and b, the mean over the sets both ranked of
//     sim.Agreement(order_a, order_b);
//   - majority: for student s, the mean over the sets s shares with others of
//     the share of answer pairs (i, j) that s orders as most of the others
//     do (leave-one-out), a tie among the others counting ½. Pair by pair
//     is the measure a Kemeny consensus maximises, and it needs no tie
//     breaking when the others' majority is not a ranking (a cycle);
//   - class: the mean of sim.Agreement over every two votes on the same set
//     by different students, the figure InstructGPT reports.
//
// A student's second vote on a set, or a vote whose K differs from the
// set's first vote, cannot come from the store; it is ignored.
func Agreement(n int, votes []Vote) api.Agreement {
	sum := make([][]float64, n)
	out := api.Agreement{Pairwise: make([][]*float64, n), Shared: make([][]int, n), Majority: make([]*float64, n)}
	for i := range n {
		sum[i] = make([]float64, n)
		out.Pairwise[i] = make([]*float64, n)
		out.Shared[i] = make([]int, n)
	}
	majSum, majSets := make([]float64, n), make([]int, n)
	var classSum float64
	for _, set := range groupBySet(n, votes) {
		for x, a := range set {
			for _, b := range set[x+1:] {
				ag := sim.Agreement(a.Order, b.Order)
				sum[a.Student][b.Student] += ag
				sum[b.Student][a.Student] += ag
				out.Shared[a.Student][b.Student]++
				out.Shared[b.Student][a.Student]++
				classSum += ag
				out.Comparisons++
			}
		}
		if len(set) < 2 {
			continue
		}
		for x, v := range set {
			majSum[v.Student] += majorityAgreement(v.Order, set, x)
			majSets[v.Student]++
		}
	}
	for a := range n {
		for b := range n {
			if a != b && out.Shared[a][b] > 0 {
				out.Pairwise[a][b] = ptr(sum[a][b] / float64(out.Shared[a][b]))
			}
		}
		if majSets[a] > 0 {
			out.Majority[a] = ptr(majSum[a] / float64(majSets[a]))
		}
	}
	if out.Comparisons > 0 {
		out.Class = ptr(classSum / float64(out.Comparisons))
	}
	return out
}

func ptr(x float64) *float64 { return &x }

// groupBySet returns the valid votes of each set, sets in order of first
// appearance: one vote per student, all of the first vote's K, students in
// range.
func groupBySet(n int, votes []Vote) [][]Vote {
	index := map[int]int{}
	var sets [][]Vote
	seen := map[[2]int]bool{}
	for _, v := range votes {
		if v.Student < 0 || v.Student >= n || seen[[2]int{v.Set, v.Student}] || !request.IsPermutation(v.Order) {
			continue
		}
		i, ok := index[v.Set]
		if !ok {
			i = len(sets)
			index[v.Set] = i
			sets = append(sets, nil)
		}
		if len(sets[i]) > 0 && len(sets[i][0].Order) != len(v.Order) {
			continue
		}
		seen[[2]int{v.Set, v.Student}] = true
		sets[i] = append(sets[i], v)
	}
	return sets
}

// majorityAgreement is the share of answer pairs that order puts as the
// majority of the votes other than votes[self] does (ties ½); 1 for K < 2.
func majorityAgreement(order []int, votes []Vote, self int) float64 {
	K := len(order)
	if K < 2 {
		return 1
	}
	pos := rankPositions(order)
	others := make([][]int, 0, len(votes)-1)
	for x, v := range votes {
		if x != self {
			others = append(others, rankPositions(v.Order))
		}
	}
	var agree float64
	for i := range K {
		for j := i + 1; j < K; j++ {
			before := 0 // others who put i above j
			for _, p := range others {
				if p[i] < p[j] {
					before++
				}
			}
			after := len(others) - before
			switch mine := pos[i] < pos[j]; {
			case before == after:
				agree += 0.5
			case (before > after) == mine:
				agree++
			}
		}
	}
	return agree / float64(K*(K-1)/2)
}

// rankPositions returns pos with pos[order[r]] = r.
func rankPositions(order []int) []int {
	pos := make([]int, len(order))
	for r, i := range order {
		pos[i] = r
	}
	return pos
}
