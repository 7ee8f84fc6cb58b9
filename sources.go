package chainmap

import (
	"fmt"
	"regexp"
	"strings"
)

// The rules of a source, one place for the loader (seed files) and the API (createSource) alike.

var languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})*$`)

// ValidLanguage reports whether s is a lower-case language code: zh, en, zh-hans.
func ValidLanguage(s string) bool { return languagePattern.MatchString(s) }

// FieldProblem is what is wrong with one field of a record.
type FieldProblem struct {
	Field   string // the field's name as the seed files and the API spell it: title, url, …
	Message string
}

// Problems lists what is wrong with a source's fields, in field order: a title is required; the URL is
// required and ValidURL; the date, if any, ValidDate; the reliability is required and one of Reliabilities;
// the language, if any, a lower-case code. The id's rule is CheckID's, and every text's CheckText's (rules.go),
// checked with every record's.
func (s Source) Problems() []FieldProblem {
	var out []FieldProblem
	add := func(field, format string, args ...any) {
		out = append(out, FieldProblem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(s.Title) == "" {
		add("title", "is required")
	}
	switch {
	case strings.TrimSpace(s.URL) == "":
		add("url", "is required")
	case !ValidURL(s.URL):
		add("url", "%q is not an http(s) URL with a host", s.URL)
	}
	if s.Date != "" {
		if err := CheckDate("date", s.Date); err != nil {
			add("date", "%s", err.(*Error).Message)
		}
	}
	switch {
	case s.Reliability == "":
		add("reliability", "is required (one of %s)", joinValues(Reliabilities))
	case !Valid(s.Reliability, Reliabilities):
		add("reliability", "%q is not one of %s", s.Reliability, joinValues(Reliabilities))
	}
	if s.Language != "" && !ValidLanguage(s.Language) {
		add("language", "%q is not a lower-case language code such as zh or en", s.Language)
	}
	return out
}

func joinValues[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// SourceFilter selects sources; nil or empty fields do not filter.
type SourceFilter struct {
	Text        *string       // in the title, publisher or URL, ignoring case
	Reliability []Reliability // any of these
	Language    *string
}

// SourceOrderField is a key sources can be sorted by.
type SourceOrderField string

const (
	SourceByID    SourceOrderField = "ID"
	SourceByTitle SourceOrderField = "TITLE"
	SourceByDate  SourceOrderField = "DATE" // undated sources sort as the oldest
)

// SourceQuery is a filtered, ordered page of sources.
type SourceQuery struct {
	Filter    SourceFilter
	OrderBy   SourceOrderField
	Direction Direction
	Page
}

// Deletion is what deleting a record removed: the record (its state before is in the change log entry Seq) and
// the records that went with it.
type Deletion struct {
	ID              string
	Seq             int64
	SiteIDs         []string // an enterprise's sites
	SupplyLinkIDs   []string // supply links to or from an enterprise
	TechTransferIDs []string // technology transfers from or to an enterprise or its sites
}
