//go:build !unix

package dirlock

import (
	"errors"
	"os"
)

var errWouldBlock = errors.New("would block")

// lock holds nothing where there is no flock(2): a second process is not
// refused.
func lock(*os.File) error { return nil }
