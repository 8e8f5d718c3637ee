package archive

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutside is an archive file (a recording, a sidecar, artwork) whose
// real path leaves its recordings directory: a link to elsewhere, which
// onair never opens (it could be any file the service may read).
var ErrOutside = errors.New("a link that leads outside the recordings directory: not read")

// Inside says whether path, a file in the recordings directory dir, stays
// inside it once its links are followed: nil when it does (or it is no
// link), ErrOutside when it leaves, or the error that kept it from being
// told. It opens nothing.
func Inside(dir, path string) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if info.Mode()&os.ModeSymlink == 0 {
		return nil
	}
	return insideReal(dir, path)
}

// insideReal is Inside for a path known to be a link.
func insideReal(dir, path string) error {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(real, root+string(filepath.Separator)) {
		return ErrOutside
	}
	return nil
}
