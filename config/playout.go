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
	DefaultHarborBind   = "0.0.0.0"
)

// playout validates station.playout: nil when it is not set.
func (v *validator) playout(p keyPath, rp *rawPlayout, configDir string) *station.Playout {
	if *rp == (rawPlayout{}) {
		return nil
	}
	out := &station.Playout{}
	if rp.Liquidsoap == "" {
		v.fail(p.key("liquidsoap"), "", "playout needs liquidsoap: the address of Liquidsoap's server (telnet) that onair drives, such as 127.0.0.1:1234")
	} else if host, port, err := net.SplitHostPort(rp.Liquidsoap); err != nil || host == "" || !validPort(port) || strings.ContainsAny(host, "\x00\r\n \"\\#") {
		v.fail(p.key("liquidsoap"), rp.Liquidsoap, "want host:port, such as 127.0.0.1:1234")
	} else {
		out.Liquidsoap = rp.Liquidsoap
	}
	ip := p.key("icecast")
	out.Icecast = station.Icecast{
		Host:     v.airValue(ip.key("host"), rp.Icecast.Host, "a host name"),
		Port:     v.port(ip.key("port"), rp.Icecast.Port, DefaultIcecastPort),
		Mount:    v.mount(ip.key("mount"), rp.Icecast.Mount, DefaultIcecastMount),
		Password: v.airValue(ip.key("password"), rp.Icecast.Password, "a password"),
	}
	if rp.Icecast.Host == "" {
		v.fail(ip.key("host"), "", "playout needs icecast.host: where Liquidsoap sends the air signal, such as 127.0.0.1")
	}
	if rp.Icecast.Password == "" {
		v.fail(ip.key("password"), "", "playout needs icecast.password, Icecast's source password (or $ONAIR_ICECAST_PASSWORD)")
	}
	hp := p.key("harbor")
	out.Harbor = station.Harbor{
		Bind:     v.bindAddr(hp.key("bind"), rp.Harbor.Bind),
		Port:     v.port(hp.key("port"), rp.Harbor.Port, DefaultHarborPort),
		Mount:    v.mount(hp.key("mount"), rp.Harbor.Mount, DefaultHarborMount),
		Password: v.airValue(hp.key("password"), rp.Harbor.Password, "a password"),
	}
	if rp.Harbor.Password == "" {
		v.fail(hp.key("password"), "", "playout needs harbor.password, which the studio's encoder sends (or $ONAIR_HARBOR_PASSWORD)")
	}
	if _, lport, err := net.SplitHostPort(out.Liquidsoap); err == nil && lport == strconv.Itoa(out.Harbor.Port) {
		v.fail(hp.key("port"), strconv.Itoa(out.Harbor.Port), "the harbor and Liquidsoap's server need ports of their own")
	}
	if rp.Fallback != "" && v.airValue(p.key("fallback"), rp.Fallback, "a path") != "" {
		out.Fallback = rp.Fallback
		if !filepath.IsAbs(out.Fallback) {
			out.Fallback = filepath.Join(configDir, out.Fallback)
		}
	}
	return out
}

// airValue is a value that reaches Liquidsoap or the studio's encoder: the
// script and the protocols carry any byte but a control character (a NUL
// ends a string in the C libraries below Liquidsoap, a line break ends a
// command on its server), so one is refused here rather than cut there.
func (v *validator) airValue(p keyPath, s, what string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			v.fail(p, s, "%s with a control character (%q at byte %d) cannot reach Liquidsoap as it is: remove it", what, c, i)
			return ""
		}
	}
	return s
}

// bindAddr is the address the harbor listens on: an IP address, every
// interface by default.
func (v *validator) bindAddr(p keyPath, s string) string {
	if s == "" {
		return DefaultHarborBind
	}
	if net.ParseIP(s) == nil {
		v.fail(p, s, "want an IP address to listen on, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface, the default)")
		return DefaultHarborBind
	}
	return s
}

// notify validates station.notify: nil when it is not set.
func (v *validator) notify(p keyPath, rn *rawNotify) *station.Notify {
	if rn.Podping == (rawPodping{}) && len(rn.WebSub) == 0 && rn.PubNotify == "" && len(rn.Webhooks) == 0 {
		if rn.Secret != "" {
			v.fail(p.key("secret"), "", "a secret signs webhooks: set notify.webhooks too, or remove it")
		}
		return nil
	}
	out := &station.Notify{PubNotify: v.httpURL(p.key("pubnotify"), rn.PubNotify), WebhookSecret: rn.Secret}
	if rn.Podping != (rawPodping{}) {
		pp := p.key("podping")
		out.Podping = &station.Podping{URL: v.httpURL(pp.key("url"), rn.Podping.URL), Token: rn.Podping.Token}
		if rn.Podping.URL == "" {
			v.fail(pp.key("url"), "", "podping needs url: the Podping service, such as https://podping.cloud/")
		}
		if rn.Podping.Token == "" {
			v.fail(pp.key("token"), "", "podping needs a token (from podping.org): token:, or $ONAIR_PODPING_TOKEN")
		}
	}
	seen := make(map[string]bool)
	for i, u := range rn.WebSub {
		if u = v.httpURL(p.key("websub").item(i, ""), u); u != "" && !seen["websub "+u] {
			seen["websub "+u] = true
			out.WebSub = append(out.WebSub, u)
		}
	}
	for i, u := range rn.Webhooks {
		if u = v.httpURL(p.key("webhooks").item(i, ""), u); u != "" && !seen["webhook "+u] {
			seen["webhook "+u] = true
			out.Webhooks = append(out.Webhooks, u)
		}
	}
	if len(rn.Webhooks) > 0 && rn.Secret == "" {
		v.fail(p.key("secret"), "", "webhooks are signed: set notify.secret, or $ONAIR_WEBHOOK_SECRET (a long random string the receivers share)")
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
