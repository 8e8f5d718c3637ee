// Package server serves what onair publishes over HTTP: the documents of a
// publish.Site from memory (each also gzipped once per publish, with strong
// ETags per encoding), the schedule computed on demand, and the recordings
// from the shows' archive directories, never a file outside them.
package server
