// Package notify tells podcast apps, indexes and the station's own systems
// the moment something changes: Podping (live, liveEnd, update), WebSub
// hubs, the Podcast Index's pubnotify, and signed webhooks (airing.started,
// airing.ended, episode.published, feed.updated).
//
// Plan is a pure function of the station, what was last told and what a
// publish put out: it names the events, each with an id that is the same
// however often it is planned. The Outbox records them, with the state
// that planned them, in one transaction of an SQL database (SQLite under
// `onair serve --state`), so that an event is planned once, across
// crashes. The Sender delivers them, one worker an endpoint, retrying with
// backoff for a day, and marks each delivery done the moment its endpoint
// answers.
package notify
