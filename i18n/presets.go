package i18n

// Presets is the experiments screen: the lessons' seven experiments
// (package presets, issue 12), each run in the browser's engine. Items are
// keyed by the preset's name (presets.Names), Charts by a chart's name
// (presets.Chart.Name).
type Presets struct {
	Button   string // the header button that opens the screen
	Title    string
	Intro    string
	Back     string // closes the screen
	Run      string
	Stop     string
	Again    string // runs it again after a result
	Starting string // the run has begun, no progress yet
	Running  string // %s the part of the run (Stages), %d done, %d in all
	Seconds  string // %.1f the run's seconds in the engine
	Held     string // all claims held
	NotHeld  string // some claim did not hold
	Claims   string // the claims' heading
	Answers  string // the answers' heading
	Prompt   string // %s a prompt
	Before   string // the answers' first column, when an item has no words of its own
	After    string
	Empty    string // the result panel before a run
	// Stages names the parts of a run (presets.Progress.Stage).
	Stages map[string]string
	Items  map[string]PresetItem
	Charts map[string]PresetChart
	// Categories names a bar chart's categories (sft-format's), by their
	// English name; a bar chart is shown as a table of its values.
	Categories map[string]string
}

// PresetItem is one experiment.
type PresetItem struct {
	Title, Point  string
	Claims        []string // one per claim the run checks, in its order
	Before, After string   // the answers' columns
}

// PresetChart is the words of one of an experiment's charts.
type PresetChart struct {
	Title, XLabel, YLabel string
	Lines                 []string // the curves' names, in the result's order
}

var enPresets = Presets{
	Button:   "Experiments",
	Title:    "Experiments: the lesson's seven, one click each",
	Intro:    "Each experiment starts from the shipped SFT model and runs in this browser's engine, apart from your own session, which stays as it was. Pick one and press Run: it takes from a few seconds to about a minute.",
	Back:     "Back to the stages",
	Run:      "Run",
	Stop:     "Stop",
	Again:    "Run again",
	Starting: "Starting…",
	Running:  "%s: %d of %d",
	Seconds:  "took %.1f s",
	Held:     "Every claim held",
	NotHeld:  "Not every claim held with this seed",
	Claims:   "What the run shows",
	Answers:  "Answers side by side",
	Prompt:   "Prompt: %s",
	Before:   "Before",
	After:    "After",
	Empty:    "Press Run to see this experiment's chart, its claims and its answers.",
	Stages: map[string]string{
		"label":   "the labeler ranks answers",
		"rm":      "training the reward model",
		"ppo":     "PPO iterations",
		"samples": "sampling answers",
	},
	Items: map[string]PresetItem{
		"sft-format": {Title: "SFT teaches the chat format",
			Point:  "The pretrained model answers a chat prompt with fragments of its corpus; after SFT the answers are whole sentences, on the prompt's topic, in a helper's voice.",
			Claims: []string{"After SFT far more answers are grammatical sentences (at least 50 points more).", "After SFT more answers are on the prompt's topic.", "After SFT more answers are in a helpful voice."},
			Before: "Pretrained", After: "After SFT"},
		"label-noise": {Title: "Labels and noise",
			Point:  "The reward model's accuracy grows with the number of rankings, and a noisy labeler (noise 0.3) gives a lower curve.",
			Claims: []string{"Without noise, accuracy grows with the rankings.", "The noisy labeler's curve is lower on average.", "With the most rankings, the noisy labeler's reward model is less accurate."},
			Before: "Before", After: "After"},
		"kl-penalty": {Title: "PPO with the KL penalty",
			Point:  "With the default β the reward rises, the KL to the SFT model stays bounded and the answers stay grammatical.",
			Claims: []string{"The reward model's score rises (by at least 0.3).", "The KL stays bounded (at most 6 nats per answer at the end).", "The answers stay grammatical (at least 80%)."},
			Before: "After SFT", After: "After PPO"},
		"no-kl": {Title: "β = 0: no KL penalty",
			Point:  "Without the KL penalty the KL runs away and the answers fall apart into word salad.",
			Claims: []string{"The KL runs away: at least 18 nats per answer at the end, 3 × the bound the penalty keeps.", "The answers fall apart: at least 30 points fewer grammatical than after SFT."},
			Before: "After SFT", After: "After PPO, β = 0"},
		"overoptimisation": {Title: "Over-optimising the reward model (Gao et al. 2022)",
			Point:  "A reward model trained on few rankings, PPO pushed long: the reward model's score keeps rising while the labeler's own (gold) score peaks and falls.",
			Claims: []string{"The labeler's own score peaks before the last iteration.", "Then it falls.", "While the reward model's score keeps rising."},
			Before: "Before", After: "After"},
		"change-mind": {Title: "Changing your mind",
			Point:  "The labeler's taste changes mid-run (re-ranked by the concise persona instead of the detailed one, the reward model retrained): PPO turns toward the new preference.",
			Claims: []string{"After the switch PPO turns toward the new labeler: its score rises by at least 0.5."},
			Before: "Before", After: "After"},
		"length-bias": {Title: "Length bias (Singhal et al. 2023)",
			Point:  "A labeler who prefers longer answers: the reward model learns length (its score correlates with it) and PPO writes longer answers.",
			Claims: []string{"The reward model learned length: its score correlates at least 0.4 with the answer's length.", "More than the labeler's own score does: the reward model leans on length.", "PPO writes longer answers (at least 1.2 × as many words)."},
			Before: "Before", After: "After"},
	},
	Charts: map[string]PresetChart{
		"label-noise":        {Title: "Reward model accuracy vs rankings", XLabel: "rankings the reward model trained on", YLabel: "accuracy (rankings without noise)", Lines: []string{"labeler noise 0", "labeler noise 0.3"}},
		"kl-penalty_reward":  {Title: "Reward model score (default β)", XLabel: "PPO iteration", YLabel: "score (normalised)", Lines: []string{"reward model score"}},
		"kl-penalty_kl":      {Title: "KL to the SFT model (default β)", XLabel: "PPO iteration", YLabel: "KL (nats per answer)", Lines: []string{"KL"}},
		"no-kl_reward":       {Title: "Reward model score (β = 0)", XLabel: "PPO iteration", YLabel: "score (normalised)", Lines: []string{"reward model score"}},
		"no-kl_kl":           {Title: "KL to the SFT model (β = 0)", XLabel: "PPO iteration", YLabel: "KL (nats per answer)", Lines: []string{"KL"}},
		"overoptimisation":   {Title: "Reward model score vs the labeler's own score", XLabel: "√KL to the SFT model (√nats)", YLabel: "score (SFT answers: mean 0, std 1)", Lines: []string{"reward model", "gold (the labeler)"}},
		"change-mind_gold":   {Title: "Each labeler's score of PPO's answers", XLabel: "PPO iteration", YLabel: "labeler's score (batch mean)", Lines: []string{"detailed", "concise"}},
		"change-mind_length": {Title: "Answer length", XLabel: "PPO iteration", YLabel: "tokens per answer", Lines: []string{"answer length"}},
		"length-bias_rm":     {Title: "Reward model score of SFT answers vs their length", XLabel: "words in the answer", YLabel: "reward model score", Lines: []string{"an SFT answer"}},
		"length-bias_length": {Title: "Answer length during PPO", XLabel: "PPO iteration", YLabel: "tokens per answer", Lines: []string{"answer length"}},
	},
	Categories: map[string]string{"ends properly": "ends properly", "grammatical": "grammatical", "on topic": "on topic", "helpful voice": "helpful voice", "pretrained": "pretrained", "SFT": "after SFT"},
}

