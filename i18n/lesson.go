package i18n

// Lesson is the guided lesson's panel (wasm/lesson holds its rules; Cards
// are in the order of lesson.Cards) and the controls that go with it: the
// header's Lesson and Projector switches and the copy-link button.
type Lesson struct {
	Heading                 string // %d the card, %d the cards in all
	Do                      string // the heading before what to do
	Look                    string // the heading before what to look for
	Passed                  string // the check passed: the next card is offered
	Finished                string // the last card
	Next, Back, Skip, Close string

	Open      string // the header's button that opens the lesson again
	Projector string // the header's projector-mode switch
	CopyLink  string // the button that puts this screen's link on the clipboard
	Copied    string // the link is on the clipboard
	CopyThis  string // the clipboard was refused: the link is shown to be copied by hand

	Cards [8]LessonCard
}

// LessonCard is one card of the lesson.
type LessonCard struct {
	Title string
	Do    string // what to do
	Look  string // what to look for
	Check string // %s what the check measured, %s its goal; "" on a card without a check
}

var enLesson = Lesson{
	Heading:   "Lesson · card %d of %d",
	Do:        "Do",
	Look:      "Look for",
	Passed:    "Done. Next card when you are ready.",
	Finished:  "That is the whole recipe.",
	Next:      "Next",
	Back:      "Back",
	Skip:      "Skip",
	Close:     "Close",
	Open:      "Lesson",
	Projector: "Projector",
	CopyLink:  "Copy link",
	Copied:    "Link copied",
	CopyThis:  "Copy this link:",
	Cards: [8]LessonCard{
		{Title: "Pretraining: learning to continue text",
			Do:    "Press Step, or Run and then Pause, until the model has trained 5 steps.",
			Look:  "The loss falls and the sentences below read more like English. Nobody labelled anything: the text is its own teacher.",
			Check: "Pretraining steps: %s of %s"},
		{Title: "Step 1 · Write a demonstration",
			Do:    "Type a prompt and the answer you would want to it, then press Add demonstration.",
			Look:  "Supervised fine-tuning learns from pairs like yours: a prompt and a good answer written by a person.",
			Check: "Your demonstrations: %s of %s"},
		{Title: "Step 1 · Fine-tune on the demonstrations",
			Do:    "Run SFT for 10 steps.",
			Look:  "Before and after: the fine-tuned model answers the prompt instead of just continuing the text.",
			Check: "SFT steps: %s of %s"},
		{Title: "Step 2 · You are the labeler",
			Do:    "Rank the answers from best to worst (drag the cards, or press their numbers) and submit 5 rankings.",
			Look:  "Each ranking of K answers gives the reward model every pair of them to learn from.",
			Check: "Your rankings: %s of %s"},
		{Title: "Step 2 · Train the reward model",
			Do:    "Press Train reward model. Not there yet? Add rankings, yours or Auto-label's, and train again.",
			Look:  "Held-out accuracy: how often the reward model orders two answers it never saw as the labeler did.",
			Check: "Held-out accuracy: %s, goal %s"},
		{Title: "Step 3 · Reinforcement learning with PPO",
			Do:    "Run PPO for 5 iterations.",
			Look:  "The reward model's score rises, while the KL penalty keeps the policy near the SFT model.",
			Check: "PPO iterations: %s of %s"},
		{Title: "Step 3 · Take the KL penalty away",
			Do:    "Set β to 0 (press − beside β until it reads 0) and run PPO on.",
			Look:  "Without the penalty the KL grows and the answers drift towards whatever the reward model over-rates.",
			Check: "KL: %s nats, goal %s"},
		{Title: "The whole recipe",
			Do:   "You have done every step of the chapter: pretraining, SFT, the reward model and PPO.",
			Look: "Try another labeler persona in Session & settings, or send this screen to a classmate with Copy link."},
	},
}

var zhLesson = Lesson{
	Heading:   "課程 · 第 %d 張卡片，共 %d 張",
	Do:        "動手做",
	Look:      "觀察",
	Passed:    "完成了！準備好就看下一張卡片。",
	Finished:  "這就是完整的流程。",
	Next:      "下一張",
	Back:      "上一張",
	Skip:      "跳過",
	Close:     "關閉",
	Open:      "課程",
	Projector: "投影模式",
	CopyLink:  "複製連結",
	Copied:    "已複製連結",
	CopyThis:  "請複製這個連結：",
	Cards: [8]LessonCard{
		{Title: "預訓練：學會接續文字",
			Do:    "按「單步」，或按「執行」再按「暫停」，直到模型訓練了 5 步。",
			Look:  "損失下降，下方的句子越來越像英文。沒有人做任何標記：文字本身就是老師。",
			Check: "預訓練步數：%s／%s"},
		{Title: "步驟 1 · 寫一個示範",
			Do:    "輸入一個提示和你希望的回答，然後按「加入示範」。",
			Look:  "監督微調從像你這樣的配對學習：一個提示，加上一個由人寫的好回答。",
			Check: "你的示範：%s／%s"},
		{Title: "步驟 1 · 用示範來微調",
			Do:    "執行監督微調 10 步。",
			Look:  "比較前後：微調後的模型會回答提示，而不只是接續文字。",
			Check: "監督微調步數：%s／%s"},
		{Title: "步驟 2 · 你就是標記者",
			Do:    "把回答從最好排到最差（拖曳卡片，或按它們的數字鍵），送出 5 個排名。",
			Look:  "每個包含 K 個回答的排名，都把其中每一對回答交給獎勵模型學習。",
			Check: "你的排名：%s／%s"},
		{Title: "步驟 2 · 訓練獎勵模型",
			Do:    "按「訓練獎勵模型」。還不夠？再加一些排名，你的或自動標記的，然後再訓練。",
			Look:  "保留集準確率：獎勵模型對沒見過的兩個回答，排出和標記者相同順序的比例。",
			Check: "保留集準確率：%s，目標 %s"},
		{Title: "步驟 3 · 用近端策略最佳化（PPO）做強化學習",
			Do:    "執行 PPO 5 次迭代。",
			Look:  "獎勵模型的分數上升，而 KL 懲罰讓策略保持在監督微調模型附近。",
			Check: "PPO 迭代：%s／%s"},
		{Title: "步驟 3 · 拿掉 KL 懲罰",
			Do:    "把 β 設成 0（按 β 旁邊的 − 直到顯示 0），然後繼續執行 PPO。",
			Look:  "沒有懲罰，KL 會一直變大，回答會漂向獎勵模型高估的東西。",
			Check: "KL：%s 奈特，目標 %s"},
		{Title: "完整的流程",
			Do:   "你已經做完這一章的每一步：預訓練、監督微調、獎勵模型和 PPO。",
			Look: "到「工作階段與設定」換一位標記者，或用「複製連結」把這個畫面傳給同學。"},
	},
}
