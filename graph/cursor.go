package graph

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/chainmap/chainmap"
)

// A cursor is opaque to clients: base64url of the ordering it belongs to, the sort key of its item and the
// item's id. Pages are found by that key and id (keyset pagination), never by an offset, so inserts and deletes
// between two requests can neither repeat nor skip an item.
type cursor struct {
	Order string `json:"o"`
	Str   string `json:"s,omitempty"`
	Num   *int64 `json:"n,omitempty"`
	ID    string `json:"i"`
}

func encodeCursor(order string, key any, id string) string {
	c := cursor{Order: order, ID: id}
	switch k := key.(type) {
	case int64:
		c.Num = &k
	case int:
		n := int64(k)
		c.Num = &n
	default:
		c.Str = fmt.Sprint(k)
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads the cursor of `after` for a listing in the given order.
func decodeCursor(after *string, order string) (chainmap.Page, error) {
	var p chainmap.Page
	if after == nil {
		return p, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*after)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" {
		return p, chainmap.Invalid("after", "not a cursor of this API")
	}
	if c.Order != order {
		return p, chainmap.Invalid("after", "the cursor belongs to another ordering (%s); start again without it", c.Order)
	}
	p.After, p.AfterID = true, c.ID
	if c.Num != nil {
		p.AfterKey = *c.Num
	} else {
		p.AfterKey = c.Str
	}
	return p, nil
}

// maxPage is the largest page a client may ask for. The page a list gives by default is the default of its
// `first` argument in the schema, and nowhere else (firstDefault).
const maxPage = 100

// pageSize checks a `first` argument: 0 to maxPage; null takes def, the schema's default for it.
func pageSize(first *int, def int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 0 || *first > maxPage {
		return 0, chainmap.Invalid("first", "must be between 0 and %d, got %d", maxPage, *first)
	}
	return *first, nil
}

// pageOf checks a connection's first (def when null) and after arguments for a list in the given order, with
// its filter's own check (filterErr), and returns the page to read.
func pageOf(first *int, def int, after *string, order string, filterErr error) (chainmap.Page, error) {
	n, err := pageSize(first, def)
	pg, perr := decodeCursor(after, order)
	if err = firstErr(err, perr, filterErr); err != nil {
		return chainmap.Page{}, err
	}
	pg.First = n
	return pg, nil
}
