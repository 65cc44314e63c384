package presets

// The seven experiments of issue 12. Each constant below is a size chosen
// so that the run shows its point with its default seed in well under a
// minute natively (docs/presets.md: the figures and seconds measured).

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"rlhfplayground/quality"
	"rlhfplayground/sim"
)

func presets() []Preset {
	return []Preset{
		{Name: "sft-format", Title: "SFT teaches the chat format", Seed: 1,
			Point: "the pretrained model answers a chat prompt with fragments of its corpus; after SFT the answers are whole sentences, on the prompt's topic, in a helper's voice",
			run:   runSFTFormat, check: checkSFTFormat},
		{Name: "label-noise", Title: "Labels and noise", Seed: 1,
			Point: "the reward model's accuracy grows with the number of rankings, and a noisy labeler (noise 0.3) gives a lower curve",
			run:   runLabelNoise, check: checkLabelNoise},
		{Name: "kl-penalty", Title: "PPO with the KL penalty", Seed: 1,
			Point: "with the default β the reward rises, the KL to the SFT model stays bounded and the answers stay grammatical",
			run:   func(e *env) error { return runKL(e, sim.DefaultPPOConfig().KLCoef) }, check: checkKLPenalty},
		{Name: "no-kl", Title: "β = 0: no KL penalty", Seed: 1, Baseline: "kl-penalty",
			Point: "without the KL penalty the KL runs away (at least 3 × kl-penalty's) and the answers fall apart into word salad",
			run:   func(e *env) error { return runKL(e, 0) }, check: checkNoKL},
		{Name: "overoptimisation", Title: "Over-optimising the reward model (Gao et al. 2022)", Seed: 1,
			Point: "a reward model trained on few rankings, PPO pushed long: the reward model's score keeps rising while the labeler's own (gold) score peaks and falls",
			run:   runOveropt, check: checkOveropt},
		{Name: "change-mind", Title: "Changing your mind", Seed: 1,
			Point: "the labeler's taste changes mid-run (re-ranked by another persona, the reward model retrained): PPO turns toward the new preference",
			run:   runChangeMind, check: checkChangeMind},
		{Name: "length-bias", Title: "Length bias (Singhal et al. 2023)", Seed: 1,
			Point: "a labeler who prefers longer answers: the reward model learns length (its score correlates with it) and PPO writes longer answers",
			run:   runLengthBias, check: checkLengthBias},
	}
}

// claim builds a Claim whose text is formatted.
func claim(held bool, format string, args ...any) Claim {
	return Claim{Text: fmt.Sprintf(format, args...), Held: held}
}

// ppoSettings are the app's settings with PPO annealed over iters (0: a constant rate).
func ppoSettings(iters int) sim.Settings {
	s := sim.DefaultSettings()
	s.PPO.LRDecay = iters
	return s
}

func builtin(name string) *sim.Persona {
	p, ok := sim.PersonaByName(name)
	if !ok {
		panic("presets: no built-in persona " + name)
	}
	return p
}

// (a) sft-format ---------------------------------------------------------

func runSFTFormat(e *env) error {
	temp := sim.DefaultPPOConfig().Temperature
	pre, post := e.samples(e.base, temp), e.samples(e.sft, temp)
	qPre, qPost := e.quality(pre), e.quality(post)
	r := e.res
	cats := []string{"ends properly", "grammatical", "on topic", "helpful voice"}
	vals := func(q qualityShares) []float64 { return []float64{q.Ended, q.Grammatical, q.OnTopic, q.Helpful} }
	for _, m := range []struct {
		name string
		q    qualityShares
	}{{"pretrained", shares(qPre)}, {"sft", shares(qPost)}} {
		r.set(m.name+".ended", m.q.Ended)
		r.set(m.name+".grammatical", m.q.Grammatical)
		r.set(m.name+".on_topic", m.q.OnTopic)
		r.set(m.name+".helpful", m.q.Helpful)
		r.set(m.name+".words", m.q.Words)
	}
	r.Charts = append(r.Charts, Chart{Name: "sft-format", Title: "Pretrained vs SFT answers to held-out prompts", YLabel: "share of answers",
		Categories: cats, Lines: []Line{{Name: "pretrained", X: idx(4), Y: vals(shares(qPre))}, {Name: "SFT", X: idx(4), Y: vals(shares(qPost))}}})
	seen := map[string]bool{}
	for i := range pre {
		if !seen[pre[i].Prompt] && len(r.Answers) < 8 {
			seen[pre[i].Prompt] = true
			r.Answers = append(r.Answers, AnswerPair{Prompt: pre[i].Prompt, Before: pre[i].Text, After: post[i].Text})
		}
	}
	return nil
}

