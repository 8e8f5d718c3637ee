package publish

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/station"
)

// TestScheduleParts: schedule.json written from kept parts is
// MarshalIndent's document, for the example (recordings, moved airings)
// and for titles that JSON escapes, at instants an hour apart and across
// an edit, and an instant with nothing in its window; a publish an hour on
// encodes only the airings new to the window.
func TestScheduleParts(t *testing.T) {
	st, _ := exampleSite(t, liveAt)
	recs, _ := Scan(context.Background(), st, nil, nil)
	hostile := filepath.Join(t.TempDir(), "hostile.yaml")
	os.WriteFile(hostile, []byte(`station: {name: "Q \"<&>\" \u2028 é", timezone: Europe/Berlin}
shows:
  - id: q
    title: "A \"quoted\" <b>&amp;</b> \\ \t show"
    slots:
      - {kind: live, cron: "0 * * * *", duration: 30m, title: "</script> \u2029 ☃"}
`), 0o644)
	other, err := teststation.Load(hostile)
	if err != nil {
		t.Fatal(err)
	}
	var parts scheduleParts
	check := func(st0 string, s *stationAt, days int) int {
		t.Helper()
		got := encodeSchedule(&parts, s.st, s.at, s.at.Add(s.st.Days()), days, s.st.Schedule.Airings(s.at, s.at.Add(s.st.Days())), s.recs)
		want := NewScheduleJSON(s.st, s.at, s.at.Add(s.st.Days()), days, s.st.Schedule.Airings(s.at, s.at.Add(s.st.Days())), s.recs, nil).Encode()
		if !bytes.Equal(got, want) {
			t.Fatalf("%s at %s: the parts' document differs:\n%s\nwant\n%s", st0, s.at, got, want)
		}
		var none *scheduleParts // keeping nothing
		if once := encodeSchedule(none, s.st, s.at, s.at.Add(s.st.Days()), days, s.st.Schedule.Airings(s.at, s.at.Add(s.st.Days())), s.recs); !bytes.Equal(once, want) {
			t.Fatalf("%s at %s: the document kept nowhere differs", st0, s.at)
		}
		return parts.Len()
	}
	n := check("example", &stationAt{st, recs, liveAt}, st.ScheduleDays)
	check("example", &stationAt{st, recs, liveAt.Add(time.Hour)}, st.ScheduleDays)
	kept := parts.Len() - parts.Made // asked for, and not made again
	if kept < n-2 {
		t.Errorf("an hour on, %d of %d airings were kept", kept, n)
	}
	check("hostile", &stationAt{other, nil, liveAt}, 0)
	check("hostile", &stationAt{other, nil, liveAt.Add(time.Hour)}, 14)
	once := filepath.Join(t.TempDir(), "once.yaml")
	os.WriteFile(once, []byte("station: {name: Once, timezone: UTC}\nshows:\n  - {id: o, title: O, slots: [{kind: live, once: 2026-01-01 10:00, duration: 1h}]}\n"), 0o644)
	if st, err = teststation.Load(once); err != nil {
		t.Fatal(err)
	}
	check("nothing on", &stationAt{st, nil, liveAt}, 14)
}

type stationAt struct {
	st   *station.Station
	recs Recordings
	at   time.Time
}
