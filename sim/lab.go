package sim

// The Lab owns one classroom session: the models of every stage, the
// tokenizer, the data (built-in and the student's), the settings and the
// whole metric history. Each XxxStep method does one bounded piece of work
// (one optimiser step, one PPO iteration, one batch of samples) so that a
// browser frame can interleave learning with drawing.

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// LabData is the built-in data a Lab starts from.
type LabData struct {
	Corpus         []string        // pretraining sentences
	Prompts        []string        // prompts for labelling and PPO
	HeldoutPrompts []string        // prompts never trained on, for evaluation
	Demonstrations []Demonstration // the built-in SFT data
}

// Settings are everything a student or teacher can change.
type Settings struct {
	Seed     uint64         `json:"seed"`
	K        int            `json:"k"`       // answers per ranking, 2…9
	Persona  string         `json:"persona"` // the simulated labeler for auto-labelling and the gold score
	Pretrain PretrainConfig `json:"pretrain"`
	SFT      SFTConfig      `json:"sft"`
	Reward   RewardConfig   `json:"reward"`
	PPO      PPOConfig      `json:"ppo"`
	// LabelTemperature is the temperature of the answers drawn for ranking.
	LabelTemperature float64 `json:"label_temperature"`
	// Lang is the language of the session's data and models, a BCP 47 tag
	// ("zh-TW"); "" is English. It is fixed when the session starts.
	Lang string `json:"lang,omitempty"`
}

// DefaultSettings returns the app's defaults.
func DefaultSettings() Settings {
	return Settings{Seed: 1, K: 4, Persona: "helpful-polite", Pretrain: DefaultPretrainConfig(), SFT: DefaultSFTConfig(),
		Reward: DefaultRewardConfig(), PPO: DefaultPPOConfig(), LabelTemperature: 1}
}

// Validate reports settings the Lab refuses; the error wraps ErrBadSettings.
func (s Settings) Validate() error {
	if err := s.validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrBadSettings, err)
	}
	return nil
}

func (s Settings) validate() error {
	if s.K < MinK || s.K > MaxK {
		return fmt.Errorf("sim: settings: K = %d: a ranking needs %d…%d answers", s.K, MinK, MaxK)
	}
	if s.LabelTemperature <= 0 || math.IsNaN(s.LabelTemperature) {
		return fmt.Errorf("sim: settings: label temperature %v must be positive", s.LabelTemperature)
	}
	for _, lr := range []float64{s.Pretrain.LR, s.SFT.LR, s.Reward.LR} {
		if lr <= 0 || math.IsNaN(lr) || math.IsInf(lr, 0) {
			return fmt.Errorf("sim: settings: learning rate %v must be positive", lr)
		}
	}
	if !(s.SFT.Dropout >= 0 && s.SFT.Dropout < 1) {
		return fmt.Errorf("sim: settings: SFT dropout %v outside [0, 1)", s.SFT.Dropout)
	}
	if s.Pretrain.Batch < 1 || s.SFT.Batch < 1 || s.Reward.Batch < 1 || s.Reward.HoldEvery < 2 || s.Reward.Epochs < 1 {
		return errors.New("sim: settings: batch sizes and the reward model's epochs must be positive")
	}
	// The sizes that set how much memory and time a step takes: a session
	// file may ask for any.
	for _, n := range []int{s.Pretrain.Batch, s.SFT.Batch, s.Reward.Batch, s.PPO.Batch} {
		if n > maxBatch {
			return fmt.Errorf("sim: settings: a batch of %d, more than %d", n, maxBatch)
		}
	}
	if s.Reward.Epochs > maxEpochs || s.PPO.Epochs > maxEpochs || s.PPO.MaxNew > maxNewTokens {
		return fmt.Errorf("sim: settings: %d and %d epochs, %d new tokens: at most %d epochs and %d tokens",
			s.Reward.Epochs, s.PPO.Epochs, s.PPO.MaxNew, maxEpochs, maxNewTokens)
	}
	if len(s.Persona) > MaxTextBytes {
		return fmt.Errorf("sim: settings: a persona name of %d bytes", len(s.Persona))
	}
	return s.PPO.Validate()
}

