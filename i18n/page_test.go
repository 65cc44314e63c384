package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The page's code puts words on screen through a few functions and fields;
// a string literal with a letter in one of those places is a word that
// bypasses the catalog. Symbols (‹ › + −) and format verbs are no words.
var (
	// displayFuncs draw, measure or show their arguments.
	displayFuncs = []string{"drawText", "wrapText", "ellipsize", "textAdvance", "Advance", "Draw", "SetTitle", "Quoted", "List"}
	// displayNames are fields and variables whose value is shown.
	// jsFuncs take JavaScript names, never shown.
	jsFuncs      = []string{"Call", "Get", "Set", "New", "Invoke", "Delete"}
	displayNames = []string{"Label", "Name", "Value", "Title", "XLabel", "YLabel", "Empty", "Placeholder", "Text", "Note",
		"title", "subtitle", "explain", "label", "status", "hint", "caption", "msg", "saved", "counter", "text", "note", "progress", "score", "who"}
)

var verbsRE = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

// words reports whether the literal lit has a letter outside format verbs.
func words(lit *ast.BasicLit) bool {
	if lit.Kind != token.STRING {
		return false
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		return false
	}
	return strings.IndexFunc(verbsRE.ReplaceAllString(s, ""), unicode.IsLetter) >= 0
}

// name is the last identifier of an expression: x, a.b.X, p[i].
func name(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.IndexExpr:
		return name(e.X)
	case *ast.StarExpr:
		return name(e.X)
	}
	return ""
}

// shownLiterals returns the positions and text of the literals with words
// that file's code shows.
func shownLiterals(fset *token.FileSet, file *ast.File) []string {
	var found []string
	check := func(e ast.Node) {
		ast.Inspect(e, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && slices.Contains(jsFuncs, name(c.Fun)) {
				return false // a JavaScript name: doc.Call("getElementById", "status")
			}
			if lit, ok := n.(*ast.BasicLit); ok && words(lit) {
				found = append(found, fset.Position(lit.Pos()).String()+"\t"+lit.Value)
			}
			return true
		})
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			f := name(n.Fun)
			switch {
			case slices.Contains(displayFuncs, f):
				for _, a := range n.Args {
					check(a)
				}
			case f == "Set" && len(n.Args) == 2: // a DOM element's textContent
				if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Value == `"textContent"` {
					check(n.Args[1])
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					if slices.Contains(displayNames, name(l)) {
						check(n.Rhs[i])
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if i < len(n.Values) && slices.Contains(displayNames, id.Name) {
					check(n.Values[i])
				}
			}
		case *ast.KeyValueExpr:
			if slices.Contains(displayNames, name(n.Key)) {
				check(n.Value)
			}
		case *ast.FuncDecl:
			// Functions that word something (messageText, answerText, noteText) return words.
			if strings.HasSuffix(n.Name.Name, "Text") && n.Body != nil {
				ast.Inspect(n.Body, func(m ast.Node) bool {
					if r, ok := m.(*ast.ReturnStmt); ok {
						for _, e := range r.Results {
							check(e)
						}
					}
					return true
				})
			}
		}
		return true
	})
	return found
}

// TestPageWordsAreInTheCatalog: no word on the page comes from a literal
// in wasm/ rather than from the catalog.
func TestPageWordsAreInTheCatalog(t *testing.T) {
	files, err := filepath.Glob("../wasm/*.go")
	if err != nil || len(files) < 10 {
		t.Fatalf("the page's files: %v (%v)", files, err)
	}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, lit := range shownLiterals(fset, f) {
			pos, text, _ := strings.Cut(lit, "\t")
			t.Errorf("%s: %s is a word on screen that is not in the catalog (package i18n)", pos, text)
		}
	}
}

// TestShownLiterals: the check finds words in each way the page shows them,
// and lets symbols, widget names and format verbs be.
func TestShownLiterals(t *testing.T) {
	src := `package p
func f() {
	drawText(dst, "Sampling…", face, 0, 0)
	b.Label = "Run"
	s.next.Label, s.prev.Label = "›", "‹"
	status := fmt.Sprintf("step %d", n)
	x := chart{Title: "Loss", Empty: t.Empty}
	box.Set("textContent", "stopped: "+err.Error())
	ok := b.Update(c, "demo-add")
	label := fmt.Sprintf("#%d", rank+1)
	p[s] = t.Shipped
	progress[s] = "not started"
}
func messageText() string { return "Something went wrong" }
func tickLabel(v float64) string { return fmt.Sprintf("%.0fk", v) }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range shownLiterals(fset, f) {
		_, text, _ := strings.Cut(l, "\t")
		got = append(got, text)
	}
	want := []string{`"Sampling…"`, `"Run"`, `"step %d"`, `"Loss"`, `"stopped: "`, `"not started"`, `"Something went wrong"`}
	if !slices.Equal(got, want) {
		t.Errorf("found %q, want %q", got, want)
	}
}
