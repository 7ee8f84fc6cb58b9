package chainmap

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// The rules a single value follows, written once and used wherever data comes in: the loader (seed files,
// spreadsheets, dumps), the API (its mutations and its input guard), uploads and the audit. Lengths are
// counted in characters (runes), never in bytes, so that a Chinese name is held to the limit an English one is.
// Each Check function returns nil or an *Error (BAD_USER_INPUT) whose Field is the path it was given; the
// loader turns it into a Problem at the record's line.

// Length limits, in characters.
const (
	MaxNameLength = 200  // names and titles: the fields IsNameField lists
	MaxTextLength = 4000 // descriptions, notes, evidence, URLs and every other text
)

// Years a record may state (a site's since, a transfer's year, a date's year): 1900 to 2100.
const (
	MinYear = 1900
	MaxYear = 2100
)

// nameFields are the fields, as the seed files and the API both spell them, held to MaxNameLength, one line
// and not blank.
var nameFields = map[string]bool{"name": true, "nameZh": true, "nameEn": true, "title": true, "publisher": true,
	"aliases": true, "formerNames": true, "product": true, "capacity": true}

// fieldOf is the field a path ends with: input.sites[0].name → name, aliases[2] → aliases.
func fieldOf(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		path = path[i+1:]
	}
	if i := strings.IndexByte(path, '['); i >= 0 {
		path = path[:i]
	}
	return path
}

// IsNameField reports whether the field a path ends with (nameZh, input.sites[0].name, aliases[2]) holds a
// name or a title, held to MaxNameLength; every other text field is held to MaxTextLength.
func IsNameField(path string) bool { return nameFields[fieldOf(path)] }

// TextLimit is the most characters the field a path ends with may hold.
func TextLimit(path string) int {
	if IsNameField(path) {
		return MaxNameLength
	}
	return MaxTextLength
}

// CheckText checks a text at path: no control characters but tab and line breaks, no bidirectional overrides,
// valid UTF-8 (BadCharacter); at most TextLimit(path) characters; and a name (IsNameField) is one line and not
// blank. The empty text is an absent one and passes: whether a field is required is the record's rule.
func CheckText(path, s string) error {
	if s == "" {
		return nil
	}
	if at, r, what := BadCharacter(s); what != "" {
		return Invalid(path, "contains %s (U+%04X) at character %d", what, r, utf8.RuneCountInString(s[:at])+1)
	}
	if n, limit := utf8.RuneCountInString(s), TextLimit(path); n > limit {
		return Invalid(path, "is %d characters, more than the %d allowed", n, limit)
	}
	if IsNameField(path) {
		switch {
		case strings.TrimSpace(s) == "":
			return Invalid(path, "must not be blank")
		case strings.ContainsAny(s, "\t\r\n"):
			return Invalid(path, "must be one line of text, without tabs")
		}
	}
	return nil
}

// BadCharacter finds the first character that has no place in text: a C0 or C1 control other than tab and line
// breaks, DEL, a bidirectional override or isolate (which make text read differently from what it holds), or
// a byte that is not UTF-8. It returns its byte offset, the character and what it is, or what "" when there
// is none.
func BadCharacter(s string) (at int, r rune, what string) {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return i, r, "invalid UTF-8"
			}
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			return i, r, "a control character"
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			return i, r, "a bidirectional control character"
		}
	}
	return 0, 0, ""
}

// CheckID checks a record's id at path: required, and ValidID.
func CheckID(path, id string) error {
	switch {
	case id == "":
		return Invalid(path, "is required")
	case !ValidID(id):
		return Invalid(path, "%q is not a valid id (lower-case letters, digits and '-', at most %d characters)", id, MaxIDLength)
	}
	return nil
}

// ValidYear reports whether y is a year a record may state: MinYear to MaxYear.
func ValidYear(y int) bool { return y >= MinYear && y <= MaxYear }

// CheckYear checks a year given at path: MinYear to MaxYear. A year not given is not checked: callers pass
// only years the input states (0 is not a year).
func CheckYear(path string, y int) error {
	if !ValidYear(y) {
		return Invalid(path, "%d is not a plausible year (%d to %d)", y, MinYear, MaxYear)
	}
	return nil
}

// CheckNames checks that a record has a name: nameZh or nameEn, not blank. The problem is on prefix+"nameZh"
// (prefix is "input." in the API, "" in seed files).
func CheckNames(prefix, zh, en string) error {
	if strings.TrimSpace(zh) == "" && strings.TrimSpace(en) == "" {
		return Invalid(prefix+"nameZh", "nameZh or nameEn is required")
	}
	return nil
}

// CheckSources checks that a record cites at least one source: every curated fact does.
func CheckSources(path string, ids []string) error {
	if len(ids) == 0 {
		return Invalid(path, "at least one source is required: every fact cites one")
	}
	return nil
}

// ValidURL reports whether s is an absolute http or https URL with a host and no spaces, quotes or angle
// brackets (which a link would break on).
func ValidURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " <>\"")
}

// CheckURL checks a URL given at path: ValidURL.
func CheckURL(path, s string) error {
	if !ValidURL(s) {
		return Invalid(path, "%q is not an http(s) URL with a host", s)
	}
	return nil
}

// ValidDate reports whether s is a date as sources and maps give it: YYYY, YYYY-MM or YYYY-MM-DD, a day that
// exists, a year MinYear to MaxYear (ParseDate reads it).
func ValidDate(s string) bool {
	_, err := ParseDate(s)
	return err == nil
}

// CheckDate checks a date given at path: ValidDate.
func CheckDate(path, s string) error {
	if _, err := ParseDate(s); err != nil {
		return Invalid(path, "%s", err.Error())
	}
	return nil
}

// CheckProduct checks a supply link's product at path: required, for the product names the link (SupplyID:
// two links between the same firms differ by it, and unlinkSupplier names the link by it). As a name it is
// held to CheckText too, which is left to the caller's text check.
func CheckProduct(path, product string) error {
	if product == "" {
		return Invalid(path, "is required")
	}
	return nil
}

// CheckSeverity checks a bottleneck's severity at path: 1 to 5.
func CheckSeverity(path string, n int) error {
	if n < 1 || n > 5 {
		return Invalid(path, "must be 1 to 5, got %d", n)
	}
	return nil
}
