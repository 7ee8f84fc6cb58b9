package chainmap

import (
	"context"
	"sync"
	"time"
)

// ChangeKind says what kind of record a change changed.
type ChangeKind string

const (
	ChangeEnterprise       ChangeKind = "ENTERPRISE"
	ChangeBottleneck       ChangeKind = "BOTTLENECK"
	ChangeBottleneckStatus ChangeKind = "BOTTLENECK_STATUS"
	ChangeSupplyLink       ChangeKind = "SUPPLY_LINK"
	ChangeTechTransfer     ChangeKind = "TECH_TRANSFER"
	ChangeSource           ChangeKind = "SOURCE"
	ChangeLoad             ChangeKind = "LOAD" // a `chainmap load` or `gen` run, summarised
	ChangeFlag             ChangeKind = "FLAG" // a reader's flag raised or settled; editors only read these
)

// Change is one entry of the change log: what one mutation (or one load) changed, written in the same
// transaction as the change. Seq numbers the entries 1, 2, 3… in commit order, without gaps.
type Change struct {
	Seq         int64
	Kind        ChangeKind
	Operation   string // the mutation or command that made it: setBottleneckStatus, load, gen…
	RecordID    string
	ChainMapIDs []string
	Before      string // JSON object of the record's fields before the change ("" when it did not exist)
	After       string // JSON object after it ("" when it was removed)
	Author      string
	At          time.Time
}

// ChangeQuery selects entries of the change log: those after the sequence After, in order, at most First.
type ChangeQuery struct {
	After      int64
	First      int
	Kinds      []ChangeKind // empty: every kind
	Except     []ChangeKind // kinds left out (those the caller may not read)
	ChainMapID string       // "": every map
}

// ChangeRetention says which entries the change log keeps: none older than MaxAge, at most MaxCount (zero: no
// bound).
type ChangeRetention struct {
	MaxAge   time.Duration
	MaxCount int64
}

const bookmarksKey ctxKey = 100

// Bookmarks carries Neo4j bookmarks through a request: those the client sent (reads wait until the database
// has them) and those its writes produced (returned to the client). It is safe for concurrent use.
type Bookmarks struct {
	mu       sync.Mutex
	sent     []string
	produced []string
}

// WithBookmarks returns a context carrying b.
func WithBookmarks(ctx context.Context, b *Bookmarks) context.Context {
	return context.WithValue(ctx, bookmarksKey, b)
}

// BookmarksFrom returns the bookmarks carried by ctx, or nil.
func BookmarksFrom(ctx context.Context) *Bookmarks {
	b, _ := ctx.Value(bookmarksKey).(*Bookmarks)
	return b
}

// NewBookmarks returns bookmarks holding those a client sent.
func NewBookmarks(sent []string) *Bookmarks { return &Bookmarks{sent: sent} }

// Sent returns the bookmarks the client sent.
func (b *Bookmarks) Sent() []string {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.sent...)
}

// Produce records the bookmarks of a write: they replace the ones produced before (a later bookmark of the
// same database covers the earlier ones).
func (b *Bookmarks) Produce(bms []string) {
	if b == nil || len(bms) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.produced = append([]string(nil), bms...)
	b.sent = append(b.sent, bms...) // reads later in the same request see the write too
}

// Produced returns the bookmarks of the request's writes.
func (b *Bookmarks) Produced() []string {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.produced...)
}
