package feeds

import (
	"strings"

	"github.com/google/uuid"
)

// podcastNamespace is the UUIDv5 namespace of podcast:guid.
var podcastNamespace = uuid.MustParse("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

// PodcastGUID is the podcast:guid of a feed URL, as the Podcasting 2.0
// namespace defines it: a UUIDv5 of the URL without its scheme and without
// trailing slashes.
func PodcastGUID(feedURL string) string {
	u := feedURL
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	u = strings.TrimRight(u, "/")
	return uuid.NewSHA1(podcastNamespace, []byte(u)).String()
}
