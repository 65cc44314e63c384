// Package i18n is the string catalog of RLHF Playground's page: every word
// the app shows a person, in English and in 繁體中文 (Traditional Chinese as
// written in Taiwan), and the rule that picks a language.
//
// The catalog is a struct, Text, with one field per message; English and
// Chinese are two values of it (en.go, zh.go), so a message that is missing
// in code does not compile, and TestCatalog checks that no field is empty in
// either language, that the format verbs agree, and that the Chinese uses the
// chapter's terms and full-width punctuation. Fields whose comment names
// verbs are fmt formats, which the page formats with Sprintf: English
// writes its plurals in them as {one|other} (plural.go). The page draws
// with For(lang):
//
//	t := i18n.For(i18n.Chinese)
//	i18n.Sprintf(t.Header.Rankings, 12) // "12 個排名"; in English "12 rankings", and "1 ranking"
//
// The Chinese is written, not translated by machine, in the terms of the
// chapter the app is taught from: 預訓練, 監督微調（SFT）, 獎勵模型（RM）,
// 近端策略最佳化（PPO）, 標記者, 提示, 排名, 基於人類反饋的強化學習（RLHF）.
// A token is a 詞元 (not 標記, which would read as the labeler's 標記).
//
// The package has no dependencies, so its tests, the font's coverage test
// (assets/fonts) and the font's subset command (assets/internal/fontsubset)
// run natively.
package i18n

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Lang is a language of the app, named by its BCP 47 tag.
type Lang string

// The languages.
const (
	English Lang = "en"
	Chinese Lang = "zh-TW" // 繁體中文, as written in Taiwan
)

// Langs lists the languages, English first.
var Langs = []Lang{English, Chinese}

// For returns the catalog of lang; an unknown language gets English.
func For(lang Lang) *Text {
	if lang == Chinese {
		return &zh
	}
	return &en
}

// Match returns the app's language for a tag such as a URL's ?lang= or a
// browser's navigator.languages gives: English for en and en-*, 繁體中文 for
// zh-TW, zh-HK, zh-MO, zh-Hant and zh-Hant-* and plain zh. Simplified Chinese
// (zh-CN, zh-SG, zh-Hans) does not match: the person's next language decides.
func Match(tag string) (Lang, bool) {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	if t == "en" || strings.HasPrefix(t, "en-") {
		return English, true
	}
	if t != "zh" && !strings.HasPrefix(t, "zh-") {
		return "", false
	}
	for _, sub := range strings.Split(t, "-")[1:] {
		switch sub {
		case "hant", "tw", "hk", "mo":
			return Chinese, true
		case "hans", "cn", "sg", "my":
			return "", false
		}
	}
	return Chinese, true
}

// Choose picks the language of the page: the URL's ?lang= (a teacher's
// link), else the person's last choice saved in this browser, else the first
// of the browser's languages that the app has, else English.
func Choose(query, saved string, browser []string) Lang {
	for _, tag := range append([]string{query, saved}, browser...) {
		if l, ok := Match(tag); ok {
			return l
		}
	}
	return English
}

// Text is every string of the page in one language.
type Text struct {
	Lang     Lang
	Name     string // the language's own name, as the language switch shows it: "English", "繁體中文"
	SwitchTo string // the switch's label: the other language, in that language

	Brand string // the product's name in the header and the tab's title
	// Title is the tab's title, %s the stage's name.
	Title string

	// ListSep joins the items of a list: ", " or "、".
	ListSep string
	// Quote quotes %s: “%s” or 「%s」.
	Quote string
	// Nothing is an empty answer (the model ended at once).
	Nothing string
	// Sampling is a panel waiting for the engine's samples.
	Sampling string
	NoData   string // a chart without points and without a hint of its own

	Header   Header
	Stages   [4]Stage // by protocol.Stage: Pretrain, SFT, Label, PPO
	Intro    Intro
	Train    Train
	Pretrain Pretrain
	SFT      SFT
	Label    Label
	PPO      PPO
	SlowMo   SlowMo
	Settings Settings
	Switch   LangSwitch
	Banner   Banner
	Notice   Notice
	Messages Messages
	Page     Page
	Class    Class
	Presets  Presets
	Lesson   Lesson // the guided lesson (lesson.go)

	// Personas names the simulated labelers by their IDs (sim.Personas),
	// and You the person in the browser (sim.You); an ID not here (a custom
	// persona) is shown as it is.
	Personas map[string]string
	You      string

	ModelNames ModelNames
}

