//go:build !unix

package playout

import "errors"

// FreeSpace is not known here.
func FreeSpace(dir string) (int64, error) {
	return 0, errors.New("free space is not known on this system")
}
