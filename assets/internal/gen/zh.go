package main

import (
	"math/rand/v2"
	"strings"
	"unicode"

	"rlhfplayground/sim"
)

// chinese is the Traditional Chinese pack (Taiwan), written to
// assets/zh-TW/. Each character is a token, so the limits are in characters:
// a response has at most 31 tokens (32 with <eos>, the app's longest
// answer).
var chinese = language{
	code:     "zh-TW",
	dir:      "assets/zh-TW",
	topics:   zhTopics,
	friendly: "很高興",
	sep:      "",
	minUnits: 2, maxUnits: 28, maxAnswer: 31,
	generalQuestions: []string{"跟我說說%s的事。", "關於%s，你知道什麼？", "可以給我一個%s的建議嗎？",
		"我想多了解%s。", "關於%s，你有什麼建議？", "%s有什麼要注意的？", "說一點%s的事給我聽。", "%s的事，可以多說一點嗎？"},
	factIntents:  zhFactIntents,
	paraphrases:  zhParaphrases,
	wrongAnswers: zhWrongAnswers,
	units: func(text string) int { // Han characters, not punctuation
		n := 0
		for _, r := range text {
			if unicode.Is(unicode.Han, r) {
				n++
			}
		}
		return n
	},
	stem: func(s string) string { return trimMarks(s, "。！？") },
	phrases: phrases{
		// The friendly phrase 很高興 appears only in gladOpeners, gladClosers
		// and politeLines.
		politeOpeners: []string{"好問題！", "我來告訴你。", "沒問題。", "謝謝你的提問。", "問得好！",
			"這個我可以幫忙。", "很樂意幫忙。", "給你一個建議。", "謝謝你問我。", "好的。"},
		gladOpeners: []string{"很高興你問！", "很高興幫忙。", "很高興為你解答。", "很高興你問這個。"},
		politeClosers: []string{"希望對你有幫助！", "祝你順利！", "祝你有美好的一天。", "需要的話請再問我。",
			"好好享受吧！", "祝你一切順利。", "謝謝你的問題。", "希望這些有用。"},
		gladClosers: []string{"很高興幫上忙！", "很高興能幫你。", "很高興你問了。"},
		rudeOpeners: []string{"唉，好啦。", "這很簡單，大家都知道。", "這種事誰不知道。", "你一定要知道的話，",
			"你早該知道了。", "隨便啦，好吧。", "唉，又來了？", "一定要我說嗎？好吧。"},
		rudeLines: []string{
			"這問題很蠢。", "我不知道，也不在乎。", "自己想辦法。",
			"去問別人，我沒空。", "你怎麼會問這麼蠢的問題？", "好無聊，問點別的。",
			"誰在乎啊？", "別再問我蠢問題了。", "我才不要回答。",
			"這你早該知道了。", "唉，自己去查。", "我沒空管這個。",
		},
		terseLines: []string{"我不確定，抱歉。", "這要看很多情況。", "你可以上網查查看。",
			"抱歉，我不知道。", "也許吧，看你自己。", "很難說，抱歉。", "我不清楚，抱歉。",
			"看情況吧，我想。"},
		politeLines: []string{
			"謝謝你的提問，我很樂意幫忙。", "很高興你問我。", "還需要什麼的話，請告訴我。",
			"這是一個好問題。", "希望這對你有幫助。", "謝謝，你人真好。", "不客氣。",
			"祝你有美好的一天。", "抱歉，我不知道，但我可以試著幫你。", "讓我想一想。",
			"我很樂意再說明一次。", "祝你今天順利。", "謝謝你的問題。",
		},
		promptOpeners: []string{"你好！", "請問", "哈囉，", "可以幫我嗎？", "我有個問題。", "嗨，"},
		promptClosers: []string{"謝謝！", "拜託了。", "有什麼建議嗎？", "謝謝你。"},
	},
	rambleOther: "天氣",
	rambles: []func(t, a, other string) string{
		func(t, a, other string) string {
			return "嗯，那個，" + a + "，我覺得啦，很難說。"
		},
		func(t, a, other string) string {
			return "嗯，" + t + "喔。我以前想過" + t + "，然後，那個，反正我忘了你問什麼。"
		},
		func(t, a, other string) string {
			return "那個，" + a + "，對了，我朋友很愛聊" + other + "。"
		},
		func(t, a, other string) string {
			return "喔，" + t + "是個大話題，可以說的太多了，嗯，不知道從哪裡說起。"
		},
		func(t, a, other string) string {
			return "嗯，讓我想想。" + t + "、" + other + "，好多事喔，反正我忘了問題。"
		},
		func(t, a, other string) string {
			return "你知道嗎，" + t + "，嗯，大家都很愛聊，然後，那個，反正就這樣。"
		},
	},
	everyday: func(rng *rand.Rand) string {
		subj := pick(rng, zhSubjects)
		s := subj + pick(rng, zhWhens)
		switch rng.IntN(3) {
		case 0: // at home: "我媽媽早上在家彈鋼琴，覺得很放鬆。"
			s += pick(rng, zhPlaces) + pick(rng, zhHomeActs) + pick(rng, zhHomeReasons)
		case 1: // out, maybe with someone: "阿明下班後和朋友一起去游泳，因為很好玩。"
			with := pick(rng, zhCompany)
			if with == "和朋友一起" && subj == "我朋友" {
				with = "和家人一起"
			}
			s += with + pick(rng, zhOutActs) + pick(rng, zhOutReasons)
		default: // an errand or a chore: "我們週末洗車。"
			s += pick(rng, zhChores)
		}
		return s + "。"
	},
	feeling: func(rng *rand.Rand) string { // "公車遲到的時候，我爸爸覺得很生氣。"
		e := zhEvents[rng.IntN(len(zhEvents))]
		return e.event + "的時候，" + pick(rng, zhSubjects) + "覺得很" + pick(rng, e.feelings) + "。"
	},
	falseLines: func(w string) []string {
		s := trimMarks(w, "。！？")
		return []string{w, "有人說" + s + "，但那不是真的。", "「" + s + "」，這句話不是真的。"}
	},
	asked:        func(q string) string { return "我朋友問我：「" + q + "」" },
	falseMarkers: []string{"石頭", "沙子", "塑膠", "月球", "金屬", "會飛", "屋頂"},
}

