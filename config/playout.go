package config

import (
	"net"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/onair-radio/onair/station"
)

// Defaults of the air chain.
const (
	DefaultIcecastPort  = 8000
	DefaultIcecastMount = "/air"
	DefaultHarborPort   = 8005
	DefaultHarborMount  = "/live"
)

// playout validates station.playout: nil when it is not set.
func (v *validator) playout(p keyPath, rp *rawPlayout, configDir string) *station.Playout {
	if *rp == (rawPlayout{}) {
		return nil
	}
	out := &station.Playout{}
	if rp.Liquidsoap == "" {
		v.fail(p.key("liquidsoap"), "", "playout needs liquidsoap: the address of Liquidsoap's server (telnet) that onair drives, such as 127.0.0.1:1234")
	} else if host, port, err := net.SplitHostPort(rp.Liquidsoap); err != nil || host == "" || !validPort(port) {
		v.fail(p.key("liquidsoap"), rp.Liquidsoap, "want host:port, such as 127.0.0.1:1234")
	} else {
		out.Liquidsoap = rp.Liquidsoap
	}
	ip := p.key("icecast")
	out.Icecast = station.Icecast{
		Host:     rp.Icecast.Host,
		Port:     v.port(ip.key("port"), rp.Icecast.Port, DefaultIcecastPort),
		Mount:    v.mount(ip.key("mount"), rp.Icecast.Mount, DefaultIcecastMount),
		Password: rp.Icecast.Password,
	}
	if out.Icecast.Host == "" {
		v.fail(ip.key("host"), "", "playout needs icecast.host: where Liquidsoap sends the air signal, such as 127.0.0.1")
	}
	if out.Icecast.Password == "" {
		v.fail(ip.key("password"), "", "playout needs icecast.password, Icecast's source password (or $ONAIR_ICECAST_PASSWORD)")
	}
	hp := p.key("harbor")
	out.Harbor = station.Harbor{
		Port:     v.port(hp.key("port"), rp.Harbor.Port, DefaultHarborPort),
		Mount:    v.mount(hp.key("mount"), rp.Harbor.Mount, DefaultHarborMount),
		Password: rp.Harbor.Password,
	}
	if out.Harbor.Password == "" {
		v.fail(hp.key("password"), "", "playout needs harbor.password, which the studio's encoder sends (or $ONAIR_HARBOR_PASSWORD)")
	}
	if _, lport, err := net.SplitHostPort(out.Liquidsoap); err == nil && lport == strconv.Itoa(out.Harbor.Port) {
		v.fail(hp.key("port"), strconv.Itoa(out.Harbor.Port), "the harbor and Liquidsoap's server need ports of their own")
	}
	if rp.Fallback != "" {
		out.Fallback = rp.Fallback
		if !filepath.IsAbs(out.Fallback) {
			out.Fallback = filepath.Join(configDir, out.Fallback)
		}
	}
	return out
}

func validPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 65535
}

func (v *validator) port(p keyPath, s string, def int) int {
	if s == "" {
		return def
	}
	if !validPort(s) {
		v.fail(p, s, "want a port number from 1 to 65535")
		return def
	}
	n, _ := strconv.Atoi(s)
	return n
}

// mount reads an Icecast or harbor mount: a name, with or without its
// leading slash.
func (v *validator) mount(p keyPath, s, def string) string {
	if s == "" {
		return def
	}
	name := strings.TrimPrefix(s, "/")
	if name == "" || strings.ContainsAny(name, "/?#% \"\\") {
		v.fail(p, s, "want a mount name such as /air: letters, digits, '-', '_' or '.'")
		return def
	}
	return "/" + name
}
