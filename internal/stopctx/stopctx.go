// Package stopctx is, for tests, a context that is done after it has been
// looked at a number of times: a signal that comes part way through work
// that checks its context between steps, at each step in turn.
package stopctx

import "context"

// After is done (context.Canceled) from its n+1th look at Err on.
func After(n int) context.Context { return &after{Context: context.Background(), n: n} }

type after struct {
	context.Context
	n int
}

func (c *after) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}
