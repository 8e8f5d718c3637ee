package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onair-radio/onair/output"
)

func newVersionCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print onair's version: the module's, the commit it was built from, the Go it was built with",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "onair %s\n%s\n", version(debug.ReadBuildInfo()), storage(output.Schemes()))
			return err
		},
	}
}

// version says what this binary is, from what the Go toolchain stamped
// into it: the module's version ("(devel)" for a build of a checkout), the
// commit (with "+modified" for uncommitted changes) and its time, and Go's
// version. go install …@v1.2.3 gives the first; go build in a checkout, the
// commit.
func version(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return "(unknown: built without module information)"
	}
	parts := []string{info.Main.Version}
	var rev, at, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+modified"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		parts = append(parts, "commit "+rev+modified)
	}
	if at != "" {
		parts = append(parts, at)
	}
	parts = append(parts, info.GoVersion)
	return strings.Join(parts, ", ")
}

// storage says which object storage --out opens in this build: none in
// the default build, which leaves the drivers out (go build -tags cloud
// puts them in).
func storage(schemes []string) string {
	if len(schemes) == 0 {
		return "object storage: none in this build (go build -tags cloud ./cmd/onair adds s3://, gs://, azblob://, file://)"
	}
	return "object storage: " + strings.Join(schemes, "://, ") + "://"
}
