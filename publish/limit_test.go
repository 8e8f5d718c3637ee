package publish

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/station"
)

// busyStation is scripts/busy-station.sh's station: n shows, each on the
// air every 15 minutes, with schedule_days days.
func busyStation(t *testing.T, n, days int) *station.Station {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "station: {name: Busy Station, timezone: America/Chicago, schedule_days: %d}\nshows:\n", days)
	for i := range n {
		m := i % 15
		fmt.Fprintf(&b, "  - id: s%d\n    title: Show %d\n    allow_overlap: true\n    slots:\n", i, i)
		fmt.Fprintf(&b, "      - {kind: live, cron: \"%d * * * *\", duration: 10m}\n", m)
		fmt.Fprintf(&b, "      - {kind: rebroadcast, cron: \"%d,%d,%d * * * *\", duration: 10m}\n", 15+m, 30+m, 45+m)
	}
	path := filepath.Join(t.TempDir(), "busy.yaml")
	os.WriteFile(path, []byte(b.String()), 0o644)
	st, err := teststation.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

var december = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC) // no DST change within three weeks

// TestSizeEstimate: the airings of the calendars' window are counted
// exactly, and the bytes estimated from them are within a quarter of
// what a build writes of schedule.json, the calendars and the guide.
func TestSizeEstimate(t *testing.T) {
	st := busyStation(t, 5, 14)
	size := SizeAt(st, december)
	if want := 5 * 96 * 21; size.Airings != want {
		t.Errorf("airings %d, want %d", size.Airings, want)
	}
	site, err := Build(context.Background(), st, nil, december)
	if err != nil {
		t.Fatal(err)
	}
	var wrote int64
	for p, b := range site.Files {
		if p == "schedule.json" || p == "xmltv.xml" || strings.HasPrefix(p, "calendar") {
			wrote += int64(len(b))
		}
	}
	if r := float64(size.Bytes) / float64(wrote); r < 0.75 || r > 1.25 {
		t.Errorf("estimated %d bytes, a build wrote %d (%.2fx)", size.Bytes, wrote, r)
	}
	t.Logf("%d airings: estimated %d bytes, a build wrote %d", size.Airings, size.Bytes, wrote)
}

// TestCheckSize: a station past the limit is refused with its figures
// and the key to change, a station within it is not, and the count stops
// at the limit.
func TestCheckSize(t *testing.T) {
	if err := checkSize(busyStation(t, 2, 14), december, 5000); err != nil {
		t.Errorf("2 busy shows, 14 days (4,032 airings), within 5,000: %v", err)
	}
	st := busyStation(t, 2, 60)
	err := checkSize(st, december, 5000)
	var big *TooBig
	if !errors.As(err, &big) || big.Airings != 2*96*67 || big.Days != 67 ||
		err.Error() != "the station would publish about 12864 airings in the calendars' 67 days (schedule_days and the week behind), about 14 MB of schedule, calendars and guide; the most is 5000: lower schedule_days, or air fewer slots" {
		t.Fatalf("2 busy shows, 60 days: %v", err)
	}
	if n := st.Schedule.Count(december, december.Add(365*24*time.Hour), 1000); n != 1001 {
		t.Errorf("Count past its limit: %d, want 1001", n)
	}
}

// TestCheckSizeAtScale: MaxAirings itself. scripts/busy-station.sh 200
// (14 days) is within it; 20 such shows for 365 days are not, and are
// refused in about the time counting MaxAirings takes.
func TestCheckSizeAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("counts half a million airings")
	}
	if err := CheckSize(busyStation(t, 200, 14), december); err != nil {
		t.Errorf("busy-station 200, 14 days: %v", err)
	}
	start := time.Now()
	err := CheckSize(busyStation(t, 20, 365), december)
	if !strings.Contains(fmt.Sprint(err), "about 714240 airings in the calendars' 372 days") {
		t.Fatalf("20 busy shows, 365 days: %v", err)
	}
	t.Logf("refused in %s: %v", time.Since(start), err)
}
