// Package i18n is the one catalogue of what Pactum writes for people: the
// donor reports (workbook and PDF), the reminder emails, and whatever the
// server writes next. It owns the languages Pactum writes in (Languages,
// with Default as the fallback) and their messages, one TOML file per
// language in locales/, embedded in the binary and read with go-i18n
// (github.com/nicksnyder/go-i18n/v2, MIT).
//
// A message has an ID (namespaced by what writes it: "xlsx.", "pdf.",
// "reminder.") and one placeholder syntax, a Go template field such as
// {{.Currency}}, filled from name/value pairs:
//
//	loc := i18n.For(lang)
//	loc.T("xlsx.amountsIn", "Currency", "EUR")  // "montants en EUR"
//	loc.N("pdf.expenditures", n)                // "1 dépense", "3 dépenses"
//
// A message said of a count has CLDR plural forms, chosen by N: "one" and
// "other" in English; "one", "many" and "other" in French, Spanish and
// Portuguese (French and Portuguese say "one" of 0 and 1; "many" is for
// round millions: "1 000 000 de dépenses"). {{.Count}} is the count,
// written as the Localizer's CountFormat says (digits by default).
//
// # Adding a message
//
//  1. Add it to locales/en.toml, in the section of what writes it:
//     "pdf.tileBudget" = "Total budget", or for a count
//     "pdf.expenditures" = { one = "{{.Count}} expenditure", other = "{{.Count}} expenditures" }.
//  2. Add its translation to fr.toml, es.toml and pt.toml, with the same
//     placeholders (a plural message with every form of the language).
//  3. Write it with loc.T or loc.N, passing every placeholder by name.
//     Prefer a literal ID; an ID built from a prefix and a value (a
//     status, a code) needs a test that every value has its message.
//  4. go test ./internal/i18n/ checks that every language has every
//     message, with English's placeholders and every plural form it needs,
//     and that every literal ID the code uses exists with the placeholders
//     it is given.
package i18n
