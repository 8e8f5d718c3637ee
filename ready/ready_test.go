package ready

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"testing"
)

// pngHeader is the start of a PNG file of w×h pixels and the colour type
// (2 RGB, 6 RGBA, 0 gray, 3 paletted): all that DecodeConfig reads.
func pngHeader(w, h int, colorType byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, colorType, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b = append(b, chunk...)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
	if colorType == 3 { // a palette, which DecodeConfig needs
		plte := append([]byte("PLTE"), 0, 0, 0, 255, 0, 0)
		b = binary.BigEndian.AppendUint32(b, 6)
		b = append(b, plte...)
		b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(plte))
		// DecodeConfig reads the chunk after the palette's header too.
		idat := []byte("IDAT")
		b = binary.BigEndian.AppendUint32(b, 0)
		b = append(b, idat...)
		b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(idat))
	}
	return b
}

// jpegOf is a JPEG of img whose frame header says w×h: all that
// DecodeConfig reads.
func jpegOf(img image.Image, w, h int) []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, img, nil)
	out := b.Bytes()
	i := bytes.Index(out, []byte{0xFF, 0xC0}) // the baseline frame header
	binary.BigEndian.PutUint16(out[i+5:], uint16(h))
	binary.BigEndian.PutUint16(out[i+7:], uint16(w))
	return out
}

func TestArtwork(t *testing.T) {
	small := image.Rect(0, 0, 8, 8)
	var gifBytes bytes.Buffer
	gif.Encode(&gifBytes, image.NewPaletted(small, color.Palette{color.Black}), nil)
	tests := []struct {
		name string
		b    []byte
		want string // "" when Apple would take it
	}{
		{"PNG, 1400 square", pngHeader(1400, 1400, 6), ""},
		{"JPEG, 3000 square", jpegOf(image.NewRGBA(small), 3000, 3000), ""},
		{"paletted PNG", pngHeader(2000, 2000, 3), ""},
		{"too small", pngHeader(1399, 1399, 2), "it is 1399×1399 pixels; want a square of 1400 to 3000"},
		{"too large", pngHeader(3001, 3001, 2), "it is 3001×3001 pixels; want a square of 1400 to 3000"},
		{"not square", jpegOf(image.NewRGBA(small), 2000, 1500), "it is 2000×1500 pixels; want a square of 1400 to 3000"},
		{"grayscale JPEG", jpegOf(image.NewGray(small), 1400, 1400), "it is grayscale; want RGB"},
		{"grayscale and small", pngHeader(100, 100, 0), "it is 100×100 pixels; want a square of 1400 to 3000; it is grayscale; want RGB"},
		{"GIF", gifBytes.Bytes(), "JPEG or PNG"}, // (this test registers the GIF decoder; onair does not)
		{"not an image", []byte("<html>"), "the artwork is not a JPEG or PNG image"},
	}
	for _, tc := range tests {
		got := artwork(bytes.NewReader(tc.b))
		if (tc.want == "") != (got == "") || !bytes.Contains([]byte(got), []byte(tc.want)) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
