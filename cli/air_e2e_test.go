package cli

import (
	"context"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/internal/testlog"
)

// TestOnTheAirEndToEnd runs the real chain on loopback: Icecast 2 and
// Liquidsoap (as an unprivileged user), onair serve driving them on the
// real clock, a studio that sends a 440 Hz tone to the harbor from before
// a live airing until after it, and an 880 Hz fallback. It listens to the
// air mount and checks, from the audio, that 440 Hz aired for the live
// airing and for the rebroadcast of its recording, and the fallback
// otherwise; and that the recording became the feed's episode.
func TestOnTheAirEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the air chain for half a minute")
	}
	for _, p := range []string{"icecast2", "liquidsoap", "ffmpeg"} {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("ONAIR_REQUIRE_AIR") != "" {
				t.Fatalf("%s is not installed (apt-get install liquidsoap icecast2 ffmpeg)", p)
			}
			t.Skipf("%s is not installed (apt-get install liquidsoap icecast2 ffmpeg)", p)
		}
	}
	// A directory Icecast and Liquidsoap, which run as nobody, can read
	// (t.TempDir's parent is private).
	dir, err := os.MkdirTemp("", "onair-air-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	for _, d := range []string{"logs", "music", "archive"} {
		os.Mkdir(filepath.Join(dir, d), 0o755)
	}
	os.Chmod(filepath.Join(dir, "logs"), 0o777)
	icePort, harborPort, lsPort := freePort(t), freePort(t), freePort(t)
	// Values that Liquidsoap would run, were they written into its script
	// as they are: they must reach it as exactly their bytes. The password
	// goes through the environment, as the README says to give it.
	const icecastPassword = `hack"me#{process.run('touch /tmp/onair-e2e-pwned')}\%s&<x>`
	const stationName = `Air #{process.run("touch /tmp/onair-e2e-pwned")} "End" \ To End`
	os.Remove("/tmp/onair-e2e-pwned")
	secrets := func(k string) string {
		switch k {
		case "ONAIR_ICECAST_PASSWORD":
			return icecastPassword
		case "ONAIR_HARBOR_PASSWORD":
			return "studio"
		case "PATH":
			return os.Getenv(k) // ffmpeg finishes the recording
		}
		return ""
	}
	ffmpeg(t, "-f", "lavfi", "-i", "sine=frequency=880:duration=60", "-c:a", "libmp3lame", "-b:a", "128k", filepath.Join(dir, "music", "fallback.mp3"))

	// The README's Icecast configuration, as it is but for its port, its
	// logs, its source password and loopback.
	ice, err := os.ReadFile("contrib/icecast.xml")
	if err != nil {
		t.Fatal(err)
	}
	iceConfig := strings.NewReplacer(
		"<port>8000</port>", fmt.Sprintf("<port>%d</port><bind-address>127.0.0.1</bind-address>", icePort),
		"<logdir>/var/log/icecast2</logdir>", "<logdir>"+filepath.Join(dir, "logs")+"</logdir>",
		"<source-password>change-me-source</source-password>", "<source-password>"+xmlText(icecastPassword)+"</source-password>",
	).Replace(string(ice))
	if strings.Count(iceConfig, "127.0.0.1") != 1 || !strings.Contains(iceConfig, "onair-air-") || !strings.Contains(iceConfig, "process.run") {
		t.Fatalf("contrib/icecast.xml is not what the test fills in:\n%s", iceConfig)
	}
	os.WriteFile(filepath.Join(dir, "icecast.xml"), []byte(iceConfig), 0o644)
	icecast := start(t, dir, "icecast", unprivileged("icecast2", "-c", filepath.Join(dir, "icecast.xml"))...)
	waitListening(t, icePort, icecast)

	// The airings' times are set once the chain is up and a listener
	// hears it (on a busy machine that can take many seconds): the script
	// does not depend on them.
	// The rebroadcast is shorter than the recording it plays: Liquidsoap
	// must cut it at its end (onair is down then).
	const liveFor, rebroAfter, rebroFor = 8 * time.Second, 14 * time.Second, 6 * time.Second
	// A second live airing, of a show that does not record, after the
	// rebroadcast: onair is stopped during it.
	const live2After, live2For = 24 * time.Second, 4 * time.Second
	cfg := filepath.Join(dir, "onair.yaml")
	writeConfig := func(t0 time.Time) {
		os.WriteFile(cfg, []byte(fmt.Sprintf(`station:
  name: %q
  timezone: UTC
  stream_url: http://127.0.0.1:%d/air
  playout:
    liquidsoap: 127.0.0.1:%d
    icecast: {host: 127.0.0.1, port: %d, mount: /air}
    harbor: {port: %d, mount: /live}
    fallback: music
shows:
  - id: t
    title: Tone Hour
    recordings: {dir: archive}
    slots:
      - {kind: live, once: "%s", duration: %s}
      - {kind: rebroadcast, once: "%s", duration: %s}
  - id: u
    title: Second Hour
    slots: [{kind: live, once: "%s", duration: %s}]
`, stationName, icePort, lsPort, icePort, harborPort, t0.Format("2006-01-02 15:04:05"), liveFor, t0.Add(rebroAfter).Format("2006-01-02 15:04:05"), rebroFor,
			t0.Add(live2After).Format("2006-01-02 15:04:05"), live2For)), 0o644)
	}
	writeConfig(time.Now().UTC().Add(24 * time.Hour))
	var script strings.Builder
	if code := Run(context.Background(), []string{"liquidsoap", "-c", cfg}, Env{Stdout: &script, Stderr: os.Stderr, Getenv: secrets, Now: time.Now}); code != 0 {
		t.Fatalf("onair liquidsoap exited %d", code)
	}
	if strings.Contains(script.String(), "hack") {
		t.Fatalf("the script holds the password:\n%s", script.String())
	}
	os.WriteFile(filepath.Join(dir, "station.liq"), []byte(script.String()), 0o644)
	ls := start(t, dir, "liquidsoap", unprivileged("env", "ONAIR_ICECAST_PASSWORD="+icecastPassword, "ONAIR_HARBOR_PASSWORD=studio", "liquidsoap", filepath.Join(dir, "station.liq"))...)
	waitListening(t, lsPort, ls)

	// The listener: the air mount, decoded to 8 kHz mono.
	// (No probing ahead: ffmpeg's default reads seconds of a stream before
	// it decodes any.)
	listen := exec.Command("ffmpeg", "-loglevel", "error", "-probesize", "32", "-analyzeduration", "0", "-fflags", "nobuffer",
		"-i", fmt.Sprintf("http://127.0.0.1:%d/air", icePort), "-ac", "1", "-ar", "8000", "-f", "s16le", "-")
	pcm, err := listen.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := listen.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listen.Process.Kill(); listen.Wait() })
	heard := make(chan []int16, 1)
	hearing := make(chan struct{})
	// firstSample is when the first sample aired: of all the reads, the one
	// that came soonest after its samples did tells it best (a sample
	// arrives after it aired, never before).
	var firstSample time.Time
	go func() {
		var samples []int16
		buf := make([]byte, 4096)
		for {
			n, err := pcm.Read(buf)
			for i := 0; i+1 < n; i += 2 {
				samples = append(samples, int16(binary.LittleEndian.Uint16(buf[i:])))
			}
			if n > 0 {
				if firstSample.IsZero() {
					close(hearing)
				}
				aired := time.Now().Add(-time.Duration(len(samples)) * time.Second / 8000)
				if firstSample.IsZero() || aired.Before(firstSample) {
					firstSample = aired
				}
			}
			if err != nil {
				heard <- samples
				return
			}
		}
	}()

	select {
	case <-hearing:
	case <-time.After(60 * time.Second):
		t.Fatal("no audio on the air mount within a minute of the chain's start")
	}
	// The live airing starts long enough from now for onair to start and
	// the studio to connect 4 s early; its rebroadcast follows once the
	// recording is in.
	t0 := time.Now().UTC().Truncate(time.Second).Add(7 * time.Second)
	writeConfig(t0)

	// onair serve, on the real clock, stopped (in order) and started again
	// around air times: the air must not need it there.
	var logs testlog.Buffer
	var runs []func()
	serveRun := func() (stop func(), url string) {
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan int, 1)
		mark := logs.Len()
		go func() {
			served <- Run(ctx, []string{"serve", "-c", cfg, "--listen", "127.0.0.1:0", "--no-cache", "--log-format", "text"},
				Env{Stdout: io.Discard, Stderr: &logs, Getenv: secrets, Now: time.Now})
		}()
		stop = sync.OnceFunc(func() {
			cancel()
			if code := <-served; code != 0 {
				t.Errorf("onair serve exited %d", code)
			}
		})
		runs = append(runs, stop)
		return stop, waitLogFrom(t, &logs, mark, `listening url=(http://\S+)`)
	}
	t.Cleanup(func() {
		for _, stop := range runs {
			stop()
		}
		if t.Failed() {
			t.Logf("onair:\n%s", logs.String())
		}
	})
	stop1, listening := serveRun()

	// The episode: in the feed within seconds of the live airing's end.
	episodeURL := fmt.Sprintf(`<enclosure url="%s/media/t/t-%s.mp3"`, listening, t0.Format("2006-01-02"))
	inFeed := make(chan time.Duration, 1)
	feedBody, metricsBody := make(chan string, 1), make(chan string, 1)
	go func() {
		end := t0.Add(liveFor)
		time.Sleep(time.Until(end))
		for time.Since(end) < 6*time.Second {
			if body, err := httpGet(listening + "/feeds/t.xml"); err == nil && strings.Contains(body, episodeURL) {
				inFeed <- time.Since(end)
				feedBody <- body
				m, _ := httpGet(listening + "/metrics")
				metricsBody <- m
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		inFeed <- time.Hour
		feedBody <- ""
		metricsBody <- ""
	}()

	// The second studio, for the second live airing: it connects a second
	// before it and stays three seconds past its end.
	studio2 := make(chan error, 1)
	go func() {
		time.Sleep(time.Until(t0.Add(live2After - time.Second)))
		out, err := exec.Command("ffmpeg", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:duration=8",
			"-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg", "-f", "mp3",
			fmt.Sprintf("icecast://source:studio@127.0.0.1:%d/live", harborPort)).CombinedOutput()
		if err != nil {
			err = fmt.Errorf("%w\n%s", err, out)
		}
		studio2 <- err
	}()
	// The service: stopped mid-rebroadcast, started again (it must not
	// push the episode again), stopped again before the rebroadcast's end
	// (Liquidsoap cuts it there), started before the second live airing
	// and stopped during it (the studio leaves the air at its end).
	go func() {
		time.Sleep(time.Until(t0.Add(rebroAfter + 2*time.Second)))
		stop1()
		time.Sleep(time.Until(t0.Add(rebroAfter + 3*time.Second)))
		stop2, _ := serveRun()
		time.Sleep(time.Until(t0.Add(rebroAfter + 4*time.Second)))
		stop2()
		time.Sleep(time.Until(t0.Add(live2After - time.Second)))
		stop3, _ := serveRun()
		time.Sleep(time.Until(t0.Add(live2After + 2*time.Second)))
		stop3()
	}()

	// The studio: connected 4 s before the live airing, until 4 s after it.
	time.Sleep(time.Until(t0.Add(-4 * time.Second)))
	studio := exec.Command("ffmpeg", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:duration=16",
		"-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg", "-f", "mp3",
		fmt.Sprintf("icecast://source:studio@127.0.0.1:%d/live", harborPort))
	if out, err := studio.CombinedOutput(); err != nil {
		t.Errorf("the studio: %v\n%s", err, out)
	}
	delay := <-inFeed
	feed, metrics := <-feedBody, <-metricsBody
	if err := <-studio2; err != nil {
		t.Errorf("the second studio: %v", err)
	}
	time.Sleep(time.Until(t0.Add(live2After + live2For + 4*time.Second)))
	listen.Process.Kill()
	samples := <-heard

	// What aired, a tenth of a second at a time.
	const rate, window = 8000, 800
	tone := func(at time.Duration) string {
		i := int(at.Seconds()*rate) / window * window
		if i < 0 || i+window > len(samples) {
			return "none"
		}
		crossings := 0
		for j := i + 1; j < i+window; j++ {
			if (samples[j-1] < 0) != (samples[j] < 0) {
				crossings++
			}
		}
		switch f := crossings * rate / window / 2; {
		case f > 350 && f < 550:
			return "440"
		case f > 750 && f < 1050:
			return "880"
		}
		return "other"
	}
	// at is an instant's place in the recording of the air.
	at := func(t time.Time) time.Duration { return t.Sub(firstSample) }
	// share is the part of [from, to) in which tone aired.
	share := func(want string, from, to time.Time) float64 {
		n, of := 0, 0
		for d := at(from); d < at(to); d += 100 * time.Millisecond {
			of++
			if tone(d) == want {
				n++
			}
		}
		return float64(n) / float64(max(of, 1))
	}
	// switchAt is the first instant after from at which want airs.
	switchAt := func(want string, from time.Time) time.Duration {
		for d := at(from); d < at(from.Add(5*time.Second)); d += 100 * time.Millisecond {
			if tone(d) == want {
				return d - at(from)
			}
		}
		return time.Hour
	}
	// The air, a character a tenth of a second, from 4 s before the live
	// airing: 4 for 440 Hz, 8 for 880 Hz, . for anything else.
	var line strings.Builder
	for d := at(t0.Add(-4 * time.Second)); d < at(t0.Add(live2After+live2For+2*time.Second)); d += 100 * time.Millisecond {
		line.WriteByte(map[string]byte{"440": '4', "880": '8', "other": '.', "none": ' '}[tone(d)])
	}
	t.Logf("the air from t0-4s (a character = 0.1 s; heard %d samples, first at %s, t0 %s):\n%s", len(samples), firstSample.Format("15:04:05.000"), t0.Format("15:04:05"), line.String())
	live, liveEnd := t0, t0.Add(liveFor)
	rebro, rebroEnd := t0.Add(rebroAfter), t0.Add(rebroAfter+rebroFor)
	live2, live2End := t0.Add(live2After), t0.Add(live2After+live2For)
	checks := []struct {
		what     string
		tone     string
		from, to time.Time
		atLeast  float64
	}{
		{"the studio connected early, before the live airing", "880", live.Add(-3 * time.Second), live.Add(-200 * time.Millisecond), 0.9},
		// Each from 2 s after a switch: what a listener hears lags what
		// aired by the buffers, and more on a busy machine (see below).
		{"the live airing", "440", live.Add(2 * time.Second), liveEnd, 0.9},
		{"between the live airing and its rebroadcast", "880", liveEnd.Add(2 * time.Second), rebro, 0.9},
		{"the rebroadcast of its recording, onair stopped and started again in it", "440", rebro.Add(2 * time.Second), rebroEnd.Add(-300 * time.Millisecond), 0.9},
		{"after the rebroadcast, onair down", "880", rebroEnd.Add(2 * time.Second), live2, 0.9},
		{"the second live airing, onair stopped in it", "440", live2.Add(2 * time.Second), live2End, 0.9},
		{"after the second live airing, onair down, the studio still sending", "880", live2End.Add(1500 * time.Millisecond), live2End.Add(3 * time.Second), 0.9},
	}
	for _, c := range checks {
		if got := share(c.tone, c.from, c.to); got < c.atLeast {
			t.Errorf("%s: %s Hz for %.0f%% of it, want at least %.0f%%", c.what, c.tone, 100*got, 100*c.atLeast)
		}
	}
	// What onair did, from Liquidsoap's own log (its clock, when it was
	// told): this is what onair is bound by. How late a listener heard it
	// adds the encoder's and Icecast's buffers, and the machine's load:
	// logged, and bound loosely.
	told := func(pattern string) []float64 {
		var at []float64
		for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(ls.out.String(), -1) {
			f, _ := strconv.ParseFloat(m[1], 64)
			at = append(at, f)
		}
		return at
	}
	unix := func(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
	if lives := told(`live until ` + regexp.QuoteMeta(fmt.Sprint(t0.Add(liveFor).Unix())) + `\.?\d*, told at (\d+\.\d*)`); len(lives) == 0 {
		t.Errorf("Liquidsoap was never told the live airing's end")
	} else {
		t.Logf("onair told Liquidsoap the live airing's end %+.3f s from its start", lives[0]-unix(live))
		if d := lives[0] - unix(live); d < 0 || d > 1 {
			t.Errorf("onair told Liquidsoap of the live airing %+.3f s from its start, want within 1 s", d)
		}
	}
	if lives := told(`live until ` + regexp.QuoteMeta(fmt.Sprint(live2End.Unix())) + `\.?\d*, told at (\d+\.\d*)`); len(lives) != 1 {
		t.Errorf("Liquidsoap was told the second live airing's end %d times, want once", len(lives))
	}
	if rebros := told(`rebroadcast t-\S+ on air at (\d+\.\d*)`); len(rebros) != 1 {
		t.Errorf("the rebroadcast went on air %d times, want once (a service started again mid-airing pushed it again)", len(rebros))
	} else {
		t.Logf("the rebroadcast went on air %+.3f s from its start (Liquidsoap's clock)", rebros[0]-unix(rebro))
		if d := rebros[0] - unix(rebro); d < 0 || d > 1 {
			t.Errorf("the rebroadcast went on air %+.3f s from its start, want within 1 s", d)
		}
	}
	switches := []struct {
		what string
		tone string
		at   time.Time
	}{{"live on air", "440", live}, {"live off air", "880", liveEnd}, {"rebroadcast on air", "440", rebro}, {"rebroadcast off air, onair down", "880", rebroEnd},
		{"second live on air", "440", live2}, {"second live off air, onair down", "880", live2End}}
	for _, s := range switches {
		late := switchAt(s.tone, s.at.Add(-time.Second)) - time.Second
		t.Logf("%s: heard %+.2f s from air time", s.what, late.Seconds())
		if late < -500*time.Millisecond || late > 3*time.Second {
			t.Errorf("%s heard %+.2f s from air time, want within 3 s", s.what, late.Seconds())
		}
	}
	if _, err := os.Stat("/tmp/onair-e2e-pwned"); err == nil {
		os.Remove("/tmp/onair-e2e-pwned")
		t.Errorf("a value of the YAML or the environment ran as a command")
	}

	// The recording, and the episode in the feed.
	rec := filepath.Join(dir, "archive", "t-"+t0.Format("2006-01-02")+".mp3")
	info, err := os.Stat(rec)
	if err != nil {
		t.Fatalf("no recording: %v", err)
	}
	p, err := archive.ProbeFile(rec)
	if err != nil {
		t.Fatalf("the recording: %v", err)
	}
	t.Logf("recording: %d bytes, %.2f s of audio for a %s airing, titled %q", info.Size(), p.Duration.Seconds(), liveFor, p.Title)
	if p.Title == "" || !strings.Contains(logs.String(), "finished=tagged") {
		t.Errorf("the recording was not tagged by ffmpeg")
	}
	if p.Duration < liveFor-time.Second || p.Duration > liveFor+time.Second {
		t.Errorf("the recording lasts %v, for a %v airing", p.Duration, liveFor)
	}
	// What onair said of it (the log, /metrics) is what ffprobe finds.
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", rec).Output()
	probed, _ := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	said := regexp.MustCompile(`msg=recorded .*verdict=complete audio=([0-9.]+)s`).FindStringSubmatch(logs.String())
	if err != nil || said == nil {
		t.Errorf("ffprobe %v; the log's verdict: %v", err, said)
	} else if audio, _ := strconv.ParseFloat(said[1], 64); audio-probed > 0.1 || probed-audio > 0.1 {
		t.Errorf("the log says %.3f s of audio, ffprobe finds %.3f s", audio, probed)
	} else {
		t.Logf("the log says %.3f s of audio (complete), ffprobe finds %.3f s", audio, probed)
	}
	if !strings.Contains(metrics, `onair_recordings_total{result="complete"} 1`) || !strings.Contains(metrics, `onair_recordings_total{result="partial"} 0`) {
		t.Errorf("/metrics after the recording:\n%s", metrics)
	}
	t.Logf("the episode was in the feed %.2f s after the airing's end", delay.Seconds())
	if delay > 5*time.Second {
		t.Errorf("the episode was not in the feed within 5 s of the airing's end")
	}
	if !strings.Contains(feed, fmt.Sprintf(`<enclosure url="%s/media/t/t-%s.mp3" length="%d"`, listening, t0.Format("2006-01-02"), info.Size())) {
		t.Errorf("the feed lacks the episode:\n%s", feed)
	}
}

// xmlText is s escaped for an XML element's text.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// waitLogFrom is waitLog, for what the log says after its first mark
// bytes.
func waitLogFrom(t *testing.T, logs *testlog.Buffer, mark int, pattern string) string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(logs.String()[mark:]); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %q in the log:\n%s", pattern, logs.String())
	return ""
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// unprivileged runs a program as nobody when the test runs as root:
// Liquidsoap and Icecast refuse root.
func unprivileged(args ...string) []string {
	if os.Geteuid() == 0 {
		return append([]string{"runuser", "-u", "nobody", "--"}, args...)
	}
	return args
}

func ffmpeg(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ffmpeg", append([]string{"-loglevel", "error", "-y"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
}

// started is a program the test started, with its output.
type started struct {
	name string
	out  *testlog.Buffer
	done chan struct{}
}

func start(t *testing.T, dir, name string, args ...string) *started {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	// A group of its own: runuser's child, the program, is ended with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 2 * time.Second
	s := &started{name: name, out: &testlog.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	go func() { cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
		if t.Failed() {
			t.Logf("%s:\n%s", name, s.out.String())
		}
	})
	return s
}

func waitListening(t *testing.T, port int, s *started) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second) // Liquidsoap takes its time to start on a busy machine
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return
		}
		select {
		case <-s.done:
			t.Fatalf("%s ended:\n%s", s.name, s.out.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("%s did not listen on %d:\n%s", s.name, port, s.out.String())
}

func waitLog(t *testing.T, logs *testlog.Buffer, pattern string) string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %q in the log:\n%s", pattern, logs.String())
	return ""
}

func httpGet(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}
