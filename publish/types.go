package publish

import (
	"path"
	"strings"

	"github.com/onair-radio/onair/web"
)

// contentTypes are the published documents' and the archives' media
// types, by extension.
var contentTypes = map[string]string{
	".xml":  "application/rss+xml; charset=utf-8",
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json",
	".ics":  "text/calendar; charset=utf-8",
	".mp3":  "audio/mpeg",
	".m4a":  "audio/x-m4a",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".vtt":  "text/vtt; charset=utf-8",
	".srt":  "application/x-subrip",
	".gz":   "application/gzip",
	".m3u":  "audio/x-mpegurl",
}

// ContentType is the media type of a published document or a media file,
// by its path: what a server sends, and what object storage is told.
func ContentType(p string) string {
	if p == "xmltv.xml" {
		return "application/xml; charset=utf-8" // a guide, not a feed
	}
	return contentTypes[path.Ext(p)]
}

// Cache lifetimes, by what changes and when.
const (
	// CacheMedia is a recording's, or artwork's: it does not change
	// under its name.
	CacheMedia = "public, max-age=86400"
	// CacheImmutable is an asset's, whose name holds its content's hash.
	CacheImmutable = "public, max-age=31536000, immutable"
	// CachePage is a page's: it says what is on the air, so a browser
	// asks again every time (a 304 when nothing changed).
	CachePage = "no-cache"
	// CacheDocument is what changes with time: feeds, schedule.json,
	// calendars, the guide.
	CacheDocument = "public, max-age=60"
)

// CacheControl is the Cache-Control of a published document or a media
// file, by its path: what a server sends, and what object storage is told.
func CacheControl(p string) string {
	switch {
	case strings.HasPrefix(p, "media/"):
		return CacheMedia
	case web.Immutable(p):
		return CacheImmutable
	case path.Ext(p) == ".html":
		return CachePage
	}
	return CacheDocument
}
