//go:build cloud

package main

// The object-storage drivers (S3, Google Cloud Storage, Azure Blob
// Storage, file://), in the build that asks for them: go build -tags
// cloud ./cmd/onair. The default build leaves them out, as they would
// make every command start slower and heavier (scripts/footprint.sh).
import _ "github.com/onair-radio/onair/output/cloud"
