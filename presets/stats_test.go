package presets

import (
	"math"
	"slices"
	"testing"
)

func TestMovingMean(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		w    int
		want []float64
	}{
		{nil, 3, []float64{}},
		{[]float64{1, 2, 3}, 1, []float64{1, 2, 3}},
		{[]float64{1, 2, 3, 10}, 3, []float64{1.5, 2, 5, 6.5}},
		{[]float64{0, 0, 6, 0, 0}, 5, []float64{2, 1.5, 1.2, 1.5, 2}},
	} {
		if got := movingMean(tc.xs, tc.w); !slices.Equal(got, tc.want) {
			t.Errorf("movingMean(%v, %d) = %v, want %v", tc.xs, tc.w, got, tc.want)
		}
	}
}

// TestPeak: the gold score of over-optimisation peaks before the last
// iteration; noise of one iteration does not make a peak.
func TestPeak(t *testing.T) {
	for _, tc := range []struct {
		name     string
		xs       []float64
		w        int
		at       int
		top, end float64
	}{
		{"rises to the end", []float64{0, 1, 2, 3, 4}, 1, 4, 4, 4},
		{"peaks and falls", []float64{0, 2, 4, 2, 0}, 1, 2, 4, 0},
		{"one high value smoothed away", []float64{1, 1, 9, 1, 1, 2, 3, 4, 5, 6}, 3, 9, 5.5, 5.5},
		{"first of equal peaks", []float64{3, 1, 3}, 1, 0, 3, 3},
	} {
		at, top, end := peak(tc.xs, tc.w)
		if at != tc.at || top != tc.top || end != tc.end {
			t.Errorf("%s: peak(%v, %d) = %d, %v, %v; want %d, %v, %v", tc.name, tc.xs, tc.w, at, top, end, tc.at, tc.top, tc.end)
		}
	}
	if at, _, _ := peak(nil, 3); at != -1 {
		t.Errorf("peak of nothing at %d, want -1", at)
	}
}

func TestPearson(t *testing.T) {
	for _, tc := range []struct {
		x, y []float64
		want float64
	}{
		{[]float64{1, 2, 3}, []float64{2, 4, 6}, 1},
		{[]float64{1, 2, 3}, []float64{3, 2, 1}, -1},
		{[]float64{1, 2, 3, 4}, []float64{1, -1, -1, 1}, 0},
		{[]float64{1, 1, 1}, []float64{1, 2, 3}, 0},
		{[]float64{1}, []float64{1}, 0},
	} {
		if got := pearson(tc.x, tc.y); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("pearson(%v, %v) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestDistinctShare(t *testing.T) {
	if got := distinctShare([]string{"a", "b", "a", "a"}); got != 0.5 {
		t.Errorf("distinctShare = %v, want 0.5", got)
	}
	if got := distinctShare(nil); got != 1 {
		t.Errorf("distinctShare(nil) = %v, want 1", got)
	}
}

// TestPairAccuracy: ties of the gold score are left out.
func TestPairAccuracy(t *testing.T) {
	scores := []float64{3, 1, 2}
	gold := []float64{5, 5, 1}
	pairs := [][2]int{{0, 1}, {0, 2}, {1, 2}, {2, 0}}
	right, n := pairAccuracy(scores, gold, pairs)
	if right != 1 || n != 3 {
		t.Errorf("pairAccuracy = %d of %d, want 1 of 3 (the tie 0–1 left out; 0>2 right, 1>2 wrong, 2>0 wrong)", right, n)
	}
}

func TestHeadTailMean(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5}
	if h, l := headMean(xs, 2), tailMean(xs, 2); h != 1.5 || l != 4.5 {
		t.Errorf("head %v, tail %v; want 1.5, 4.5", h, l)
	}
	if h := headMean(xs, 10); h != 3 {
		t.Errorf("head of more than all %v, want 3", h)
	}
	if !math.IsNaN(mean(nil)) {
		t.Error("mean of nothing is not NaN")
	}
}

func TestDistinctN(t *testing.T) {
	for _, tc := range []struct {
		answers [][]string
		n       int
		want    float64
	}{
		{nil, 2, 1},
		{[][]string{{"a", "b", "c"}, {"a", "b", "d"}}, 2, 0.75}, // ab bc ab bd: 3 of 4
		{[][]string{{"a", "b"}, {"a", "b"}}, 2, 0.5},
		{[][]string{{"a"}}, 2, 1},
		{[][]string{{"a", "a", "a"}}, 1, 1.0 / 3},
	} {
		if got := distinctN(tc.answers, tc.n); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("distinctN(%v, %d) = %v, want %v", tc.answers, tc.n, got, tc.want)
		}
	}
}

// TestTopSentence: a sentence counts once per answer; the first of equally
// common sentences wins.
func TestTopSentence(t *testing.T) {
	answers := [][]string{
		{"tea", "is", "hot", ".", "glad", "to", "help", ".", "glad", "to", "help", "."},
		{"coffee", ".", "glad", "to", "help", "."},
		{"tea", "is", "hot", "."},
		{"no"},
	}
	if s, share := topSentence(answers); s != "tea is hot ." && s != "glad to help ." || share != 0.5 {
		t.Errorf("topSentence = %q, %v; want a sentence in 2 of 4 answers", s, share)
	}
	if s, share := topSentence(answers); s != "tea is hot ." {
		t.Errorf("topSentence = %q, %v; want the first of the equally common, %q", s, share, "tea is hot .")
	}
	if s, share := topSentence(nil); s != "" || share != 0 {
		t.Errorf("topSentence(nil) = %q, %v", s, share)
	}
}
