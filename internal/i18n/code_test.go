package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// use is a call of Localizer.T or N found in the code.
type use struct {
	pos    string
	id     string // the literal ID, or its literal prefix when dynamic
	prefix bool
	names  map[string]bool // the placeholders given; nil when not all literal
}

// uses finds every call .T("...", ...) and .N("...", n, ...) in the
// module's Go files, tests included (but this package's own), whose ID is a string literal or
// starts with one ("pdf.prag." + code).
func uses(t *testing.T) []use {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no module at %s: %v", root, err)
	}
	var found []use
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", "frontend", "gen", "testdata", ".git":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || filepath.Dir(path) == filepath.Join(root, "internal", "i18n") {
			return nil // this package's tests ask for unknown messages on purpose
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "T" && sel.Sel.Name != "N") {
				return true
			}
			u := use{pos: fset.Position(call.Pos()).String()}
			idArg := call.Args[0]
			if b, ok := idArg.(*ast.BinaryExpr); ok && b.Op == token.ADD {
				for {
					inner, ok := b.X.(*ast.BinaryExpr)
					if !ok || inner.Op != token.ADD {
						break
					}
					b = inner
				}
				idArg, u.prefix = b.X, true
			}
			lit, ok := idArg.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			u.id, _ = strconv.Unquote(lit.Value)
			if !strings.Contains(u.id, ".") {
				return true // not a message ID
			}
			args := call.Args[1:]
			if sel.Sel.Name == "N" {
				if len(args) == 0 {
					return true
				}
				args = args[1:]
			}
			u.names = map[string]bool{}
			if sel.Sel.Name == "N" {
				u.names["Count"] = true
			}
			if call.Ellipsis.IsValid() {
				u.names = nil
			}
			for i := 0; u.names != nil && i < len(args); i += 2 {
				name, ok := args[i].(*ast.BasicLit)
				if !ok || name.Kind != token.STRING {
					u.names = nil
					break
				}
				s, _ := strconv.Unquote(name.Value)
				u.names[s] = true
			}
			found = append(found, u)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestCodeUsesMessagesThatExist: every message ID the code writes with T
// or N is in the catalogue, given exactly the placeholders the message
// has; an ID built from a prefix names a group of messages that exists.
func TestCodeUsesMessagesThatExist(t *testing.T) {
	found := uses(t)
	if len(found) < 150 {
		t.Fatalf("found %d uses of the catalogue in the code", len(found))
	}
	used := map[string]bool{}
	for _, u := range found {
		if u.prefix {
			n := 0
			for id := range catalogue[Default] {
				if strings.HasPrefix(id, u.id) {
					n++
					used[id] = true
				}
			}
			if n == 0 {
				t.Errorf("%s: no message starts with %q", u.pos, u.id)
			}
			continue
		}
		used[u.id] = true
		m := catalogue[Default][u.id]
		if m == nil || !Has(u.id) {
			t.Errorf("%s: no message %q", u.pos, u.id)
			continue
		}
		if u.names == nil {
			continue
		}
		want := placeholders(m)
		if isPlural(m) {
			want["Count"] = true
		}
		if !maps.Equal(want, u.names) {
			t.Errorf("%s: %q is given %v, has placeholders %v", u.pos, u.id, sorted(u.names), sorted(want))
		}
	}
	for id := range catalogue[Default] {
		if !used[id] {
			t.Errorf("message %q is not used by the code", id)
		}
	}
}
