package chainmap

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Readers' flags (issue 18): "this fact is wrong". A reader flags a record with a note and, best, a source that
// says otherwise; an editor settles the flag by editing the record (naming the change-log entry of the edit) or
// by rejecting it with a reason. The rules below are the one place their limits live: the API checks input
// against them, the store enforces the per-record cap, and the explorer's form says the same numbers.

// FlagStatus is where a flag stands.
type FlagStatus string

// FlagResolution is how an editor settles a flag.
type FlagResolution string

const (
	FlagOpen     FlagStatus = "OPEN"     // waiting for an editor
	FlagResolved FlagStatus = "RESOLVED" // the record was edited as the flag asked
	FlagRejected FlagStatus = "REJECTED" // the record stands, for a stated reason

	ResolveEdited   FlagResolution = "EDITED"
	ResolveRejected FlagResolution = "REJECTED"
)

// Enum values, in the order the API documents them.
var (
	FlagStatuses    = []FlagStatus{FlagOpen, FlagResolved, FlagRejected}
	FlagResolutions = []FlagResolution{ResolveEdited, ResolveRejected}
)

// Status is the status a resolution leaves a flag in.
func (r FlagResolution) Status() FlagStatus {
	if r == ResolveEdited {
		return FlagResolved
	}
	return FlagRejected
}

// FlaggableKinds are the kinds of record a reader can flag: the nodes an id names (the :Record label).
// Regions (keyed by their GB/T 2260 code) and links (relationships) are flagged through the records at
// their ends.
var FlaggableKinds = []Kind{KindChainMap, KindSegment, KindEnterprise, KindSite, KindInstitution, KindPark,
	KindBottleneck, KindIndicator, KindSource}

// Limits of readers' flags. Lengths count characters, not bytes.
const (
	MaxFlagNote      = 1000 // a flag's note, and an editor's resolution note
	MaxFlagSourceURL = 500
	MaxFlagField     = 64
	// MaxOpenFlagsPerRecord bounds the open flags one record can collect: past it, editors have enough to
	// look at and more flags are refused (CONFLICT) until they settle some.
	MaxOpenFlagsPerRecord = 20
	// AnonymousReader is who a flag is by when the reader sent no token.
	AnonymousReader = "anonymous"
)

// FlagRate bounds how often one client (a token's subject, else an address) may flag: Burst flags at once,
// then one more every Refill. Per API process, like the other per-client limits.
type FlagRate struct {
	Burst  int
	Refill time.Duration
}

// DefaultFlagRate lets a reader report a handful of mistakes in a row, and a steady trickle after.
var DefaultFlagRate = FlagRate{Burst: 5, Refill: time.Minute}

// Flag is a reader's flag on a record.
type Flag struct {
	ID         string
	RecordID   string // the flagged record's id; it stays when the record is deleted
	RecordKind Kind
	Field      string // the field the reader says is wrong ("" when they named none)
	Note       string
	SourceURL  string
	By         string // the token's subject, or AnonymousReader
	Client     string // the client it came from: "sub:<subject>" or "addr:<address>"
	At         string // RFC 3339
	Seq        int64  // the change-log entry that recorded the flag
	Status     FlagStatus
	// Set when an editor settled the flag.
	Resolution     FlagResolution
	ResolutionNote string
	EditSeq        int64 // for ResolveEdited: the change-log entry of the edit
	ResolvedBy     string
	ResolvedAt     string
	ChainMapIDs    []string // the chain maps the record belonged to when it was flagged
	Related        Related  // what the request read alongside, by response key
}

// NewFlag is what a reader sends: the record, optionally the field, a note and a source.
type NewFlag struct {
	RecordID  string
	Field     string
	Note      string
	SourceURL string
	By        string
	Client    string
}

// FlagResolutionInput is how an editor settles a flag.
type FlagResolutionInput struct {
	ID         string
	Resolution FlagResolution
	Note       string
	EditSeq    int64 // required for ResolveEdited
	By         string
}

// RecordFlags counts the flags on one record.
type RecordFlags struct {
	Open  int
	Total int
}

// FlagFilter selects flags; all set fields must hold (AND).
type FlagFilter struct {
	Status     *FlagStatus
	RecordID   *string
	ChainMapID *string // the record belonged to this chain map when it was flagged
}

// FlagQuery is a filtered page of flags, newest first.
type FlagQuery struct {
	Filter FlagFilter
	Page
}

// FlagStats counts the flags: by status, and the open ones by kind of record and by chain map.
type FlagStats struct {
	Open, Resolved, Rejected int
	OpenByKind               []Group
	OpenByChainMap           []Group
	OldestOpenAt             string // RFC 3339; "" when none is open
}

// KindFlag and KindRecordFlags are the kinds the API returns for flags and a record's flag counts.
const (
	KindFlag        Kind = "Flag"
	KindRecordFlags Kind = "RecordFlags"
)

var (
	// markup is what makes text HTML: a tag, a comment or a declaration opening, or a character reference.
	markup     = regexp.MustCompile(`<[A-Za-z/!?]|&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`)
	fieldNamed = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)
)

// CheckFlagNote checks a flag's note (or an editor's resolution note) at path: not blank, at most MaxFlagNote
// characters, no HTML. Text is shown as text everywhere; markup in it is refused rather than escaped so that
// what editors read is what the reader wrote.
func CheckFlagNote(path, note string) error {
	switch {
	case strings.TrimSpace(note) == "":
		return Invalid(path, "say what is wrong")
	case utf8.RuneCountInString(note) > MaxFlagNote:
		return Invalid(path, "must be at most %d characters, got %d", MaxFlagNote, utf8.RuneCountInString(note))
	case markup.MatchString(note):
		return Invalid(path, "must be plain text: no HTML tags or character references")
	}
	return nil
}

// CheckSourceURL checks a flag's source at path: an absolute http or https URL with a host and no user
// information, at most MaxFlagSourceURL characters.
func CheckSourceURL(path, raw string) error {
	if utf8.RuneCountInString(raw) > MaxFlagSourceURL {
		return Invalid(path, "must be at most %d characters", MaxFlagSourceURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || strings.ContainsAny(raw, " <>\"") {
		return Invalid(path, "must be an http or https address, such as https://www.example.gov.cn/page.html")
	}
	return nil
}

// CheckFlagField checks the name of the field a flag is about: a GraphQL field name. Whether the record's
// type has the field is for the store to say, which knows the record.
func CheckFlagField(path, field string) error {
	if len(field) > MaxFlagField || !fieldNamed.MatchString(field) {
		return Invalid(path, "must be the name of a field of the record, such as nameZh or sites")
	}
	return nil
}
