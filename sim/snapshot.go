package sim

// A snapshot is a whole session in one zip file: session.json (settings, the
// student's data, the metric history) and one checkpoint per model. The app
// saves it in the browser after every change and offers it as "Export
// session"; the optimisers' moments are not kept, so training resumes with
// fresh ones.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

const snapshotVersion = 1

type snapshotJSON struct {
	Format        string          `json:"format"` // "rlhf-playground-session"
	Version       int             `json:"version"`
	Settings      Settings        `json:"settings"`
	UserDemos     []Demonstration `json:"user_demonstrations"`
	Rankings      []Ranking       `json:"rankings"`
	History       History         `json:"history"`
	CustomPersona *Persona        `json:"custom_persona,omitempty"`
	PPOBeta       float64         `json:"ppo_beta"`
	PPOIteration  int             `json:"ppo_iteration"`
	Journal       uint64          `json:"journal,omitempty"`   // the newest journal action in the session (journal.go)
	RMSource      string          `json:"rm_source,omitempty"` // reward.ckpt is the class's (classrm.go); own-reward.ckpt the student's, if any
	ClassEval     *RewardEval     `json:"class_eval,omitempty"`
}

// WriteSnapshot writes the session to w.
func (l *Lab) WriteSnapshot(w io.Writer) error {
	zw := zip.NewWriter(w)
	s := snapshotJSON{Format: "rlhf-playground-session", Version: snapshotVersion, Settings: l.Settings, UserDemos: l.UserDemos,
		Rankings: l.Rankings, History: l.History, CustomPersona: l.CustomPersona, Journal: l.journal,
		RMSource: l.rmSource, ClassEval: l.classEval}
	models := map[string]*GPT{"base.ckpt": l.Base, "sft.ckpt": l.SFT}
	if l.RM != nil {
		models["reward.ckpt"] = l.RM.Model
	}
	if l.ownRM != nil {
		models["own-reward.ckpt"] = l.ownRM.Model
	}
	if l.ppo != nil {
		models["policy.ckpt"], models["reference.ckpt"] = l.ppo.Policy, l.ppo.Ref
		s.PPOBeta, s.PPOIteration = l.ppo.beta, l.ppo.iter
	}
	f, err := zw.Create("session.json")
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", " ")
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("sim: snapshot: %w", err)
	}
	for _, name := range []string{"base.ckpt", "sft.ckpt", "reward.ckpt", "own-reward.ckpt", "policy.ckpt", "reference.ckpt"} {
		m := models[name]
		if m == nil {
			continue
		}
		c := NewCheckpoint(name[:len(name)-5], m, l.Tok)
		switch name {
		case "reward.ckpt":
			c.Norm = &l.RM.Norm
		case "own-reward.ckpt":
			c.Norm = &l.ownRM.Norm
		}
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		if err := WriteCheckpoint(f, c); err != nil {
			return err
		}
	}
	return zw.Close()
}

// ErrNotSession is wrapped by ReadSnapshot's error for a file that is not a
// session at all (not a zip, or a zip without session.json), as opposed to a
// session that is damaged or from an incompatible version.
var ErrNotSession = errors.New("not an RLHF Playground session file")

