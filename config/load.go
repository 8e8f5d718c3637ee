package config

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"

	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// MaxFileSize is the largest configuration onair reads (a station of a
// thousand shows is a few hundred kilobytes).
const MaxFileSize = 4 << 20

// DefaultPath is the configuration read when neither --config nor
// $ONAIR_CONFIG names one.
const DefaultPath = "onair.yaml"

// Path picks the configuration file: the --config flag, else $ONAIR_CONFIG,
// else ./onair.yaml.
func Path(flag string, getenv func(string) string) string {
	if flag != "" {
		return flag
	}
	if p := getenv("ONAIR_CONFIG"); p != "" {
		return p
	}
	return DefaultPath
}

// Config is a loaded, valid configuration: the station it describes, and
// where in the file each part of it is written.
type Config struct {
	File    string
	Dir     string // the file's directory, against which relative paths resolve
	Station *station.Station
	// BaseURLSet says whether the file or the environment set
	// station.base_url (else it is Options.BaseURL's).
	BaseURLSet bool
	pos        map[string]pos
	labels     map[string]string // show id → index path prefix ("shows[3]")
}

// Load reads and validates the configuration at path, with Parse. Its error
// is an [Errors] listing every problem, or a plain error when the file cannot
// be read.
func Load(path string, opts Options) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return Parse(path, data, opts)
}

// Options are what the command gives the loader besides the file.
type Options struct {
	// Getenv is the command's environment, for the ONAIR_STATION_*
	// overrides; nil reads none. The process's own environment reaches the
	// configuration only through it.
	Getenv func(string) string
	// BaseURL is station.base_url when neither the file nor the
	// environment sets it (default DefaultBaseURL): onair serve gives the
	// address it listens on.
	BaseURL string
}

// Parse validates a configuration read from file (named in messages).
// Station keys are overridden by the ONAIR_STATION_* variables that
// opts.Getenv gives.
func Parse(file string, data []byte, opts Options) (*Config, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if len(data) > MaxFileSize {
		return nil, Errors{{File: file, Msg: fmt.Sprintf("the file is larger than %d MiB; is it the right file?", MaxFileSize>>20)}}
	}
	doc, err := parseYAML(file, data)
	if err != nil {
		return nil, Errors{err.(*Error)}
	}
	w := &walker{file: file, pos: make(map[string]pos)}
	tree, ok := w.walk(doc, reflect.TypeFor[rawConfig](), keyPath{})
	if !ok {
		if len(w.errs) == 0 {
			w.errs = append(w.errs, &Error{File: file, Msg: "the file holds no settings"})
		}
		return nil, w.errs
	}
	raw, err := decode(tree.(map[string]any), getenv)
	if err != nil {
		return nil, Errors{{File: file, Msg: err.Error()}}
	}
	c := &Config{File: file, Dir: filepath.Dir(file), pos: w.pos, labels: make(map[string]string)}
	v := &validator{file: file, pos: w.pos, errs: w.errs, getenv: getenv, baseURL: cmp.Or(opts.BaseURL, DefaultBaseURL)}
	v.config(raw, c)
	if len(v.errs) > 0 {
		// In file order; values from the environment (no line) first.
		slices.SortStableFunc(v.errs, func(a, b *Error) int { return cmp.Or(a.Line-b.Line, a.Column-b.Column) })
		return nil, v.errs
	}
	station.New(c.Station)
	for i, sh := range c.Station.Shows {
		c.labels[sh.ID] = fmt.Sprintf("shows[%d]", i)
	}
	return c, nil
}

// decode layers the environment over the file's settings with viper and
// decodes the result into the schema types.
func decode(tree map[string]any, getenv func(string) string) (*rawConfig, error) {
	v := viper.New()
	if err := v.MergeConfigMap(tree); err != nil {
		return nil, err
	}
	// viper's own environment binding reads the process's environment;
	// onair's comes from the command, so the overrides are set from it.
	for _, k := range envKeys {
		if k.within != "" && !v.IsSet(k.within) {
			continue
		}
		if val := getenv(k.env); val != "" {
			v.Set(k.key, val)
		}
	}
	var raw rawConfig
	err := v.Unmarshal(&raw, func(dc *mapstructure.DecoderConfig) {
		dc.ErrorUnused = true
		dc.WeaklyTypedInput = false
	})
	if err != nil {
		return nil, errors.New("decode: " + err.Error())
	}
	return &raw, nil
}

// Locate says where in the file a schedule problem's show, slot or
// exception is written: "onair.yaml:14:9: shows[prn].slots[1]".
func (c *Config) Locate(p scheduler.Problem) string {
	prefix, ok := c.labels[p.Show]
	display := "shows[" + p.Show + "]"
	if p.Show == "" {
		prefix, display, ok = "station", "station", true
	}
	if !ok {
		return c.File
	}
	index := prefix
	switch {
	case p.Exception >= 0:
		index += fmt.Sprintf(".exceptions[%d]", p.Exception)
		display += fmt.Sprintf(".exceptions[%d]", p.Exception)
	case p.Slot >= 0:
		index += fmt.Sprintf(".slots[%d]", p.Slot)
		display += fmt.Sprintf(".slots[%d]", p.Slot)
	case p.Key != "":
		index += "." + p.Key
		display += "." + p.Key
	}
	if at, ok := c.pos[index]; ok {
		return fmt.Sprintf("%s:%d:%d: %s", c.File, at.line, at.col, display)
	}
	return c.File + ": " + display
}
