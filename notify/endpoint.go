package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/onair-radio/onair/station"
)

// Endpoint kinds.
const (
	Podping   = "podping"
	WebSub    = "websub"
	PubNotify = "pubnotify"
	Webhook   = "webhook"
)

// Endpoint is one receiver of notifications.
type Endpoint struct {
	// ID names it in the outbox, the logs, /healthz and /metrics: its kind
	// and its URL without credentials or query (which may hold secrets).
	ID     string
	Kind   string
	URL    string
	Secret string // Podping's token; the webhooks' signing secret
}

// Endpoints are the station's receivers, in a fixed order.
func Endpoints(n *station.Notify) []Endpoint {
	if n == nil {
		return nil
	}
	var out []Endpoint
	add := func(kind, u, secret string) {
		out = append(out, Endpoint{ID: kind + " " + redact(u), Kind: kind, URL: u, Secret: secret})
	}
	if n.Podping != nil {
		add(Podping, n.Podping.URL, n.Podping.Token)
	}
	for _, h := range n.WebSub {
		add(WebSub, h, "")
	}
	if n.PubNotify != "" {
		add(PubNotify, n.PubNotify, "")
	}
	for _, h := range n.Webhooks {
		add(Webhook, h, n.WebhookSecret)
	}
	return out
}

// redact is a URL without its user information and query.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(a URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// Wants says whether the endpoint is told of e: the aggregators hear of
// feeds, the webhooks of everything.
func (ep Endpoint) Wants(e Event) bool {
	return ep.Kind == Webhook || e.Type == FeedUpdated
}

// Request is the HTTP request that tells the endpoint of e.
func (ep Endpoint) Request(ctx context.Context, e Event) (*http.Request, error) {
	switch ep.Kind {
	case Podping, PubNotify:
		u, err := url.Parse(ep.URL)
		if err != nil {
			return nil, err
		}
		q := u.Query()
		q.Set("url", e.Feed)
		if ep.Kind == Podping {
			q.Set("reason", e.Reason)
			q.Set("medium", "podcast")
		}
		u.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, err
		}
		if ep.Kind == Podping {
			req.Header.Set("Authorization", ep.Secret)
		}
		return req, nil
	case WebSub:
		form := url.Values{"hub.mode": {"publish"}, "hub.url": {e.Feed}}.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, strings.NewReader(form))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req, nil
	case Webhook:
		body, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Onair-Event", e.Type)
		req.Header.Set("X-Onair-Delivery", e.ID)
		req.Header.Set("X-Onair-Signature", Sign(ep.Secret, body))
		return req, nil
	}
	return nil, fmt.Errorf("unknown endpoint kind %q", ep.Kind)
}

// Sign is a webhook body's signature, as GitHub signs: sha256= and the hex
// HMAC-SHA256 of the body with the secret. Receivers check it with
// hmac.Equal.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// send makes the request and says how it went: nil for a 2xx answer.
// Errors name the endpoint by its ID, never its full URL.
func (ep Endpoint) send(ctx context.Context, client *http.Client, e Event) error {
	req, err := ep.Request(ctx, e)
	if err != nil {
		return fmt.Errorf("%s: %w", ep.ID, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text holds the URL, and the URL may hold a secret
		}
		return fmt.Errorf("%s: %w", ep.ID, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s answered %s", ep.ID, resp.Status)
	}
	return nil
}
