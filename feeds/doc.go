// Package feeds builds a show's podcast feed (RSS 2.0 with Apple's itunes
// tags and the Podcasting 2.0 namespace) from its recordings and its live
// airings. Building is pure: the same podcast, episodes, airings and instant
// give the same bytes, and nothing is read from the clock.
//
// It builds on github.com/eduncan911/podcast v1.4.2, whose channel and item
// types it embeds, and works around that library's traps: every date is set
// (a nil one would become time.Now()), every enclosure type is set (the zero
// type is M4A), the guid is onair's own with isPermaLink="false", the
// language and generator are replaced, summaries are cut at 4000 bytes (not
// runes), and the document is encoded here rather than by the library's
// String(), which would return an error's text as if it were the feed.
package feeds
