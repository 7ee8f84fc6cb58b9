package neo4jdb

import (
	"slices"
	"testing"
)

// A cut-off firm's alternatives are read once per segment, for every cut-off firm of it, one more than wanted in
// each region: each firm leaves itself out and keeps the wanted number. No database.
func TestWithoutFirm(t *testing.T) {
	firm := func(id string) any { return map[string]any{"id": id, "name": id} }
	groups := []props{
		{"code": "130900", "firms": []any{firm("a"), firm("c"), firm("b")}},
		{"code": "110108", "firms": []any{firm("d"), firm("e"), firm("f")}},
	}
	ids := func(gs []props) (out []string) {
		for _, g := range gs {
			for _, f := range g.list("firms") {
				out = append(out, g.str("code")+":"+f.str("id"))
			}
		}
		return out
	}
	if got, want := ids(withoutFirm(groups, "c", 2)), []string{"130900:a", "130900:b", "110108:d", "110108:e"}; !slices.Equal(got, want) {
		t.Errorf("without c, 2 each: %v, want %v", got, want)
	}
	if got, want := ids(withoutFirm(groups, "x", 2)), []string{"130900:a", "130900:c", "110108:d", "110108:e"}; !slices.Equal(got, want) {
		t.Errorf("a firm in no group, 2 each: %v, want %v", got, want)
	}
	if got := ids(groups); len(got) != 6 {
		t.Errorf("the groups read were changed: %v", got)
	}
}
