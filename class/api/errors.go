package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// StatusError is an answer other than 2xx, with the server's message.
type StatusError struct {
	Status     int
	Message    string
	RetryAfter time.Duration // from a 429's Retry-After
}

// statusText names the statuses the class API answers with (net/http's
// StatusText, which this file does not import: the app builds it for the
// browser, where net/http would weigh 2 MB).
var statusText = map[int]string{
	400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
	409: "Conflict", 413: "Request Entity Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
	500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("class server: %d %s: %s", e.Status, statusText[e.Status], e.Message)
}

// Retryable reports whether sending the same request again may succeed: a
// network error, a 429, or a 5xx. Any other 4xx will fail again.
func Retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status == 429 || se.Status >= 500
	}
	return err != nil && !errors.Is(err, context.Canceled)
}

// NewRankingID returns a random ranking id (22 characters, 128 bits).
func NewRankingID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
