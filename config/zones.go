package config

import (
	_ "embed"
	"strings"
	"sync"
)

// zones.txt lists the zone names in Go's own zone database
// ($GOROOT/lib/time/zoneinfo.zip, the data time/tzdata embeds), for
// suggesting the zone a misspelled name meant. Regenerate it with:
//
//	unzip -Z1 "$(go env GOROOT)/lib/time/zoneinfo.zip" | grep -v '/$' | sort > config/zones.txt
//
//go:embed zones.txt
var zonesTxt string

// knownZones splits the list when a suggestion is first needed, not at
// every start.
var knownZones = sync.OnceValue(func() []string { return strings.Fields(zonesTxt) })
