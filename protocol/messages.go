package protocol

import "rlhfplayground/sim"

// A Command is a request from the page.
type Command interface{ command() }

// The commands. Each is handled at once; Run, Step, TrainReward and
// AutoLabel start a Job that runs between later commands.
type (
	// Hello: the page started, send everything. Lang is the language of the
	// model the page wants (sim.Settings.Lang; "" for whatever session is
	// open): the worker opens that language's session first, if it has its
	// model, and tells the page NoModel if not.
	Hello       struct{ Lang string }
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
	}
	Skip        struct{ Candidate uint64 }       // new answers instead of these
	SetSettings struct{ Settings sim.Settings }  // replace the settings
	AddDemo     struct{ Demo sim.Demonstration } // a demonstration of the student's
	ShowSamples struct{}                         // the pretraining screen's sentences, refreshed while pretraining
	ShowCompare struct{ Prompt int }             // the SFT screen's before/after answers to Ready.Prompts[Prompt]
	ShowProbe   struct {                         // the policy-shift panel for Ready.Prompts[Prompt]
		Prompt, Pos int  // Pos: the answer position of the next-token probabilities
		Resample    bool // draw new answers even if the policy did not change
	}
	Visible struct{ Visible bool } // the tab was shown or hidden; work pauses while hidden
	Restart struct{ Job Job }      // JobPPO: PPO from the SFT model; JobSFT: SFT from the pretrained model (drops the reward model and the policy)
	Export  struct{}               // send the session file
	Import  struct{}               // replace the session by the file sent beside this command
	Reset   struct{}               // start again from the shipped checkpoints
	// SwitchModel opens the session of the model in language Lang (its own
	// rankings, demonstrations and models, saved apart from the others'):
	// the stored one, else a fresh one from that language's pack. A language
	// whose model this server does not have is refused with NoModel, and the
	// session stays.
	SwitchModel struct{ Lang string }
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
)

// State is the engine's state (in Progress).
type State struct {
	sim.Status
	Done     uint64 `json:"done"`      // the newest command handled
	Stored   uint64 `json:"stored"`    // every command up to this one is in the session the browser has stored
	Job      Job    `json:"job"`       // Idle when nothing runs
	Paused   bool   `json:"paused"`    // the job waits for the tab to be shown again
	JobDone  int    `json:"job_done"`  // steps of the job so far
	JobTotal int    `json:"job_total"` // 0 for a job that runs until paused
	SavedAt  int64  `json:"saved_at"`  // Unix ms of the last save in the browser, 0 before
	Kernels  string `json:"kernels"`   // the engine's kernel set: "simd", or "go" without WebAssembly SIMD
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
func (SwitchModel) command() {}

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

var (
	commandKinds = kinds[Command](Hello{}, Run{}, Step{}, Pause{}, TrainReward{}, AutoLabel{}, Rank{}, Skip{}, SetSettings{},
		AddDemo{}, ShowSamples{}, ShowCompare{}, ShowProbe{}, Visible{}, Restart{}, Export{}, Import{}, Reset{}, SwitchModel{})
	updateKinds = kinds[Update](Ready{}, Progress{}, Demos{}, Candidate{}, Samples{}, Compare{}, Probe{}, Message{},
		DemoAdded{}, SessionFile{})
)
