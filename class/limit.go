package class

// Rate limits: a token bucket per key (a student, a teacher's class, a
// remote address). The clock is passed in, so tests step it by hand
// instead of sleeping.

import (
	"sync"
	"time"
)

// Rate is a token bucket's refill rate and size.
type Rate struct {
	PerSecond float64 // tokens added per second
	Burst     int     // the bucket's size: requests allowed at once after a pause
}

// limiter holds one bucket per key. Buckets idle long enough to be full
// again are dropped, so a stream of new keys cannot grow it without bound.
type limiter struct {
	rate    Rate
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(r Rate) *limiter {
	if r.PerSecond <= 0 || r.Burst < 1 {
		panic("class: newLimiter: rate and burst must be positive")
	}
	return &limiter{rate: r, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket at time now. If there is none it
// returns false and how long until there is one.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	full := time.Duration(float64(l.rate.Burst) / l.rate.PerSecond * float64(time.Second))
	if now.Sub(l.swept) > full && len(l.buckets) > 1024 {
		for k, b := range l.buckets {
			if now.Sub(b.last) > full {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.rate.Burst), last: now}
		l.buckets[key] = b
	}
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = min(float64(l.rate.Burst), b.tokens+dt*l.rate.PerSecond)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate.PerSecond * float64(time.Second))
}
