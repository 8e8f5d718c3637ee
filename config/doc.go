// Package config reads a station's YAML into the schedule engine's types.
//
// It is the only package that touches viper. Loading is one pipeline, in the
// manner of litestream's ParseConfig and Validate: read the file once, walk
// its YAML nodes against the schema (unknown keys, wrong shapes, positions),
// layer environment overrides with viper, decode into plain structs, and
// validate every value. Every problem found is reported at once, each with
// the file, line, key path and value.
package config
