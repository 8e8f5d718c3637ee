package output

import (
	"context"
	"strings"
	"testing"
)

func TestIsBucketURL(t *testing.T) {
	for s, want := range map[string]bool{"s3://b?region=x": true, "gs://b": true, "azblob://c": true, "file:///srv/x": true, "/srv/www": false, "public": false, "C:\\x": false} {
		if IsBucketURL(s) != want {
			t.Errorf("IsBucketURL(%q) = %v", s, !want)
		}
	}
}

// TestOpenWithoutDrivers: a build without object storage (this package's
// test binary links none) says how to get it, and a directory still
// opens; a registered scheme is opened by its opener, case aside, and
// any other is named beside what the build has.
func TestOpenWithoutDrivers(t *testing.T) {
	defer func(saved map[string]Opener) { openers = saved }(openers)
	openers = map[string]Opener{}
	_, err := Open(context.Background(), "s3://bucket?region=us-east-1&secret=x")
	if err == nil || !strings.Contains(err.Error(), "go build -tags cloud ./cmd/onair") || strings.Contains(err.Error(), "secret") {
		t.Errorf("s3 without drivers: %v", err)
	}
	dir := t.TempDir() + "/site"
	if o, err := Open(context.Background(), dir); err != nil {
		t.Errorf("a directory: %v", err)
	} else {
		o.Close()
	}

	var opened string
	Register(func(_ context.Context, u string) (Output, error) { opened = u; return nil, nil }, "s3", "mem")
	if _, err := Open(context.Background(), "S3://b"); err != nil || opened != "S3://b" {
		t.Errorf("a registered scheme: %q, %v", opened, err)
	}
	_, err = Open(context.Background(), "gs://b")
	if err == nil || !strings.Contains(err.Error(), "it opens mem://, s3://") {
		t.Errorf("an unregistered scheme: %v", err)
	}
	if got := strings.Join(Schemes(), " "); got != "mem s3" {
		t.Errorf("Schemes() = %q", got)
	}
}
