package receipt

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/text"
)

// MaxBytes is the largest receipt accepted: 10 MB.
const MaxBytes = 10 << 20

// AllowedTypes are the content types a receipt may have, as sniffed from
// its bytes (never as the client declares them).
var AllowedTypes = []string{"application/pdf", "image/jpeg", "image/png", "image/webp", "image/gif"}

// Reasons of the errors Upload returns for the file itself, so that the
// transport can answer 413 and 415.
const (
	ReasonTooLarge  = "RECEIPT_TOO_LARGE"
	ReasonType      = "RECEIPT_TYPE_NOT_ALLOWED"
	defaultFileName = "receipt"
	sniffBytes      = 512
)

// Receipt is a file attached to an expenditure. Its bytes live in the blob
// store under SHA256.
type Receipt struct {
	bun.BaseModel `bun:"table:receipts"`

	ID            string    `bun:"id,pk"`
	ExpenditureID string    `bun:"expenditure_id"`
	SHA256        string    `bun:"sha256"`
	FileName      string    `bun:"file_name"`
	ContentType   string    `bun:"content_type"`
	SizeBytes     int64     `bun:"size_bytes"`
	CreatedBy     string    `bun:"created_by"`
	CreateTime    time.Time `bun:"create_time"`

	// GrantID is the expenditure's grant (not a column of receipts).
	GrantID string `bun:"-"`
}

// Name is "grants/{grant}/expenditures/{expenditure}/receipts/{receipt}".
func (r *Receipt) Name() string {
	return Name(r.GrantID, r.ExpenditureID, r.ID)
}

// Name returns the resource name of a receipt.
func Name(grantID, expenditureID, receiptID string) string {
	return resource.ReceiptPattern.Name(grantID, expenditureID, receiptID)
}

// ParseName splits "grants/{g}/expenditures/{e}/receipts/{r}" into its ids;
// field names the request field for the error. Errors: invalid.
func ParseName(name, field string) (grantID, expenditureID, receiptID string, err error) {
	ids, err := resource.ReceiptPattern.Parse(name, field)
	if err != nil {
		return "", "", "", err
	}
	return ids[0], ids[1], ids[2], nil
}

// allowedList is AllowedTypes for messages.
func allowedList() string { return strings.Join(AllowedTypes, ", ") }

func tooLarge() error {
	return &errs.Error{Kind: errs.KindExhausted, Reason: ReasonTooLarge, Message: "receipt too large",
		Violations: []errs.FieldViolation{{Field: "file",
			Description: fmt.Sprintf("a receipt may be at most 10 MB (%d bytes); this file is larger: scan it at a lower resolution or split it", MaxBytes)}}}
}

// TooLarge is the error for a request body over the limit, for the
// transport to answer when it stops reading before Upload does.
func TooLarge() error { return tooLarge() }

func typeNotAllowed(got string) error {
	return &errs.Error{Kind: errs.KindInvalid, Reason: ReasonType, Message: "receipt type not allowed",
		Violations: []errs.FieldViolation{{Field: "file",
			Description: fmt.Sprintf("a receipt must be a PDF, JPEG, PNG, WebP or GIF file (%s); this file's content is %s", allowedList(), got)}}}
}

// Sniff returns the content type of a file from its first bytes (at most
// 512 are looked at): one of AllowedTypes, or an error naming them and what
// the bytes are. A file's name and declared type play no part. Errors:
// invalid (reason ReasonType).
func Sniff(head []byte) (string, error) {
	if len(head) > sniffBytes {
		head = head[:sniffBytes]
	}
	if len(head) == 0 {
		return "", errs.Invalid(errs.FieldViolation{Field: "file", Description: "the file is empty; choose the scanned receipt or its photo"})
	}
	// PDF by its magic number, which must open the file: a PDF signature
	// further in is how polyglot files pass for PDFs.
	if bytes.HasPrefix(head, []byte("%PDF-")) {
		return "application/pdf", nil
	}
	ct, _, err := mime.ParseMediaType(http.DetectContentType(head))
	if err != nil {
		return "", typeNotAllowed("unrecognised")
	}
	for _, a := range AllowedTypes {
		if ct == a && a != "application/pdf" {
			return ct, nil
		}
	}
	if ct == "application/octet-stream" {
		ct = "not a recognised document or image"
	}
	return "", typeNotAllowed(ct)
}

// FileName is the name a receipt is kept and served under: the client's
// name cleaned, ending in the extension of contentType, as text.FileName
// makes every uploaded file's name.
func FileName(name, contentType string) string {
	return text.FileName(name, contentType, defaultFileName)
}
