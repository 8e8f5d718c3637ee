//go:build !unix

package output

import "os"

// lock opens path; without flock, it does not keep other processes out.
func lock(path string) (*os.File, string, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	return f, "", err
}
