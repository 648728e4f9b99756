package sheet

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// Options bound what reading one untrusted file may cost, whatever it
// holds: a workbook of a few hundred kilobytes may unpack to gigabytes (a
// decompression bomb), and a CSV file of a few megabytes may hold millions
// of empty rows or columns. Every import reads through Open with them, so
// that these limits are in this one place. A zero field takes its default
// (DefaultOptions).
//
// With the defaults, reading a file holds at most some tens of megabytes in
// memory besides the file itself and the cells the caller keeps: XML parts
// larger than MaxPartBytes (sheets and the shared strings) are unpacked to
// TmpDir and read from there as a stream.
type Options struct {
	// TmpDir is where workbook parts larger than MaxPartBytes are unpacked
	// while a file is read (at most MaxUnpackedBytes per file, removed when
	// it is closed). Default os.TempDir().
	TmpDir string
	// MaxUnpackedBytes caps the unpacked size of the workbook parts read
	// (excelize's UnzipSizeLimit). Default 128 MB.
	MaxUnpackedBytes int64
	// MaxPartBytes is the size above which a sheet or the shared strings
	// are unpacked to TmpDir rather than memory (excelize's
	// UnzipXMLSizeLimit), and the largest any other part read may be.
	// Default 1 MB.
	MaxPartBytes int64
	// MaxParts caps the number of files in a workbook's ZIP. Default 10,000.
	MaxParts int
	// MaxRows caps the rows of a sheet or CSV file, blank ones included.
	// Default 120,000: an importer holds every row while it checks them
	// all (a ledger's row takes about 1.6 KB then).
	MaxRows int
	// MaxColumns caps the cells of one row. Default 16,384 (Excel's maximum).
	MaxColumns int
	// MaxCellChars caps the characters of one cell. Default 32,767
	// (Excel's maximum).
	MaxCellChars int
	// MaxSharedStrings caps the distinct texts of a workbook (its shared
	// strings). Default 1,000,000.
	MaxSharedStrings int
	// MaxTextBytes caps the text of all cells read, together (a workbook
	// may repeat a long text in every cell at the cost of a few bytes
	// each). Default 64 MB.
	MaxTextBytes int64
	// Timeout caps the time reading a file may take, from Open to the last
	// row. Default 30 seconds.
	Timeout time.Duration
}

// Internal bounds of the XML of a workbook, which no spreadsheet program
// comes near.
const (
	maxXMLDepth  = 64       // elements within elements
	maxTagBytes  = 64 << 10 // one tag with its attributes, a comment, a processing instruction
	maxHeldBytes = 16 << 20 // the parts kept in memory, together
	bytesPerChar = 10       // the most XML bytes one character may take (&#x10FFFF;)
)

// DefaultOptions returns the default limits.
func DefaultOptions() Options {
	return Options{
		TmpDir:           os.TempDir(),
		MaxUnpackedBytes: 128 << 20,
		MaxPartBytes:     1 << 20,
		MaxParts:         10_000,
		MaxRows:          120_000,
		MaxColumns:       16_384,
		MaxCellChars:     32_767,
		MaxSharedStrings: 1_000_000,
		MaxTextBytes:     64 << 20,
		Timeout:          30 * time.Second,
	}
}

// withDefaults returns o with its zero fields set to the defaults, and
// MaxUnpackedBytes at least MaxPartBytes (as excelize requires).
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.TmpDir == "" {
		o.TmpDir = d.TmpDir
	}
	if o.MaxUnpackedBytes <= 0 {
		o.MaxUnpackedBytes = d.MaxUnpackedBytes
	}
	if o.MaxPartBytes <= 0 {
		o.MaxPartBytes = d.MaxPartBytes
	}
	o.MaxPartBytes = min(o.MaxPartBytes, o.MaxUnpackedBytes)
	if o.MaxParts <= 0 {
		o.MaxParts = d.MaxParts
	}
	if o.MaxRows <= 0 {
		o.MaxRows = d.MaxRows
	}
	if o.MaxColumns <= 0 {
		o.MaxColumns = d.MaxColumns
	}
	if o.MaxCellChars <= 0 {
		o.MaxCellChars = d.MaxCellChars
	}
	if o.MaxSharedStrings <= 0 {
		o.MaxSharedStrings = d.MaxSharedStrings
	}
	if o.MaxTextBytes <= 0 {
		o.MaxTextBytes = d.MaxTextBytes
	}
	if o.Timeout <= 0 {
		o.Timeout = d.Timeout
	}
	return o
}

// maxCellBytes is the most bytes a cell of MaxCellChars characters may
// take as written in XML or CSV (escapes and quotes included).
func (o Options) maxCellBytes() int { return o.MaxCellChars * bytesPerChar }

// LimitError is a file beyond one of the Options' limits. Its message says
// which limit, and what to do, in words a user can act on. Importers answer
// it as an invalid "content".
type LimitError struct {
	Row int // the row (1-based) it was met at, 0 for the whole file
	msg string
}

func (e *LimitError) Error() string { return e.msg }

func limitErr(row int, format string, args ...any) *LimitError {
	return &LimitError{Row: row, msg: fmt.Sprintf(format, args...)}
}

// megabytes writes n bytes in whole megabytes ("128 MB"), or in kilobytes
// below one megabyte.
func megabytes(n int64) string {
	if n < 1<<20 {
		return count(int((n+1023)>>10)) + " KB"
	}
	return count(int(n>>20)) + " MB"
}

// count writes n with thousands separators: 1,048,576.
func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// seconds writes a duration in words: "30 seconds", "2 minutes".
func seconds(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		if d == time.Minute {
			return "1 minute"
		}
		return count(int(d/time.Minute)) + " minutes"
	}
	if d < time.Second {
		return d.String()
	}
	return count(int(d/time.Second)) + " seconds"
}
