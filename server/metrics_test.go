package server

import (
	"strings"
	"testing"

	"github.com/onair-radio/onair/web"
)

// TestMetricsRoutes: requests are counted by route (a path's first segment,
// the web pages as one) and status.
func TestMetricsRoutes(t *testing.T) {
	m := NewMetrics()
	h := m.Instrument(exampleHandler(t))
	for _, p := range []string{"/", "/shows/prn/", "/embed/now", "/" + web.AssetPath("onair.css"), "/feeds/prn.xml", "/feeds/prn.xml", "/nope", "/media/prn/prn-2026-11-22.mp3"} {
		get(h, "GET", p)
	}
	w := get(m, "GET", "/metrics")
	for _, want := range []string{
		`onair_http_requests_total{route="pages",code="200"} 2`,
		`onair_http_requests_total{route="pages",code="301"} 1`,
		`onair_http_requests_total{route="assets",code="200"} 1`,
		`onair_http_requests_total{route="feeds",code="200"} 2`,
		`onair_http_requests_total{route="other",code="404"} 1`,
		`onair_http_requests_total{route="media",code="200"} 1`,
	} {
		if !strings.Contains(w.Body.String(), want+"\n") {
			t.Errorf("metrics lack %s:\n%s", want, w.Body.String())
		}
	}
}
