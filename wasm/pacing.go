//go:build js && wasm

package main

import (
	"slices"
	"sync"
	"syscall/js"
	"time"
)

// pacingWindow is how far back frame_ms_p50 and frame_ms_p95 look.
const pacingWindow = 3 * time.Second

// framePacing records the real time between the page's animation frames
// (requestAnimationFrame callbacks). The app draws only when its picture
// changes, so the page's frames, not the app's Draws, are what a student sees
// stutter: a frame is late when the main thread was busy (the app's Update and
// Draw, reading the WebGL canvas back for the compositor, a garbage
// collection). The rAF callback writes, window.rlhf.state() reads from another
// JS callback, hence the mutex.
type framePacing struct {
	mu     sync.Mutex
	frames int64
	last   time.Time
	times  []time.Time     // when each recent frame was drawn, oldest first
	deltas []time.Duration // deltas[i] is times[i] minus the frame before it
}

// start records every animation frame from now on; call it once, after the
// first Draw.
func (p *framePacing) start() {
	raf := js.Global().Get("requestAnimationFrame")
	var tick js.Func
	tick = js.FuncOf(func(js.Value, []js.Value) any {
		p.frame(time.Now())
		raf.Invoke(tick)
		return nil
	})
	raf.Invoke(tick)
}

// frame records an animation frame at now.
func (p *framePacing) frame(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.frames++
	if p.frames == 1 {
		Mark("first-presented")
	}
	if !p.last.IsZero() {
		p.times = append(p.times, now)
		p.deltas = append(p.deltas, now.Sub(p.last))
	}
	p.last = now
	i := 0
	for i < len(p.times) && now.Sub(p.times[i]) > pacingWindow {
		i++
	}
	p.times, p.deltas = p.times[i:], p.deltas[i:]
}

// stats returns the frame count and the median and 95th percentile frame
// interval in milliseconds over the window (nil before the second frame).
func (p *framePacing) stats() (frames int64, p50, p95 *float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.deltas) == 0 {
		return p.frames, nil, nil
	}
	ms := make([]float64, len(p.deltas))
	for i, d := range p.deltas {
		ms[i] = float64(d) / float64(time.Millisecond)
	}
	slices.Sort(ms)
	q := func(f float64) *float64 { v := ms[int(f*float64(len(ms)-1)+0.5)]; return &v }
	return p.frames, q(0.50), q(0.95)
}
