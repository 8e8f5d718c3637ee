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

// KnownZones are the zone names onair knows, for suggesting the one a
// misspelled name meant (the YAML's, --tz's). The list is split when a
// suggestion is first needed, not at every start.
var KnownZones = sync.OnceValue(func() []string { return strings.Fields(zonesTxt) })
