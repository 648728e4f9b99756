package text

import "testing"

func TestLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"Decent work for domestic workers", "Decent work for domestic workers"},
		{"a\x00b", "ab"},
		{"invoice\u202efdp.exe", "invoicefdp.exe"},
		{"\u2066Kisumu\u2069 \u202aoffice\u202c", "Kisumu office"},
		{"two\r\nlines\n\tand a tab", "two lines and a tab"},
		{"bom\ufeff zwsp\u200b", "bom zwsp\u200b"},
		{"tag\U000e0041\U000e0042s", "tags"},
		{"C1\u0085NEL\u009b", "C1 NEL"},
		{"\u0645\u0646\u0638\u0645\u0629\u200f (RLM kept)", "\u0645\u0646\u0638\u0645\u0629\u200f (RLM kept)"},
		{"\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 ZWNJ", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 ZWNJ"},
		{"bad \xff utf-8", "bad  utf-8"},
	} {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Line(Line(c.in)); got != Line(c.in) {
			t.Errorf("Line is not idempotent on %q", c.in)
		}
	}
}

func TestBlock(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"First line\nsecond\tcolumn", "First line\nsecond\tcolumn"},
		{"windows\r\nmac\runicode\u2028para\u2029end", "windows\nmac\nunicode\npara\nend"},
		{"nul\x00 bell\a rlo\u202e lri\u2066", "nul bell rlo lri"},
	} {
		if got := Block(c.in); got != c.want {
			t.Errorf("Block(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	const pdf, png, txt = "application/pdf", "image/png", "text/plain"
	for _, c := range []struct{ in, ct, want string }{
		{"invoice.pdf", pdf, "invoice.pdf"},
		{"invoice\u202efdp.exe", pdf, "invoicefdp.pdf"},
		{"invoice.exe", pdf, "invoice.pdf"},
		{"scan.PDF", pdf, "scan.PDF"},
		{"scan.jpeg", png, "scan.png"},
		{"report.2024", pdf, "report.2024.pdf"},
		{"no extension", pdf, "no extension.pdf"},
		{`C:\Users\me\Desktop\receipt 12.pdf`, pdf, "receipt 12.pdf"},
		{"../../etc/passwd", txt, "passwd.txt"},
		{"notes.html", txt, "notes.txt"},
		{"a\x00b\r\nc\u202e.pdf", pdf, "abc.pdf"},
		{"...", pdf, "receipt.pdf"},
		{"", png, "receipt.png"},
		{"\u202e", pdf, "receipt.pdf"},
		{"trailing. .pdf. ", pdf, "trailing.pdf"},
	} {
		got := FileName(c.in, c.ct, "receipt")
		if got != c.want {
			t.Errorf("FileName(%q, %s) = %q, want %q", c.in, c.ct, got, c.want)
		}
		if again := FileName(got, c.ct, "receipt"); again != got {
			t.Errorf("FileName is not idempotent: %q then %q", got, again)
		}
	}
	long := FileName(repeat("é", 300)+".exe", pdf, "receipt")
	if len(long) > 255 || long[len(long)-4:] != ".pdf" {
		t.Errorf("a long name is %d bytes, ending %q", len(long), long[len(long)-4:])
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}
