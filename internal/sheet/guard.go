package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// budget checks, as a file is read, the limits that are only known row by
// row, and the time. Its first error sticks: every later check returns it.
type budget struct {
	ctx      context.Context
	o        Options
	deadline time.Time
	text     int64 // bytes of the cells read so far
	err      error
}

func newBudget(ctx context.Context, o Options) *budget {
	return &budget{ctx: ctx, o: o, deadline: time.Now().Add(o.Timeout)}
}

// alive returns an error once the context is done or the time is up.
func (b *budget) alive(row int) error {
	if b.err != nil {
		return b.err
	}
	if err := b.ctx.Err(); err != nil {
		b.err = err
	} else if time.Now().After(b.deadline) {
		b.err = limitErr(row, "reading the file took longer than %s; split it into several files", seconds(b.o.Timeout))
	}
	return b.err
}

// row checks a row's cells: their number, each one's length and the text
// read so far.
func (b *budget) row(cells []string, row int) error {
	if err := b.alive(row); err != nil {
		return err
	}
	switch {
	case row > b.o.MaxRows:
		b.err = tooManyRows(b.o)
	case len(cells) > b.o.MaxColumns:
		b.err = tooManyColumns(b.o, row)
	}
	for i, c := range cells {
		if b.err != nil {
			break
		}
		b.text += int64(len(c))
		if len(c) > b.o.MaxCellChars && utf8.RuneCountInString(c) > b.o.MaxCellChars {
			col, _ := excelize.ColumnNumberToName(i + 1)
			b.err = limitErr(row, "row %d, column %s holds more than %s characters%s; shorten it",
				row, col, count(b.o.MaxCellChars), excelsMaximum(b.o))
		}
	}
	if b.err == nil && b.text > b.o.MaxTextBytes {
		b.err = limitErr(row, "the file's cells hold more than %s of text; split it into several files", megabytes(b.o.MaxTextBytes))
	}
	return b.err
}

func tooManyRows(o Options) error {
	return limitErr(o.MaxRows+1, "the file has more than %s rows; split it into several files", count(o.MaxRows))
}

func tooManyColumns(o Options, row int) error {
	return limitErr(row, "row %d has more than %s columns; delete the columns the import does not use", row, count(o.MaxColumns))
}

func longCell(o Options, row int) error {
	if row > 0 {
		return limitErr(row, "row %d holds a cell of more than %s characters%s; shorten it", row, count(o.MaxCellChars), excelsMaximum(o))
	}
	return limitErr(0, "the workbook holds a text of more than %s characters%s; shorten it", count(o.MaxCellChars), excelsMaximum(o))
}

// excelsMaximum says when the cell limit is Excel's own.
func excelsMaximum(o Options) string {
	if o.MaxCellChars == DefaultOptions().MaxCellChars {
		return " (Excel's maximum for a cell)"
	}
	return ""
}

// oleHeader opens encrypted workbooks and old .xls files (OLE compound files).
var oleHeader = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// errNotWorkbook is the answer for a file that is no workbook at all.
var errNotWorkbook = errors.New("the file is not a readable .xlsx workbook; save it as Excel Workbook (.xlsx)")

