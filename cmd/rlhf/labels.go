package main

// The words of the charts, in each language of the data packs: -lang zh-TW
// draws them in 繁體中文, with the Chinese font the app draws with (the
// subset of Noto Sans CJK TC in package assets/fonts), the terms those of
// the page's catalog (package i18n). TestChartLabels checks that every key
// is in both languages, that every key the code asks for exists and that the
// font has every character.

import (
	"fmt"
	"sync"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"

	"rlhfplayground/assets/fonts"
)

// chartLabels are the charts' titles, axes and legends by language and key.
// A chart added to cmd/rlhf adds its words here, in both languages.
var chartLabels = map[string]map[string]string{
	"en": {
		"step":          "step",
		"iteration":     "iteration",
		"score":         "score",
		"sft.title":     "SFT: loss on the demonstrations",
		"sft.y":         "cross-entropy (nats per answer token)",
		"reward.title":  "PPO: reward of the rollouts",
		"reward.band":   "reward model ± std",
		"reward.mean":   "reward model, mean",
		"reward.gold":   "gold (the persona's score), mean",
		"kl.title":      "PPO: KL from the SFT reference",
		"kl.y":          "KL (nats per answer)",
		"entropy.title": "PPO: entropy of the policy",
		"entropy.y":     "entropy (nats per token)",
		"rm.loss.title": "Reward model: loss",
		"rm.loss.y":     "−log σ(r_better − r_worse)",
		"rm.acc.title":  "Reward model: pairwise accuracy",
		"rm.acc.y":      "pairs ordered right",
		"rm.chance":     "chance",
		"rm.batch":      "training batch",
		"rm.heldout":    "held-out rankings",
	},
	"zh-TW": {
		"step":          "步數",
		"iteration":     "PPO 迭代次數",
		"score":         "分數",
		"sft.title":     "SFT：示範回答上的損失",
		"sft.y":         "交叉熵（nat／回答詞元）",
		"reward.title":  "PPO：生成回答的獎勵",
		"reward.band":   "獎勵模型（±σ）",
		"reward.mean":   "獎勵模型的平均",
		"reward.gold":   "真實分數的平均（模擬標記者的分數）",
		"kl.title":      "PPO：與 SFT 模型的 KL 散度",
		"kl.y":          "KL（nat／回答）",
		"entropy.title": "PPO：策略的熵",
		"entropy.y":     "熵（nat／詞元）",
		"rm.loss.title": "獎勵模型：損失",
		"rm.loss.y":     "−log σ(r_較好 − r_較差)",
		"rm.acc.title":  "獎勵模型：成對準確率",
		"rm.acc.y":      "排對順序的比例",
		"rm.chance":     "隨機猜測",
		"rm.batch":      "訓練批次",
		"rm.heldout":    "保留集的排名",
	},
}

// chartLang is the language of chartLabels that draws lang ("" and unknown
// languages: English), as a session's Settings.Lang or -lang names it.
func chartLang(lang string) string {
	if _, ok := chartLabels[lang]; ok {
		return lang
	}
	return "en"
}

// label returns the chart words of key in lang. A key that chartLabels
// lacks is a mistake in this program (TestChartLabels finds it): it panics.
func label(lang, key string) string {
	s, ok := chartLabels[chartLang(lang)][key]
	if !ok {
		panic(fmt.Sprintf("rlhf: no chart label %q in %s", key, chartLang(lang)))
	}
	return s
}

// cjkTypeface names the Chinese font in gonum/plot's font cache.
const cjkTypeface font.Typeface = "Noto Sans CJK TC"

// addCJK puts the Chinese font into gonum/plot's font cache, once.
var addCJK = sync.OnceValue(func() error {
	f, err := opentype.Parse(fonts.NotoSansCJKTC)
	if err != nil {
		return fmt.Errorf("rlhf: the Chinese font: %w", err)
	}
	font.DefaultCache.Add(font.Collection{{Font: font.Font{Typeface: cjkTypeface}, Face: f}})
	return nil
})

// setFont draws every text of p (title, axis labels, ticks, legend) in
// lang's font: the Chinese font for zh-TW, gonum/plot's default
// (Liberation Sans) for English.
func setFont(p *plot.Plot, lang string) error {
	if chartLang(lang) == "en" {
		return nil
	}
	if err := addCJK(); err != nil {
		return err
	}
	for _, f := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		*f = font.Font{Typeface: cjkTypeface, Size: f.Size} // the one face it has: no variant, style or weight
	}
	return nil
}
