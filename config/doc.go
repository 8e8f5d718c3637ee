// Package config is onair's edge: it reads a station's YAML into the one
// station model (station.Station) that everything below the command line
// takes. Nothing else imports it.
//
// It is the only package that touches viper. Loading is one pipeline, in the
// manner of litestream's ParseConfig and Validate: read the file once, walk
// its YAML nodes against the schema (unknown keys, wrong shapes, positions),
// layer environment overrides with viper (from the getenv the command
// passes in, never the process's own), decode into plain structs, and
// validate every value. Every problem found is reported at once, each with
// the file, line, key path and value.
package config