// repackXLSX checks a workbook against the limits before excelize reads it,
// and returns a ZIP of only the parts needed to read its sheets' cells (the
// content types, relationships, workbook, shared strings and worksheets,
// copied compressed as they are): styles, themes, pictures, pivot caches
// and the rest, which excelize would otherwise hold in memory and parse,
// are left out. Each part kept is unpacked once, as a stream, to check its
// size and its XML (nesting, tag and text lengths, rows, columns and
// shared strings), so that excelize, which unpacks the large ones to
// TmpDir and reads them as a stream, holds a bounded amount in memory.
func repackXLSX(content []byte, o Options, b *budget) ([]byte, error) {
	if bytes.HasPrefix(content, oleHeader) {
		return nil, errors.New("the file is a password-protected workbook or an old .xls file; remove the password, or save it as Excel Workbook (.xlsx)")
	}
	// Every file of a ZIP has a central directory entry opening with this
	// signature: counted before archive/zip allocates one per entry.
	if bytes.Count(content, []byte("PK\x01\x02")) > o.MaxParts {
		return nil, limitErr(0, "the workbook holds more than %s files; copy its sheet into a new workbook and send that", count(o.MaxParts))
	}
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return nil, errNotWorkbook
	}
	var (
		keep        []*zip.File
		total, held int64
	)
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		if !neededPart(name) || strings.HasSuffix(name, "/") {
			continue
		}
		size := int64(min(f.UncompressedSize64, 1<<62))
		if total += size; total > o.MaxUnpackedBytes {
			return nil, limitErr(0, "the workbook unpacks to more than %s; split it into several files (or save it as CSV UTF-8)", megabytes(o.MaxUnpackedBytes))
		}
		// As excelize does: the worksheets and shared strings above
		// MaxPartBytes go to TmpDir, the rest stays in memory.
		spilled := size > o.MaxPartBytes && (name == "xl/sharedstrings.xml" || strings.HasPrefix(name, "xl/worksheets/sheet"))
		if !spilled {
			if size > o.MaxPartBytes {
				return nil, limitErr(0, "the workbook's part %s unpacks to more than %s, more than a workbook of data needs; copy its sheet into a new workbook and send that",
					f.Name, megabytes(o.MaxPartBytes))
			}
			if held += size; held > maxHeldBytes {
				return nil, limitErr(0, "the workbook's parts other than its sheets unpack to more than %s; copy its sheet into a new workbook and send that", megabytes(maxHeldBytes))
			}
		}
		keep = append(keep, f)
	}
	for _, f := range keep {
		if err := scanPart(f, o, b); err != nil {
			return nil, err
		}
	}
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, f := range keep {
		raw, err := f.OpenRaw()
		if err != nil {
			return nil, errNotWorkbook
		}
		fh := f.FileHeader
		fh.Extra = nil
		fw, err := w.CreateRaw(&fh)
		if err != nil {
			return nil, errNotWorkbook
		}
		if _, err := io.Copy(fw, raw); err != nil {
			return nil, errNotWorkbook
		}
	}
	if err := w.Close(); err != nil {
		return nil, errNotWorkbook
	}
	return out.Bytes(), nil
}

// neededPart reports whether a part (its lower-case name) is needed to read
// the cells of a workbook's sheets.
func neededPart(name string) bool {
	switch {
	case name == "[content_types].xml", name == "xl/sharedstrings.xml", strings.HasSuffix(name, ".rels"):
		return true
	case strings.Contains(name, "worksheets/"):
		return true
	case strings.HasSuffix(name, ".xml") && strings.Contains(path.Base(name), "workbook"):
		return true
	}
	return false
}

// scanPart unpacks a part as a stream and checks its XML.
func scanPart(f *zip.File, o Options, b *budget) error {
	rc, err := f.Open()
	if err != nil {
		return damaged(f)
	}
	defer rc.Close() //nolint:errcheck // read only: a failed Close loses nothing
	s := xmlScan{o: o, part: f.Name}
	br := bufio.NewReaderSize(rc, 64<<10)
	buf := make([]byte, 64<<10)
	for {
		if err := b.alive(0); err != nil {
			return err
		}
		n, err := br.Read(buf)
		if serr := s.scan(buf[:n]); serr != nil {
			return serr
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			// Among others, more bytes than the ZIP declares (see
			// archive/zip's checksumReader): the declared sizes, which the
			// limits were checked on, cannot be exceeded.
			return damaged(f)
		}
	}
}

func damaged(f *zip.File) error {
	return errors.New("the workbook is damaged (its part " + f.Name + " cannot be unpacked); save it again from Excel or LibreOffice")
}

