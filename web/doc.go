// Package web renders the station's public web site: the week at a glance
// (index.html), a page per show (shows/<id>/index.html) and a now-playing
// widget for other sites to embed (embed/now/index.html), with their
// stylesheet and script.
//
// The pages are html/template documents, their assets embedded in the
// binary; every page works without JavaScript, which only enhances it (a
// time-zone switch, a clock that moves the on-air highlight, a copy
// button). Like the feeds, a rendering is a function of the configuration,
// the schedule, the episodes and an instant: the same bytes whether
// onair serve answers them or onair publish writes them for a static host.
package web