// Header is the pipeline bar.
type Header struct {
	Settings      string // the settings button on a wide screen
	SettingsShort string // the same on a narrow one
	Starting      string // every stage's line before the engine runs
	NotStarted    string
	PretrainSteps string // %d steps, %.2f loss
	Shipped       string // pretraining not run in this browser
	Demos         string // %d demonstrations
	SFTSteps      string // appended: %d steps
	Rankings      string // %d rankings
	RMAccuracy    string // appended: %s the accuracy
	Iteration     string // %d PPO iterations
}

// Stage is what the header and a scene's title say of a stage.
type Stage struct {
	Name  string // the header chip
	Badge string // what the student does there; "" for none
	Title string // the scene title
}

// Intro is the frame of every scene.
type Intro struct {
	WhatsHappening string // the explanation panel's heading
	DataFlow       string // the flow diagram's heading
	ReadMore       string
	ShowLess       string
}

// Flow is one box of a stage's data-flow diagram.
type Flow struct{ Text, Note string }

// Train are the controls every training screen shares.
type Train struct {
	Run, Step, Pause string
	StepAxis         string // a chart's x axis: steps in this browser
	LossAxis         string // a chart's y axis: loss in nats
	LossSeries       string
}

// Pretrain is the pretraining screen.
type Pretrain struct {
	Subtitle, Explain string
	Flow              [3]Flow
	Chart, Empty      string
	Shipped           string // %s the learning rate
	Status            string // %d step, %.3f loss, %s learning rate
	Samples           string // the samples' heading
	SamplesAfter      string // %d steps
	WriteAgain        string
}

// SFT is the supervised fine-tuning screen.
type SFT struct {
	Subtitle, Explain string
	Flow              [4]Flow
	Chart, Empty      string
	Restart           string
	Shipped           string // %s the learning rate
	Status            string // %d step, %.3f loss
	Write             string // the panel's heading
	PromptHint        string
	AnswerHint        string
	Pick, Add         string
	Adding, Added     string
	NoToken           string // %s the unknown words, joined by ListSep
	Clipped           string // %d the most characters a prompt or an answer takes
	Demos             string // %d built-in, %d the student's
	Compare           string // the before/after panel's heading
	Again             string // "Sample again" where the panel is narrow
	SampleAgain       string
	ComparePrompt     string // %s the prompt
	Before, After     string
}

// Label is the ranking screen.
type Label struct {
	Subtitle, Explain  string
	Flow               [4]Flow
	Chart, Empty       string
	StepAxis, Axis     string
	Loss, Accuracy     string // the chart's series
	Submit, Undo, Skip string
	Auto               string // %d rankings
	Labelling          string // %d done, %d in all
	TrainRM            string
	Training           string // %d done, %d in all
	As                 string // before the persona: auto-label as …
	Counter            string // %d rankings, %d the student's
	Writing            string // no answers yet
	Prompt             string
	SamplingNext       string
	Hint               string // %d the number of cards
	Best, Worst        string // the rank chips: "#1 best"; %d the rank of the worst
	Unranked           string
	Score              string // %+.2f the reward model's score
	EmptyAnswer        string // an empty answer on a card
	Agree              string // the agreement panel's heading
	AgreeNone          string
	AgreeNote          string
	Newest             string // the newest rankings' heading
	BestWord           string
	WorstWord          string
}

// PPO is the reinforcement-learning screen.
type PPO struct {
	Subtitle, Explain      string
	Flow                   [4]Flow
	Run, StepOne, Restart  string
	NeedRM                 string
	Status                 string // %d iterations, %s β
	PerIteration           string // appended: %.1f seconds
	Beta, LR, Clip, Adapt  string
	Reward, RewardEmpty    string
	KL, KLAxis, Entropy    string
	EntropyAxis, NoIters   string
	IterAxis, ScoreAxis    string
	RMSeries, GoldRMSeries string // the reward chart's score: by the reward model, by the persona
	Gold                   string
	Probe                  string // the policy-shift panel's heading
	SampleAgain            string
	Prompt                 string
	Reference              string
	Policy                 string // %d iterations
	ProbeFirst             string
	ProbeAfter             string // %s the chosen token
	RefLegend, PolLegend   string
}

