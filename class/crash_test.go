package class

// The crash test: the class server runs as a child process (this test
// binary, re-executed into TestCrashServerProcess), is killed with SIGKILL
// in the middle of a class's load, and restarted on the same store and
// address while the students keep ranking into their outboxes.

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"rlhfplayground/class/load"
)

// TestCrashServerProcess is the child: it serves the store named by
// RLHF_CLASS_CHILD_STORE on RLHF_CLASS_CHILD_ADDR until it is killed.
func TestCrashServerProcess(t *testing.T) {
	spec := os.Getenv("RLHF_CLASS_CHILD_STORE")
	if spec == "" {
		t.Skip("the crash test's server process; TestCrash starts it")
	}
	opt := shipped(t)
	store, err := OpenStore(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	opt.Store, opt.Limits = store, DefaultLimits()
	opt.Limits.Address.Burst = 1000 // every simulated student joins from 127.0.0.1
	ln, err := net.Listen("tcp", os.Getenv("RLHF_CLASS_CHILD_ADDR"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("class server at %s\n", ln.Addr())
	t.Fatal(http.Serve(ln, NewServer(opt)))
}

// child is a running server process.
type child struct {
	cmd  *exec.Cmd
	addr string
}

func startChild(t *testing.T, spec, addr string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashServerProcess$")
	cmd.Env = append(os.Environ(), "RLHF_CLASS_CHILD_STORE="+spec, "RLHF_CLASS_CHILD_ADDR="+addr)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd}
	t.Cleanup(func() { c.kill() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if a, ok := strings.CutPrefix(sc.Text(), "class server at "); ok {
			c.addr = a
			go func() {
				for sc.Scan() { // drain, so the child never blocks on a full pipe
				}
			}()
			return c
		}
	}
	cmd.Wait()
	t.Fatalf("the server process exited before listening: %v", sc.Err())
	return nil
}

// kill sends SIGKILL (no chance to flush or close anything) and waits.
func (c *child) kill() {
	if c.cmd.ProcessState == nil {
		c.cmd.Process.Signal(syscall.SIGKILL)
		c.cmd.Wait()
	}
}

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test starts server processes (-short skips it)")
	}
	for _, kind := range storeKinds() {
		t.Run(kind, func(t *testing.T) {
			store, spec := openTestStore(t, kind)
			opt := shipped(t)
			opt.Store = store
			srv := NewServer(opt)
			class, _, err := srv.EnsureClass(context.Background(), "crash", DefaultLang)
			if err != nil {
				t.Fatal(err)
			}
			const students, rankings = 20, 15
			// The sets made before the lesson, so that students hand in
			// rankings instead of waiting for sets to be sampled, and hold
			// some when the server dies.
			if err := srv.MakeSets(context.Background(), class, students*rankings/DefaultReplicas); err != nil {
				t.Fatal(err)
			}
			first := startChild(t, spec, "127.0.0.1:0")
			var made, acked atomic.Int64
			done := make(chan struct{})
			var rep *load.Report
			var runErr error
			go func() {
				defer close(done)
				rep, runErr = load.Run(context.Background(), load.Config{BaseURL: "http://" + first.addr, JoinCode: class.JoinCode,
					Students: students, Rankings: rankings, Hold: 5, Resend: 0.1, Seed: 2, Patience: 2 * time.Minute,
					OnRank: func() { made.Add(1) }, OnAck: func() { acked.Add(1) }})
			}()
			// The waits below are bounds on progress, not timed assertions.
			waitFor(t, "a third of the rankings acknowledged", func() bool { return acked.Load() >= students*rankings/3 })
			// Read before the kill: the students notice it, and rank into
			// their outboxes, while kill still waits for the process to go.
			killed, ackedBefore, madeAtKill := time.Now(), acked.Load(), made.Load()
			first.kill()
			waitFor(t, "students ranking into their outboxes while the server is down", func() bool { return made.Load() >= madeAtKill+students/2 })
			second := startChild(t, spec, first.addr)
			restarted := time.Now()
			<-done
			if runErr != nil {
				t.Fatal(runErr)
			}
			second.kill()

			pool, err := store.Rankings(context.Background(), class.ID)
			if err != nil {
				t.Fatal(err)
			}
			stored := make([]load.Stored, len(pool))
			for i, r := range pool {
				stored[i] = load.Stored{StudentID: r.StudentID, RankingID: r.ID, SetID: r.Seq, Order: r.Order}
			}
			dups, problems := load.Check(rep.Acks, stored)
			if len(rep.Acks) != students*rankings || len(stored) != students*rankings || dups != 0 || len(problems) > 0 {
				t.Fatalf("%d acknowledged, %d stored, %d duplicates; problems: %v", len(rep.Acks), len(stored), dups, problems)
			}
			queuedThrough, lostAcks := 0, 0
			for _, a := range rep.Acks {
				if a.Queued.After(killed) && a.Queued.Before(restarted) && a.Acked.After(restarted) {
					queuedThrough++
				}
				if a.Duplicate {
					lostAcks++ // stored, but its first answer was lost (a crash or a deliberate resend racing)
				}
			}
			if queuedThrough == 0 {
				t.Error("no ranking made while the server was down arrived after the restart")
			}
			t.Logf("%s: killed after %d of %d acknowledged; %d rankings made while it was down arrived after the restart; "+
				"%d acknowledged as duplicates; all %d stored exactly once", kind, ackedBefore, students*rankings, queuedThrough, lostAcks, len(stored))
		})
	}
}

// waitFor polls cond every 10 ms, for at most two minutes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 12000 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("waited two minutes for %s", what)
}
