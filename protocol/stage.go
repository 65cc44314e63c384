package protocol

// Stage is a step of the recipe: one screen of the page, its deep link
// "#"+ID and state().stage.
type Stage int

const (
	Pretrain Stage = iota
	SFT
	Label // step 2: the student ranks answers; the reward model trains on them
	PPO
	NumStages
)

var stageIDs = [NumStages]string{Pretrain: "pretrain", SFT: "sft", Label: "label", PPO: "ppo"}

// ID is the stage's name in URLs and state().
func (s Stage) ID() string { return stageIDs[s] }

// StageByID returns the stage called id ("sft", …).
func StageByID(id string) (Stage, bool) {
	for s, name := range stageIDs {
		if name == id {
			return Stage(s), true
		}
	}
	return 0, false
}

// Job is what the engine works on, one bounded step at a time, between
// commands.
type Job string

const (
	Idle         Job = ""
	JobPretrain  Job = "pretrain"  // pretraining until paused
	JobSFT       Job = "sft"       // supervised fine-tuning until paused
	JobReward    Job = "rm"        // a sim.RewardJob: its steps, then the held-out evaluation
	JobPPO       Job = "ppo"       // PPO iterations until paused
	JobAutoLabel Job = "autolabel" // rankings by the persona in the settings
	// JobClassReward is a sim.PooledRewardJob: the class reward model, in
	// the teacher's tab, on the class's pooled rankings.
	JobClassReward Job = "class-rm"
	// JobPreset is one of the lessons' experiments (package presets, run
	// by a presets.Runner): a run of its own from the shipped models,
	// apart from the session, which it leaves as it was; PresetResult
	// ends it.
	JobPreset Job = "preset"
)

// Stage is the stage whose screen shows the job.
func (j Job) Stage() Stage {
	switch j {
	case JobPretrain:
		return Pretrain
	case JobSFT:
		return SFT
	case JobPPO:
		return PPO
	}
	return Label
}