type qualityShares struct{ Ended, Grammatical, OnTopic, Helpful, Words float64 }

func shares(q quality.Report) qualityShares {
	return qualityShares{Ended: q.Ended, Grammatical: q.Grammatical, OnTopic: q.OnTopic, Helpful: q.Helpful, Words: q.Length}
}

func idx(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
	}
	return x
}

func checkSFTFormat(r, _ *Result) []Claim {
	pg, sg := r.Must("pretrained.grammatical"), r.Must("sft.grammatical")
	pt, st := r.Must("pretrained.on_topic"), r.Must("sft.on_topic")
	ph, sh := r.Must("pretrained.helpful"), r.Must("sft.helpful")
	return []Claim{
		claim(sg >= pg+0.5, "after SFT far more answers are grammatical sentences: %.0f%% vs %.0f%% (want ≥ 50 points more)", 100*sg, 100*pg),
		claim(st > pt, "after SFT more answers are on the prompt's topic: %.0f%% vs %.0f%%", 100*st, 100*pt),
		claim(sh > ph, "after SFT more answers are in a helpful voice: %.0f%% vs %.0f%%", 100*sh, 100*ph),
	}
}

// (b) label-noise --------------------------------------------------------

// labelCounts are the training set sizes of the accuracy curve;
// labelTest is the number of rankings, labelled without noise, it is measured on.
var labelCounts = []int{25, 50, 100, 200}

const (
	labelTest    = 60
	labelNoise   = 0.3
	labelEpochs  = 2       // reward-model passes: fewer than the app's 4, to fit the eight trainings in a lesson
	noiseStream  = 77      // second PCG word of the noisy labeler's coins
	noHoldingOut = 1 << 30 // Reward.HoldEvery: every ranking trains; the test set is the preset's own
)

func runLabelNoise(e *env) error {
	clean := builtin("helpful-polite")
	clean.Noise = 0
	noisy := builtin("helpful-polite")
	noisy.Name, noisy.Noise = "helpful-polite-noisy", labelNoise
	s := sim.DefaultSettings()
	s.Reward.HoldEvery, s.Reward.Epochs = noHoldingOut, labelEpochs
	lab, err := e.lab(s, clean)
	if err != nil {
		return err
	}
	most := labelCounts[len(labelCounts)-1]
	if err := e.label(lab, most+labelTest); err != nil {
		return err
	}
	pool, test := lab.Rankings[:most], lab.Rankings[most:]
	// The noisy labeler ranks the same answers: the only difference is its noise.
	rng := rand.New(rand.NewPCG(e.seed, noiseStream))
	noisyPool := make([]sim.Ranking, len(pool))
	for i, rk := range pool {
		rk.Order, rk.Labeler = noisy.Rank(rk.Prompt, rk.Answers, rng), noisy.Name
		noisyPool[i] = rk
	}
	r := e.res
	chart := Chart{Name: "label-noise", Title: "Reward model accuracy vs rankings",
		XLabel: "rankings the reward model trained on", YLabel: "accuracy on rankings without noise"}
	for _, c := range []struct {
		name  string
		p     *sim.Persona
		pool  []sim.Ranking
		noise float64
	}{{"noise0", clean, pool, 0}, {"noise0.3", noisy, noisyPool, labelNoise}} {
		line := Line{Name: "labeler noise " + strconv.FormatFloat(c.noise, 'g', -1, 64)}
		for _, n := range labelCounts {
			l, err := e.lab(s, c.p)
			if err != nil {
				return err
			}
			for _, rk := range c.pool[:n] {
				if err := l.AddRanking(rk); err != nil {
					return err
				}
			}
			if err := e.trainRM(l); err != nil {
				return err
			}
			acc := testAccuracy(l, clean, test)
			r.set(fmt.Sprintf("acc.%s.n%d", c.name, n), acc)
			line.X, line.Y = append(line.X, float64(n)), append(line.Y, acc)
		}
		r.set("acc."+c.name+".mean", mean(line.Y))
		chart.Lines = append(chart.Lines, line)
	}
	r.Charts = append(r.Charts, chart)
	return nil
}

