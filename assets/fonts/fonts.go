// Package fonts embeds the font the app draws Traditional Chinese with:
// NotoSansCJKtc-Subset.otf, the glyphs of Noto Sans CJK TC Regular (SIL Open
// Font License 1.1, OFL.txt) for printable ASCII, every character of the
// data packs of package assets and the interface's characters
// (ui_chars.txt). assets/internal/fontsubset makes it; README.md says how.
//
// It is a package of its own, apart from package assets, so that the page's
// program can embed the font without the corpus and the checkpoints. Parse
// it with golang.org/x/image/font/opentype:
//
//	f, err := opentype.Parse(fonts.NotoSansCJKTC)
package fonts

import _ "embed"

// NotoSansCJKTC is the OpenType (CFF) font file.
//
//go:embed NotoSansCJKtc-Subset.otf
var NotoSansCJKTC []byte
