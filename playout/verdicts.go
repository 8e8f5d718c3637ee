package playout

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// VerdictLog is the file, in a show's recordings directory, where each
// finished recording's verdict is kept (a line of JSON each): check lists
// the partial and failed ones from it. A dot file: the archive passes over
// it.
const VerdictLog = ".onair-recordings.jsonl"

// Verdict is what became of one live airing's recording.
type Verdict struct {
	File    string    `json:"file"` // the recording's name in its directory
	Airing  string    `json:"airing"`
	Verdict string    `json:"verdict"`           // Complete, Partial or Failed
	Missing float64   `json:"missing,omitempty"` // seconds of the airing it lacks
	Error   string    `json:"error,omitempty"`
	At      time.Time `json:"at"`
}

// maxVerdicts bounds what Verdicts returns: the newest files' verdicts, a
// few years of daily airings.
const maxVerdicts = 4096

// LogVerdict adds v to the verdict log of the recordings directory dir.
func LogVerdict(dir string, v Verdict) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(dir, VerdictLog), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return errors.Join(err, f.Close())
}

// Verdicts reads the verdict log of dir: the newest verdict of each file,
// in the order they were given. A directory with none has none.
func Verdicts(dir string) ([]Verdict, error) {
	f, err := os.Open(filepath.Join(dir, VerdictLog))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var all []Verdict
	at := make(map[string]int)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var v Verdict
		if json.Unmarshal(sc.Bytes(), &v) != nil || v.File == "" {
			continue // a line cut short by a crash
		}
		if i, ok := at[v.File]; ok {
			all[i] = v
			continue
		}
		at[v.File] = len(all)
		all = append(all, v)
	}
	return all[max(len(all)-maxVerdicts, 0):], sc.Err()
}
