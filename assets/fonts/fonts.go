// Package fonts holds the font the app draws Traditional Chinese with:
// NotoSansCJKtc-Subset.otf, the glyphs of Noto Sans CJK TC Regular (SIL Open
// Font License 1.1, OFL.txt) for printable ASCII, every string of the page's
// catalog (package i18n) and every character of the data packs
// (ui_chars.txt adds a few); and NotoSansCJKtc-Switch.otf, the same font's
// glyphs of the language switch's label ("中文"). assets/internal/fontsubset
// makes both; README.md says how.
//
// The page fetches the subset from the server when it needs it (packs.go
// serves it, wasm/fonts.go loads it), so an English page does not download
// it; app.wasm embeds only Switch, 1.5 kB, for the switch it draws without
// the Chinese font. Parse them with golang.org/x/image/font/opentype:
//
//	f, err := opentype.Parse(fonts.Switch)
package fonts

import _ "embed"

// NotoSansCJKTC is the OpenType (CFF) font file of the subset.
//
//go:embed NotoSansCJKtc-Subset.otf
var NotoSansCJKTC []byte

// Switch is the OpenType (CFF) font file with the glyphs of SwitchRunes.
//
//go:embed NotoSansCJKtc-Switch.otf
var Switch []byte
