package classlink

// The app's client of the class API: the same calls and types as
// class/api's Client, through a Fetcher (the browser's fetch in the page,
// net/http in the tests) instead of net/http, which would add about 2 MB
// to app.wasm.

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"rlhfplayground/class/api"
)

// Request is one call of the class API as a Fetcher sends it.
type Request struct {
	Method, URL string
	Token       string // sent as "Authorization: Bearer <Token>" unless empty
	ContentType string // of Body; "" without one
	Body        []byte
}

// Response is the server's answer to a Request.
type Response struct {
	Status     int
	RetryAfter string // the Retry-After header
	Body       []byte
}

// Fetcher sends a request and returns the answer; an error means no answer
// came (the network, a timeout).
type Fetcher func(ctx context.Context, r Request) (Response, error)

// maxAnswer bounds an answer read (a reward model is a few MB).
const maxAnswer = 64 << 20

// Client calls one class server as a student or the teacher.
type Client struct {
	BaseURL string
	Token   string
	Fetch   Fetcher
}

// do sends body (JSON unless []byte) and decodes a 2xx answer into out
// (*[]byte: the raw body); another answer is an *api.StatusError.
func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	r := Request{Method: method, URL: strings.TrimSuffix(c.BaseURL, "/") + api.Prefix + path, Token: c.Token}
	switch b := body.(type) {
	case nil:
	case []byte:
		r.Body, r.ContentType = b, "application/octet-stream"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return err
		}
		r.Body, r.ContentType = j, "application/json"
	}
	resp, err := c.Fetch(ctx, r)
	if err != nil {
		return err
	}
	if len(resp.Body) > maxAnswer {
		return fmt.Errorf("class server: %s %s: an answer of %d bytes", method, path, len(resp.Body))
	}
	if resp.Status/100 != 2 {
		se := &api.StatusError{Status: resp.Status, Message: strings.TrimSpace(string(resp.Body))}
		var e api.Error
		if json.Unmarshal(resp.Body, &e) == nil && e.Error != "" {
			se.Message = e.Error
		}
		if s, err := strconv.Atoi(resp.RetryAfter); err == nil {
			se.RetryAfter = time.Duration(s) * time.Second
		}
		return se
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = resp.Body
		return nil
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return fmt.Errorf("class server: %s %s: %w", method, path, err)
		}
	}
	return nil
}

// Join joins the class with code as nickname and keeps the student token.
func (c *Client) Join(ctx context.Context, code, nickname string) (api.JoinResponse, error) {
	var r api.JoinResponse
	err := c.do(ctx, "POST", "join", api.JoinRequest{Code: code, Nickname: nickname}, &r)
	if err == nil {
		c.Token = r.Token
	}
	return r, err
}

// Me is the student's heartbeat.
func (c *Client) Me(ctx context.Context) (api.Me, error) {
	var r api.Me
	return r, c.do(ctx, "GET", "me", nil, &r)
}

// Next returns the sets the student holds unranked, up to n.
func (c *Client) Next(ctx context.Context, n int) ([]api.Set, error) {
	var r api.NextResponse
	err := c.do(ctx, "POST", "sets/next", api.NextRequest{Count: n}, &r)
	return r.Sets, err
}

// Rank sends one ranking (an api.Ranker, so an api.Outbox flushes through it).
func (c *Client) Rank(ctx context.Context, r api.RankingRequest) (api.RankingResponse, error) {
	var out api.RankingResponse
	return out, c.do(ctx, "POST", "rankings", r, &out)
}

// RewardModel downloads the class reward model.
func (c *Client) RewardModel(ctx context.Context) ([]byte, error) {
	var b []byte
	return b, c.do(ctx, "GET", "reward-model", nil, &b)
}

// Overview is the teacher's dashboard data.
func (c *Client) Overview(ctx context.Context) (api.Overview, error) {
	var r api.Overview
	return r, c.do(ctx, "GET", "teacher/overview", nil, &r)
}

// PatchSettings changes the class's settings.
func (c *Client) PatchSettings(ctx context.Context, p api.SettingsPatch) (api.Settings, error) {
	var r api.Settings
	return r, c.do(ctx, "PATCH", "teacher/settings", p, &r)
}

// Rankings is the JSON export.
func (c *Client) Rankings(ctx context.Context) (api.Rankings, error) {
	var r api.Rankings
	return r, c.do(ctx, "GET", "teacher/rankings", nil, &r)
}

// RankingsCSV is the CSV export.
func (c *Client) RankingsCSV(ctx context.Context) ([]byte, error) {
	var b []byte
	return b, c.do(ctx, "GET", "teacher/rankings.csv", nil, &b)
}

// PutRewardModel sends the class reward model to the class.
func (c *Client) PutRewardModel(ctx context.Context, checkpoint []byte) (api.ModelInfo, error) {
	var r api.ModelInfo
	return r, c.do(ctx, "PUT", "teacher/reward-model", checkpoint, &r)
}
