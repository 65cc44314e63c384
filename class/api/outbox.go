package api

// The outbox keeps a student's rankings from the moment they are made until
// the server acknowledged them: a ranking sent while the network is down,
// or whose answer was lost, stays and is sent again, under the same ranking
// id, so the server stores it once. The app saves Pending() in the
// browser's storage after every change and restores it with NewOutbox.

import (
	"context"
	"errors"
	"sync"
)

// Outbox is a queue of rankings waiting for their acknowledgement. It is
// safe for concurrent use; Flush sends one ranking at a time, in order.
type Outbox struct {
	mu       sync.Mutex
	pending  []RankingRequest
	rejected []Rejected
	flushing sync.Mutex
}

// Rejected is a ranking the server refused for good (a 4xx other than
// 429): it would be refused again, so it leaves the queue.
type Rejected struct {
	Ranking RankingRequest
	Err     *StatusError
}

// NewOutbox restores a queue saved from Pending.
func NewOutbox(pending []RankingRequest) *Outbox {
	return &Outbox{pending: append([]RankingRequest(nil), pending...)}
}

// Add queues r; give it a ranking id first (NewRankingID).
func (o *Outbox) Add(r RankingRequest) {
	o.mu.Lock()
	o.pending = append(o.pending, r)
	o.mu.Unlock()
}

// Pending returns a copy of the rankings not yet acknowledged, oldest first.
func (o *Outbox) Pending() []RankingRequest {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]RankingRequest(nil), o.pending...)
}

// Rejected returns the rankings the server refused for good.
func (o *Outbox) Rejected() []Rejected {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Rejected(nil), o.rejected...)
}

// Ranker sends one ranking: a *Client, or the app's client on the
// browser's fetch (wasm/classlink). A nil error means the store committed it.
type Ranker interface {
	Rank(ctx context.Context, r RankingRequest) (RankingResponse, error)
}

// Flush sends the queued rankings oldest first until the queue is empty or
// a send fails in a way that may pass (Retryable: the network, a 429, a
// 5xx), which it returns; the ranking stays queued. A ranking is removed
// only when acknowledged or refused for good.
func (o *Outbox) Flush(ctx context.Context, c Ranker) (acked []RankingResponse, err error) {
	o.flushing.Lock()
	defer o.flushing.Unlock()
	for {
		o.mu.Lock()
		if len(o.pending) == 0 {
			o.mu.Unlock()
			return acked, nil
		}
		r := o.pending[0]
		o.mu.Unlock()
		resp, err := c.Rank(ctx, r)
		var se *StatusError
		switch {
		case err == nil:
			acked = append(acked, resp)
		case Retryable(err) || !errors.As(err, &se):
			return acked, err
		}
		o.mu.Lock()
		if err != nil {
			o.rejected = append(o.rejected, Rejected{Ranking: r, Err: se})
		}
		o.pending = o.pending[1:]
		o.mu.Unlock()
	}
}