// States of xmlScan.
const (
	xText    = iota
	xOpen    // after '<'
	xName    // in an element's name
	xTag     // in a tag, after its name
	xQuote   // in an attribute's value
	xBang    // after "<!"
	xComment // in <!-- -->
	xCDATA   // in <![CDATA[ ]]>
	xPI      // in <? ?>
)

// xmlScan checks XML as a stream, byte by byte, without building anything:
// nesting depth, the length of tags, texts and cells, rows, cells per row
// and shared strings, so that encoding/xml, which holds a token whole and a
// stack of the open elements, stays within bounds when excelize reads the
// part. It does not check that the XML is well formed: excelize does.
type xmlScan struct {
	o     Options
	part  string
	state int
	tok   int // bytes of the current tag, text, comment, ...
	depth int
	name  [4]byte // the local name's first bytes
	nlen  int
	end   bool // an end tag
	quote byte
	p1    byte // the byte before
	p2    byte // and the one before it
	bang  []byte

	rows, cols, strings int
	inText              bool // in a cell (c) or a shared string (si)
	text                int  // bytes of text in it
}

func (s *xmlScan) scan(p []byte) error {
	for _, c := range p {
		if err := s.step(c); err != nil {
			return err
		}
		s.p2, s.p1 = s.p1, c
	}
	return nil
}

func (s *xmlScan) step(c byte) error {
	s.tok++
	switch s.state {
	case xText:
		if c == '<' {
			s.state, s.tok = xOpen, 1
			return nil
		}
		return s.textByte()
	case xOpen:
		switch c {
		case '/':
			s.state, s.end, s.nlen = xName, true, 0
		case '?':
			s.state = xPI
		case '!':
			s.state, s.bang = xBang, s.bang[:0]
		default:
			s.state, s.end, s.nlen = xName, false, 0
			s.nameByte(c)
		}
	case xName:
		switch c {
		case '>':
			return s.closeTag(false)
		case '/', ' ', '\t', '\r', '\n':
			s.state = xTag
		default:
			s.nameByte(c)
		}
	case xTag:
		switch c {
		case '"', '\'':
			s.state, s.quote = xQuote, c
		case '>':
			return s.closeTag(s.p1 == '/')
		}
	case xQuote:
		if c == s.quote {
			s.state = xTag
		}
	case xBang:
		s.bang = append(s.bang, c)
		switch b := string(s.bang); {
		case b == "--":
			s.state = xComment
		case b == "[CDATA[":
			s.state = xCDATA
		case !strings.HasPrefix("--", b) && !strings.HasPrefix("[CDATA[", b):
			return limitErr(0, "the workbook's part %s holds a document type declaration, which spreadsheet programs do not write; save the file again from Excel or LibreOffice", s.part)
		}
	case xComment:
		if c == '>' && s.p1 == '-' && s.p2 == '-' {
			s.state, s.tok = xText, 0
		}
	case xCDATA:
		if c == '>' && s.p1 == ']' && s.p2 == ']' {
			s.state, s.tok = xText, 0
			return nil
		}
		return s.textByte()
	case xPI:
		if c == '>' && s.p1 == '?' {
			s.state, s.tok = xText, 0
		}
	}
	if s.tok > maxTagBytes && s.state != xCDATA {
		return limitErr(0, "the workbook's part %s holds a tag of more than %s, which spreadsheet programs do not write; save the file again from Excel or LibreOffice", s.part, megabytes(maxTagBytes))
	}
	return nil
}

// textByte counts a byte of text: no text may be longer than a cell's.
func (s *xmlScan) textByte() error {
	if s.inText {
		s.text++
	}
	if s.tok > s.o.maxCellBytes() || s.text > s.o.maxCellBytes() {
		if s.inText && s.rows > 0 {
			return longCell(s.o, s.rows)
		}
		return longCell(s.o, 0)
	}
	return nil
}

func (s *xmlScan) nameByte(c byte) {
	if c == ':' { // a prefix: the local name follows
		s.nlen = 0
		return
	}
	if s.nlen < len(s.name) {
		s.name[s.nlen] = c
	}
	s.nlen++
}

