package class

import (
	"math"
	"testing"

	"rlhfplayground/class/api"
)

const agreementTol = 1e-12 // sums of a few exact fractions

func near(p *float64, want float64) bool {
	if math.IsNaN(want) {
		return p == nil
	}
	return p != nil && math.Abs(*p-want) < agreementTol
}

func TestAgreement(t *testing.T) {
	nan := math.NaN() // "null": no data
	for _, tc := range []struct {
		name     string
		n        int
		votes    []Vote
		pairwise [][]float64 // NaN where null (the diagonal always)
		majority []float64
		class    float64
		compared int
	}{
		{name: "no votes", n: 2, pairwise: [][]float64{{nan, nan}, {nan, nan}}, majority: []float64{nan, nan}, class: nan},
		{
			name:     "one student per set: nothing to compare",
			n:        2,
			votes:    []Vote{{0, 1, []int{0, 1, 2}}, {1, 2, []int{2, 1, 0}}},
			pairwise: [][]float64{{nan, nan}, {nan, nan}}, majority: []float64{nan, nan}, class: nan,
		},
		{
			// K = 3 has 3 pairs. a and b agree on set 1 entirely, and on set 2
			// on 1 pair of 3 (both put 0 above 1; b puts 2 first): mean 2/3.
			name: "two students, two sets",
			n:    2,
			votes: []Vote{
				{0, 1, []int{0, 1, 2}}, {1, 1, []int{0, 1, 2}},
				{0, 2, []int{0, 1, 2}}, {1, 2, []int{2, 0, 1}},
			},
			pairwise: [][]float64{{nan, 2.0 / 3}, {2.0 / 3, nan}},
			majority: []float64{2.0 / 3, 2.0 / 3}, // with one other, the majority is that other
			class:    2.0 / 3, compared: 2,
		},
		{
			// Three students on one set of K = 2 (one pair): a and b say 0>1,
			// c says 1>0. Leave-one-out: a's others are b (0>1) and c (1>0),
			// a tie, ½; the same for b; c's others both say 0>1, c disagrees.
			name: "a tied majority counts half",
			n:    3,
			votes: []Vote{
				{0, 7, []int{0, 1}}, {1, 7, []int{0, 1}}, {2, 7, []int{1, 0}},
			},
			pairwise: [][]float64{{nan, 1, 0}, {1, nan, 0}, {0, 0, nan}},
			majority: []float64{0.5, 0.5, 0},
			class:    1.0 / 3, compared: 3,
		},
		{
			// Four students, K = 3: three rank 0,1,2, d ranks 2,1,0. For d the
			// majority of the others is 0,1,2: all 3 pairs differ.
			name: "leave-one-out majority",
			n:    4,
			votes: []Vote{
				{0, 1, []int{0, 1, 2}}, {1, 1, []int{0, 1, 2}}, {2, 1, []int{0, 1, 2}}, {3, 1, []int{2, 1, 0}},
			},
			pairwise: [][]float64{{nan, 1, 1, 0}, {1, nan, 1, 0}, {1, 1, nan, 0}, {0, 0, 0, nan}},
			majority: []float64{1, 1, 1, 0},
			class:    3.0 / 6, compared: 6,
		},
		{
			// Votes the store cannot hold are ignored: a second vote of a
			// student on a set, another K, a student out of range, a
			// non-permutation.
			name: "invalid votes ignored",
			n:    2,
			votes: []Vote{
				{0, 1, []int{0, 1}}, {1, 1, []int{1, 0}},
				{0, 1, []int{1, 0}}, {1, 1, []int{0, 1, 2}}, {5, 1, []int{0, 1}}, {-1, 1, []int{0, 1}}, {0, 2, []int{0, 0}},
			},
			pairwise: [][]float64{{nan, 0}, {0, nan}},
			majority: []float64{0, 0},
			class:    0, compared: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Agreement(tc.n, tc.votes)
			check(t, got, tc.pairwise, tc.majority, tc.class, tc.compared)
		})
	}
}

func check(t *testing.T, got api.Agreement, pairwise [][]float64, majority []float64, class float64, compared int) {
	t.Helper()
	for i := range pairwise {
		for j := range pairwise[i] {
			if !near(got.Pairwise[i][j], pairwise[i][j]) {
				t.Errorf("pairwise[%d][%d] = %v, want %v", i, j, deref(got.Pairwise[i][j]), pairwise[i][j])
			}
			if got.Pairwise[i][j] != nil && got.Shared[i][j] == 0 {
				t.Errorf("pairwise[%d][%d] set with no shared set", i, j)
			}
		}
	}
	for i, want := range majority {
		if !near(got.Majority[i], want) {
			t.Errorf("majority[%d] = %v, want %v", i, deref(got.Majority[i]), want)
		}
	}
	if !near(got.Class, class) || got.Comparisons != compared {
		t.Errorf("class = %v over %d, want %v over %d", deref(got.Class), got.Comparisons, class, compared)
	}
}

func deref(p *float64) any {
	if p == nil {
		return "null"
	}
	return *p
}

// TestAgreementSymmetric: the matrix is symmetric and the class figure is
// the shared-set-weighted mean of its upper triangle.
func TestAgreementSymmetric(t *testing.T) {
	votes := []Vote{
		{0, 1, []int{0, 1, 2, 3}}, {1, 1, []int{1, 0, 2, 3}}, {2, 1, []int{3, 2, 1, 0}},
		{0, 2, []int{2, 0, 1, 3}}, {2, 2, []int{2, 1, 0, 3}},
		{1, 3, []int{0, 1, 2, 3}}, {2, 3, []int{0, 1, 3, 2}}, {0, 3, []int{0, 2, 1, 3}},
	}
	got := Agreement(3, votes)
	var sum float64
	var n int
	for i := range 3 {
		for j := range 3 {
			if got.Shared[i][j] != got.Shared[j][i] || deref(got.Pairwise[i][j]) != deref(got.Pairwise[j][i]) {
				t.Errorf("not symmetric at %d,%d", i, j)
			}
			if j > i && got.Pairwise[i][j] != nil {
				sum += *got.Pairwise[i][j] * float64(got.Shared[i][j])
				n += got.Shared[i][j]
			}
		}
	}
	if n != got.Comparisons || !near(got.Class, sum/float64(n)) {
		t.Errorf("class %v over %d, weighted mean of the matrix %v over %d", deref(got.Class), got.Comparisons, sum/float64(n), n)
	}
}