// Bounds of the settings that size a step.
const (
	maxBatch     = 1024 // sequences, demonstrations, rankings or answers per step
	maxEpochs    = 100  // passes of one reward-model job or PPO iteration
	maxNewTokens = 1024 // tokens per sampled answer (the context ends them sooner)
)

// History is every metric recorded so far, stage by stage.
type History struct {
	Pretrain    []PretrainStats `json:"pretrain"`
	SFT         []SFTStats      `json:"sft"`
	Reward      []RewardStats   `json:"reward"`
	RewardEvals []RewardEval    `json:"reward_evals"`
	Norm        *NormStats      `json:"norm,omitempty"`
	PPO         []PPOStats      `json:"ppo"`
}

// Conditions a screen explains to the student in its own words; the
// errors that wrap them carry the detail for developers.
var (
	// ErrDiverged: a step's loss or weights were not finite, and the step
	// was undone. A lower learning rate is the way out.
	ErrDiverged = errors.New("the step diverged")
	// ErrNoRankings: the reward model has no training rankings yet.
	ErrNoRankings = errors.New("no rankings to train on")
	// ErrNoRewardModel: PPO needs a trained reward model.
	ErrNoRewardModel = errors.New("no reward model")
	// ErrBadSettings: settings the Lab refuses (it keeps the ones it had).
	ErrBadSettings = errors.New("settings refused")
	// ErrUnknownWords: a demonstration has words outside the vocabulary.
	ErrUnknownWords = errors.New("words the model does not know")
	// ErrTooLong: a demonstration is longer than the model's context.
	ErrTooLong = errors.New("longer than the model reads")
)

// Lab is one session of the RLHF recipe.
type Lab struct {
	Settings  Settings
	Tok       *Tokenizer
	Data      LabData
	UserDemos []Demonstration // demonstrations the student wrote
	Rankings  []Ranking       // every ranking, the student's and auto-labelled
	History   History
	// CustomPersona is a persona loaded from JSON; when its name is
	// Settings.Persona it is used instead of a built-in one.
	CustomPersona *Persona

	Base    *GPT         // the pretrained model (pretraining continues it)
	SFT     *GPT         // the supervised model: start of the reward model and the policy
	RM      *RewardModel // nil until reward training starts
	streams *Streams

	pretrainer *Pretrainer
	sftTrainer *SFTTrainer
	rmTrainer  *RewardTrainer
	ppo        *PPOTrainer
	undo       undoBuffer

	cand       *Candidate      // the answers waiting for the student's ranking; nil: draw new ones
	lastID     uint64          // the newest candidate's ID
	rankingIDs map[uint64]bool // the IDs of Rankings
	journal    uint64          // the newest journal Action handled (journal.go)
	agree      agreement       // the student's rankings against each persona's
	probe      *Probe          // the policy-shift panel last drawn, whose answers a new position reuses

	rmSource  string       // the reward model in use: "" the student's own, else the class's (classrm.go)
	ownRM     *RewardModel // the student's own, kept aside while the class's is in use
	classEval *RewardEval  // the class's model on the student's held-out rankings
}

// NewLab starts a session from a pretrained model and an SFT model (the
// shipped checkpoints; sft may be nil, then SFT starts from base).
func NewLab(settings Settings, data LabData, tok *Tokenizer, base, sft *GPT) (*Lab, error) {
	if err := settings.Validate(); err != nil {
		return nil, err
	}
	if base == nil || tok == nil || base.Config.Vocab != tok.Size() {
		return nil, errors.New("sim: lab: the base model and the tokenizer do not match")
	}
	if len(data.Prompts) == 0 || len(data.Demonstrations) == 0 {
		return nil, errors.New("sim: lab: the data needs prompts and demonstrations")
	}
	if sft == nil {
		sft = base.Clone()
	}
	if sft.Config != base.Config {
		return nil, errors.New("sim: lab: the SFT model's shape differs from the base model's")
	}
	l := &Lab{Settings: settings, Data: data, Tok: tok, Base: base, SFT: sft, streams: NewStreams(settings.Seed)}
	return l, nil
}

