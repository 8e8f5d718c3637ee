package output

import "os"

// swapByRename exchanges two directories with three renames.
func swapByRename(tmp, dir string) error {
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(old, dir)
		return err
	}
	return os.Rename(old, tmp)
}