// testAccuracy is the share of the test rankings' pairs that lab's reward
// model orders as the persona does (without noise).
func testAccuracy(lab *sim.Lab, p *sim.Persona, test []sim.Ranking) float64 {
	right, n := 0, 0
	for _, rk := range test {
		scores := lab.RM.Score(lab.Tok, rk.Prompt, rk.Answers)
		gold := make([]float64, len(rk.Answers))
		for i, a := range rk.Answers {
			gold[i] = p.Score(a)
		}
		a, b := pairAccuracy(scores, gold, rk.Pairs())
		right, n = right+a, n+b
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(right) / float64(n)
}

func checkLabelNoise(r, _ *Result) []Claim {
	first, last := labelCounts[0], labelCounts[len(labelCounts)-1]
	c0, c1 := r.Must(fmt.Sprintf("acc.noise0.n%d", first)), r.Must(fmt.Sprintf("acc.noise0.n%d", last))
	n1 := r.Must(fmt.Sprintf("acc.noise0.3.n%d", last))
	m0, m1 := r.Must("acc.noise0.mean"), r.Must("acc.noise0.3.mean")
	return []Claim{
		claim(c1 > c0, "without noise, accuracy grows with the rankings: %.0f%% with %d, %.0f%% with %d", 100*c0, first, 100*c1, last),
		claim(m1 < m0, "the noisy curve is lower: mean %.1f%% vs %.1f%% over %v rankings", 100*m1, 100*m0, labelCounts),
		claim(n1 < c1, "with %d rankings the noisy labeler's reward model is less accurate: %.0f%% vs %.0f%%", last, 100*n1, 100*c1),
	}
}

// (c) kl-penalty and (d) no-kl --------------------------------------------

// Both runs keep PPO's learning rate constant. Annealed to 0 over the 40
// iterations (the app's default for a run of known length), the SFT model
// trained with dropout hardly moves without the penalty either (seed 1:
// 4.9 nats at the end, 84% grammatical).
const (
	klRankings = 100
	klIters    = 40
	klTail     = 5 // iterations averaged for "at the end"
)

func runKL(e *env, beta float64) error {
	s := ppoSettings(0)
	s.PPO.KLCoef = beta
	lab, err := e.lab(s, builtin("helpful-polite"))
	if err != nil {
		return err
	}
	if err := e.label(lab, klRankings); err != nil {
		return err
	}
	if err := e.trainRM(lab); err != nil {
		return err
	}
	temp := s.PPO.Temperature
	before := e.samples(lab.SFT, temp)
	var it, score, kl, gold []float64
	if err := e.ppo(lab, klIters, func(st sim.PPOStats, _ []sim.Rollout) {
		it, score, kl = append(it, float64(st.Iteration)), append(score, st.ScoreMean), append(kl, st.KLMean)
		if st.GoldMean != nil {
			gold = append(gold, *st.GoldMean)
		}
	}); err != nil {
		return err
	}
	after := e.samples(lab.Policy(), temp)
	qb, qa := e.quality(before), e.quality(after)
	r := e.res
	r.set("beta", beta)
	r.set("rm.first", headMean(score, klTail))
	r.set("rm.last", tailMean(score, klTail))
	r.set("kl.last", kl[len(kl)-1])
	r.set("kl.last_mean", tailMean(kl, klTail))
	r.set("kl.max", kl[argMax(kl)])
	r.set("gold.first", headMean(gold, klTail))
	r.set("gold.last", tailMean(gold, klTail))
	r.set("sft.grammatical", qb.Grammatical)
	r.set("ppo.grammatical", qa.Grammatical)
	r.set("sft.distinct", qb.Distinct)
	r.set("ppo.distinct", qa.Distinct)
	bt, at := tokens(before), tokens(after)
	r.set("sft.distinct3", distinctN(bt, 3))
	r.set("ppo.distinct3", distinctN(at, 3))
	_, sTop := topSentence(bt)
	top, pTop := topSentence(at)
	r.set("sft.top_sentence", sTop)
	r.set("ppo.top_sentence", pTop)
	r.TopSentence = top
	r.set("sft.ended", qb.Ended)
	r.set("ppo.ended", qa.Ended)
	name := e.res.Preset
	r.Charts = append(r.Charts,
		Chart{Name: name + "_reward", Title: fmt.Sprintf("Reward model score (β = %g)", beta), XLabel: "PPO iteration", YLabel: "score (normalised)",
			Lines: []Line{{Name: "reward model score", X: it, Y: score}}},
		Chart{Name: name + "_kl", Title: fmt.Sprintf("KL to the SFT model (β = %g)", beta), XLabel: "PPO iteration", YLabel: "KL (nats per answer)",
			Lines: []Line{{Name: "KL", X: it, Y: kl}}})
	seen := map[string]bool{}
	for i := range before {
		if !seen[before[i].Prompt] && len(r.Answers) < 6 {
			seen[before[i].Prompt] = true
			r.Answers = append(r.Answers, AnswerPair{Prompt: before[i].Prompt, Before: before[i].Text, After: after[i].Text})
		}
	}
	return nil
}

// klBound is the KL, in nats per answer, that "bounded" means: issue 2's goal.
const klBound = 6

func checkKLPenalty(r, _ *Result) []Claim {
	f, l := r.Must("rm.first"), r.Must("rm.last")
	kl, g := r.Must("kl.last_mean"), r.Must("ppo.grammatical")
	return []Claim{
		claim(l >= f+0.3, "the reward model's score rises: %+.2f → %+.2f (want ≥ 0.3 more)", f, l),
		claim(kl <= klBound, "the KL stays bounded: %.2f nats per answer over the last %d iterations (at most %.2f in one; want ≤ %d)", kl, klTail, r.Must("kl.max"), klBound),
		claim(g >= 0.8, "the answers stay grammatical: %.0f%% after PPO (%.0f%% after SFT; want ≥ 80%%)", 100*g, 100*r.Must("sft.grammatical")),
	}
}

// checkNoKL: the KL runs away and the answers fall apart into word salad
// around the persona's favourite sentence, rather than into one answer
// repeated (the whole answers stay distinct). The top sentence is reported,
// not claimed (kl-penalty's answers converge on it too). Distinct-3 is
// reported, not claimed: it falls with the penalty too, since
// both policies converge on the persona's favourite sentence, and by a
// margin that one change of the draw stream can erase (seed 1 of the
// shipped model of 2 December 2026: 44% of 3-word sequences distinct
// without the penalty and 43% with it; after the label screen began to
// redraw empty answers, 35% and 39%). The KL and the grammar part by wide
// margins on every run measured.
func checkNoKL(r, base *Result) []Claim {
	kl := r.Must("kl.last_mean")
	sg, pg := r.Must("sft.grammatical"), r.Must("ppo.grammatical")
	c := []Claim{
		claim(kl >= 3*klBound, "the KL runs away: %.1f nats per answer over the last %d iterations (want ≥ %d, 3 × the bound the penalty keeps)", kl, klTail, 3*klBound),
		claim(pg <= sg-0.3, "the answers fall apart: %.0f%% grammatical after PPO vs %.0f%% after SFT (want ≥ 30 points fewer)", 100*pg, 100*sg),
	}
	if base != nil {
		kb := base.Must("kl.last_mean")
		bg := base.Must("ppo.grammatical")
		c = append(c,
			claim(kl >= 3*kb, "the KL at the end is at least 3 × %s's: %.2f vs %.2f nats (%.1f ×)", base.Preset, kl, kb, kl/kb),
			claim(pg <= bg-0.3, "and far less grammatical than with the penalty: %.0f%% vs %s's %.0f%%", 100*pg, base.Preset, 100*bg))
	}
	return c
}

// (e) overoptimisation ------------------------------------------------------

// The reward model learns from overRankings rankings (8 train, 2 are held
// out); PPO runs without the KL penalty at a constant learning rate. With
// 20 rankings, or β = 0.01, the gold score only levelled off within 80
// iterations (seed 1: peak at iteration 78 of 80; 65 of 80 and a fall of 0.07 std).
const (
	overRankings = 10
	overIters    = 80
	overBeta     = 0
	overSmooth   = 7 // iterations the curves (and √KL) are smoothed over
)

func runOveropt(e *env) error {
	s := ppoSettings(0) // a constant learning rate: pushed long
	s.PPO.KLCoef = overBeta
	lab, err := e.lab(s, builtin("helpful-polite"))
	if err != nil {
		return err
	}
	if err := e.label(lab, overRankings); err != nil {
		return err
	}
	if err := e.trainRM(lab); err != nil {
		return err
	}
	var it, score, gold, kl []float64
	if err := e.ppo(lab, overIters, func(st sim.PPOStats, _ []sim.Rollout) {
		it, score, kl = append(it, float64(st.Iteration)), append(score, st.ScoreMean), append(kl, st.KLMean)
		gold = append(gold, *st.GoldMean)
	}); err != nil {
		return err
	}
	// The gold score on the reward model's scale: standard deviations of SFT answers from their mean.
	n := lab.History.Norm
	goldN := make([]float64, len(gold))
	sq := make([]float64, len(kl))
	for i := range gold {
		goldN[i] = (gold[i] - n.GoldMean) / n.GoldStd
		sq[i] = sqrtKL(kl[i])
	}
	at, top, end := peak(goldN, overSmooth)
	rmS, sqS := movingMean(score, overSmooth), movingMean(sq, overSmooth)
	r := e.res
	r.set("gold.peak_iteration", it[at])
	r.set("gold.peak", top)
	r.set("gold.end", end)
	r.set("rm.at_gold_peak", rmS[at])
	r.set("rm.end", rmS[len(rmS)-1])
	r.set("iterations", float64(overIters))
	r.set("kl.end", kl[len(kl)-1])
	r.set("rm.train_rankings", float64(len(lab.Rankings)-len(lab.Rankings)/s.Reward.HoldEvery))
	r.Charts = append(r.Charts, Chart{Name: "overoptimisation", Title: "Reward model score vs the labeler's own score",
		XLabel: "√KL to the SFT model (√nats)", YLabel: "score (SFT answers: mean 0, std 1)", MarkX: []float64{sqS[at]},
		Lines: []Line{{Name: "reward model", X: sqS, Y: rmS}, {Name: "gold (the persona)", X: sqS, Y: movingMean(goldN, overSmooth)}}})
	return nil
}

func checkOveropt(r, _ *Result) []Claim {
	at, n := r.Must("gold.peak_iteration"), r.Must("iterations")
	top, end := r.Must("gold.peak"), r.Must("gold.end")
	rp, re := r.Must("rm.at_gold_peak"), r.Must("rm.end")
	return []Claim{
		claim(at <= n-overSmooth, "the gold score peaks at iteration %.0f of %.0f, before the last (smoothed over %d)", at, n, overSmooth),
		claim(end < top-0.1, "then it falls: %+.2f at the peak, %+.2f at the end (std of SFT answers)", top, end),
		claim(re > rp, "while the reward model's score keeps rising: %+.2f at the gold peak, %+.2f at the end", rp, re),
	}
}

// (f) change-mind ------------------------------------------------------------

const (
	changeRankings = 60
	changeBefore   = 20 // PPO iterations with the first persona's reward model
	changeAfter    = 20 // and with the second's
	changeTail     = 5
)

// The first and second persona: from long answers to short ones.
const changeFrom, changeTo = "detailed", "concise"

func runChangeMind(e *env) error {
	s := ppoSettings(0)
	from, to := builtin(changeFrom), builtin(changeTo)
	lab, err := e.lab(s, from)
	if err != nil {
		return err
	}
	if err := e.label(lab, changeRankings); err != nil {
		return err
	}
	if err := e.trainRM(lab); err != nil {
		return err
	}
	var it, gFrom, gTo, length []float64
	each := func(st sim.PPOStats, rolls []sim.Rollout) {
		var a, b []float64
		for _, rl := range rolls {
			a, b = append(a, from.Score(rl.Answer)), append(b, to.Score(rl.Answer))
		}
		it, gFrom, gTo, length = append(it, float64(st.Iteration)), append(gFrom, mean(a)), append(gTo, mean(b)), append(length, st.AnswerLength)
	}
	if err := e.ppo(lab, changeBefore, each); err != nil {
		return err
	}
	switchTo := s
	switchTo.Persona = to.Name
	lab.CustomPersona = to
	if err := lab.SetSettings(switchTo); err != nil {
		return err
	}
	if _, err := lab.Rerank(); err != nil {
		return err
	}
	if err := e.trainRM(lab); err != nil {
		return err
	}
	if err := e.ppo(lab, changeAfter, each); err != nil {
		return err
	}
	r := e.res
	r.set("switch_iteration", float64(changeBefore))
	r.set("to.at_switch", tailMean(gTo[:changeBefore], changeTail))
	r.set("to.end", tailMean(gTo, changeTail))
	r.set("to.start", headMean(gTo, changeTail))
	r.set("from.start", headMean(gFrom, changeTail))
	r.set("from.at_switch", tailMean(gFrom[:changeBefore], changeTail))
	r.set("from.end", tailMean(gFrom, changeTail))
	r.set("length.at_switch", tailMean(length[:changeBefore], changeTail))
	r.set("length.end", tailMean(length, changeTail))
	mark := []float64{float64(changeBefore) + 0.5}
	r.Charts = append(r.Charts,
		Chart{Name: "change-mind_gold", Title: fmt.Sprintf("Each persona's score of PPO's answers: %s, then %s", changeFrom, changeTo),
			XLabel: "PPO iteration", YLabel: "persona's score (mean of the batch)", MarkX: mark,
			Lines: []Line{{Name: changeFrom, X: it, Y: gFrom}, {Name: changeTo, X: it, Y: gTo}}},
		Chart{Name: "change-mind_length", Title: "Answer length", XLabel: "PPO iteration", YLabel: "tokens per answer", MarkX: mark,
			Lines: []Line{{Name: "answer length", X: it, Y: length}}})
	return nil
}

func checkChangeMind(r, _ *Result) []Claim {
	a, b := r.Must("to.at_switch"), r.Must("to.end")
	return []Claim{
		claim(b > a+0.5, "after the switch PPO turns toward %s: its score %+.2f at the switch, %+.2f at the end (want ≥ 0.5 more)", changeTo, a, b),
	}
}

// (g) length-bias --------------------------------------------------------------

const (
	lengthRankings = 100
	lengthIters    = 30
	lengthPersona  = "detailed" // likes long answers: +0.1 a token
)

func runLengthBias(e *env) error {
	s := ppoSettings(lengthIters)
	persona := builtin(lengthPersona)
	lab, err := e.lab(s, persona)
	if err != nil {
		return err
	}
	if err := e.label(lab, lengthRankings); err != nil {
		return err
	}
	if err := e.trainRM(lab); err != nil {
		return err
	}
	temp := s.PPO.Temperature
	before := e.samples(lab.SFT, temp)
	var lens, scores, golds []float64
	for _, a := range before {
		if !a.Ended {
			continue
		}
		lens = append(lens, float64(len(sim.Split(a.Text))))
		scores = append(scores, lab.RM.Score(lab.Tok, a.Prompt, []string{a.Text})[0])
		golds = append(golds, persona.Score(a.Text))
	}
	var it, length []float64
	if err := e.ppo(lab, lengthIters, func(st sim.PPOStats, _ []sim.Rollout) {
		it, length = append(it, float64(st.Iteration)), append(length, st.AnswerLength)
	}); err != nil {
		return err
	}
	after := e.samples(lab.Policy(), temp)
	words := func(as []answer) float64 {
		var n []float64
		for _, a := range as {
			n = append(n, float64(len(sim.Split(a.Text))))
		}
		return mean(n)
	}
	r := e.res
	r.set("corr.rm_length", pearson(scores, lens))
	r.set("corr.gold_length", pearson(golds, lens))
	r.set("sft.words", words(before))
	r.set("ppo.words", words(after))
	r.set("ppo.grammatical", e.quality(after).Grammatical)
	r.Charts = append(r.Charts,
		Chart{Name: "length-bias_rm", Title: "The reward model's score of SFT answers vs their length", XLabel: "words in the answer",
			YLabel: "reward model score", Scatter: true, Lines: []Line{{Name: "an SFT answer", X: lens, Y: scores}}},
		Chart{Name: "length-bias_length", Title: "Answer length during PPO", XLabel: "PPO iteration", YLabel: "tokens per answer",
			Lines: []Line{{Name: "answer length", X: it, Y: length}}})
	return nil
}

// checkLengthBias: the reward model leans on length more than the labeler
// does: on the same SFT answers its score correlates with their length
// (seed 1: 0.51) about twice as much as the persona's own score (0.26).
func checkLengthBias(r, _ *Result) []Claim {
	c, g := r.Must("corr.rm_length"), r.Must("corr.gold_length")
	a, b := r.Must("sft.words"), r.Must("ppo.words")
	return []Claim{
		claim(c >= 0.4, "the reward model learned length: its score of SFT answers correlates %.2f with their length (want ≥ 0.4)", c),
		claim(c >= g+0.15, "more than the labeler's own score does (%.2f): the reward model leans on length (want ≥ 0.15 more)", g),
		claim(b >= 1.2*a, "PPO writes longer answers: %.1f words vs %.1f after SFT (want ≥ 1.2 ×)", b, a),
	}
}

// tokens splits each answer into its tokens.
func tokens(as []answer) [][]string {
	t := make([][]string, len(as))
	for i, a := range as {
		t[i] = sim.Split(a.Text)
	}
	return t
}
