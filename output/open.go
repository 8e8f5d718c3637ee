package output

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// An Opener opens the destination an --out URL names (s3://bucket, say).
type Opener func(ctx context.Context, url string) (Output, error)

var (
	openersMu sync.Mutex
	openers   = map[string]Opener{}
)

// Register makes Open use o for URLs of each scheme. Object storage is
// registered by output/cloud, which carries gocloud.dev's drivers and is
// linked only into the build that asks for it (go build -tags cloud):
// the drivers weigh more than the rest of onair together, and every
// command would pay for them at start-up.
func Register(o Opener, schemes ...string) {
	openersMu.Lock()
	defer openersMu.Unlock()
	for _, s := range schemes {
		openers[s] = o
	}
}

// Schemes lists the URL schemes this build opens, sorted.
func Schemes() []string {
	openersMu.Lock()
	defer openersMu.Unlock()
	s := make([]string, 0, len(openers))
	for k := range openers {
		s = append(s, k)
	}
	slices.Sort(s)
	return s
}

// IsBucketURL says whether an --out names object storage (s3://, gs://,
// azblob://, file://, mem://) rather than a directory.
func IsBucketURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && len(u.Scheme) > 1 && strings.Contains(s, "://")
}

// Open opens --out: object storage for a URL whose scheme this build
// carries, else a directory replaced whole.
func Open(ctx context.Context, out string) (Output, error) {
	if !IsBucketURL(out) {
		return OpenDir(out)
	}
	scheme, _, _ := strings.Cut(out, "://")
	scheme = strings.ToLower(scheme)
	openersMu.Lock()
	o := openers[scheme]
	openersMu.Unlock()
	if o == nil {
		if len(openers) == 0 {
			return nil, fmt.Errorf("out %s://…: this onair was built without object storage; build it with its drivers (go build -tags cloud ./cmd/onair), or publish to a directory", scheme)
		}
		return nil, fmt.Errorf("out %s://…: no such object storage in this build (it opens %s)", scheme, strings.Join(Schemes(), "://, ")+"://")
	}
	return o(ctx, out)
}