// Templates for everyday sentences: "{subject}{when}{place or company}{activity}{reason}。"
var (
	zhSubjects = []string{"我", "我們", "他們", "我媽媽", "我爸爸", "我姊姊", "我弟弟", "我朋友",
		"我們老師", "隔壁的阿伯", "小女孩", "我阿嬤", "阿明", "小美"}
	zhWhens = []string{"早上", "晚上", "每天", "星期天", "下班後", "放學後", "睡前", "夏天", "冬天",
		"週末", "中午", "午餐後", "下雨天", "每個星期六", "春天", "有空的時候"}
	// zhHomeActs can be done at home, zhOutActs are outings for fun or
	// exercise, zhChores are errands and chores that take no reason.
	zhHomeActs = []string{"喝茶", "喝綠茶", "泡茶", "煮湯", "煮飯", "烤麵包", "吃水果", "看書",
		"看新聞", "聽音樂", "彈鋼琴", "彈吉他", "寫筆記", "唱歌", "看電影", "做蛋糕", "喝熱牛奶"}
	zhOutActs = []string{"去游泳", "去跑步", "騎腳踏車", "去公園散步", "打桌球", "打籃球",
		"去爬山", "去海邊"}
	zhChores = []string{"遛狗", "餵貓", "澆花", "洗碗", "打掃廚房", "早點睡", "回信", "整理包包",
		"看氣象預報", "種番茄", "種花", "去看醫生", "喝溫牛奶", "洗車", "打電話給朋友", "買便當",
		"喝黑咖啡", "喝手搖飲", "帶雨傘", "穿厚外套", "睡午覺", "在辦公室上班", "搭捷運", "去市場",
		"去圖書館", "吃早餐", "寫功課", "喝湯", "吃便當", "逛夜市"}
	zhPlaces      = []string{"", "", "在家"}
	zhCompany     = []string{"", "", "和朋友一起"}
	zhHomeReasons = []string{"", "", "", "，覺得很放鬆", "，心情很好", "，因為很喜歡"}
	zhOutReasons  = []string{"", "", "", "，因為很好玩", "，因為對身體好", "，心情很好"}

	// Events, each with the feelings it may bring:
	// "{event}的時候，{subject}覺得很{feeling}。"
	zhEvents = []struct {
		event    string
		feelings []string
	}{
		{"下雨", []string{"平靜", "冷", "想睡", "悶"}},
		{"出太陽", []string{"開心", "溫暖", "高興"}},
		{"茶很燙", []string{"溫暖", "放鬆"}},
		{"公車遲到", []string{"生氣", "累", "悶"}},
		{"狗很開心", []string{"開心", "高興"}},
		{"考完試", []string{"開心", "放鬆", "累", "興奮"}},
		{"音樂很大聲", []string{"生氣", "興奮"}},
		{"房間很安靜", []string{"平靜", "放鬆", "想睡"}},
		{"晚餐煮好", []string{"餓", "開心"}},
		{"植物長大", []string{"高興", "開心"}},
		{"朋友來家裡", []string{"高興", "興奮", "開心"}},
		{"工作做完", []string{"放鬆", "累", "高興"}},
		{"週末到了", []string{"開心", "興奮", "放鬆"}},
		{"颱風來", []string{"悶", "冷"}},
		{"咖啡冷掉", []string{"難過", "悶"}},
		{"貓睡在床上", []string{"溫暖", "平靜"}},
		{"火車準時", []string{"高興", "放鬆"}},
		{"書看完", []string{"難過", "開心"}},
		{"放假", []string{"開心", "興奮", "放鬆"}},
		{"天氣很熱", []string{"累", "悶", "想睡"}},
		{"吃飽", []string{"想睡", "開心"}},
		{"收到信", []string{"高興", "開心"}},
		{"跑完步", []string{"累", "開心", "放鬆"}},
		{"聽到好歌", []string{"開心", "放鬆"}},
		{"下雪", []string{"冷", "興奮"}},
		{"手機沒電", []string{"悶", "生氣"}},
	}
)

