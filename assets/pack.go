package assets

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	"rlhfplayground/quality"
	"rlhfplayground/sim"
)

// A Pack is the text data of one language: the same files, made by the same
// generator (internal/gen), for the same design. The English pack ("en") is
// the files of this folder, also exported as the package's variables; the
// Traditional Chinese pack ("zh-TW", Taiwan) is in zh-TW/. Each field holds
// one file, as the variables of the same name do for English.
type Pack struct {
	Lang                string // "en", "zh-TW"
	Corpus              string // corpus.txt
	Prompts             string // prompts.txt
	HeldoutPrompts      string // heldout_prompts.txt
	Demonstrations      string // demonstrations.jsonl
	DemonstrationLabels string // demonstration_labels.tsv
	PromptTopics        string // prompt_topics.tsv
	Voices              string // voices.tsv
	// PersonasJSON is personas.json, the pack's simulated labelers as a JSON
	// array (sim.LoadPersonas); "" for English, whose personas are sim's
	// built-in ones.
	PersonasJSON string
	// Pretrained and SFT are the pack's shipped checkpoints
	// (pretrained.ckpt, sft.ckpt), made by cmd/mkcheckpoints -lang.
	Pretrained, SFT []byte
}

//go:embed zh-TW/corpus.txt zh-TW/prompts.txt zh-TW/heldout_prompts.txt zh-TW/demonstrations.jsonl
//go:embed zh-TW/demonstration_labels.tsv zh-TW/prompt_topics.tsv zh-TW/voices.tsv zh-TW/personas.json
//go:embed zh-TW/pretrained.ckpt zh-TW/sft.ckpt
var packFiles embed.FS

// Packs returns every language's pack, English first.
func Packs() []*Pack {
	zh := *zhPack()
	return []*Pack{englishPack(), &zh}
}

// englishPack is the English pack, the package's variables. It does not
// touch packFiles, so a program that uses only English (the engine's
// worker, which fetches other packs from the server) links no other
// language's files.
func englishPack() *Pack {
	return &Pack{Lang: "en", Corpus: Corpus, Prompts: Prompts, HeldoutPrompts: HeldoutPrompts, Demonstrations: Demonstrations,
		DemonstrationLabels: DemonstrationLabels, PromptTopics: PromptTopics, Voices: Voices,
		Pretrained: Pretrained, SFT: SFT}
}

// zhPack returns the Traditional Chinese pack, read once from packFiles.
// (A function, not a sync.OnceValue variable: a variable's initialiser is
// always linked, and with it every file of packFiles.)
func zhPack() *Pack {
	zhOnce.Do(func() { zh = embeddedPack("zh-TW") })
	return zh
}

var (
	zhOnce sync.Once
	zh     *Pack
)

// PackByLang returns the pack of language lang ("en", "zh-TW").
func PackByLang(lang string) (*Pack, bool) {
	for _, p := range Packs() {
		if p.Lang == lang {
			return p, true
		}
	}
	return nil, false
}

// embeddedPack reads the pack in folder lang of packFiles.
func embeddedPack(lang string) *Pack {
	read := func(name string) string {
		b, err := packFiles.ReadFile(lang + "/" + name)
		if err != nil {
			panic("assets: " + err.Error()) // the files are embedded: only a broken build gets here
		}
		return string(b)
	}
	return &Pack{Lang: lang, Corpus: read("corpus.txt"), Prompts: read("prompts.txt"), HeldoutPrompts: read("heldout_prompts.txt"),
		Demonstrations: read("demonstrations.jsonl"), DemonstrationLabels: read("demonstration_labels.tsv"),
		PromptTopics: read("prompt_topics.tsv"), Voices: read("voices.tsv"), PersonasJSON: read("personas.json"),
		Pretrained: []byte(read("pretrained.ckpt")), SFT: []byte(read("sft.ckpt"))}
}

// LabData parses the pack into what sim.NewLab takes.
func (p *Pack) LabData() (sim.LabData, error) {
	demos, err := sim.ParseDemonstrations(strings.NewReader(p.Demonstrations))
	if err != nil {
		return sim.LabData{}, fmt.Errorf("assets: %s: %w", p.Lang, err)
	}
	return sim.LabData{Corpus: Lines(p.Corpus), Prompts: Lines(p.Prompts), HeldoutPrompts: Lines(p.HeldoutPrompts), Demonstrations: demos}, nil
}

// AllText returns every text the vocabulary is built from: the corpus, the
// prompts (held-out ones included, so they can be asked) and the demonstrations.
func (p *Pack) AllText() []string {
	texts := append(append(Lines(p.Corpus), Lines(p.Prompts)...), Lines(p.HeldoutPrompts)...)
	demos, _ := sim.ParseDemonstrations(strings.NewReader(p.Demonstrations))
	for _, d := range demos {
		texts = append(texts, d.Prompt, d.Response)
	}
	return texts
}

// QualityData returns the pack as package quality judges answers against
// it: the training text, every prompt's topic, the labelled demonstrations
// and the voices.
func (p *Pack) QualityData() (quality.Data, error) {
	demos, err := sim.ParseDemonstrations(strings.NewReader(p.Demonstrations))
	if err != nil {
		return quality.Data{}, fmt.Errorf("assets: %s: %w", p.Lang, err)
	}
	labels := Lines(p.DemonstrationLabels)
	if len(labels) != len(demos) {
		return quality.Data{}, fmt.Errorf("assets: %s: %d demonstration labels for %d demonstrations", p.Lang, len(labels), len(demos))
	}
	d := quality.Data{Prompts: map[string]string{}}
	d.Training = append(Lines(p.Corpus), Lines(p.Prompts)...)
	for i, dm := range demos {
		f := strings.Split(labels[i], "\t")
		if len(f) < 2 {
			return quality.Data{}, fmt.Errorf("assets: %s: demonstration label %d: %q is not voice<TAB>topic<TAB>about", p.Lang, i+1, labels[i])
		}
		about := ""
		if len(f) > 2 {
			about = f[2]
		}
		d.Training = append(d.Training, dm.Prompt, dm.Response)
		d.Demonstrations = append(d.Demonstrations, quality.Demonstration{Prompt: dm.Prompt, Response: dm.Response, Voice: f[0], Topic: f[1], About: about})
	}
	for _, l := range Lines(p.PromptTopics) {
		topic, prompt, ok := strings.Cut(l, "\t")
		if !ok {
			return quality.Data{}, fmt.Errorf("assets: %s: prompt_topics.tsv: %q is not topic<TAB>prompt", p.Lang, l)
		}
		d.Prompts[prompt] = topic
	}
	for _, l := range Lines(p.Voices) {
		f := strings.Split(l, "\t")
		if len(f) < 2 {
			return quality.Data{}, fmt.Errorf("assets: %s: voices.tsv: %q is not voice<TAB>helpful|unhelpful<TAB>about", p.Lang, l)
		}
		d.Voices = append(d.Voices, quality.Voice{Name: f[0], Helpful: f[1] == "helpful"})
	}
	return d, nil
}

// Personas returns fresh copies of the pack's simulated labelers: for
// English sim.Personas(), for another language its personas.json. They have
// the same names in every pack (helpful-polite, concise, detailed,
// likes-glad), with the words and phrases of the pack's language.
func (p *Pack) Personas() ([]*sim.Persona, error) {
	if p.PersonasJSON == "" {
		return sim.Personas(), nil
	}
	ps, err := sim.LoadPersonas(strings.NewReader(p.PersonasJSON))
	if err != nil {
		return nil, fmt.Errorf("assets: %s: personas.json: %w", p.Lang, err)
	}
	return ps, nil
}
