package protocol

import "rlhfplayground/sim"

// A Command is a request from the page.
type Command interface{ command() }

// The commands. Each is handled at once; Run, Step, TrainReward and
// AutoLabel start a Job that runs between later commands.
//
// Rank, AddDemo and SetSettings are the student's actions: Seq numbers the
// action in the page's journal (sim.Action), which the page wrote before it
// sent the command, and 0 stands for an action in no journal.
type (
	// Hello is the page's first command: this tab owns the session now.
	// The engine restores the stored session, opens the session of the
	// model in language Lang (sim.Settings.Lang's language, "en" for
	// English; "" for whatever session is open) if it has that model, and
	// tells the page NoModel if not. It applies the actions of the page's
	// journal that the sessions have not handled, oldest first, each to the
	// session of its language (sim.Action.Lang), then sends everything.
	Hello struct {
		Journal []sim.Action
		Tab     string // this tab's name: the engine stores it with the session, and stops saving when another tab's replaces it
		Lang    string
	}
	Run         struct{ Job Job } // JobPretrain, JobSFT or JobPPO until Pause
	Step        struct{ Job Job } // one step of it (one PPO iteration)
	Pause       struct{}          // stop the job after its current step
	TrainReward struct{}          // the reward-model job
	AutoLabel   struct{ N int }   // N rankings by the persona
	// Rank is the student's ranking of the waiting candidate: indices into
	// its answers, best first. The worker holds the prompt and answers.
	Rank struct {
		Candidate uint64
		Order     []int
		Seq       uint64 `json:",omitempty"`
	}
	Skip        struct{ Candidate uint64 } // new answers instead of these
	SetSettings struct {                   // replace the settings
		Settings sim.Settings
		Seq      uint64 `json:",omitempty"`
	}
	AddDemo struct { // a demonstration of the student's
		Demo sim.Demonstration
		Seq  uint64 `json:",omitempty"`
	}
	ShowSamples struct{}             // the pretraining screen's sentences, refreshed while pretraining
	ShowCompare struct{ Prompt int } // the SFT screen's before/after answers to Ready.Prompts[Prompt]
	ShowProbe   struct {             // the policy-shift panel for Ready.Prompts[Prompt]
		Prompt, Pos int  // Pos: the answer position of the next-token probabilities
		Resample    bool // draw new answers even if the policy did not change
	}
	Visible struct{ Visible bool } // the tab was shown or hidden; work pauses while hidden
	Restart struct{ Job Job }      // JobPPO: PPO from the SFT model; JobSFT: SFT from the pretrained model (drops the reward model and the policy)
	Export  struct{}               // send the session file
	Import  struct{}               // replace the session by the file sent beside this command
	Reset   struct{}               // start again from the shipped checkpoints
	Save    struct{}               // store the session now: the tab is being hidden or closed
	Release struct{}               // another tab takes the session over: store it, answer Released, and store nothing more
	// SwitchModel opens the session of the model in language Lang (its own
	// rankings, demonstrations and models, saved apart from the others'):
	// the stored one, else a fresh one from that language's pack, and
	// applies the actions of the page's journal in that language that it
	// has not handled, as Hello does. The session that was open is stored
	// first. A language whose model this server does not have is refused
	// with NoModel, and the session stays.
	SwitchModel struct {
		Lang    string
		Journal []sim.Action
	}
	// Offer makes a candidate set from the class server the answers
	// waiting for the student's ranking (sim.Lab.Offer): the Candidate
	// update that follows carries its candidate ID, and Rank ranks it.
	Offer struct {
		Prompt  string
		Answers []string
	}
	// TrainClassReward starts the class reward model job
	// (sim.PooledRewardJob) on the rankings sent beside it (JSON, a list
	// of sim.Ranking: the class server's pooled rankings), apart from the
	// session; ClassRewardModel answers with the checkpoint.
	TrainClassReward struct{}
	// UseRewardModel makes the reward model sent beside it (a checkpoint,
	// the class server's) the one the session scores with and runs PPO
	// on; Source names it ("class v2"). UseOwnRewardModel goes back.
	UseRewardModel struct {
		Source string
	}
	UseOwnRewardModel struct{}
	// RunPreset starts the experiment called Name (PresetNames) with
	// seed Seed (0: its default seed) as JobPreset; Pause abandons it.
	RunPreset struct {
		Name string
		Seed uint64 `json:",omitempty"`
	}
	// PPOTrace runs one PPO iteration (stopping a PPO run first) and
	// answers with the Trace of one of its answers: the slow-motion view.
	PPOTrace struct{}
)

