package cloud

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/publish"
)

// TestBucketScale measures what a 1,000-show station uploads to S3 (an
// in-process one): its first publish, every document; a publish at the
// next air time, only what changed. Media are not counted (each recording
// is uploaded once, when it first appears). Run it with
// ONAIR_SCALE=1 go test ./output/cloud -run TestBucketScale -v; with
// ONAIR_SCALE_RTT=30ms each upload takes that much longer, as a real
// store's round trip would.
func TestBucketScale(t *testing.T) {
	if os.Getenv("ONAIR_SCALE") == "" {
		t.Skip("set ONAIR_SCALE=1 to measure")
	}
	st, recs := teststation.Scale(t, 1000)
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	var b publish.Builder
	site, err := b.Build(context.Background(), st, recs, at)
	if err != nil {
		t.Fatal(err)
	}
	s3 := newFakeS3(t)
	if rtt := os.Getenv("ONAIR_SCALE_RTT"); rtt != "" {
		d, err := time.ParseDuration(rtt)
		if err != nil {
			t.Fatal(err)
		}
		s3.delay = d
		t.Logf("each upload takes %s more", d)
	}
	bucket, err := Open(context.Background(), s3.url)
	if err != nil {
		t.Fatal(err)
	}
	defer bucket.Close()
	start := time.Now()
	if err := bucket.Write(context.Background(), site); err != nil {
		t.Fatal(err)
	}
	t.Logf("first publish: %d documents, %d uploaded (%.1f MB) in %.2f s, %d at once at most", len(site.Files), bucket.Last.Uploaded, float64(bucket.Last.Bytes)/1e6, time.Since(start).Seconds(), s3.peak)
	s3.take()
	next := publish.NextChange(st, at)
	site, err = b.Build(context.Background(), st, recs, next)
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if err := bucket.Write(context.Background(), site); err != nil {
		t.Fatal(err)
	}
	t.Logf("a publish at air time (%s): %d uploaded (%.1f MB), %d unchanged, in %.2f s", next.Format(time.RFC3339), bucket.Last.Uploaded, float64(bucket.Last.Bytes)/1e6, bucket.Last.Unchanged, time.Since(start).Seconds())
	t.Logf("uploaded: %v", s3.take())
	if bucket.Last.Uploaded == 0 || bucket.Last.Uploaded > 50 {
		t.Errorf("%d uploads at air time", bucket.Last.Uploaded)
	}
}