// Persona returns the simulated labeler named in the settings.
func (l *Lab) Persona() (*Persona, error) {
	if l.CustomPersona != nil && l.CustomPersona.Name == l.Settings.Persona {
		return l.CustomPersona, nil
	}
	p, ok := PersonaByName(l.Settings.Persona)
	if !ok {
		return nil, fmt.Errorf("sim: lab: no persona %q", l.Settings.Persona)
	}
	return p, nil
}

// SetSettings replaces the settings after checking them (the persona must be
// a built-in one or CustomPersona); running trainers pick them up. A new K drops the waiting candidate: Candidate draws K new
// answers. Lang is kept: a session's language is fixed when it starts.
func (l *Lab) SetSettings(s Settings) error {
	s.Lang = l.Settings.Lang
	if err := s.Validate(); err != nil {
		return err
	}
	if _, builtin := PersonaByName(s.Persona); !builtin && (l.CustomPersona == nil || l.CustomPersona.Name != s.Persona) {
		return fmt.Errorf("sim: settings: %w: no persona %q", ErrBadSettings, s.Persona)
	}
	if l.ppo != nil {
		if err := l.ppo.SetConfig(s.PPO); err != nil {
			return err
		}
	}
	if l.pretrainer != nil {
		l.pretrainer.Config = s.Pretrain
	}
	if l.sftTrainer != nil {
		l.sftTrainer.Config = s.SFT
	}
	if l.rmTrainer != nil {
		l.rmTrainer.Config.LR, l.rmTrainer.Config.Batch = s.Reward.LR, s.Reward.Batch
	}
	if s.K != l.Settings.K {
		l.cand = nil
	}
	l.Settings = s
	return nil
}

// undoBuffer keeps a model's weights and optimiser state from before a step.
type undoBuffer struct {
	params []float32
	opt    adamState
}

// guarded runs step on model m (optimised by opt) and undoes it when the
// loss or any weight comes out NaN or infinite.
func (l *Lab) guarded(stage string, m *GPT, opt *AdamW, step func() float64) error {
	l.undo.params = append(l.undo.params[:0], m.Params.Data...)
	opt.save(&l.undo.opt)
	loss := step()
	bad := math.IsNaN(loss) || math.IsInf(loss, 0)
	for _, p := range m.Params.Data {
		if bad {
			break
		}
		bad = math.IsNaN(float64(p)) || math.IsInf(float64(p), 0)
	}
	if !bad {
		return nil
	}
	copy(m.Params.Data, l.undo.params)
	opt.restore(&l.undo.opt)
	return fmt.Errorf("sim: %s: loss %v, weights restored: %w", stage, loss, ErrDiverged)
}

// PretrainStep runs one pretraining step on the base model.
func (l *Lab) PretrainStep() (PretrainStats, error) {
	if l.pretrainer == nil {
		p, err := NewPretrainer(l.Settings.Pretrain, l.Base, l.Tok, l.Data.Corpus, l.streams.Data)
		if err != nil {
			return PretrainStats{}, err
		}
		l.pretrainer = p
	}
	var st PretrainStats
	err := l.guarded("pretrain", l.Base, l.pretrainer.lm.opt, func() float64 { st = l.pretrainer.Step(); return st.Loss })
	if err != nil {
		return st, err
	}
	st.Step = len(l.History.Pretrain) + 1
	l.History.Pretrain = append(l.History.Pretrain, st)
	return st, nil
}

// Demonstrations returns the built-in demonstrations followed by the student's.
func (l *Lab) Demonstrations() []Demonstration {
	return append(append([]Demonstration(nil), l.Data.Demonstrations...), l.UserDemos...)
}

