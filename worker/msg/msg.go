// Package msg is the protocol between the app (wasm/, the page) and the
// engine (worker/, a Web Worker): the commands the page sends and the
// updates the worker answers with, both as JSON. The page keeps only what it
// was last sent; the worker owns the sim.Lab and every weight.
package msg

import "rlhfplayground/sim"

// Command names (Command.Cmd).
const (
	CmdHello      = "hello"     // the page started: send everything
	CmdRun        = "run"       // train Stage continuously until Pause
	CmdPause      = "pause"     // stop the running job after its current step
	CmdStep       = "step"      // one step of Stage (one PPO iteration)
	CmdTrainRM    = "train_rm"  // Epochs passes over the training rankings, then evaluate
	CmdCandidate  = "candidate" // draw a new prompt and K answers to rank (skips the current one)
	CmdRank       = "rank"      // file Ranking, then draw the next candidate
	CmdAutoLabel  = "autolabel" // N rankings by the persona in Settings
	CmdSettings   = "settings"  // replace the settings
	CmdAddDemo    = "add_demo"  // add Demo to the SFT data
	CmdSamples    = "samples"   // pretraining sentences from the base model
	CmdCompareSFT = "compare"   // answers to Prompt before and after SFT
	CmdProbe      = "probe"     // the policy-shift panel for Prompt at Pos
	CmdVisible    = "visible"   // the tab was shown or hidden; work pauses while hidden
	CmdExport     = "export"    // send the session file
	CmdImport     = "import"    // replace the session by the file in Data (sent as a second message part)
	CmdReset      = "reset"     // start again from the shipped checkpoints
	CmdRestartPPO = "restart_ppo"
	CmdRestartSFT = "restart_sft"
)

// You is Ranking.Labeler for the student's own rankings.
const You = "you"

// Stages of Command.Stage and State.Job.
const (
	StagePretrain = "pretrain"
	StageSFT      = "sft"
	StageRM       = "rm"
	StagePPO      = "ppo"
)

// Command is one request from the page.
type Command struct {
	Cmd      string             `json:"cmd"`
	Stage    string             `json:"stage,omitempty"`
	Epochs   int                `json:"epochs,omitempty"`
	N        int                `json:"n,omitempty"`
	Ranking  *sim.Ranking       `json:"ranking,omitempty"`
	Settings *sim.Settings      `json:"settings,omitempty"`
	Demo     *sim.Demonstration `json:"demo,omitempty"`
	Prompt   string             `json:"prompt,omitempty"`
	Pos      int                `json:"pos,omitempty"`      // token position in the policy's answer for Probe
	Resample bool               `json:"resample,omitempty"` // Probe: draw new answers even if the policy did not change
	Visible  bool               `json:"visible,omitempty"`
}

// Update is one message from the worker. Every field is optional; the page
// merges what is present into what it has.
type Update struct {
	Ready   bool   `json:"ready,omitempty"`   // the engine has started (sent with the first update)
	Error   string `json:"error,omitempty"`   // a command failed; the session is unchanged
	Notice  string `json:"notice,omitempty"`  // something the student should know (restored session, import done)
	Diverge bool   `json:"diverge,omitempty"` // Error is a diverged step: suggest a lower learning rate

	State      *State       `json:"state,omitempty"`
	History    *History     `json:"history,omitempty"`
	Candidate  *Candidate   `json:"candidate,omitempty"`
	Demos      *Demos       `json:"demos,omitempty"`
	Vocab      []string     `json:"vocab,omitempty"`
	Personas   []string     `json:"personas,omitempty"`
	Prompts    []string     `json:"prompts,omitempty"` // held-out prompts, for the probes of the SFT and PPO screens
	Samples    *Samples     `json:"samples,omitempty"`
	Compare    *Compare     `json:"compare,omitempty"`
	Probe      *ProbeResult `json:"probe,omitempty"`
	Unknown    []string     `json:"unknown,omitempty"` // words of a refused demonstration
	DemoAdded  bool         `json:"demo_added,omitempty"`
	ExportSize int          `json:"export_size,omitempty"` // the session file follows as bytes
}