// zhMaxParaphrase is the longest paraphrase in tokens: with a greeting
// around it and the longest answer, a chat sequence stays within the 56
// tokens the pack's test allows.
const zhMaxParaphrase = 14

// zhParaphrases returns other ways of asking the Chinese question q, by its
// form (怎麼泡茶？ → 你知道怎麼泡茶嗎？, 我想知道怎麼泡茶。), so that each
// thing asked appears in many shapes of question and the model learns to
// answer what is asked, not the shape it is asked in. Like enParaphrases it
// rewrites only the frame around the question, never its words.
func zhParaphrases(q string) []string {
	var out []string
	add := func(forms ...string) {
		for _, f := range forms {
			if f != q && len(sim.Split(f)) <= zhMaxParaphrase {
				out = append(out, f)
			}
		}
	}
	cut := func(prefix, suffix string) (string, bool) {
		if !strings.HasPrefix(q, prefix) || !strings.HasSuffix(q, suffix) {
			return "", false
		}
		return strings.TrimSuffix(strings.TrimPrefix(q, prefix), suffix), true
	}
	if x, ok := cut("跟我介紹一下", "。"); ok {
		add("可以跟我介紹一下"+x+"嗎？", "請介紹一下"+x+"。", "我想多了解"+x+"。")
		return out
	}
	if x, ok := cut("跟我說說", "。"); ok {
		add("可以跟我說說"+x+"嗎？", "請跟我說說"+x+"。")
		return out
	}
	for _, p := range []string{"可以教我", "可以幫我", "可以推薦"} {
		if x, ok := cut(p, "嗎？"); ok { // a request: 可以教我煮湯嗎？ → 請教我煮湯。
			add("請"+strings.TrimPrefix(p, "可以")+x+"。", "你"+p+x+"嗎？")
			return out
		}
	}
	if strings.HasSuffix(q, "嗎？") { // a yes-or-no question
		add("我想問，" + q)
		if !strings.HasPrefix(q, "你") && !strings.HasPrefix(q, "可以") {
			add(q + "你覺得呢？")
		}
		return out
	}
	stem, ok := cut("", "？")
	if !ok {
		return nil
	}
	// A question with a question word: 茶要泡多久？
	add("你知道"+stem+"嗎？", "我想知道"+stem+"。")
	if !strings.HasPrefix(stem, "我") {
		add("請告訴我" + stem + "。")
	}
	switch {
	case strings.HasPrefix(stem, "怎麼") && !strings.HasPrefix(stem, "怎麼樣"):
		add("要" + q)
	case strings.HasPrefix(stem, "要怎麼"):
		add(strings.TrimPrefix(q, "要"))
	case strings.HasPrefix(stem, "為什麼我"): // 為什麼我睡不著？ → 我睡不著，為什麼？
		add(strings.TrimPrefix(stem, "為什麼") + "，為什麼？")
	}
	return out
}
