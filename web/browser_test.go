package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/onair-radio/onair/cli"
)

var screenshots = flag.String("screenshots", filepath.Join(os.TempDir(), "onair-screenshots"), "where the browser tests write their screenshots")

// liveAt is during the example's Sunday live airing (13:00–14:00 Chicago).
const liveAt = "2026-11-29T13:30:00-06:00"

// findChromium finds a browser for chromedp, or skips the test, in one
// line, where none can be had; with ONAIR_REQUIRE_BROWSER set (CI) it fails.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ONAIR_REQUIRE_BROWSER") != "" {
		t.Fatal("no Chromium on PATH, and ONAIR_REQUIRE_BROWSER is set: apt-get install chromium")
	}
	t.Skip("browser tests skipped: no Chromium on PATH (apt-get install chromium)")
	return ""
}

// lineWriter collects a command's log and hands over the first line that
// matches.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	re    *regexp.Regexp
	found chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.found != nil {
		if m := w.re.FindSubmatch(w.buf.Bytes()); m != nil {
			w.found <- string(m[1])
			w.found = nil
		}
	}
	return len(p), nil
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// startServe runs onair serve on the example, on a loopback port, with its
// clock at at, and returns its URL.
func startServe(t *testing.T, at string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	found := make(chan string, 1) // read here, not through logs: Write clears its field
	logs := &lineWriter{re: regexp.MustCompile(`listening url=(\S+)`), found: found}
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--config", "../config.example.yaml", "--listen", "127.0.0.1:0", "--at", at, "--no-cache"},
			cli.Env{Stdout: logs, Stderr: logs, Getenv: func(string) string { return "" }, Now: time.Now})
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d:\n%s", code, logs.String())
		}
	})
	select {
	case url := <-found:
		return url
	case code := <-done:
		t.Fatalf("serve exited %d before listening:\n%s", code, logs.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start listening within 20 s")
	}
	return ""
}

// browse starts a headless Chromium and returns a context for its first
// tab, and a func that reports the page errors (exceptions, console errors,
// failed loads) seen so far.
func browse(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(findChromium(t)),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// No network beyond loopback: nothing of Google's to reach.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		// The viewer lives in Tokyo: the week in "your time" is not the
		// station's, nor the test machine's.
		chromedp.Env("TZ=Asia/Tokyo"),
	)
	// A page that never shows what a step waits for fails the test in
	// minutes rather than hanging it.
	deadline, cancelDeadline := context.WithTimeout(context.Background(), 2*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(deadline, opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc(); cancelDeadline() })
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s: %s (%s:%d)", m.Type, m, m.URL, m.Line+1))
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// shoot writes a full-page screenshot.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(*screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// placed is where the grid shows an airing: its day's heading, the start
// time it reads, and how far its top is from the ruler's mark for that time.
type placed struct {
	Day, Time, Classes, Text string
	Off                      float64 // pixels between its top and the ruler's mark of its start time
	Found                    bool
}

const placedJS = `(function (id) {
  const el = document.querySelector('.airing[data-id="' + id + '"]');
  if (!el) return {Found: false};
  const time = el.querySelector('.when time').textContent;
  const mark = Array.from(document.querySelectorAll('.ruler li')).find(function (li) { return li.textContent === time.slice(0, 2) + ':00'; });
  const minutes = Number(time.slice(3, 5));
  const hourPx = mark && mark.nextElementSibling ? mark.nextElementSibling.getBoundingClientRect().top - mark.getBoundingClientRect().top : 0;
  return {
    Found: true,
    Day: el.closest('.day').querySelector('h3').textContent,
    Time: time,
    Classes: el.className,
    Text: el.textContent,
    Off: mark ? el.getBoundingClientRect().top - mark.getBoundingClientRect().top - minutes / 60 * hourPx : 1e9,
  };
})`

