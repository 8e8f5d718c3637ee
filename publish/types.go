package publish

import "path"

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
