package protocol

import "rlhfplayground/sim"

// Tail continues a list the page keeps: the entries from index From on.
// From 0 replaces the list (a restart shortened it, or the page is new).
type Tail[T any] struct {
	From  int `json:"from"`
	Items []T `json:"items"`
}

// TailOf returns the entries of all that the page does not have yet, sent
// being how many it has, and whether the page's copy changes; it moves sent
// to len(all). A list shorter than what was sent is sent whole.
func TailOf[T any](all []T, sent *int) (Tail[T], bool) {
	shrank := *sent > len(all)
	if shrank {
		*sent = 0
	}
	t := Tail[T]{From: *sent, Items: all[*sent:]}
	*sent = len(all)
	return t, shrank || len(t.Items) > 0
}

// Apply returns dst continued by the tail.
func (t Tail[T]) Apply(dst []T) []T { return append(dst[:min(t.From, len(dst))], t.Items...) }

// HistoryCursor remembers how much of each metric history the page has.
// Its zero value, or Reset, stands for a page that has nothing.
type HistoryCursor struct {
	pretrain, sft, reward, evals, ppo int
	sent                              bool // something was sent since the last Reset
}

// Reset forgets what was sent: the next History replaces the page's copy.
func (c *HistoryCursor) Reset() { *c = HistoryCursor{} }

// Next returns the History update with everything the page does not have,
// and whether the page's copy changes.
func (c *HistoryCursor) Next(h *sim.History) (History, bool) {
	var u History
	var ch [5]bool
	u.Pretrain, ch[0] = TailOf(h.Pretrain, &c.pretrain)
	u.SFT, ch[1] = TailOf(h.SFT, &c.sft)
	u.Reward, ch[2] = TailOf(h.Reward, &c.reward)
	u.RewardEvals, ch[3] = TailOf(h.RewardEvals, &c.evals)
	u.PPO, ch[4] = TailOf(h.PPO, &c.ppo)
	changed := !c.sent || ch != [5]bool{}
	c.sent = true
	return u, changed
}

// Apply continues h by the update.
func (u History) Apply(h *sim.History) {
	h.Pretrain = u.Pretrain.Apply(h.Pretrain)
	h.SFT = u.SFT.Apply(h.SFT)
	h.Reward = u.Reward.Apply(h.Reward)
	h.RewardEvals = u.RewardEvals.Apply(h.RewardEvals)
	h.PPO = u.PPO.Apply(h.PPO)
}
