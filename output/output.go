// Package output is where a published site goes besides memory: a
// directory on disk for nginx or a CDN (Dir), replaced whole and atomically
// on every publish, or object storage, whose drivers output/cloud
// registers (Open, Register) in the build that carries them. Building the
// site is the publish package's, and pure; writing it is this package's.
package output

import (
	"context"

	"github.com/onair-radio/onair/internal/sink"
	"github.com/onair-radio/onair/publish"
)

// Output is a destination for a site.
type Output interface {
	// Write publishes site, replacing what an earlier Write put there.
	// When ctx ends (a shutdown; a leader's lease lost), it stops before
	// its next change, leaving what it wrote consistent.
	Write(ctx context.Context, site *publish.Site) error
	// String names the destination in logs and messages.
	String() string
	// Close gives the destination up, for another process to write.
	Close() error
}

// Streamer is an Output that takes a site's documents as a build makes
// them (publish.BuildTo), so that a large document is written as it is
// rendered and never held whole: a Dir. Publish leaves the destination as
// it was when build fails or ctx ends.
type Streamer interface {
	Output
	Publish(ctx context.Context, build func(sink.Sink) error) error
}