// AddDemonstration adds the student's demonstration to the SFT data. Words
// outside the vocabulary are refused, and reported, so the screen can
// underline them.
func (l *Lab) AddDemonstration(d Demonstration) (unknown []string, err error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if len(l.UserDemos) >= MaxUserDemos {
		return nil, fmt.Errorf("sim: demonstration: %d of yours: %w", len(l.UserDemos), ErrTooMany)
	}
	_, u1 := l.Tok.EncodeUnknown(d.Prompt)
	_, u2 := l.Tok.EncodeUnknown(d.Response)
	if unknown = append(u1, u2...); len(unknown) > 0 {
		return unknown, fmt.Errorf("sim: demonstration: %d %w: %v", len(unknown), ErrUnknownWords, unknown)
	}
	if ids, _ := ChatSequence(l.Tok, d.Prompt, d.Response); len(ids) > l.SFT.Config.Context {
		return nil, fmt.Errorf("sim: demonstration: %d tokens, %w (%d)", len(ids), ErrTooLong, l.SFT.Config.Context)
	}
	if l.sftTrainer != nil {
		if err := l.sftTrainer.Add(d); err != nil {
			return nil, err
		}
	}
	l.UserDemos = append(l.UserDemos, d)
	return nil, nil
}

// SFTStep runs one supervised fine-tuning step on the SFT model.
func (l *Lab) SFTStep() (SFTStats, error) {
	if l.sftTrainer == nil {
		s, err := NewSFTTrainer(l.Settings.SFT, l.SFT, l.Tok, l.Demonstrations(), l.streams.Data)
		if err != nil {
			return SFTStats{}, err
		}
		l.sftTrainer = s
	}
	var st SFTStats
	err := l.guarded("sft", l.SFT, l.sftTrainer.lm.opt, func() float64 { st = l.sftTrainer.Step(); return st.Loss })
	if err != nil {
		return st, err
	}
	st.Step = len(l.History.SFT) + 1
	l.History.SFT = append(l.History.SFT, st)
	return st, nil
}

// RestartSFT starts supervised fine-tuning again from the pretrained model.
// The reward model and PPO, built on the old SFT model, are dropped.
func (l *Lab) RestartSFT() {
	l.SFT = l.Base.Clone()
	l.sftTrainer, l.RM, l.rmTrainer, l.ppo, l.probe = nil, nil, nil, nil, nil
	l.History.SFT, l.History.Reward, l.History.RewardEvals, l.History.Norm, l.History.PPO = nil, nil, nil, nil, nil
	l.rescore()
}

// sampleAnswers draws one answer from model m to each prompt, at the given
// temperature, with tokens from rng.
func (l *Lab) sampleAnswers(m *GPT, prompts []string, temperature float64, rng *rand.Rand) []string {
	ids := make([][]int, len(prompts))
	for i, p := range prompts {
		ids[i] = clip(ChatPrompt(l.Tok, p), m.Config.Context-2)
	}
	maxNew := l.Settings.PPO.MaxNew
	out := Sample(m, ids, SampleOptions{Temperature: temperature, MaxNew: maxNew}, rng)
	answers := make([]string, len(out))
	for i, a := range out {
		answers[i] = AnswerText(l.Tok, a)
	}
	return answers
}

// rewardTrainer creates the reward model from the SFT model on first use.
func (l *Lab) rewardTrainer() (*RewardTrainer, error) {
	l.UseOwnRewardModel() // training is the student's own model's, never the class's
	if l.rmTrainer != nil {
		return l.rmTrainer, nil
	}
	if l.RM == nil {
		l.RM = NewRewardModel(l.SFT, l.streams.Init)
	}
	t, err := NewRewardTrainer(l.Settings.Reward, l.RM, l.Tok, l.streams.Data)
	if err != nil {
		return nil, err
	}
	for _, r := range l.Rankings {
		t.add(r) // validated when filed
	}
	l.rmTrainer = t
	return t, nil
}

// RewardSizes returns how many rankings train the reward model and how many
// are held out. It only counts: asking creates no reward model.
func (l *Lab) RewardSizes() (train, heldout int) {
	if l.rmTrainer != nil {
		return l.rmTrainer.Sizes()
	}
	heldout = len(l.Rankings) / l.Settings.Reward.HoldEvery // every HoldEvery-th ranking, as RewardTrainer.Add files them
	return len(l.Rankings) - heldout, heldout
}

