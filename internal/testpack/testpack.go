// Package testpack makes a language pack for tests: a few lines of
// Traditional Chinese text and an untrained model over their characters, in
// the files the server serves under /packs/<lang>/ (dispatch.PackFiles). It
// stands in for the Chinese model that is not trained yet, so the tests can
// switch to a Chinese session, fetch its pack and type Chinese into it.
package testpack

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"rlhfplayground/sim"
)

// Lang is the pack's language.
const Lang = "zh-TW"

// The pack's text. Every character of Prompt and Answer, which the browser
// test types with an IME, is in the vocabulary; Unknown is not.
var (
	Prompt  = "怎麼泡茶？"
	Answer  = "水煮開後沖進茶葉，等三分鐘。"
	Unknown = "鱷"

	corpus = []string{
		"我每天早上喝一杯茶。", "水煮開後沖進茶葉，等三分鐘。", "咖啡要用熱水慢慢沖。", "下雨天記得帶傘。",
		"貓喜歡在窗邊睡覺。", "多喝水對身體好。", "晚上早點睡，明天才有精神。", "我們去夜市吃小吃。",
		"很高興能幫上忙。", "謝謝你的問題。",
	}
	prompts = []string{
		"怎麼泡茶？", "咖啡怎麼沖？", "下雨天要帶什麼？", "貓喜歡做什麼？", "怎樣才睡得好？", "夜市有什麼好吃的？",
	}
	heldout = []string{"茶要泡多久？", "喝水有什麼好處？", "晚上幾點睡比較好？"}
	demos   = []sim.Demonstration{
		{Prompt: "怎麼泡茶？", Response: "水煮開後沖進茶葉，等三分鐘。"},
		{Prompt: "咖啡怎麼沖？", Response: "用熱水慢慢沖。很高興能幫上忙。"},
		{Prompt: "下雨天要帶什麼？", Response: "記得帶傘。"},
		{Prompt: "貓喜歡做什麼？", Response: "貓喜歡在窗邊睡覺。"},
		{Prompt: "怎樣才睡得好？", Response: "晚上早點睡。"},
		{Prompt: "夜市有什麼好吃的？", Response: "我們去夜市吃小吃。謝謝你的問題。"},
	}
)

// Files returns the pack's files by name.
func Files() (map[string][]byte, error) {
	var texts []string
	texts = append(append(append(texts, corpus...), prompts...), heldout...)
	var jsonl bytes.Buffer
	for _, d := range demos {
		texts = append(texts, d.Prompt, d.Response)
		b, err := json.Marshal(map[string]string{"prompt": d.Prompt, "response": d.Response})
		if err != nil {
			return nil, err
		}
		jsonl.Write(append(b, '\n'))
	}
	tok := sim.BuildTokenizer(texts)
	cfg := sim.DefaultConfig(tok.Size())
	base := sim.NewModel[float32](cfg)
	base.Params.Init(cfg, rand.New(rand.NewPCG(1, 2)).NormFloat64)
	files := map[string][]byte{
		"corpus.txt":           []byte(strings.Join(corpus, "\n") + "\n"),
		"prompts.txt":          []byte(strings.Join(prompts, "\n") + "\n"),
		"heldout_prompts.txt":  []byte(strings.Join(heldout, "\n") + "\n"),
		"demonstrations.jsonl": jsonl.Bytes(),
	}
	for _, name := range []string{"pretrained", "sft"} {
		var b bytes.Buffer
		if err := sim.WriteCheckpoint(&b, sim.NewCheckpoint(name, base, tok)); err != nil {
			return nil, err
		}
		files[name+".ckpt"] = b.Bytes()
	}
	return files, nil
}

// Write writes the pack into dir/Lang/, as the server's -packs dir holds it.
func Write(dir string) error {
	files, err := Files()
	if err != nil {
		return err
	}
	d := filepath.Join(dir, Lang)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(d, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