// State is the session's counters and settings, sent whole whenever it changes.
type State struct {
	Job            string       `json:"job"` // the stage being trained, "" when idle
	Paused         bool         `json:"paused"`
	JobDone        int          `json:"job_done"`  // steps of the current job so far
	JobTotal       int          `json:"job_total"` // 0 for a job that runs until paused
	Settings       sim.Settings `json:"settings"`
	Beta           float64      `json:"beta"` // the current β (moves with the adaptive controller)
	Rankings       int          `json:"rankings"`
	YourRankings   int          `json:"your_rankings"`
	Demonstrations int          `json:"demonstrations"`
	YourDemos      int          `json:"your_demos"`
	RMTrain        int          `json:"rm_train"` // rankings the reward model trains on
	RMHeldout      int          `json:"rm_heldout"`
	HasRM          bool         `json:"has_rm"`
	HasPolicy      bool         `json:"has_policy"`
	// Agreement is, per persona, the mean share of pairs the persona orders
	// as the student did, over the student's rankings (absent without any).
	Agreement map[string]float64 `json:"agreement,omitempty"`
	// Recent are the newest rankings (newest first, at most RecentRankings),
	// the reward model's training data as the Label screen lists it.
	Recent  []RecentRanking `json:"recent,omitempty"`
	SavedAt int64           `json:"saved_at"` // Unix ms of the last save to the browser, 0 before
	Kernels string          `json:"kernels"`  // the engine's kernel set: "simd", or "go" without WebAssembly SIMD
}

// RecentRankings is how many of the newest rankings State.Recent holds.
const RecentRankings = 8

// RecentRanking is one ranking in short: who ranked, the prompt, and the
// answers put first and last.
type RecentRanking struct {
	Labeler string `json:"labeler"` // You or a persona's name
	Prompt  string `json:"prompt"`
	Best    string `json:"best"`
	Worst   string `json:"worst"`
}

// History carries new metric entries: each slice continues the page's copy
// at From (From 0 replaces it).
type History struct {
	PretrainFrom int                 `json:"pretrain_from"`
	Pretrain     []sim.PretrainStats `json:"pretrain"`
	SFTFrom      int                 `json:"sft_from"`
	SFT          []sim.SFTStats      `json:"sft"`
	RewardFrom   int                 `json:"reward_from"`
	Reward       []sim.RewardStats   `json:"reward"`
	EvalsFrom    int                 `json:"evals_from"`
	Evals        []sim.RewardEval    `json:"evals"`
	PPOFrom      int                 `json:"ppo_from"`
	PPO          []sim.PPOStats      `json:"ppo"`
}

// Candidate is a prompt with K answers to rank, and the reward model's
// score of each once there is a reward model.
type Candidate struct {
	Prompt  string    `json:"prompt"`
	Answers []string  `json:"answers"`
	Scores  []float64 `json:"scores,omitempty"`
}

// Demos is the whole demonstration list.
type Demos struct {
	Builtin int                 `json:"builtin"` // the first Builtin are the shipped ones
	List    []sim.Demonstration `json:"list"`
}

// Samples are sentences the base model writes from <bos>.
type Samples struct {
	Step      int      `json:"step"` // pretraining steps when drawn
	Sentences []string `json:"sentences"`
}

// Compare is the same prompt answered by the pretrained and the SFT model.
type Compare struct {
	Prompt string   `json:"prompt"`
	Before []string `json:"before"`
	After  []string `json:"after"`
	Step   int      `json:"step"` // SFT steps when drawn
}

// ProbeResult fills the policy-shift panel.
type ProbeResult struct {
	Prompt    string          `json:"prompt"`
	Reference string          `json:"reference"` // an answer of the SFT model
	Policy    string          `json:"policy"`    // an answer of the policy (the SFT model before PPO)
	Tokens    []sim.TokenKL   `json:"tokens"`    // the policy's answer, each token with its log-ratio
	Pos       int             `json:"pos"`       // the position the probabilities are for
	Probs     []sim.TokenProb `json:"probs"`     // next-token probabilities at Pos
	Iteration int             `json:"iteration"` // PPO iterations when drawn
}
