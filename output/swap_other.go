//go:build !linux

package output

import (
	"errors"
	"io/fs"
	"os"
)

// swap puts the directory tmp in dir's place, leaving the old directory at
// tmp. Without Linux's RENAME_EXCHANGE, dir is missing for the moment
// between two renames.
func swap(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	return swapByRename(tmp, dir)
}
