package text

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// extensions are the file name extensions of the content types uploads
// may have (receipts and attachments), the usual one first.
var extensions = map[string][]string{
	"application/pdf": {".pdf"},
	"image/jpeg":      {".jpg", ".jpeg", ".jpe", ".jfif"},
	"image/png":       {".png"},
	"image/webp":      {".webp"},
	"image/gif":       {".gif"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   {".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {".xlsx"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
	"application/vnd.oasis.opendocument.text":                                   {".odt"},
	"application/vnd.oasis.opendocument.spreadsheet":                            {".ods"},
	"text/plain": {".txt", ".text", ".md", ".log", ".tsv"},
	"text/csv":   {".csv"},
}

// Extensions returns the file name extensions of contentType, the usual
// one first; none for a type uploads may not have.
func Extensions(contentType string) []string { return extensions[contentType] }

const maxFileNameBytes = 255

// FileName is the name an uploaded file is kept and served under: the base
// name of the client's name (either slash counts as a separator, as
// browsers on Windows may send a path), without control or format
// characters of any kind, leading dots or trailing dots and spaces, ending
// in an extension of contentType, the type sniffed from the file's bytes,
// whatever the name claimed: "invoice\u202efdp.exe" holding a PDF is
// "invoicefdp.pdf", "scan.jpeg" holding a PNG is "scan.png". An extension
// that fits the type is kept ("photo.JPEG"); a name without a stem is
// fallback (e.g. "receipt") plus the extension. At most 255 bytes.
func FileName(name, contentType, fallback string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError || stripped(r) {
			return -1
		}
		if isBreak(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, "_"))
	name = strings.TrimRight(strings.TrimLeft(strings.TrimSpace(name), ". "), ". ")
	if name == "/" {
		name = ""
	}

	exts := extensions[contentType]
	stem, ext := name, path.Ext(name)
	fits := false
	for _, e := range exts {
		if strings.EqualFold(ext, e) {
			fits = true
		}
	}
	switch {
	case fits:
		stem = strings.TrimSuffix(name, ext)
	case looksLikeExtension(ext):
		stem = strings.TrimSuffix(name, ext)
		ext = ""
	default:
		ext = ""
	}
	stem = strings.TrimRight(stem, ". ")
	if ext == "" && len(exts) > 0 {
		ext = exts[0]
	}
	if stem == "" {
		stem = fallback
	}
	for len(stem)+len(ext) > maxFileNameBytes {
		_, size := utf8.DecodeLastRuneInString(stem)
		if size == 0 {
			break
		}
		stem = stem[:len(stem)-size]
	}
	return stem + ext
}

// looksLikeExtension reports whether ext (with its dot) is what programs
// take for a type: up to ten letters and digits, at least one a letter.
// ".2024" in "report.2024" is not, and stays part of the name.
func looksLikeExtension(ext string) bool {
	if len(ext) < 2 || len(ext) > 11 {
		return false
	}
	letter := false
	for _, c := range ext[1:] {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			letter = true
		case '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return letter
}
