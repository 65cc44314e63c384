//go:build !js

package api

// A client of the class API, for Go programs: the load and crash tests and
// cmd/classload. Not for the app: net/http would add about 2 MB (gzipped)
// to app.wasm, so under GOOS=js this file is left out and the page speaks
// the same types through the browser's fetch (wasm/classlink).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Client calls one class server as one student or the teacher.
type Client struct {
	BaseURL string       // the server, such as "http://192.168.1.20:8080"
	Token   string       // a student's (Join sets it) or the teacher's
	HTTP    *http.Client // http.DefaultClient if nil
}

// do sends a request with body (JSON-encoded unless it is []byte) and
// decodes a 2xx answer into out ([]byte: the raw body).
func (c *Client) do(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/octet-stream"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return 0, err
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.BaseURL, "/")+Prefix+path, rd)
	if err != nil {
		return 0, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	h := c.HTTP
	if h == nil {
		h = http.DefaultClient
	}
	resp, err := h.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		se := &StatusError{Status: resp.StatusCode, Message: strings.TrimSpace(string(data))}
		var e Error
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			se.Message = e.Error
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
			se.RetryAfter = time.Duration(s) * time.Second
		}
		return resp.StatusCode, se
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = data
		return resp.StatusCode, nil
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("class server: %s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// Join joins the class with code as nickname and keeps the student token.
func (c *Client) Join(ctx context.Context, code, nickname string) (JoinResponse, error) {
	var r JoinResponse
	_, err := c.do(ctx, "POST", "join", JoinRequest{Code: code, Nickname: nickname}, &r)
	if err == nil {
		c.Token = r.Token
	}
	return r, err
}

// Me is the student's heartbeat: who they are, their count, the class model.
func (c *Client) Me(ctx context.Context) (Me, error) {
	var r Me
	_, err := c.do(ctx, "GET", "me", nil, &r)
	return r, err
}

// Next returns the sets the student holds unranked, up to n, handing out new ones.
func (c *Client) Next(ctx context.Context, n int) ([]Set, error) {
	var r NextResponse
	_, err := c.do(ctx, "POST", "sets/next", NextRequest{Count: n}, &r)
	return r.Sets, err
}

// Rank sends one ranking; a nil error means the store committed it.
func (c *Client) Rank(ctx context.Context, r RankingRequest) (RankingResponse, error) {
	var out RankingResponse
	_, err := c.do(ctx, "POST", "rankings", r, &out)
	return out, err
}

// RewardModel downloads the class reward model (a sim checkpoint).
func (c *Client) RewardModel(ctx context.Context) ([]byte, error) {
	var b []byte
	_, err := c.do(ctx, "GET", "reward-model", nil, &b)
	return b, err
}

// Overview is the teacher's dashboard data.
func (c *Client) Overview(ctx context.Context) (Overview, error) {
	var r Overview
	_, err := c.do(ctx, "GET", "teacher/overview", nil, &r)
	return r, err
}

// PatchSettings changes the class's settings and returns them all.
func (c *Client) PatchSettings(ctx context.Context, p SettingsPatch) (Settings, error) {
	var r Settings
	_, err := c.do(ctx, "PATCH", "teacher/settings", p, &r)
	return r, err
}

// Rankings is the pooled rankings with their texts (the JSON export).
func (c *Client) Rankings(ctx context.Context) (Rankings, error) {
	var r Rankings
	_, err := c.do(ctx, "GET", "teacher/rankings", nil, &r)
	return r, err
}

// RankingsCSV is the CSV export.
func (c *Client) RankingsCSV(ctx context.Context) ([]byte, error) {
	var b []byte
	_, err := c.do(ctx, "GET", "teacher/rankings.csv", nil, &b)
	return b, err
}

// PutRewardModel sends the class reward model (sim.WriteCheckpoint's bytes) to the class.
func (c *Client) PutRewardModel(ctx context.Context, checkpoint []byte) (ModelInfo, error) {
	var r ModelInfo
	_, err := c.do(ctx, "PUT", "teacher/reward-model", checkpoint, &r)
	return r, err
}