// Settings is the session dialog.
type Settings struct {
	Title                    string
	K, Persona               string
	LRPretrain, LRSFT, LRRM  string
	GoldReward               string
	Export, Import, Reset    string
	Close                    string
	NotSaved                 string // nothing stored yet
	NoStorage                string // the browser lets the app store nothing
	SaveFailed               string // the last store failed
	Saved                    string // %s the time
	ResetTitle, ResetBody    string
	ResetConfirm, ResetAbort string
}

// LangSwitch is the dialog of the language switch: the interface's language
// has changed; does the model change too?
type LangSwitch struct {
	Title string // %s the other model
	Body  string // %s the model kept in store
	Yes   string // %s the other model
	No    string // %s the current model
	// Missing: the other language has no model on this server.
	MissingTitle string // %s the other model
	MissingBody  string // %[1]s the missing model, %[2]s the model kept
	OK           string
}

// Banner is the message bar and the ways out its messages offer.
type Banner struct {
	Close, LowerLR string
	Export         string // storage trouble: export the session
	Reload         string // the engine stopped
}

// Notice covers the page while the session is open in another tab.
type Notice struct {
	WaitingTitle, WaitingBody     string // this tab waits for the other to hand the session over
	ElsewhereTitle, ElsewhereBody string // the other tab took the session over
	TakeBack                      string // the button that takes it back (by reloading)
}

// Messages words the engine's coded messages (protocol.Code).
type Messages struct {
	Diverged, NoRankings, NoRewardModel, StaleAnswers, BadSettings string
	UnknownWords                                                   string // %s the words, joined by ListSep
	TooLong                                                        string // %d the most characters of a prompt or an answer
	TooMany                                                        string // %d the most rankings, %d the most demonstrations
	TooLarge                                                       string // %d the largest session file in MB
	NotSession, DamagedSession, NotRestored, NotReplayed           string
	NoStorage, NotSaved, NoJournal, Elsewhere                      string
	NoEngine, EngineStopped, Imported, WasReset, Failed            string
	NoModel                                                        string // %[1]s the missing model, %[2]s the model kept
	ModelSwitched                                                  string // %s the model now in use
}

// Page is what the page says when the app cannot run.
type Page struct {
	Stopped     string // %s the error
	CouldNotRun string
}

// ModelNames names each language's model, as the language switch and its
// messages speak of it.
type ModelNames struct {
	English, Chinese string
}

// Model names the model of lang.
func (t *Text) Model(lang Lang) string {
	if lang == Chinese {
		return t.ModelNames.Chinese
	}
	return t.ModelNames.English
}

// Persona is how a labeler is named on screen: the person in the browser,
// a built-in persona, or a custom persona's own name.
func (t *Text) Persona(id, you string) string {
	if id == you {
		return t.You
	}
	if name, ok := t.Personas[id]; ok {
		return name
	}
	return id
}

// List joins items with the language's separator.
func (t *Text) List(items []string) string { return strings.Join(items, t.ListSep) }

// Quoted quotes s.
func (t *Text) Quoted(s string) string { return fmt.Sprintf(t.Quote, s) }

// Strings returns every string of lang's catalog, in the order of Text's
// fields (maps by key), for the font's subset and the tests.
func Strings(lang Lang) []string {
	var out []string
	walk(reflect.ValueOf(For(lang)).Elem(), "", func(_ string, s string) { out = append(out, s) })
	return out
}

// walk calls f with every string in v and its path ("Label.Flow[2].Note").
func walk(v reflect.Value, path string, f func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		f(path, v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			walk(v.Field(i), strings.TrimPrefix(path+"."+v.Type().Field(i).Name, "."), f)
		}
	case reflect.Array, reflect.Slice:
		for i := range v.Len() {
			walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i), f)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			walk(v.MapIndex(k), fmt.Sprintf("%s[%q]", path, k.String()), f)
		}
	default:
		panic("i18n: a catalog field of kind " + v.Kind().String())
	}
}
