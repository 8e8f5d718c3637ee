package testmedia

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
)

// Cover returns square podcast artwork of size×size pixels (Apple asks for
// 1400 to 3000): two bands of the station's colours, as a PNG.
func Cover(size int) []byte {
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{
		color.RGBA{0x1d, 0x35, 0x57, 0xff}, color.RGBA{0xe6, 0x39, 0x46, 0xff},
	})
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			if (x+y)/(size/7)%2 == 1 {
				img.SetColorIndex(x, y, 1)
			}
		}
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}
