package keep

import "testing"

// TestParts: a part is made once and kept while publishes ask for it; one
// a publish did not ask for is forgotten at the next Turn; nil keeps
// nothing.
func TestParts(t *testing.T) {
	var p Parts[string, int]
	made := 0
	get := func(k string) int { return p.Get(k, func() int { made++; return len(k) }) }
	get("a")
	get("bb")
	get("a")
	if made != 2 || p.Made != 2 || p.Len() != 2 {
		t.Fatalf("made %d (%d), kept %d", made, p.Made, p.Len())
	}
	p.Turn()
	get("bb") // kept from the last publish
	if made != 2 || p.Made != 0 {
		t.Errorf("a kept part was made again (%d)", made)
	}
	p.Turn()
	get("a") // not asked for in the last publish: forgotten
	if made != 3 || p.Made != 1 {
		t.Errorf("a forgotten part was kept (%d made)", made)
	}
	var none *Parts[string, int]
	none.Turn()
	if none.Get("x", func() int { return 7 }) != 7 || none.Len() != 0 {
		t.Error("nil kept something")
	}
}
