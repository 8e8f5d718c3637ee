// Package publish renders everything a station publishes (each show's
// podcast feed, the schedule as JSON, the calendars) as a [Site]: a set of
// documents by path, computed from the configuration, the recordings and an
// instant. The command line writes a Site to a directory; the service serves
// the same Site from memory.
package publish
