package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/formatter"
)

var sdl = sync.OnceValue(func() string {
	var b strings.Builder
	b.WriteString("# The chainmap GraphQL API as one SDL document, merged from schema/*.graphqls.\n" +
		"# Generated: do not edit. Served at /schema.graphql; `go test ./graph -run TestSchemaFile -update` rewrites it.\n\n")
	var doc strings.Builder
	formatter.NewFormatter(&doc, formatter.WithIndent("  ")).FormatSchema(NewExecutableSchema(Config{}).Schema())
	b.WriteString(spaced(doc.String()))
	return b.String()
})

// spaced puts a blank line before each top-level definition (its description, if it has one), which the
// formatter writes back to back.
func spaced(doc string) string {
	var out []string
	inDesc, prevClosedDesc := false, false
	for _, line := range strings.Split(strings.TrimRight(doc, "\n"), "\n") {
		top := line != "" && line[0] != ' ' && line[0] != '}'
		if top && !inDesc && !prevClosedDesc && len(out) > 0 {
			out = append(out, "")
		}
		prevClosedDesc = false
		if line == `"""` {
			if inDesc {
				prevClosedDesc = true
			}
			inDesc = !inDesc
		} else if top && strings.HasPrefix(line, `"""`) && !strings.HasSuffix(line[3:], `"""`) {
			inDesc = true // a description opened on its line
		} else if top && strings.HasPrefix(line, `"""`) {
			prevClosedDesc = true // a one-line description
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n") + "\n"
}

// SDL returns the API's schema as one GraphQL SDL document: every type, field, argument and description of
// schema/*.graphqls, merged and sorted by name, built-in types left out. It is what /schema.graphql serves and
// schema/schema.graphql holds, for code generators that read a file.
func SDL() string { return sdl() }

// SchemaHash returns the first 12 hex digits of the SHA-256 of SDL: which schema a build serves.
func SchemaHash() string {
	sum := sha256.Sum256([]byte(SDL()))
	return hex.EncodeToString(sum[:])[:12]
}
