package route

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// A link a teacher hands out carries, after the stage in the hash, the
// lesson's card, an experiment preset and the settings that differ from
// the defaults: #ppo?card=7&beta=0. Format writes such a hash and Parse
// reads it back (the same parameters are read from the query too, so
// ?card=7#ppo works as well). Old links (#ppo, ?lang=zh-TW) mean what
// they meant.

// MaxCard is the largest card number a link may name; the lesson itself
// decides whether it has that card.
const MaxCard = 99

// MaxBeta is the largest β a link may set (the PPO screen doubles and
// halves it; no lesson needs more).
const MaxBeta = 100

// Overrides are the settings a link sets; nil leaves the session's value.
type Overrides struct {
	Beta     *float64 // sim.PPOConfig.KLCoef (β of the KL penalty), ?beta=
	K        *int     // sim.Settings.K (answers per ranking), ?k=
	Adaptive *bool    // sim.PPOConfig.AdaptiveKL, ?adaptive=1 or 0
	Gold     *bool    // sim.PPOConfig.GoldReward, ?gold=1 or 0
}

// IsZero reports whether o sets nothing.
func (o Overrides) IsZero() bool { return o == Overrides{} }

// Apply returns s with o's settings.
func (o Overrides) Apply(s sim.Settings) sim.Settings {
	if o.Beta != nil {
		s.PPO.KLCoef = *o.Beta
	}
	if o.K != nil {
		s.K = *o.K
	}
	if o.Adaptive != nil {
		s.PPO.AdaptiveKL = *o.Adaptive
	}
	if o.Gold != nil {
		s.PPO.GoldReward = *o.Gold
	}
	return s
}

// Differ returns the overrides that make sim.DefaultSettings() into s, as
// far as a link carries settings.
func Differ(s sim.Settings) Overrides {
	d := sim.DefaultSettings()
	var o Overrides
	if s.PPO.KLCoef != d.PPO.KLCoef {
		o.Beta = &s.PPO.KLCoef
	}
	if s.K != d.K {
		o.K = &s.K
	}
	if s.PPO.AdaptiveKL != d.PPO.AdaptiveKL {
		o.Adaptive = &s.PPO.AdaptiveKL
	}
	if s.PPO.GoldReward != d.PPO.GoldReward {
		o.Gold = &s.PPO.GoldReward
	}
	return o
}

// Equal reports whether o and p set the same settings to the same values.
func (o Overrides) Equal(p Overrides) bool {
	return eq(o.Beta, p.Beta) && eq(o.K, p.K) && eq(o.Adaptive, p.Adaptive) && eq(o.Gold, p.Gold)
}

func eq[T comparable](a, b *T) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// Link is what a hash says beyond the stage.
type Link struct {
	Card     int    // the lesson's card, 1 for the first; 0: none
	Preset   string // an experiment preset by name, "" for none
	Settings Overrides
}

// Format returns the hash ("#ppo?card=7&beta=0") of stage s with l, its
// parameters in one order, so the same state always gives the same link.
func Format(s protocol.Stage, l Link) string {
	var q []string
	if l.Card > 0 {
		q = append(q, "card="+strconv.Itoa(l.Card))
	}
	if l.Preset != "" {
		q = append(q, "preset="+url.QueryEscape(l.Preset))
	}
	o := l.Settings
	if o.Beta != nil {
		q = append(q, "beta="+strconv.FormatFloat(*o.Beta, 'g', -1, 64))
	}
	if o.K != nil {
		q = append(q, "k="+strconv.Itoa(*o.K))
	}
	if o.Adaptive != nil {
		q = append(q, "adaptive="+bit(*o.Adaptive))
	}
	if o.Gold != nil {
		q = append(q, "gold="+bit(*o.Gold))
	}
	h := "#" + s.ID()
	if len(q) > 0 {
		h += "?" + strings.Join(q, "&")
	}
	return h
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// param reads one link parameter into r; it reports false for a key that
// is not one or a value it cannot take.
func (r *Route) param(key, v string, presets []string) bool {
	switch key {
	case "card":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxCard {
			return false
		}
		r.Card = n
	case "preset":
		if !slices.Contains(presets, v) {
			return false
		}
		r.Preset = v
	case "beta":
		b, err := strconv.ParseFloat(v, 64)
		if err != nil || b < 0 || b > MaxBeta || math.IsNaN(b) {
			return false
		}
		r.Settings.Beta = &b
	case "k":
		k, err := strconv.Atoi(v)
		if err != nil || k < sim.MinK || k > sim.MaxK {
			return false
		}
		r.Settings.K = &k
	case "adaptive", "gold":
		if v != "0" && v != "1" {
			return false
		}
		on := v == "1"
		if key == "adaptive" {
			r.Settings.Adaptive = &on
		} else {
			r.Settings.Gold = &on
		}
	case "projector":
		if v != "0" && v != "1" {
			return false
		}
		r.Projector = v == "1"
	default:
		return false
	}
	return true
}
