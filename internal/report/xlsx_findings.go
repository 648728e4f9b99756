package report

import (
	"github.com/pactum-dev/pactum/internal/finance"
)

// findingWords words a compliance finding in the workbook's language
// (findingText, as the PDF does), naming headings as the summary does.
func (b *book) findingWords(f finance.Finding) string {
	labels := map[string]string{}
	for _, h := range b.sm.Headings {
		if h.Code != "" {
			labels[h.Code] = h.Code + " " + b.headingTitle(h)
		}
	}
	return findingText(b.l, b.sc.Language, b.sc.Grant.CurrencyCode, labels, f)
}