func where(t *testing.T, ctx context.Context, id string) placed {
	t.Helper()
	p, err := chromedp.Run(ctx, chromedp.Evaluate[placed](placedJS+"("+jsString(id)+")"))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Found {
		t.Fatalf("no airing %s on the grid", id)
	}
	return p
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// stepTimeout bounds each step: a page that never shows what a step waits
// for fails the test.
const stepTimeout = 20 * time.Second

// newTab opens another tab of the browser, closed when the test ends. It is
// opened on its own context: a step's (with its timeout) would close it
// when the step ends.
func newTab(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatal(err)
	}
	return tab
}

// eval runs a script in the page and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// pickZone chooses a zone in the week's zone switch, as a user does: the
// select's value changes and it fires change.
func pickZone(zone string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.SetValue(chromedp.ID("zone"), zone),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('zone').dispatchEvent(new Event('change'))`))
			return err
		}),
	)
}

// TestBrowser drives the pages of a real onair serve, at a fixed clock, in
// headless Chromium.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped with -short")
	}
	ctx, problems := browse(t)
	base := startServe(t, liveAt)
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted, Origin: base,
		})
		if err != nil {
			t.Fatalf("grant %s: %v", name, err)
		}
	}
	const sunday = "prn-2026-11-29T1300"
	t.Logf("screenshots in %s", *screenshots)

	t.Run("week", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("zone")))
		p := where(t, ctx, sunday)
		if !strings.HasPrefix(p.Day, "Sun 29 Nov") || p.Time != "13:00" || abs(p.Off) > 2 {
			t.Errorf("Sunday's live airing: in %q at %q, %.1f px off the ruler; want Sun 29 Nov, 13:00, on the 13:00 mark", p.Day, p.Time, p.Off)
		}
		if !strings.Contains(p.Classes, "now") || !strings.Contains(p.Text, "On air") {
			t.Errorf("the airing in progress at %s is not highlighted: class %q, text %q", liveAt, p.Classes, p.Text)
		}
		onAir := eval[string](t, ctx, `document.querySelector('#onair .now').textContent`)
		listen := eval[string](t, ctx, `(document.querySelector('#onair .now a.listen') || {}).href || ''`)
		if !strings.Contains(onAir, "Progressive Radio News Hour") || listen != "http://localhost:8000/live.mp3" {
			t.Errorf("on air now: %q, listen link %q", onAir, listen)
		}
		shoot(t, ctx, "week-desktop")

		// Another zone: the same airing at 20:00 Berlin time, still Sunday.
		do(t, ctx, pickZone("Europe/Berlin"))
		p = where(t, ctx, sunday)
		if !strings.HasPrefix(p.Day, "Sun 29 Nov") || p.Time != "20:00" || abs(p.Off) > 2 || !strings.Contains(p.Classes, "now") {
			t.Errorf("in Europe/Berlin: in %q at %q, %.1f px off the ruler, class %q; want Sun 29 Nov, 20:00, on the mark, now", p.Day, p.Time, p.Off, p.Classes)
		}
		if note := eval[string](t, ctx, `document.getElementById('zone-note').textContent`); note != "Times are in Europe/Berlin." {
			t.Errorf("zone note %q", note)
		}
		shoot(t, ctx, "week-desktop-berlin")

		// The viewer's own zone, offered as such: Sunday 13:00 in Chicago is
		// Monday 04:00 in Tokyo. The choice is remembered.
		if opt := eval[string](t, ctx, `(function () { const o = Array.from(document.querySelectorAll('#zone option')).find(function (o) { return o.textContent.startsWith('Your time'); }); return o ? o.value + ' ' + o.textContent : ''; })()`); opt != "Asia/Tokyo Your time (Asia/Tokyo)" {
			t.Errorf("the viewer's zone is offered as %q", opt)
		}
		do(t, ctx, pickZone("Asia/Tokyo"))
		do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("zone")))
		if p = where(t, ctx, sunday); !strings.HasPrefix(p.Day, "Mon 30 Nov") || p.Time != "04:00" || abs(p.Off) > 2 {
			t.Errorf("in the viewer's zone, after a reload: in %q at %q, %.1f px off; want Mon 30 Nov, 04:00", p.Day, p.Time, p.Off)
		}

		// And back: the script lays the station's zone out as the server did.
		do(t, ctx, pickZone("America/Chicago"))
		if p = where(t, ctx, sunday); p.Time != "13:00" || abs(p.Off) > 2 || !strings.Contains(p.Classes, "now") {
			t.Errorf("back in America/Chicago: at %q, %.1f px off, class %q", p.Time, p.Off, p.Classes)
		}
		checkPage(t, ctx, "week")

		// The clock moves the highlight: forty minutes on, the live airing
		// has ended and Tuesday's rebroadcast is next. (The page's clock is
		// moved, rather than a test waiting for it.)
		eval[bool](t, ctx, `(function () { const real = Date.now; Date.now = function () { return real() + 40 * 60 * 1000; }; document.dispatchEvent(new Event('visibilitychange')); return true; })()`)
		if p = where(t, ctx, sunday); !strings.Contains(p.Classes, "past") || strings.Contains(p.Text, "On air") {
			t.Errorf("forty minutes on, the live airing is still highlighted: class %q, text %q", p.Classes, p.Text)
		}
		if now := eval[string](t, ctx, `document.querySelector('#onair .now').textContent`); !strings.Contains(now, "Nothing is on the air.") {
			t.Errorf("forty minutes on, on air now: %q", now)
		}
		if next := where(t, ctx, "prn-2026-12-01T1000"); !strings.Contains(next.Classes, "next") {
			t.Errorf("forty minutes on, Tuesday's rebroadcast is not next: %q", next.Classes)
		}

		do(t, ctx, chromedp.EmulateViewport(360, 740), chromedp.Reload())
		checkFits(t, ctx, 360)
		shoot(t, ctx, "week-phone")
	})

	t.Run("show", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/shows/prn/"), chromedp.WaitVisible(chromedp.CSS(".copy-button")))
		audio := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('.episodes audio')).map(function (a) { return a.src; })`)
		recordings, _ := filepath.Glob("../testdata/archive/prn/*.mp3")
		if len(audio) != len(recordings) || len(audio) == 0 {
			t.Errorf("%d audio players for %d recordings", len(audio), len(recordings))
		}
		for _, u := range audio {
			req, _ := http.NewRequest("GET", u, nil)
			req.Header.Set("Range", "bytes=0-99")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("GET %s: %v", u, err)
				continue
			}
			resp.Body.Close()
			if resp.StatusCode != 200 && resp.StatusCode != 206 || resp.Header.Get("Content-Type") != "audio/mpeg" {
				t.Errorf("GET %s: %d %s, want 206 (or 200) audio/mpeg", u, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		}

		do(t, ctx, chromedp.Click(chromedp.CSS(".copy-button")))
		status, err := chromedp.Run(ctx, chromedp.Poll[string](`document.querySelector('.copied').textContent || null`, chromedp.WithPollingTimeout(5*time.Second)))
		if err != nil {
			t.Fatalf("no word after Copy: %v", err)
		}
		clip := eval[string](t, ctx, `navigator.clipboard.readText()`)
		if clip != base+"/feeds/prn.xml" || status != "Copied the feed's address." {
			t.Errorf("copy: clipboard %q, status %q", clip, status)
		}
		checkPage(t, ctx, "show")
		shoot(t, ctx, "show-desktop")
		do(t, ctx, chromedp.EmulateViewport(360, 740), chromedp.Reload())
		checkFits(t, ctx, 360)
		shoot(t, ctx, "show-phone")
	})

	t.Run("embed", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(300, 400), chromedp.Navigate(base+"/embed/now"))
		loc := eval[string](t, ctx, `location.href`)
		now := eval[string](t, ctx, `document.querySelector('#onair .now').textContent`)
		if loc != base+"/embed/now/" || !strings.Contains(now, "Progressive Radio News Hour") {
			t.Errorf("widget at %s says %q", loc, now)
		}
		checkFits(t, ctx, 300)
		if h := eval[int](t, ctx, `document.documentElement.scrollHeight`); h > 400 {
			t.Errorf("the widget is %d px tall: it does not fit the 300 by 400 frame the README suggests", h)
		}
		checkPage(t, ctx, "embed")
		shoot(t, ctx, "embed-sidebar")
		do(t, ctx, chromedp.EmulateViewport(360, 640), chromedp.Reload())
		checkFits(t, ctx, 360)
		shoot(t, ctx, "embed-phone")
		do(t, ctx, chromedp.EmulateViewport(1280, 900), chromedp.Reload())
		shoot(t, ctx, "embed-desktop")

		// A station's own site (another site: localhost, not 127.0.0.1)
		// frames the widget.
		host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html lang="en"><title>A station's site</title><link rel="icon" href="data:,"><h1>Our station</h1><iframe src="%s/embed/now" title="On the air" width="300" height="400" style="border:0"></iframe>`, base)
		}))
		defer host.Close()
		do(t, ctx, chromedp.Navigate(strings.Replace(host.URL, "127.0.0.1", "localhost", 1)+"/"))
		var framed string
		eventually := time.Now().Add(10 * time.Second)
		for framed == "" && time.Now().Before(eventually) {
			targets, err := chromedp.Targets(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, info := range targets {
				if info.Type == "iframe" && info.URL == base+"/embed/now/" {
					frame, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
					framed = eval[string](t, frame, `document.readyState === 'complete' ? document.querySelector('#onair .now').textContent : ''`)
					cancel()
				}
			}
			if framed == "" {
				time.Sleep(50 * time.Millisecond) // the frame loads
			}
		}
		if !strings.Contains(framed, "Progressive Radio News Hour") {
			t.Errorf("the widget framed by another site says %q", framed)
		}
		shoot(t, ctx, "embed-framed")
	})

	// In a dark colour scheme the texts keep their contrast.
	t.Run("dark", func(t *testing.T) {
		tab := newTab(t, ctx)
		if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
		}); err != nil {
			t.Fatal(err)
		}
		for _, page := range []struct{ path, name string }{{"/", "week"}, {"/shows/prn/", "show"}, {"/embed/now/", "embed"}} {
			do(t, tab, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+page.path))
			if bg := eval[string](t, tab, `getComputedStyle(document.documentElement).backgroundColor`); bg != "rgb(20, 20, 20)" {
				t.Errorf("%s: the dark scheme is not applied: background %s", page.path, bg)
			}
			if low := eval[[]string](t, tab, contrastJS); len(low) > 0 {
				t.Errorf("%s, dark: text below WCAG AA contrast:\n%s", page.path, strings.Join(low, "\n"))
			}
			shoot(t, tab, page.name+"-desktop-dark")
		}
	})

	// Without JavaScript every page still says it all: the script only
	// enhances (the zone switch and the copy button stay hidden).
	t.Run("without JavaScript", func(t *testing.T) {
		tab := newTab(t, ctx)
		do(t, tab, chromedp.EmulateViewport(1280, 900))
		if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		do(t, tab, chromedp.Navigate(base+"/"))
		p := where(t, tab, sunday)
		if !strings.HasPrefix(p.Day, "Sun 29 Nov") || p.Time != "13:00" || abs(p.Off) > 2 || !strings.Contains(p.Classes, "now") {
			t.Errorf("without JavaScript: in %q at %q, %.1f px off, class %q", p.Day, p.Time, p.Off, p.Classes)
		}
		if shown := eval[bool](t, tab, `document.querySelector('.zone-switch').getClientRects().length > 0`); shown {
			t.Error("the zone switch shows without the script that works it")
		}
		checkPage(t, tab, "week without JavaScript")
		shoot(t, tab, "week-desktop-nojs")
		do(t, tab, chromedp.Navigate(base+"/shows/prn/"))
		if shown := eval[bool](t, tab, `document.querySelector('.copy-button').getClientRects().length > 0`); shown {
			t.Error("the copy button shows without the script that works it")
		}
		if feed := eval[string](t, tab, `document.getElementById('feed-url').value`); feed != base+"/feeds/prn.xml" {
			t.Errorf("feed address %q", feed)
		}
		if n := eval[int](t, tab, `document.querySelectorAll('.episodes audio[src]').length`); n == 0 {
			t.Error("no audio players")
		}
		checkPage(t, tab, "show without JavaScript")
	})

	if ps := problems(); len(ps) > 0 {
		t.Errorf("the pages logged problems:\n%s", strings.Join(ps, "\n"))
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// checkFits fails when the page scrolls sideways at width.
func checkFits(t *testing.T, ctx context.Context, width int) {
	t.Helper()
	if sw := eval[int](t, ctx, `document.documentElement.scrollWidth`); sw > width {
		t.Errorf("the page is %d px wide in a %d px viewport", sw, width)
	}
}

// checkPage: keyboard focus reaches every control, in turn, with Tab; and
// every text meets WCAG AA contrast against its background.
func checkPage(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	controls := eval[int](t, ctx, markControlsJS)
	reached := make(map[string]bool)
	for range controls*8 + 10 {
		do(t, ctx, chromedp.KeyEvent("\t"))
		if id := eval[string](t, ctx, `document.activeElement.dataset.control || ''`); id != "" {
			reached[id] = true
		}
		if len(reached) == controls {
			break
		}
	}
	if len(reached) != controls {
		missed := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('[data-control]')).filter(function (el) { return !(`+jsString(strings.Join(keys(reached), " "))+`.split(' ').includes(el.dataset.control)); }).map(function (el) { return el.outerHTML.slice(0, 120); })`)
		t.Errorf("%s: Tab reached %d of %d controls; missed:\n%s", name, len(reached), controls, strings.Join(missed, "\n"))
	}
	if low := eval[[]string](t, ctx, contrastJS); len(low) > 0 {
		t.Errorf("%s: text below WCAG AA contrast:\n%s", name, strings.Join(low, "\n"))
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// markControlsJS numbers every control a keyboard user must reach.
const markControlsJS = `(function () {
  const all = Array.from(document.querySelectorAll('a[href], button, select, input, textarea, audio[controls], [tabindex]'))
    .filter(function (el) { return !el.closest('[hidden]') && !el.disabled && el.getClientRects().length > 0 || el.classList.contains('skip'); });
  all.forEach(function (el, i) { el.dataset.control = String(i); });
  document.activeElement && document.activeElement.blur();
  window.scrollTo(0, 0);
  return all.length;
})()`

// contrastJS lists the texts whose contrast with their background is below
// WCAG AA: 4.5:1, or 3:1 for large text.
const contrastJS = `(function () {
  function rgb(s) { const m = s.match(/[\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; }
  function lum(c) {
    const f = function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function background(el) {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.a > 0) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  }
  const low = [];
  document.querySelectorAll('body *').forEach(function (el) {
    const own = Array.from(el.childNodes).some(function (n) { return n.nodeType === 3 && n.textContent.trim() !== ''; });
    if (!own || el.getClientRects().length === 0) return;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.clipPath === 'inset(50%)') return;
    const fg = lum(rgb(cs.color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(cs.fontSize), bold = Number(cs.fontWeight) >= 700;
    const need = size >= 24 || bold && size >= 18.66 ? 3 : 4.5;
    if (ratio < need) low.push(ratio.toFixed(2) + ' ' + el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 40));
  });
  return low;
})()`
