package scheduler

import "time"

// A Rule says on which wall-clock times a slot starts. Rules know nothing of
// zones: the engine reads their wall times in the slot's zone with [Resolve].
type Rule interface {
	// each calls yield with every wall time (see wallTime) of the rule on the
	// days first..last inclusive, in increasing order, until yield returns
	// false.
	each(first, last Date, yield func(w time.Time) bool)
	// String describes the rule as it was written.
	String() string
}

// eachDay calls yield for every date first..last inclusive, until it returns false.
func eachDay(first, last Date, yield func(d Date, w time.Time) bool) {
	end := last.wall()
	for w := first.wall(); !w.After(end); w = w.AddDate(0, 0, 1) {
		if !yield(dateOf(w), w) {
			return
		}
	}
}
