package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Cache remembers probes by path, size and modification time, so that an
// unchanged recording is read once, not on every publish. It is safe for
// concurrent use. The zero value is an empty cache that is never saved.
type Cache struct {
	path    string
	mu      sync.Mutex
	entries map[string]cacheEntry
	dirty   bool
}

type cacheEntry struct {
	Size    int64 `json:"size"`
	ModTime int64 `json:"mtime_ns"`
	Probe   Probe `json:"probe"`
}

type cacheFile struct {
	Version int                   `json:"version"`
	Entries map[string]cacheEntry `json:"entries"`
}

const cacheVersion = 1

// OpenCache reads the cache at path; a missing or unreadable cache starts
// empty (it is only a cache).
func OpenCache(path string) *Cache {
	c := &Cache{path: path, entries: make(map[string]cacheEntry)}
	data, err := os.ReadFile(path)
	if err != nil {
		return c
	}
	var f cacheFile
	if json.Unmarshal(data, &f) == nil && f.Version == cacheVersion && f.Entries != nil {
		c.entries = f.Entries
	}
	return c
}

// probe returns the cached probe of path if its size and modification time
// are unchanged, else probes it and remembers the result.
func (c *Cache) probe(path string, info fs.FileInfo) (Probe, error) {
	key := path
	c.mu.Lock()
	if c.entries == nil {
		c.entries = make(map[string]cacheEntry)
	}
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.Size == info.Size() && e.ModTime == info.ModTime().UnixNano() {
		return e.Probe, nil
	}
	p, err := ProbeFile(path)
	if err != nil {
		return p, err
	}
	c.mu.Lock()
	c.entries[key] = cacheEntry{Size: info.Size(), ModTime: info.ModTime().UnixNano(), Probe: p}
	c.dirty = true
	c.mu.Unlock()
	return p, nil
}

// Save writes the cache if it changed, atomically.
func (c *Cache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.path == "" || !c.dirty {
		return nil
	}
	data, err := json.Marshal(cacheFile{Version: cacheVersion, Entries: c.entries})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return fmt.Errorf("save probe cache: %w", err)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", c.path, time.Now().UnixNano())
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("save probe cache: %w", err)
	}
	if err := os.Rename(tmp, c.path); err != nil {
		return errors.Join(fmt.Errorf("save probe cache: %w", err), os.Remove(tmp))
	}
	c.dirty = false
	return nil
}

// Len counts the cache's entries.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
