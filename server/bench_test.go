package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// nopWriter is a ResponseWriter that keeps nothing, to measure the handler alone.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

// BenchmarkFeedRequest is the handler's own cost of serving /feeds/prn.xml
// (the network and net/http's parsing excluded).
func BenchmarkFeedRequest(b *testing.B) {
	h := exampleHandler(&testing.T{})
	handler := NewMetrics().Instrument(h)
	for _, c := range []struct{ name, header, value string }{
		{"plain", "", ""}, {"gzip", "Accept-Encoding", "gzip"}, {"304", "If-None-Match", h.Snapshot().docs["feeds/prn.xml"].etag},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/feeds/prn.xml", nil)
			if c.header != "" {
				r.Header.Set(c.header, c.value)
			}
			b.ReportAllocs()
			for b.Loop() {
				handler.ServeHTTP(&nopWriter{h: make(http.Header, 8)}, r)
			}
		})
	}
}
