// Package publish builds everything a station publishes (each show's
// podcast feed, the schedule as JSON, the calendars, the web pages) as a
// [Site]: a set of documents by path, computed from the station, its
// recordings and an instant. Building is pure: [Build], [Builder] (which
// rebuilds only what changed) and [NextChange] (when the site next changes
// for time's sake) read no clock and write nothing. The output package
// writes a Site to a destination; the service serves it from memory.
package publish
