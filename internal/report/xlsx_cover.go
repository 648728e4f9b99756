package report

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// coverVersions writes, from row r of the cover, every adopted budget
// version (number, kind, label, effective date, the donor's approval
// reference) and the uses of the contingency reserve, and returns the next
// free row.
func (b *book) coverVersions(sw *excelize.StreamWriter, r int) (int, error) {
	l, st, sm := b.l, b.st, b.sm
	row := func(cells ...any) error {
		err := sw.SetRow(ref("A", r), cells)
		r++
		return err
	}
	pair := func(label, value string) error {
		return row(excelize.Cell{StyleID: st.label, Value: label}, excelize.Cell{StyleID: st.textWrap, Value: value})
	}
	if err := row(excelize.Cell{StyleID: st.textBold, Value: l.T("xlsx.cover.versions")}); err != nil {
		return r, err
	}
	if len(sm.Versions) == 0 {
		if err := pair("", l.T("xlsx.cover.noBudget")); err != nil {
			return r, err
		}
	}
	for _, v := range sm.Versions {
		parts := []string{l.T("xlsx.kind." + v.Kind)}
		if v.Label != "" {
			parts = append(parts, v.Label)
		}
		if v.EffectiveDate != "" {
			parts = append(parts, l.T("xlsx.cover.effective", "Date", v.EffectiveDate))
		}
		if v.ApprovalReference != "" {
			parts = append(parts, l.T("xlsx.cover.approval", "Reference", v.ApprovalReference))
		} else if v.Kind == "addendum" {
			parts = append(parts, l.T("xlsx.cover.noApproval"))
		}
		if err := pair(l.T("xlsx.versionN", "Number", v.Number), strings.Join(parts, " · ")); err != nil {
			return r, err
		}
	}
	r++
	if len(sm.ContingencyUses) > 0 {
		if err := row(excelize.Cell{StyleID: st.textBold, Value: l.T("xlsx.cover.contingency")}); err != nil {
			return r, err
		}
		for _, u := range sm.ContingencyUses {
			ref := u.ApprovalReference
			if ref == "" {
				ref = u.Version.ApprovalReference
			}
			text := l.T("xlsx.cover.contingencyUse", "Before", b.moneyText(u.Before), "After", b.moneyText(u.After))
			if ref != "" {
				text += " · " + l.T("xlsx.cover.approval", "Reference", ref)
			} else {
				text += " · " + l.T("xlsx.cover.noApproval")
			}
			if err := pair(l.T("xlsx.versionN", "Number", u.Version.Number), text); err != nil {
				return r, err
			}
		}
		r++
	}
	return r, nil
}

// blankLine is a line to fill in by hand.
const blankLine = "________________________________________"

// coverSignature writes, from row r of the cover, the signature block of
// the coordinator's signatory: name, function, date and signature, blank
// lines to fill in where not given; it returns the next free row.
func (b *book) coverSignature(sw *excelize.StreamWriter, r int) (int, error) {
	l, st := b.l, b.st
	if err := sw.SetRow(ref("A", r), []any{excelize.Cell{StyleID: st.textBold, Value: l.T("xlsx.cover.signature")}}); err != nil {
		return r, err
	}
	r++
	orBlank := func(s string) string {
		if s == "" {
			return blankLine
		}
		return s
	}
	for _, p := range []struct{ label, value string }{
		{l.T("xlsx.cover.signatoryName"), orBlank(b.sc.SignatoryName)},
		{l.T("xlsx.cover.signatoryFunction"), orBlank(b.sc.SignatoryFunction)},
		{l.T("xlsx.cover.signatureDate"), blankLine},
		{l.T("xlsx.cover.signatureLine"), blankLine},
	} {
		if err := sw.SetRow(ref("A", r), []any{excelize.Cell{StyleID: st.label, Value: p.label},
			excelize.Cell{StyleID: st.textWrap, Value: p.value}}, excelize.RowOpts{Height: 26}); err != nil {
			return r, err
		}
		r++
	}
	return r, nil
}
