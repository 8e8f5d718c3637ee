package ready

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
)

func TestArtwork(t *testing.T) {
	enc := func(f func(*bytes.Buffer)) []byte { var b bytes.Buffer; f(&b); return b.Bytes() }
	rgba := func(w, h int) image.Image { return image.NewRGBA(image.Rect(0, 0, w, h)) }
	tests := []struct {
		name string
		b    []byte
		want string // "" when Apple would take it
	}{
		{"PNG, 1400 square", enc(func(b *bytes.Buffer) { png.Encode(b, rgba(1400, 1400)) }), ""},
		{"JPEG, 3000 square", enc(func(b *bytes.Buffer) { jpeg.Encode(b, rgba(3000, 3000), nil) }), ""},
		{"paletted PNG", enc(func(b *bytes.Buffer) {
			png.Encode(b, image.NewPaletted(image.Rect(0, 0, 2000, 2000), color.Palette{color.Black, color.RGBA{200, 0, 0, 255}}))
		}), ""},
		{"too small", enc(func(b *bytes.Buffer) { png.Encode(b, rgba(1399, 1399)) }), "it is 1399×1399 pixels; want a square of 1400 to 3000"},
		{"too large", enc(func(b *bytes.Buffer) { png.Encode(b, rgba(3001, 3001)) }), "it is 3001×3001 pixels; want a square of 1400 to 3000"},
		{"not square", enc(func(b *bytes.Buffer) { jpeg.Encode(b, rgba(2000, 1500), nil) }), "it is 2000×1500 pixels; want a square of 1400 to 3000"},
		{"grayscale JPEG", enc(func(b *bytes.Buffer) { jpeg.Encode(b, image.NewGray(image.Rect(0, 0, 1400, 1400)), nil) }), "it is grayscale; want RGB"},
		{"grayscale and small", enc(func(b *bytes.Buffer) { png.Encode(b, image.NewGray16(image.Rect(0, 0, 100, 100))) }), "it is 100×100 pixels; want a square of 1400 to 3000; it is grayscale; want RGB"},
		{"GIF", enc(func(b *bytes.Buffer) {
			gif.Encode(b, image.NewPaletted(image.Rect(0, 0, 1400, 1400), color.Palette{color.Black}), nil)
		}), "JPEG or PNG"}, // (this test registers the GIF decoder; onair does not)
		{"not an image", []byte("<html>"), "the artwork is not a JPEG or PNG image"},
	}
	for _, tc := range tests {
		got := artwork(bytes.NewReader(tc.b))
		if (tc.want == "") != (got == "") || !bytes.Contains([]byte(got), []byte(tc.want)) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
