package attachment

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/text"
)

// MaxBytes is the largest file accepted: 20 MB.
const MaxBytes = 20 << 20

// Reasons of the errors Upload returns for the file itself, so that the
// transport can answer 413 and 415.
const (
	ReasonTooLarge = "ATTACHMENT_TOO_LARGE"
	ReasonType     = "ATTACHMENT_TYPE_NOT_ALLOWED"
	sniffBytes     = 512
)

// The content types of office documents and text.
const (
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	TypeText = "text/plain"
	TypeCSV  = "text/csv"
)

// kind is an allowed type: what it is called in messages (its file name
// extensions are text.Extensions').
type kind struct {
	label string
}

// kinds are the allowed content types, as sniffed from the bytes (never as
// the client declares them).
var kinds = map[string]kind{
	"application/pdf": {"PDF"},
	"image/jpeg":      {"JPEG"},
	"image/png":       {"PNG"},
	"image/webp":      {"WebP"},
	"image/gif":       {"GIF"},
	TypeDOCX:          {"Word (.docx)"},
	TypeXLSX:          {"Excel (.xlsx)"},
	TypePPTX:          {"PowerPoint (.pptx)"},
	TypeODT:           {"OpenDocument text (.odt)"},
	TypeODS:           {"OpenDocument spreadsheet (.ods)"},
	TypeText:          {"plain text (.txt)"},
	TypeCSV:           {"CSV (.csv)"},
}

// AllowedTypes lists the allowed content types, in the order messages name them.
var AllowedTypes = []string{"application/pdf", "image/jpeg", "image/png", "image/webp", "image/gif",
	TypeDOCX, TypeXLSX, TypePPTX, TypeODT, TypeODS, TypeText, TypeCSV}

// ooxml maps the extension of an Office Open XML file (a ZIP) to its type.
var ooxml = map[string]string{".docx": TypeDOCX, ".xlsx": TypeXLSX, ".pptx": TypePPTX}

// odf are the OpenDocument types accepted, as their "mimetype" entry says.
var odf = map[string]bool{TypeODT: true, TypeODS: true}

// allowedList is the allowed types in words, for messages.
func allowedList() string {
	labels := make([]string, len(AllowedTypes))
	for k, t := range AllowedTypes {
		labels[k] = kinds[t].label
	}
	return strings.Join(labels[:len(labels)-1], ", ") + " or " + labels[len(labels)-1]
}

// TooLarge is the error for a file over MaxBytes, for the transport to
// answer when it stops reading before Upload does.
func TooLarge() error {
	return &errs.Error{Kind: errs.KindExhausted, Reason: ReasonTooLarge, Message: "file too large",
		Violations: []errs.FieldViolation{{Field: "file",
			Description: fmt.Sprintf("a file may be at most 20 MB (%d bytes); this one is larger: "+
				"resize the photo, export the document as PDF at a lower resolution, or split it", MaxBytes)}}}
}

func typeNotAllowed(got string) error {
	return &errs.Error{Kind: errs.KindInvalid, Reason: ReasonType, Message: "file type not allowed",
		Violations: []errs.FieldViolation{{Field: "file",
			Description: fmt.Sprintf("a photo or document must be %s; this file's content is %s", allowedList(), got)}}}
}

// Sniff returns the content type of a file from its first bytes (at most
// 512 are looked at) and, only to tell one kind of ZIP from another and CSV
// from other text, its name: one of AllowedTypes, or an error naming them
// and what the bytes are. The type a client declares plays no part.
// Errors: invalid (reason ReasonType; an empty file).
func Sniff(head []byte, fileName string) (string, error) {
	if len(head) > sniffBytes {
		head = head[:sniffBytes]
	}
	if len(head) == 0 {
		return "", errs.Invalid(errs.FieldViolation{Field: "file", Description: "the file is empty; choose the photo or document again"})
	}
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(fileName, `\`, "/")))
	// PDF by its magic number, which must open the file: a PDF signature
	// further in is how polyglot files pass for PDFs.
	if bytes.HasPrefix(head, []byte("%PDF-")) {
		return "application/pdf", nil
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return sniffZIP(head, ext)
	}
	ct, params, err := mime.ParseMediaType(http.DetectContentType(head))
	if err != nil {
		return "", typeNotAllowed("unrecognised")
	}
	switch ct {
	case "image/jpeg", "image/png", "image/webp", "image/gif":
		return ct, nil
	case "text/plain":
		// UTF-16 text is too often mistaken for binary by the programs
		// that open it; ask for UTF-8, which every spreadsheet writes.
		if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" {
			return "", typeNotAllowed("text in " + cs + " (save it as UTF-8)")
		}
		// Markup the sniffer does not name (SVG, HTML fragments) is not
		// the notes or tables text attachments are for.
		if bytes.HasPrefix(bytes.TrimLeft(head, "\t\n\r\f \ufeff"), []byte("<")) {
			return "", typeNotAllowed("markup (HTML, SVG or XML)")
		}
		if ext == ".csv" {
			return TypeCSV, nil
		}
		return TypeText, nil
	case "application/octet-stream":
		ct = "not a recognised document or image"
	}
	return "", typeNotAllowed(ct)
}

// sniffZIP tells an OpenDocument file by its first entry ("mimetype",
// stored uncompressed, as the standard requires) and an Office Open XML
// file by its name, as nothing near the start of those says which they are.
func sniffZIP(head []byte, ext string) (string, error) {
	if ct, ok := odfType(head); ok {
		if odf[ct] {
			return ct, nil
		}
		return "", typeNotAllowed("an OpenDocument file of type " + ct)
	}
	if ct, ok := ooxml[ext]; ok {
		return ct, nil
	}
	return "", typeNotAllowed("a ZIP archive (only Word .docx, Excel .xlsx and PowerPoint .pptx files, which are ZIP archives, are accepted)")
}

// odfType reads the "mimetype" entry that opens an OpenDocument file.
func odfType(head []byte) (string, bool) {
	const fixed = 30 // size of a ZIP local file header before the name
	if len(head) < fixed {
		return "", false
	}
	method := binary.LittleEndian.Uint16(head[8:])
	size := int(binary.LittleEndian.Uint32(head[18:]))
	nameLen := int(binary.LittleEndian.Uint16(head[26:]))
	extraLen := int(binary.LittleEndian.Uint16(head[28:]))
	if method != 0 || nameLen != len("mimetype") || len(head) < fixed+nameLen || string(head[fixed:fixed+nameLen]) != "mimetype" {
		return "", false
	}
	start := fixed + nameLen + extraLen
	if flags := binary.LittleEndian.Uint16(head[6:]); size == 0 && flags&0x8 != 0 {
		// The sizes follow the data (a data descriptor): the type is the
		// run of media type characters there.
		for size < 200 && start+size < len(head) && isTypeByte(head[start+size]) {
			size++
		}
	}
	if size == 0 || size > 200 || len(head) < start+size {
		return "", false
	}
	return string(head[start : start+size]), true
}

func isTypeByte(b byte) bool {
	return 'a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '.' || b == '/' || b == '-' || b == '+'
}

// fileName is the name a file is kept and served under: the client's name
// cleaned, ending in an extension of its sniffed type (so that
// "notes.html" holding text is kept as "notes.txt", and the program that
// opens it downloaded is the right one), as text.FileName makes every
// uploaded file's name.
func fileName(name, contentType string) string {
	return text.FileName(name, contentType, "attachment")
}
