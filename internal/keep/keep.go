// Package keep is the one memory of a document's parts from one publish
// to the next: the calendars' events, schedule.json's airings, the
// guide's programmes and the week page's grid are each written from parts
// kept by a key that holds all the part says, so that a publish at the
// next air time makes only the parts new to its window.
package keep

// Parts keeps the parts (V) asked for, by key, from one Turn to the one
// after the next: a part not asked for in a publish is forgotten at the
// next Turn. A nil *Parts keeps nothing (a document written once). Not
// safe for concurrent use.
type Parts[K comparable, V any] struct {
	now, last map[K]V
	// Made counts the parts made (not kept) since the last Turn.
	Made int
}

// Turn begins a publish: the parts of the one before are kept for it,
// and those of the one before that forgotten.
func (p *Parts[K, V]) Turn() {
	if p != nil {
		p.last, p.now, p.Made = p.now, nil, 0
	}
}

// Get is the part kept for k, or make's, kept from then on.
func (p *Parts[K, V]) Get(k K, make func() V) V {
	if p == nil {
		return make()
	}
	if v, ok := p.now[k]; ok {
		return v
	}
	v, ok := p.last[k]
	if !ok {
		v = make()
		p.Made++
	}
	if p.now == nil {
		p.now = map[K]V{}
	}
	p.now[k] = v
	return v
}

// Len is how many parts the publish since the last Turn asked for.
func (p *Parts[K, V]) Len() int {
	if p == nil {
		return 0
	}
	return len(p.now)
}
