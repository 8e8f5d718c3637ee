// Package cli is onair's command line: one file per subcommand, every
// command writing to the writers it is given and asking the clock it is
// given, so that its output can be golden-tested.
package cli
