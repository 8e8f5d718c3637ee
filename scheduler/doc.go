// Package scheduler is onair's schedule engine: it turns a station's shows and
// their recurring slots into airings, the concrete instants at which a show is
// on air.
//
// The engine is pure. It reads no files, no environment and no clock: every
// question ("what airs next?", "what is on now?") takes the instant it is
// asked at, the way robfig/cron's Schedule.Next does. Slots are wall-clock
// times in a show's zone; [Resolve] turns a wall time into an instant with the
// rule of RFC 5545 §3.3.5, so that a slot inside a spring-forward gap airs
// (read in the offset before the gap) and a slot inside a fall-back overlap
// airs once (at its first occurrence).
package scheduler
