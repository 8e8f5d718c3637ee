// Package archive finds a show's recordings on disk and reads what the feeds
// need from them: the episode each belongs to (from its file name), its exact
// size, its duration (from the audio), its tags, and the optional sidecar
// YAML of show notes beside it. Probing is cached by path, size and
// modification time, so unchanged files are read once.
package archive
