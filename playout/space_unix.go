//go:build unix

package playout

import "golang.org/x/sys/unix"

// FreeSpace is how many bytes an unprivileged process may still write to
// the filesystem that holds dir.
func FreeSpace(dir string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}
