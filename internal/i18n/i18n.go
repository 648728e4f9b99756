package i18n

import (
	"embed"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// Languages are the languages Pactum writes in, Default first.
var Languages = []string{"en", "fr", "es", "pt"}

// Default is the language of whoever has not chosen one, and the one a
// message falls back to.
const Default = "en"

// Supported reports whether Pactum writes in lang.
func Supported(lang string) bool { return slices.Contains(Languages, lang) }

// Of returns lang when Pactum writes in it, Default otherwise.
func Of(lang string) string {
	if Supported(lang) {
		return lang
	}
	return Default
}

//go:embed locales/*.toml
var files embed.FS

// bundle holds every language's messages, and catalogue the same by
// language and ID. The files are part of the binary, so one that does not
// parse fails every test: load panics.
var bundle, catalogue = load()

func load() (*goi18n.Bundle, map[string]map[string]*goi18n.Message) {
	b := goi18n.NewBundle(language.English)
	c := map[string]map[string]*goi18n.Message{}
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	entries, err := files.ReadDir("locales")
	if err != nil {
		panic(err)
	}
	for _, lang := range Languages {
		c[lang] = map[string]*goi18n.Message{}
		// {lang}.toml, and {area}.{lang}.toml for an area's messages.
		for _, e := range entries {
			if e.Name() != lang+".toml" && !strings.HasSuffix(e.Name(), "."+lang+".toml") {
				continue
			}
			name := "locales/" + e.Name()
			buf, err := files.ReadFile(name)
			if err != nil {
				panic(err)
			}
			f, err := b.ParseMessageFileBytes(buf, lang+".toml")
			if err != nil {
				panic(fmt.Sprintf("%s: %v", name, err))
			}
			for _, m := range f.Messages {
				if _, dup := c[lang][m.ID]; dup {
					panic(fmt.Sprintf("%s: message %q is defined twice", name, m.ID))
				}
				c[lang][m.ID] = m
			}
		}
	}
	return b, c
}

// parser fills placeholders; one the code does not give is an error (and
// the test of the code's messages sees that none is missing).
var fill = &template.TextParser{Option: "missingkey=error"}

// Localizer writes messages in one language.
type Localizer struct {
	lang  string
	loc   *goi18n.Localizer
	count func(int64) string
}

var localizers = func() map[string]*Localizer {
	m := map[string]*Localizer{}
	for _, lang := range Languages {
		m[lang] = &Localizer{lang: lang, loc: goi18n.NewLocalizer(bundle, lang)}
	}
	return m
}()

// For returns the Localizer of lang (of Default when Pactum does not write
// in lang).
func For(lang string) *Localizer { return localizers[Of(lang)] }

// Lang is the language l writes in.
func (l *Localizer) Lang() string { return l.lang }

// CountFormat returns a Localizer like l whose N writes {{.Count}} with
// format (a report's digit grouping, say) instead of plain digits.
func (l *Localizer) CountFormat(format func(int64) string) *Localizer {
	c := *l
	c.count = format
	return &c
}

// T returns message id filled with args, name/value pairs:
// T("xlsx.amountsIn", "Currency", "EUR"). A message missing in l's
// language is English's; an unknown id is returned as it is.
func (l *Localizer) T(id string, args ...any) string {
	return l.write(id, nil, args)
}

// N is T of a message said of count, in the plural form that count takes
// in l's language, with {{.Count}} the count (unless args give Count).
func (l *Localizer) N(id string, count int64, args ...any) string {
	written := strconv.FormatInt(count, 10)
	if l.count != nil {
		written = l.count(count)
	}
	return l.write(id, &count, append([]any{"Count", written}, args...))
}

func (l *Localizer) write(id string, count *int64, args []any) string {
	s, err := l.localize(id, count, args)
	if err != nil {
		slog.Error("i18n: message", "id", id, "language", l.lang, "error", err)
		if s == "" {
			return id
		}
	}
	return s
}

// localize is T or N with the error go-i18n saw: a message or plural form
// missing, a placeholder not given.
func (l *Localizer) localize(id string, count *int64, args []any) (string, error) {
	data := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		name, ok := args[i].(string)
		if !ok {
			return "", fmt.Errorf("argument %d of %s is %v, not a placeholder's name", i, id, args[i])
		}
		data[name] = args[i+1]
	}
	if len(args)%2 != 0 {
		return "", fmt.Errorf("%s: placeholder %v has no value", id, args[len(args)-1])
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data, TemplateParser: fill}
	if count != nil {
		cfg.PluralCount = *count
	}
	return l.loc.Localize(cfg)
}

// Has reports whether every language has message id: for the tests of
// code that builds an id from a prefix and a value.
func Has(id string) bool {
	for _, lang := range Languages {
		if _, ok := catalogue[lang][id]; !ok {
			return false
		}
	}
	return true
}
