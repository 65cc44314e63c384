package i18n

// SlowMo is the PPO screen's slow motion: one PPO iteration, stopped at each
// of its steps, with the numbers of one of its answers.
type SlowMo struct {
	Button  string // opens it: runs one traced iteration
	Title   string
	Running string // waiting for the iteration
	Back    string
	Next    string
	Close   string
	Keys    string    // the keyboard hint
	Stop    string    // %d the stop, %d the stops, %s its name
	Names   [6]string // the stops: sample, score, KL, reward, advantage, update
	Sample  string    // %d the iteration, %d answers in it
	Score   string    // %s the score
	NoEOS   string    // %s the no-<eos> score: the answer did not end
	KL      string    // %s the answer's KL
	KL3     string    // the same with the k3 estimator: %s the answer's KL (Σ log π − log π_ref)
	Reward  string    // %s β, %s the sum of the rewards
	Adv     string    // %d answers, %s mean, %s std
	Raw     string    // the advantages were not whitened (the break-it switch)
	Update  string    // %s ε
	Prompt  string
}

var enSlowMo = SlowMo{
	Button:  "Slow motion",
	Title:   "Slow motion: one PPO iteration, one answer",
	Running: "Running one PPO iteration…",
	Back:    "‹ Back",
	Next:    "Next ›",
	Close:   "Close",
	Keys:    "← → step",
	Stop:    "Step %d of %d: %s",
	Names:   [6]string{"Sample", "Score", "KL per token", "Reward", "Advantage", "Update"},
	Sample:  "The policy wrote this answer one token at a time (iteration %d, one of %d answers). Under each token: its probability under the policy.",
	Score:   "The reward model reads the whole answer and gives it one score: %s. This is the only place the reward model enters.",
	NoEOS:   "The answer never ended, so it gets the fixed score %s instead of the reward model's.",
	KL:      "Each token's KL, log π − log π_ref: how much more likely the policy made it than the SFT model did. Sum: %s nats.",
	KL3:     "Each token's KL, estimated as (ρ − 1) − log ρ with ρ = π_ref/π (k3, never below zero). Sum of log π − log π_ref: %s nats.",
	Reward:  "Each token's reward is −β·KL (β = %s); the last token also gets the score. Sum of the rewards: %s.",
	Adv:     "GAE turns the rewards into advantages (how much better than expected each token was), whitened over the tokens of all %d answers (mean %s, std %s).",
	Raw:     "GAE turns the rewards into advantages (how much better than expected each token was), used raw: whitening is off.",
	Update:  "After the clipped update, each token's probability, old → new. Outlined: its ratio left [1−ε, 1+ε] (ε = %s), so it pushed no further.",
	Prompt:  "Prompt",
}

var zhSlowMo = SlowMo{
	Button:  "慢動作",
	Title:   "慢動作：一次 PPO 迭代中的一個回答",
	Running: "正在執行一次 PPO 迭代…",
	Back:    "‹ 上一步",
	Next:    "下一步 ›",
	Close:   "關閉",
	Keys:    "← → 切換步驟",
	Stop:    "第 %d 步（共 %d 步）：%s",
	Names:   [6]string{"取樣", "評分", "每個詞元的 KL", "獎勵", "優勢", "更新"},
	Sample:  "策略一個詞元一個詞元地寫出這個回答（第 %d 次迭代，%d 個回答之一）。每個詞元下方是它在策略下的機率。",
	Score:   "獎勵模型讀完整個回答，只給一個分數：%s。獎勵模型只在這一步出現。",
	NoEOS:   "這個回答沒有結束，所以得到固定分數 %s，而不是獎勵模型的分數。",
	KL:      "每個詞元的 KL，即 log π − log π_ref：策略比 SFT 模型更傾向這個詞元多少。總和：%s nat。",
	KL3:     "每個詞元的 KL，以 (ρ − 1) − log ρ 估計，ρ = π_ref/π（k3，不會小於零）。log π − log π_ref 的總和：%s nat。",
	Reward:  "每個詞元的獎勵是 −β·KL（β = %s），最後一個詞元再加上分數。獎勵總和：%s。",
	Adv:     "GAE 把獎勵變成優勢（每個詞元比預期好多少），再對全部 %d 個回答的詞元做白化（平均 %s，標準差 %s）。",
	Raw:     "GAE 把獎勵變成優勢（每個詞元比預期好多少），直接使用：白化已關閉。",
	Update:  "裁剪更新之後，每個詞元的機率：舊 → 新。加框的詞元比率超出 [1−ε, 1+ε]（ε = %s），不再推動。",
	Prompt:  "提示",
}