// An Update is what the worker tells the page.
type Update interface{ update() }

// The updates.
type (
	// Ready answers Hello: the engine is running, with this vocabulary
	// (the page underlines unknown words as they are typed), these
	// personas, and the held-out prompts the SFT and PPO screens probe.
	// Lang is the session's language (sim.Settings.Lang, "en" for ""), and
	// Models the languages whose models this server has, "en" first.
	Ready struct {
		Vocab, Personas, Prompts []string
		Lang                     string
		Models                   []string
	}
	// Progress is the engine's state, sent whole whenever it changes (at
	// most once a second while a job runs), with the history entries the
	// page does not have yet (nil: none): one message, so one frame.
	Progress struct {
		State   State    `json:"state"`
		History *History `json:"history,omitempty"`
	}
	// History continues the page's copy of the metric history.
	History struct {
		Pretrain    Tail[sim.PretrainStats] `json:"pretrain"`
		SFT         Tail[sim.SFTStats]      `json:"sft"`
		Reward      Tail[sim.RewardStats]   `json:"reward"`
		RewardEvals Tail[sim.RewardEval]    `json:"reward_evals"`
		PPO         Tail[sim.PPOStats]      `json:"ppo"`
	}
	// Demos continues the page's list of demonstrations (the first
	// Builtin are the shipped ones).
	Demos struct {
		Builtin int                     `json:"builtin"`
		List    Tail[sim.Demonstration] `json:"list"`
	}
	Candidate   sim.Candidate // the answers waiting for the student's ranking
	Samples     sim.Samples   // for ShowSamples
	Compare     sim.Compare   // for ShowCompare
	Probe       sim.Probe     // for ShowProbe
	DemoAdded   struct{}      // AddDemo succeeded
	SessionFile struct{}      // the session file, sent beside this update, for Export
	Released    struct{}      // after Release: the session is stored as far as it could be, and the engine stores nothing more
	// ClassRewardModel ends a TrainClassReward job: the reward model's
	// checkpoint is sent beside it, for the class server.
	// Trace answers PPOTrace: one answer followed through the iteration.
	Trace            sim.PPOTrace
	ClassRewardModel struct {
		Rankings int            `json:"rankings"` // the rankings it was trained and evaluated on
		Eval     sim.RewardEval `json:"eval"`     // on the held-out ones
	}
	// PresetResult ends a RunPreset job: what the experiment found (a
	// presets.Result: the JSON fields are the same).
	PresetResult struct {
		Preset      string         `json:"preset"`
		Seed        uint64         `json:"seed"`
		Seconds     float64        `json:"seconds"` // the run's wall-clock seconds in the engine
		Figures     []PresetFigure `json:"figures"`
		Charts      []PresetChart  `json:"charts"`
		Answers     []PresetAnswer `json:"answers,omitempty"`
		Claims      []PresetClaim  `json:"claims"`
		TopSentence string         `json:"top_sentence,omitempty"`
	}
)

// PresetFigure is one named number of a PresetResult ("kl.last_mean").
type PresetFigure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// PresetLine is one curve of a PresetChart (in a bar chart, one group of bars).
type PresetLine struct {
	Name string    `json:"name"`
	X    []float64 `json:"x"`
	Y    []float64 `json:"y"`
}

// PresetChart is the data of one of a PresetResult's charts; with
// Categories it is a bar chart, each line one bar per category.
type PresetChart struct {
	Name       string       `json:"name"`
	Title      string       `json:"title"`
	XLabel     string       `json:"x_label"`
	YLabel     string       `json:"y_label"`
	Lines      []PresetLine `json:"lines"`
	Categories []string     `json:"categories,omitempty"`
	MarkX      []float64    `json:"mark_x,omitempty"`
	Scatter    bool         `json:"scatter,omitempty"`
}