// RewardStep runs one reward-model step, and measures held-out accuracy at
// the end of each epoch over the training rankings.
func (l *Lab) RewardStep() (RewardStats, error) {
	t, err := l.rewardTrainer()
	if err != nil {
		return RewardStats{}, err
	}
	if train, _ := t.Sizes(); train == 0 {
		return RewardStats{}, fmt.Errorf("sim: reward model: %d rankings, none for training: %w", len(l.Rankings), ErrNoRankings)
	}
	var st RewardStats
	if err := l.guarded("reward model", l.RM.Model, t.opt, func() float64 { st = t.Step(); return st.Loss }); err != nil {
		return st, err
	}
	st.Step = len(l.History.Reward) + 1
	l.History.Reward = append(l.History.Reward, st)
	if st.Step%t.StepsPerEpoch() == 0 {
		l.EvaluateReward()
	}
	l.History.Norm = nil // the scale of the scores changed: normalise again before PPO
	l.rescore()
	return st, nil
}

// EvaluateReward measures held-out accuracy now and records it.
func (l *Lab) EvaluateReward() RewardEval {
	t, err := l.rewardTrainer()
	if err != nil {
		return RewardEval{}
	}
	e := t.Evaluate()
	e.Step = len(l.History.Reward)
	if e.Pairs > 0 {
		l.History.RewardEvals = append(l.History.RewardEvals, e)
	}
	return e
}

// normalizeReward scores answers of the SFT model (the reference policy) to
// training prompts and sets the reward model's gain and bias so that they
// have mean 0 and std 1.
func (l *Lab) normalizeReward() NormStats {
	const n = 64
	prompts := make([]string, n)
	for i := range prompts {
		prompts[i] = l.Data.Prompts[l.streams.PPO.IntN(len(l.Data.Prompts))]
	}
	answers := l.sampleAnswers(l.SFT, prompts, l.Settings.PPO.Temperature, l.streams.Sample)
	seqs := make([][]int, n)
	for i := range seqs {
		seqs[i], _ = ChatSequence(l.Tok, prompts[i], answers[i])
		seqs[i] = clip(seqs[i], l.SFT.Config.Context)
	}
	st := l.RM.Normalize(seqs)
	if p, err := l.Persona(); err == nil {
		golds := make([]float64, n)
		for i, a := range answers {
			golds[i] = p.Score(a)
		}
		st.GoldMean, st.GoldStd = MeanStd(golds)
	}
	l.History.Norm = &st
	return st
}

// PPOStep runs one PPO iteration. The first call normalises the reward model
// and creates the policy from the SFT model.
func (l *Lab) PPOStep() (PPOStats, error) {
	st, _, err := l.ppoStep(false)
	return st, err
}

// PPOTraceStep runs one PPO iteration, as PPOStep, and returns the trace of
// one of its answers (PPOTrainer.StepTraced): the slow-motion view.
func (l *Lab) PPOTraceStep() (PPOStats, *PPOTrace, error) { return l.ppoStep(true) }

func (l *Lab) ppoStep(traced bool) (PPOStats, *PPOTrace, error) {
	if l.RM == nil || (len(l.History.Reward) == 0 && l.rmSource == "") {
		return PPOStats{}, nil, fmt.Errorf("sim: ppo: %w: train the reward model first", ErrNoRewardModel)
	}
	if l.History.Norm == nil {
		l.normalizeReward()
		if l.ppo != nil {
			l.ppo.RM = l.RM
		}
	}
	if l.ppo == nil {
		t, err := NewPPOTrainer(l.Settings.PPO, l.SFT, l.RM, l.Tok, l.Data.Prompts, l.streams.Sample, l.streams.PPO)
		if err != nil {
			return PPOStats{}, nil, err
		}
		l.ppo = t
	}
	if p, err := l.Persona(); err == nil {
		l.ppo.Gold = p.Score
		if n := l.History.Norm; n.GoldStd > 1e-6 {
			l.ppo.GoldNorm = RewardNorm{Gain: 1 / n.GoldStd, Bias: -n.GoldMean / n.GoldStd}
		}
	} else if l.Settings.PPO.GoldReward {
		return PPOStats{}, nil, fmt.Errorf("sim: ppo: the gold reward needs a simulated labeler: %w", err)
	}
	if l.Settings.PPO.GoldReward && l.ppo.GoldNorm.Gain == 0 {
		return PPOStats{}, nil, errors.New("sim: ppo: the gold reward needs the gold scores of SFT answers (restart PPO)")
	}
	var st PPOStats
	var tr *PPOTrace
	err := l.guarded("ppo", l.ppo.Policy, l.ppo.opt, func() float64 {
		if traced {
			st, tr = l.ppo.StepTraced()
		} else {
			st = l.ppo.Step()
		}
		return st.PolicyLoss + st.ValueLoss
	})
	if err != nil {
		return st, nil, err
	}
	st.Iteration = len(l.History.PPO) + 1
	l.History.PPO = append(l.History.PPO, st)
	if tr != nil {
		tr.Iteration = st.Iteration
	}
	return st, tr, nil
}

