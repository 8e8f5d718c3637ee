// Package server is onair's service. [Service] keeps a station's site
// current: one goroutine, its Run loop, owns the service's state, and file
// events, air time, the clock check and write retries arrive there as
// events; its clock and timers are injected (internal/clock), so that tests
// move time rather than wait for it. [Handler] serves what it publishes
// over HTTP: the documents of a publish.Site from memory (each also gzipped
// once per publish, with strong ETags per encoding), the schedule computed
// on demand, and the recordings from the shows' archive directories, never
// a file outside them.
package server
