package dispatch

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"rlhfplayground/assets"
	"rlhfplayground/internal/testpack"
	"rlhfplayground/protocol"
	"rlhfplayground/sim"
)

// TestCheckpoints: English's checkpoints are read only when a fresh session
// is made, once for all the sessions after it, and again after a read that
// failed; the session is English (Settings.Lang "") with the shipped model.
func TestCheckpoints(t *testing.T) {
	data, err := assets.LabData()
	if err != nil {
		t.Fatal(err)
	}
	var reads []string
	offline := true
	fresh := Checkpoints(English, data, func(name string) ([]byte, error) {
		reads = append(reads, name)
		if offline {
			return nil, errors.New("fetch: network error")
		}
		return map[string][]byte{"pretrained.ckpt": assets.Pretrained, "sft.ckpt": assets.SFT}[name], nil
	})
	if len(reads) != 0 {
		t.Fatalf("read %q before any session was made", reads)
	}
	if _, err := fresh(); err == nil {
		t.Fatal("a fresh session without its checkpoints")
	}
	offline = false
	a, err := fresh()
	if err != nil {
		t.Fatal(err)
	}
	b, err := fresh()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"pretrained.ckpt", "pretrained.ckpt", "sft.ckpt"}; !slices.Equal(reads, want) {
		t.Errorf("reads %q, want %q (a failed read, then each checkpoint once)", reads, want)
	}
	if a.Settings.Lang != "" || a == b || a.SFT == b.SFT {
		t.Errorf("fresh sessions: language %q, the same session or model twice: %v", a.Settings.Lang, a == b || a.SFT == b.SFT)
	}
	_, sft, _, err := assets.Models()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.SFT.Params.Data, sft.Params.Data) {
		t.Error("the fresh session's SFT model is not the shipped one")
	}

	files, err := testpack.Files()
	if err != nil {
		t.Fatal(err)
	}
	mixed := Checkpoints(English, data, func(name string) ([]byte, error) {
		if name == "sft.ckpt" {
			return files[name], nil // another vocabulary's
		}
		return assets.Pretrained, nil
	})
	if _, err := mixed(); err == nil || !strings.Contains(err.Error(), "do not match") {
		t.Errorf("checkpoints that do not match: %v", err)
	}
}

// TestStartLang: the worker opens Hello's language at start when the
// server has its model, else English.
func TestStartLang(t *testing.T) {
	served := []string{English, "zh-TW"}
	for _, c := range []struct {
		hello  string
		models []string
		want   string
	}{
		{"", served, English},
		{"en", served, English},
		{"zh-TW", served, "zh-TW"},
		{"zh-TW", []string{English}, English}, // no Chinese model on this server
		{"fr", served, English},
		{"zh-TW", nil, English},
	} {
		if got := StartLang(c.hello, c.models); got != c.want {
			t.Errorf("StartLang(%q, %q) = %q, want %q", c.hello, c.models, got, c.want)
		}
	}
}

// TestStartInChinese: a worker that starts in the language of a Chinese
// page's Hello makes no English model, unless the journal holds English
// actions that no stored English session has.
func TestStartInChinese(t *testing.T) {
	data, err := assets.LabData()
	if err != nil {
		t.Fatal(err)
	}
	files, err := testpack.Files()
	if err != nil {
		t.Fatal(err)
	}
	zh, err := ReadPack(testpack.Lang, func(name string) ([]byte, error) { return files[name], nil })
	if err != nil {
		t.Fatal(err)
	}
	englishMade := 0
	home := Pack{Lang: English, Data: data, Fresh: func() (*sim.Lab, error) {
		englishMade++
		return assets.NewLab(sim.DefaultSettings(), data)
	}}
	start := func(sh *shelf) (*Dispatcher, *recorder) {
		t.Helper()
		lab, err := zh.Fresh()
		if err != nil {
			t.Fatal(err)
		}
		rec := &recorder{}
		d := NewIn(lab, zh, home, rec.emit)
		d.Models, d.Shelf = []string{English, testpack.Lang}, sh
		d.Open = func(lang string) (*Pack, error) { return zh, nil }
		return d, rec
	}
	zhDemo := sim.Demonstration{Prompt: testpack.Prompt, Response: testpack.Answer}
	enDemo := data.Demonstrations[0]

	d, rec := start(&shelf{})
	d.Handle(1, protocol.Hello{Lang: testpack.Lang, Journal: []sim.Action{{Seq: 1, Lang: testpack.Lang, Demo: &zhDemo}}}, nil)
	ready, _ := last[protocol.Ready](rec)
	if d.Lang() != testpack.Lang || ready.Lang != testpack.Lang || len(d.Lab.UserDemos) != 1 || englishMade != 0 {
		t.Errorf("a Chinese start: session %s (Ready %s), %d demonstrations, %d English models made; want %s, 1, 0",
			d.Lang(), ready.Lang, len(d.Lab.UserDemos), englishMade, testpack.Lang)
	}

	// An English action of the journal, with the English session stored:
	// it is applied to that one, and still no English model is made.
	en, err := assets.NewLab(sim.DefaultSettings(), data)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := en.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	sh := &shelf{m: map[string][]byte{English: buf.Bytes()}}
	d, _ = start(sh)
	d.Handle(1, protocol.Hello{Lang: testpack.Lang, Journal: []sim.Action{{Seq: 1, Demo: &enDemo}}}, nil)
	stored, err := sim.ReadSnapshot(sh.m[English], data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Lang() != testpack.Lang || len(stored.UserDemos) != 1 || englishMade != 0 {
		t.Errorf("an English action on a Chinese start: session %s, %d demonstrations in the stored English one, %d English models made; want %s, 1, 0",
			d.Lang(), len(stored.UserDemos), englishMade, testpack.Lang)
	}

	// No English session stored: the action needs a fresh English model.
	sh = &shelf{}
	d, _ = start(sh)
	d.Handle(1, protocol.Hello{Lang: testpack.Lang, Journal: []sim.Action{{Seq: 1, Demo: &enDemo}}}, nil)
	if englishMade != 1 || sh.m[English] == nil {
		t.Errorf("an English action with no English session stored: %d English models made, stored %v; want 1, true", englishMade, sh.m[English] != nil)
	}
}