// closeTag ends a start tag (selfClosing when it ends in "/>") or an end
// tag.
func (s *xmlScan) closeTag(selfClosing bool) error {
	s.state, s.tok = xText, 0
	local := ""
	if s.nlen <= len(s.name) {
		local = string(s.name[:s.nlen])
	}
	if s.end {
		s.depth--
		if local == "c" || local == "si" {
			s.inText = false
		}
		return nil
	}
	switch local {
	case "row":
		if s.rows++; s.rows > s.o.MaxRows {
			return tooManyRows(s.o)
		}
		s.cols = 0
	case "c":
		if s.cols++; s.cols > s.o.MaxColumns {
			return tooManyColumns(s.o, s.rows)
		}
		s.inText, s.text = !selfClosing, 0
	case "si":
		if s.strings++; s.strings > s.o.MaxSharedStrings {
			return limitErr(0, "the workbook holds more than %s different texts; split it into several files", count(s.o.MaxSharedStrings))
		}
		s.inText, s.text = !selfClosing, 0
	}
	if !selfClosing {
		if s.depth++; s.depth > maxXMLDepth {
			return limitErr(0, "the workbook's part %s nests elements more than %d deep, which spreadsheet programs do not write; save the file again from Excel or LibreOffice", s.part, maxXMLDepth)
		}
	}
	return nil
}

// scanCSV checks CSV content against the limits before encoding/csv reads
// it, which holds a record whole, with 40 bytes per field: it walks the
// records as encoding/csv does (TrimLeadingSpace, strict quotes), counting
// records, fields per record and bytes per field.
func scanCSV(data []byte, comma byte, o Options, b *budget) error {
	maxField := o.maxCellBytes()
	records := 0
	var line []byte
	next := func() bool { // the next line, "" at the end
		if len(data) == 0 {
			line = nil
			return false
		}
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i+1], data[i+1:]
		}
		return true
	}
	isNL := func(l []byte) bool { // nothing but the line's end
		return len(l) == 0 || string(l) == "\n" || string(l) == "\r\n" || string(l) == "\r"
	}
	for next() {
		if isNL(line) {
			continue // encoding/csv skips empty lines
		}
		if records++; records > o.MaxRows {
			return tooManyRows(o)
		}
		if records%4096 == 0 {
			if err := b.alive(records); err != nil {
				return err
			}
		}
		fields := 0
		field := func(n int) error {
			if fields++; fields > o.MaxColumns {
				return tooManyColumns(o, records)
			}
			if n > maxField {
				return longCell(o, records)
			}
			return nil
		}
	record:
		for {
			line = bytes.TrimLeftFunc(line, unicode.IsSpace)
			if len(line) == 0 || line[0] != '"' {
				i := bytes.IndexByte(line, comma)
				f := line
				if i >= 0 {
					f = line[:i]
				}
				if bytes.IndexByte(f, '"') >= 0 {
					break record // a bare quote: encoding/csv drops the rest of the line
				}
				if err := field(len(f)); err != nil {
					return err
				}
				if i < 0 {
					break record
				}
				line = line[i+1:]
				continue
			}
			line = line[1:]
			n := 0
			for {
				if i := bytes.IndexByte(line, '"'); i >= 0 {
					n += i
					line = line[i+1:]
					if n > maxField {
						return longCell(o, records)
					}
					switch {
					case len(line) > 0 && line[0] == '"':
						n++
						line = line[1:]
					case len(line) > 0 && line[0] == comma:
						line = line[1:]
						if err := field(n); err != nil {
							return err
						}
						continue record
					case isNL(line):
						if err := field(n); err != nil {
							return err
						}
						break record
					default:
						break record // `"x`: encoding/csv drops the rest of the line
					}
				} else if len(line) > 0 {
					n += len(line)
					if n > maxField {
						return longCell(o, records)
					}
					if !next() {
						return field(n)
					}
				} else {
					break record // the end of the file in a quoted field
				}
			}
		}
	}
	return nil
}