// RestartPPO drops the policy: the next PPOStep starts again from the SFT model.
func (l *Lab) RestartPPO() {
	l.ppo, l.probe = nil, nil
	l.History.PPO = nil
}

// Policy returns the PPO policy, or nil before PPO started.
func (l *Lab) Policy() *GPT {
	if l.ppo == nil {
		return nil
	}
	return l.ppo.Policy
}

// LastRollouts returns the answers of the last PPO iteration.
func (l *Lab) LastRollouts() []Rollout {
	if l.ppo == nil {
		return nil
	}
	return l.ppo.LastRollouts
}

// Beta returns the current KL coefficient (it moves with the adaptive controller).
func (l *Lab) Beta() float64 {
	if l.ppo == nil {
		return l.Settings.PPO.KLCoef
	}
	return l.ppo.Beta()
}

// Status is the session at a glance: the counts, switches and summaries the
// screens show beside the charts.
type Status struct {
	Settings       Settings `json:"settings"`
	Beta           float64  `json:"beta"` // the current β (moves with the adaptive controller)
	Rankings       int      `json:"rankings"`
	YourRankings   int      `json:"your_rankings"`
	Demonstrations int      `json:"demonstrations"`
	YourDemos      int      `json:"your_demos"`
	RMTrain        int      `json:"rm_train"` // rankings the reward model trains on
	RMHeldout      int      `json:"rm_heldout"`
	HasRM          bool     `json:"has_rm"`
	HasPolicy      bool     `json:"has_policy"`
	// Agreement is, per built-in persona, the mean share of pairs the
	// persona orders as the student did, over the student's rankings
	// (absent before any).
	Agreement map[string]float64 `json:"agreement,omitempty"`
	// Newest are the newest rankings, newest first (at most
	// NewestRankings): the reward model's training data as the Label
	// screen lists it.
	Newest []RankingSummary `json:"recent,omitempty"`
	// RMSource is the reward model in use: "" the student's own, else the
	// class's (UseRewardModel's source); OwnRM, whether the student's own
	// is kept aside meanwhile; ClassRMAccuracy, the class model's accuracy
	// on the student's held-out rankings, beside the own model's last
	// RewardEval on the same rankings.
	RMSource        string   `json:"rm_source,omitempty"`
	OwnRM           bool     `json:"own_rm,omitempty"`
	ClassRMAccuracy *float64 `json:"class_rm_accuracy,omitempty"`
}

// Status returns the session at a glance.
func (l *Lab) Status() Status {
	s := Status{Settings: l.Settings, Beta: l.Beta(), Rankings: len(l.Rankings), YourRankings: l.agree.n,
		Demonstrations: len(l.Data.Demonstrations) + len(l.UserDemos), YourDemos: len(l.UserDemos),
		HasRM: l.RM != nil, HasPolicy: l.Policy() != nil, Agreement: l.agree.shares(), Newest: l.newest(NewestRankings)}
	s.RMTrain, s.RMHeldout = l.RewardSizes()
	s.RMSource, s.OwnRM = l.rmSource, l.ownRM != nil
	if e := l.classEval; e != nil {
		a := e.Accuracy
		s.ClassRMAccuracy = &a
	}
	return s
}
