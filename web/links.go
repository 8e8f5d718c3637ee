package web

import (
	"cmp"
	"net/url"
	"strings"
)

// App is a podcast app's subscribe link for a feed.
type App struct {
	Name string
	URL  string
}

// SubscribeLinks are links that open a feed in the common podcast apps, in
// the forms those apps document (AntennaPod's deep link) or that the
// Podlove Subscribe Button's client list uses. The feed's own URL is last,
// for any other app.
func SubscribeLinks(feed, title string) []App {
	bare := withoutScheme(feed)
	return []App{
		{"Apple Podcasts", "podcast://" + bare},
		{"Overcast", "overcast://x-callback-url/add?url=" + url.QueryEscape(feed)},
		{"Pocket Casts", "pktc://subscribe/" + bare},
		{"Castro", "castro://subscribe/" + bare},
		{"AntennaPod", "https://antennapod.org/deeplink/subscribe?url=" + url.QueryEscape(feed) + "&title=" + url.QueryEscape(title)},
		{"Podcast Addict", "podcastaddict://" + feed},
		{"RSS", feed},
	}
}

// Webcal is a calendar's URL in the webcal scheme, which calendar apps
// subscribe to rather than import once.
func Webcal(u string) string { return "webcal://" + withoutScheme(u) }

func withoutScheme(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		return u[i+3:]
	}
	return u
}

// relative rewrites a URL under the site's base URL as a path relative to
// a page, given the page's way back to the root ("../../"), so that the
// pages work wherever the site is served from: by onair serve on a test
// address, or by a static host. Other URLs (a CDN's) stay absolute.
func relative(u, base, root string) string {
	base = strings.TrimRight(base, "/") + "/"
	if rest, ok := strings.CutPrefix(u, base); ok {
		if rest == "" {
			return cmp.Or(root, "./")
		}
		return root + rest
	}
	return u
}
