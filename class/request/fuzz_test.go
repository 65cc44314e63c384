package request

// Fuzz targets for every request decoder: arbitrary bytes must never panic,
// a refusal must be a 4xx requestError with a message, and whatever is
// accepted must satisfy the endpoint's rules. Seed corpora are in
// testdata/fuzz/; run one target as
//
//	go test ./class/request -run '^$' -fuzz '^FuzzRanking$' -fuzztime 1000000x -fuzzminimizetime 200x
//
// (with the default minimisation time of 60 s per new input, the workers
// spend most of a short run minimising and count no executions).

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"rlhfplayground/class/api"
	"rlhfplayground/sim"
)

// refused checks that err is a 4xx with a message.
func refused(t *testing.T, err error) {
	var re *Error
	if !errors.As(err, &re) || re.Status < 400 || re.Status > 499 || len(re.Msg) < 10 {
		t.Fatalf("refusal %#v is not a 4xx with a message", err)
	}
}

func FuzzJoin(f *testing.F) {
	for _, s := range []string{`{"code": "K7MQ2X", "nickname": "Ada"}`, `{"code": "k7m-q2x", "nickname": " 小明 "}`,
		`{"code": "K7MQ2X"}`, `{"nickname": "x", "code": "K7MQ2X", "x": 1}`, `{"code": 12}`, `[]`, `{}`, ``, `{"code":"AAAAAA","nickname":"a"}{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := Join(body)
		if err != nil {
			refused(t, err)
			return
		}
		if len(r.Code) != JoinCodeLen || strings.Trim(r.Code, JoinAlphabet) != "" {
			t.Fatalf("accepted code %q", r.Code)
		}
		if n, err := Nickname(r.Nickname); err != nil || n != r.Nickname || !utf8.ValidString(n) {
			t.Fatalf("accepted nickname %q: %v", r.Nickname, err)
		}
	})
}

func FuzzNext(f *testing.F) {
	for _, s := range []string{``, ` `, `{}`, `{"count": 3}`, `{"count": 0}`, `{"count": 1e9}`, `{"count": -1}`, `{"count": "2"}`, `{"n": 1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := Next(body)
		if err != nil {
			refused(t, err)
			return
		}
		if r.Count < 1 || r.Count > api.MaxSetsAtOnce {
			t.Fatalf("accepted count %d", r.Count)
		}
	})
}

func FuzzRanking(f *testing.F) {
	for _, s := range []string{`{"ranking_id": "abcdefgh", "set_id": 1, "order": [2, 0, 1, 3]}`,
		`{"ranking_id": "abcdefgh", "set_id": 1, "order": [0, 0]}`, `{"ranking_id": "a/b", "set_id": 1, "order": [1, 0]}`,
		`{"ranking_id": "abcdefgh", "set_id": -4, "order": [1, 0]}`, `{"ranking_id": "abcdefgh", "set_id": 1, "order": [0,1,2,3,4,5,6,7,8,9]}`,
		`{"ranking_id": "abcdefgh", "set_id": 1.5, "order": [1, 0]}`, `{"ranking_id": "abcdefgh", "set_id": 1, "order": null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := Ranking(body)
		if err != nil {
			refused(t, err)
			return
		}
		if len(r.RankingID) < api.MinRankingID || len(r.RankingID) > api.MaxRankingID || strings.Trim(r.RankingID, RankingIDChars) != "" {
			t.Fatalf("accepted ranking id %q", r.RankingID)
		}
		if r.SetID < 1 || len(r.Order) < sim.MinK || len(r.Order) > sim.MaxK || !IsPermutation(r.Order) {
			t.Fatalf("accepted set %d order %v", r.SetID, r.Order)
		}
	})
}

func FuzzSettings(f *testing.F) {
	for _, s := range []string{`{"k": 4}`, `{"replicas": 3, "open": false}`, `{"k": 1}`, `{"k": 10}`, `{"replicas": 31}`,
		`{"open": "no"}`, `{"k": null}`, `{}`, `{"seed": 1}`} {
		f.Add([]byte(s))
	}
	cur := api.Settings{K: 4, Replicas: 3, Open: true}
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := Settings(body, cur)
		if err != nil {
			refused(t, err)
			return
		}
		if ValidSettings(s) != nil {
			t.Fatalf("accepted settings %+v", s)
		}
	})
}

// tinyModel is a model of a few words, so the fuzzer works on checkpoints
// of a few hundred bytes instead of the shipped model's 400 kB.
func tinyModel() *sim.Checkpoint {
	tok := sim.BuildTokenizer([]string{"tea is good"})
	cfg := sim.Config{Vocab: tok.Size(), Context: 4, Embd: 4, Layers: 1, Heads: 2, MLP: 4}
	m := sim.NewModel[float32](cfg)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range m.Params.Data {
		m.Params.Data[i] = float32(rng.NormFloat64())
	}
	return sim.NewCheckpoint("reward", m, tok)
}

func tinyCheckpoint(c *sim.Checkpoint, norm *sim.RewardNorm) []byte {
	c.Norm = norm
	var buf bytes.Buffer
	if err := sim.WriteCheckpoint(&buf, c); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func FuzzRewardModel(f *testing.F) {
	want := tinyModel()
	good := tinyCheckpoint(tinyModel(), &sim.RewardNorm{Gain: 1.5, Bias: -0.5})
	f.Add(good)
	f.Add(tinyCheckpoint(tinyModel(), nil)) // a policy: no normalisation
	f.Add(good[:len(good)/2])
	f.Add([]byte("RLHFCKPT"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := RewardModel(body, want)
		if err != nil {
			refused(t, err)
			return
		}
		if c.Norm == nil || c.Config != want.Config || len(c.Params) != want.Config.NumParams() {
			t.Fatalf("accepted checkpoint %q of %+v", c.Name, c.Config)
		}
	})
}

// FuzzRewardModelHeader fuzzes what lies behind the checksum, which random
// bytes almost never pass: it builds a well-formed envelope (magic,
// version, lengths, a correct CRC) around a fuzzed header and parameters.
func FuzzRewardModelHeader(f *testing.F) {
	want := tinyModel()
	good := tinyCheckpoint(tinyModel(), &sim.RewardNorm{Gain: 1.5, Bias: -0.5})
	hlen := int(binary.LittleEndian.Uint32(good[12:]))
	header, params := good[16:16+hlen], good[16+hlen:len(good)-4]
	f.Add(header, params)
	f.Add([]byte(`{"name":"reward","config":{"vocab":9,"context":4,"embd":4,"layers":1,"heads":2,"mlp":4},"vocab":[]}`), params)
	f.Add(bytes.Replace(header, []byte(`"gain":1.5`), []byte(`"gain":1e400`), 1), params)
	f.Add(header, params[:len(params)-4])
	f.Fuzz(func(t *testing.T, header, params []byte) {
		var buf bytes.Buffer
		buf.WriteString("RLHFCKPT")
		binary.Write(&buf, binary.LittleEndian, uint32(1))
		binary.Write(&buf, binary.LittleEndian, uint32(len(header)))
		buf.Write(header)
		buf.Write(params)
		binary.Write(&buf, binary.LittleEndian, crc32.ChecksumIEEE(buf.Bytes()))
		c, err := RewardModel(buf.Bytes(), want)
		if err != nil {
			refused(t, err)
			return
		}
		if c.Norm == nil || c.Config != want.Config || len(c.Vocab) != len(want.Vocab) {
			t.Fatalf("accepted checkpoint %q of %+v", c.Name, c.Config)
		}
	})
}
