package frontend

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
)

// inlineScript matches the script elements of index.html.
var inlineScript = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)

// scriptSrc matches a src attribute.
var scriptSrc = regexp.MustCompile(`(?i)(^|\s)src\s*=`)

// ContentSecurityPolicy is the policy the web app runs under, for every
// response of the server. Scripts come from Pactum's own origin only, except
// the boot script the build inlines into index.html (vite-plugins.ts:
// inlined because, on a slow line, loading it as a file would cost a round
// trip), allowed by the SHA-256 of its text, computed here from the built
// index.html so that it follows every build. Styles allow 'unsafe-inline'
// in elements: Mantine writes <style> elements as the app runs (the theme's
// CSS variables from MantineProvider, responsive style props through
// InlineStyles) and so does react-remove-scroll under modals; they could
// carry a nonce, at the cost of a new index.html per response. Inline style
// attributes in markup are refused (style-src-attr 'none'): React sets the
// style props through the CSSOM, which the policy does not govern.
func ContentSecurityPolicy() (string, error) {
	index, err := fs.ReadFile(Dist(), "index.html")
	if err != nil {
		return "", fmt.Errorf("embedded web app: %w", err)
	}
	scripts := []string{"'self'"}
	for _, m := range inlineScript.FindAllSubmatch(index, -1) {
		if scriptSrc.Match(m[1]) {
			continue
		}
		if len(m[2]) == 0 {
			return "", errors.New("embedded web app: an empty inline script in index.html")
		}
		sum := sha256.Sum256(m[2])
		scripts = append(scripts, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + strings.Join(scripts, " "),
		"style-src 'self' 'unsafe-inline'",
		"style-src-attr 'none'",
		"img-src 'self' data: blob:",
		"font-src 'self' data:",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; "), nil
}