var zhPresets = Presets{
	Button:   "實驗",
	Title:    "實驗：課程的七個實驗，一鍵執行",
	Intro:    "每個實驗都從內建的監督微調模型開始，在這個瀏覽器的引擎裡執行，和你自己的工作階段分開，你的工作階段保持原樣。選一個實驗再按「執行」：需要幾秒到大約一分鐘。",
	Back:     "回到各個步驟",
	Run:      "執行",
	Stop:     "停止",
	Again:    "再執行一次",
	Starting: "開始中…",
	Running:  "%s：%d／%d",
	Seconds:  "花了 %.1f 秒",
	Held:     "每個結論都成立",
	NotHeld:  "用這個種子，並非每個結論都成立",
	Claims:   "這次執行顯示了什麼",
	Answers:  "回答並排比較",
	Prompt:   "提示：%s",
	Before:   "之前",
	After:    "之後",
	Empty:    "按「執行」來看這個實驗的圖表、結論和回答。",
	Stages: map[string]string{
		"label":   "標記者為回答排名",
		"rm":      "訓練獎勵模型",
		"ppo":     "近端策略最佳化迭代",
		"samples": "取樣回答",
	},
	Items: map[string]PresetItem{
		"sft-format": {Title: "監督微調教會對話格式",
			Point:  "預訓練模型用語料的片段回答對話提示；監督微調之後，回答是完整的句子、切合提示的主題，並且用助手的語氣。",
			Claims: []string{"監督微調之後，合乎文法的句子多得多（至少多 50 個百分點）。", "監督微調之後，更多回答切合提示的主題。", "監督微調之後，更多回答用樂於助人的語氣。"},
			Before: "預訓練模型", After: "監督微調之後"},
		"label-noise": {Title: "排名與雜訊",
			Point:  "獎勵模型的準確率隨排名數量增加而上升；有雜訊的標記者（雜訊 0.3）畫出較低的曲線。",
			Claims: []string{"沒有雜訊時，準確率隨排名增加而上升。", "有雜訊的標記者的曲線平均較低。", "排名最多時，有雜訊的標記者訓練出的獎勵模型較不準確。"},
			Before: "之前", After: "之後"},
		"kl-penalty": {Title: "有 KL 懲罰的近端策略最佳化",
			Point:  "用預設的 β，獎勵上升，和監督微調模型之間的 KL 保持有界，回答仍然合乎文法。",
			Claims: []string{"獎勵模型的分數上升（至少 0.3）。", "KL 保持有界（最後每個回答至多 6 奈特）。", "回答仍然合乎文法（至少 80%）。"},
			Before: "監督微調之後", After: "近端策略最佳化之後"},
		"no-kl": {Title: "β = 0：沒有 KL 懲罰",
			Point:  "沒有 KL 懲罰，KL 失控上升，回答崩壞成一堆不成句的詞。",
			Claims: []string{"KL 失控上升：最後每個回答至少 18 奈特，是有懲罰時上限的 3 倍。", "回答崩壞：合乎文法的比例比監督微調之後少至少 30 個百分點。"},
			Before: "監督微調之後", After: "近端策略最佳化之後，β = 0"},
		"overoptimisation": {Title: "過度最佳化獎勵模型（Gao 等人，2022）",
			Point:  "獎勵模型只用少數排名訓練，近端策略最佳化跑得很久：獎勵模型的分數一直上升，標記者自己的（黃金）分數卻先到高峰再下降。",
			Claims: []string{"標記者自己的分數在最後一次迭代之前到達高峰。", "之後它下降。", "同時獎勵模型的分數持續上升。"},
			Before: "之前", After: "之後"},
		"change-mind": {Title: "改變心意",
			Point:  "標記者的偏好在中途改變（改由「簡潔」而不是「詳細」重新排名，並重新訓練獎勵模型）：近端策略最佳化轉向新的偏好。",
			Claims: []string{"切換之後，近端策略最佳化轉向新的標記者：它的分數上升至少 0.5。"},
			Before: "之前", After: "之後"},
		"length-bias": {Title: "長度偏誤（Singhal 等人，2023）",
			Point:  "標記者偏好較長的回答：獎勵模型學到了長度（它的分數和長度相關），近端策略最佳化寫出較長的回答。",
			Claims: []string{"獎勵模型學到了長度：它的分數和回答長度的相關係數至少 0.4。", "比標記者自己的分數更相關：獎勵模型倚重長度。", "近端策略最佳化寫出較長的回答（字數至少 1.2 倍）。"},
			Before: "之前", After: "之後"},
	},
	Charts: map[string]PresetChart{
		"label-noise":        {Title: "獎勵模型準確率與排名數量", XLabel: "獎勵模型訓練用的排名數", YLabel: "準確率（無雜訊的排名）", Lines: []string{"標記者雜訊 0", "標記者雜訊 0.3"}},
		"kl-penalty_reward":  {Title: "獎勵模型分數（預設 β）", XLabel: "近端策略最佳化迭代", YLabel: "分數（標準化）", Lines: []string{"獎勵模型分數"}},
		"kl-penalty_kl":      {Title: "和監督微調模型之間的 KL（預設 β）", XLabel: "近端策略最佳化迭代", YLabel: "KL（每個回答的奈特）", Lines: []string{"KL"}},
		"no-kl_reward":       {Title: "獎勵模型分數（β = 0）", XLabel: "近端策略最佳化迭代", YLabel: "分數（標準化）", Lines: []string{"獎勵模型分數"}},
		"no-kl_kl":           {Title: "和監督微調模型之間的 KL（β = 0）", XLabel: "近端策略最佳化迭代", YLabel: "KL（每個回答的奈特）", Lines: []string{"KL"}},
		"overoptimisation":   {Title: "獎勵模型分數與標記者自己的分數", XLabel: "√KL（和監督微調模型之間，√奈特）", YLabel: "分數（監督微調回答：平均 0，標準差 1）", Lines: []string{"獎勵模型", "黃金（標記者）"}},
		"change-mind_gold":   {Title: "兩位標記者給近端策略最佳化回答的分數", XLabel: "近端策略最佳化迭代", YLabel: "標記者的分數（批次平均）", Lines: []string{"詳細", "簡潔"}},
		"change-mind_length": {Title: "回答長度", XLabel: "近端策略最佳化迭代", YLabel: "每個回答的詞元數", Lines: []string{"回答長度"}},
		"length-bias_rm":     {Title: "獎勵模型給監督微調回答的分數與長度", XLabel: "回答的字數", YLabel: "獎勵模型分數", Lines: []string{"一個監督微調回答"}},
		"length-bias_length": {Title: "近端策略最佳化期間的回答長度", XLabel: "近端策略最佳化迭代", YLabel: "每個回答的詞元數", Lines: []string{"回答長度"}},
	},
	Categories: map[string]string{"ends properly": "正常結束", "grammatical": "合乎文法", "on topic": "切合主題", "helpful voice": "樂於助人的語氣", "pretrained": "預訓練模型", "SFT": "監督微調之後"},
}