// ReadSnapshot restores a session written by WriteSnapshot into a new Lab
// over the built-in data. A damaged or foreign file gives an error, and the
// caller's current Lab is untouched; so does a file larger than
// MaxSessionBytes (ErrTooLarge) or one that holds more than a session may
// (ErrTooMany).
func ReadSnapshot(data []byte, builtin LabData) (*Lab, error) {
	if len(data) > MaxSessionBytes {
		return nil, fmt.Errorf("sim: snapshot: %w (%d bytes, at most %d)", ErrTooLarge, len(data), MaxSessionBytes)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("sim: snapshot: %w (%v)", ErrNotSession, err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	open := func(name string, limit int64) ([]byte, error) {
		f, ok := files[name]
		if !ok {
			return nil, nil
		}
		if f.UncompressedSize64 > uint64(limit) {
			return nil, fmt.Errorf("sim: snapshot: %s is too large", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("sim: snapshot: %s: %w", name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, limit+1))
		if err != nil {
			return nil, fmt.Errorf("sim: snapshot: %s: %w", name, err)
		}
		if int64(len(b)) > limit {
			return nil, fmt.Errorf("sim: snapshot: %s is too large", name)
		}
		return b, nil
	}
	raw, err := open("session.json", maxSessionJSON)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, fmt.Errorf("sim: snapshot: %w (no session.json)", ErrNotSession)
	}
	// Settings added after a session was saved keep their defaults.
	s := snapshotJSON{Settings: DefaultSettings()}
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("sim: snapshot: session.json: %w", err)
	}
	if s.Format != "rlhf-playground-session" {
		return nil, errors.New("sim: snapshot: not an RLHF Playground session")
	}
	if s.Version != snapshotVersion {
		return nil, fmt.Errorf("sim: snapshot: version %d, want %d", s.Version, snapshotVersion)
	}
	if len(s.Rankings) > MaxRankings || len(s.UserDemos) > MaxUserDemos {
		return nil, fmt.Errorf("sim: snapshot: %d rankings and %d demonstrations: %w (at most %d and %d)",
			len(s.Rankings), len(s.UserDemos), ErrTooMany, MaxRankings, MaxUserDemos)
	}
	if p := s.CustomPersona; p != nil {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("sim: snapshot: %w", err)
		}
	}
	ckpt := func(name string) (*Checkpoint, error) {
		b, err := open(name, maxSessionModel)
		if err != nil || b == nil {
			return nil, err
		}
		c, err := ReadCheckpoint(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return c, nil
	}
	base, err := ckpt("base.ckpt")
	if err != nil {
		return nil, err
	}
	if base == nil {
		return nil, errors.New("sim: snapshot: no base model")
	}
	baseModel, tok := base.Model()
	var models [5]*GPT
	var norm, ownNorm *RewardNorm
	for i, name := range []string{"sft.ckpt", "reward.ckpt", "policy.ckpt", "reference.ckpt", "own-reward.ckpt"} {
		c, err := ckpt(name)
		if err != nil {
			return nil, err
		}
		if c == nil {
			continue
		}
		if c.Config != base.Config || len(c.Vocab) != len(base.Vocab) {
			return nil, fmt.Errorf("sim: snapshot: %s does not match the base model", name)
		}
		models[i], _ = c.Model()
		switch name {
		case "reward.ckpt":
			norm = c.Norm
		case "own-reward.ckpt":
			ownNorm = c.Norm
		}
	}
	s.Settings.Seed ^= uint64(len(s.Rankings))<<20 ^ uint64(len(s.History.PPO))<<40 // a restored session draws new samples
	l, err := NewLab(s.Settings, builtin, tok, baseModel, models[0])
	if err != nil {
		return nil, fmt.Errorf("sim: snapshot: %w", err)
	}
	l.Settings.Seed = s.Settings.Seed
	l.History, l.CustomPersona, l.journal = s.History, s.CustomPersona, s.Journal
	for _, d := range s.UserDemos {
		if _, err := l.AddDemonstration(d); err != nil {
			return nil, fmt.Errorf("sim: snapshot: %w", err)
		}
	}
	for _, r := range s.Rankings {
		if err := l.AddRanking(r); err != nil {
			return nil, fmt.Errorf("sim: snapshot: %w", err)
		}
	}
	if models[1] != nil {
		l.RM = &RewardModel{Model: models[1], Norm: RewardNorm{Gain: 1}}
		if norm != nil {
			l.RM.Norm = *norm
		}
	}
	if s.RMSource != "" && l.RM != nil && norm != nil && len(s.RMSource) <= MaxTextBytes { // the class's reward model is in use
		l.rmSource, l.classEval = s.RMSource, s.ClassEval
		if models[4] != nil {
			l.ownRM = &RewardModel{Model: models[4], Norm: RewardNorm{Gain: 1}}
			if ownNorm != nil {
				l.ownRM.Norm = *ownNorm
			}
		}
	}
	if models[2] != nil && models[3] != nil && l.RM != nil {
		t, err := NewPPOTrainer(l.Settings.PPO, models[3], l.RM, l.Tok, l.Data.Prompts, l.streams.Sample, l.streams.PPO)
		if err != nil {
			return nil, fmt.Errorf("sim: snapshot: %w", err)
		}
		t.Policy, t.Ref, t.beta, t.iter = models[2], models[3], s.PPOBeta, s.PPOIteration
		l.ppo = t
	}
	return l, nil
}
