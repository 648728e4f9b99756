// Package text is the one rule for the text people send to Pactum: names,
// titles and descriptions of every resource, and the names of uploaded
// files. It strips what has no business in such text and can mislead a
// reader: control characters (NUL among them, which the databases would
// otherwise lose or refuse), the bidirectional embedding, override and
// isolate characters (U+202A–U+202E, U+2066–U+2069: "invoice\u202efdp.exe"
// reads "invoiceexe.pdf"), and invisible format characters that hide or
// smuggle text (byte order marks, invisible operators, tag characters).
// Marks real writing needs stay: the left-to-right and right-to-left marks
// (U+200E, U+200F, U+061C), the zero-width (non-)joiner and space used by
// Persian, Indic and South-East Asian scripts, the soft hyphen.
//
// Characters are stripped, never refused: a partner cannot see an invisible
// character to remove it, and a saved record shows what was kept.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line cleans a single-line value (a name, title, reference or code):
// line breaks and tabs become one space each run of them, every other
// character the package strips is removed. Leading and trailing spaces are
// left for the caller (which trims, or reports an empty value).
func Line(s string) string {
	if clean(s, false) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // the last character written is a space for a break
	for _, r := range strings.ToValidUTF8(s, "") {
		switch {
		case isBreak(r) || r == '\t':
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		case stripped(r):
			continue
		}
		b.WriteRune(r)
		space = false
	}
	return b.String()
}

// Block cleans multi-line text (a description, narrative or comment): line
// breaks of every kind become "\n", tabs stay, every other character the
// package strips is removed.
func Block(s string) string {
	if clean(s, true) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	s = strings.ToValidUTF8(s, "")
	for i, r := range s {
		switch {
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			continue // "\r\n" is one break
		case isBreak(r):
			b.WriteByte('\n')
			continue
		case r == '\t':
		case stripped(r):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// clean reports whether s is valid UTF-8 with nothing to change, the usual
// case, so that it is returned without a copy.
func clean(s string, multiLine bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\n' || r == '\t' {
			if multiLine {
				continue
			}
			return false
		}
		if isBreak(r) || stripped(r) {
			return false
		}
	}
	return true
}

// isBreak reports whether r ends a line: "\n", "\r", the vertical tab, the
// form feed, NEL, and the Unicode line and paragraph separators.
func isBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// stripped reports whether r is removed from text: control characters
// (line breaks and tabs are the callers' to handle) and the format
// characters that reorder, hide or smuggle text.
func stripped(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= '\u202a' && r <= '\u202e', // bidi embeddings and overrides
		r >= '\u2066' && r <= '\u2069',                            // bidi isolates
		r >= '\u2060' && r <= '\u2064',                            // word joiner, invisible operators
		r >= '\u206a' && r <= '\u206f',                            // deprecated format characters
		r == '\ufeff',                                             // byte order mark
		r >= '\ufff9' && r <= '\ufffb',                            // interlinear annotation
		r == '\U000e0001', r >= '\U000e0020' && r <= '\U000e007f': // tags
		return true
	}
	return false
}
