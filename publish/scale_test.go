package publish_test

import (
	"context"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/output"
	"github.com/onair-radio/onair/publish"
)

// TestScale publishes a large station once and reports its time and the
// process's peak memory. It runs only when asked, one size per process (so
// that the peak is that size's): ONAIR_SCALE_SHOWS=1000 go test ./publish
// -run TestScale -v (scripts/bench.sh runs 100, 300 and 1000).
func TestScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ONAIR_SCALE_SHOWS"))
	if n == 0 {
		t.Skip("set ONAIR_SCALE_SHOWS to run")
	}
	st, recs := teststation.Scale(t, n)
	at := time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC)
	start := time.Now()
	site, err := publish.Build(context.Background(), st, recs, at)
	if err != nil {
		t.Fatal(err)
	}
	built := time.Since(start)
	out, err := output.OpenDir(t.TempDir() + "/public")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := out.Write(context.Background(), site); err != nil {
		t.Fatal(err)
	}
	total := time.Since(start)
	size := 0
	for _, b := range site.Files {
		size += len(b)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	t.Logf("shows=%d episodes=%d files=%d bytes=%d build=%s write=%s total=%s peak_rss=%dMiB",
		n, 520*n, len(site.Files), size, built.Round(time.Millisecond), (total - built).Round(time.Millisecond), total.Round(time.Millisecond), ru.Maxrss/1024)
}