// PresetAnswer is one prompt answered before and after (the SFT or PPO step).
type PresetAnswer struct {
	Prompt string `json:"prompt"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// PresetClaim is one statement of the experiment's point and whether the run bore it out.
type PresetClaim struct {
	Text string `json:"text"`
	Held bool   `json:"held"`
}

// State is the engine's state (in Progress).
type State struct {
	sim.Status
	Done     uint64 `json:"done"`              // the newest command handled (its envelope id)
	Applied  uint64 `json:"applied"`           // the newest journal action (sim.Action.Seq) the session has handled
	Stored   uint64 `json:"stored"`            // the newest journal action in the session the browser has stored: the page may forget those of the session's language (Settings.Lang) up to it
	Storage  Code   `json:"storage,omitempty"` // why the session is not being stored ("" while it is): NoStorage, NotSaved or Elsewhere
	Job      Job    `json:"job"`               // Idle when nothing runs
	Paused   bool   `json:"paused"`            // the job waits for the tab to be shown again
	JobDone  int    `json:"job_done"`          // steps of the job so far
	JobTotal int    `json:"job_total"`         // 0 for a job that runs until paused
	SavedAt  int64  `json:"saved_at"`          // Unix ms of the last save in the browser, 0 before
	Kernels  string `json:"kernels"`           // the engine's kernel set: "simd", or "go" without WebAssembly SIMD
	// Preset and PresetStage say, while JobPreset runs, which experiment
	// and which part of it ("label", "rm", "ppo", "samples"): JobDone and
	// JobTotal then count that part's steps.
	Preset      string `json:"preset,omitempty"`
	PresetStage string `json:"preset_stage,omitempty"`

	// Kept is, for the languages whose sessions are stored but not open
	// (keyed as sim.Settings.Lang: "" for English), the newest journal
	// action in the stored session, as far as the engine knows since it
	// started: the page may forget that language's actions up to it.
	Kept map[string]uint64 `json:"kept"` // null when there are none (not omitempty: {} and null each decode as they were sent)
}

func (Hello) command()       {}
func (Run) command()         {}
func (Step) command()        {}
func (Pause) command()       {}
func (TrainReward) command() {}
func (AutoLabel) command()   {}
func (Rank) command()        {}
func (Skip) command()        {}
func (SetSettings) command() {}
func (AddDemo) command()     {}
func (ShowSamples) command() {}
func (ShowCompare) command() {}
func (ShowProbe) command()   {}
func (Visible) command()     {}
func (Restart) command()     {}
func (Export) command()      {}
func (Import) command()      {}
func (Reset) command()       {}
func (Save) command()        {}
func (Release) command()     {}
func (SwitchModel) command() {}
func (Offer) command()       {}

func (TrainClassReward) command()  {}
func (UseRewardModel) command()    {}
func (UseOwnRewardModel) command() {}
func (RunPreset) command()         {}
func (PPOTrace) command()          {}

func (Ready) update()       {}
func (Progress) update()    {}
func (Demos) update()       {}
func (Candidate) update()   {}
func (Samples) update()     {}
func (Compare) update()     {}
func (Probe) update()       {}
func (Message) update()     {}
func (DemoAdded) update()   {}
func (SessionFile) update() {}
func (Released) update()    {}

func (ClassRewardModel) update() {}
func (PresetResult) update()     {}
func (Trace) update()            {}

var (
	commandKinds = kinds[Command](Hello{}, Run{}, Step{}, Pause{}, TrainReward{}, AutoLabel{}, Rank{}, Skip{}, SetSettings{},
		AddDemo{}, ShowSamples{}, ShowCompare{}, ShowProbe{}, Visible{}, Restart{}, Export{}, Import{}, Reset{}, Save{}, Release{},
		SwitchModel{}, Offer{}, TrainClassReward{}, UseRewardModel{}, UseOwnRewardModel{}, RunPreset{}, PPOTrace{})
	updateKinds = kinds[Update](Ready{}, Progress{}, Demos{}, Candidate{}, Samples{}, Compare{}, Probe{}, Message{},
		DemoAdded{}, SessionFile{}, Released{}, ClassRewardModel{}, PresetResult{}, Trace{})
)

// PresetNames are the lessons' experiments, in their order: presets.Names,
// kept here for the page, which does not link package presets (its models
// are the worker's); a test of package presets checks the two agree.
var PresetNames = []string{"sft-format", "label-noise", "kl-penalty", "no-kl", "overoptimisation", "change-mind", "length-bias"}
