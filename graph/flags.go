package graph

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/99designs/gqlgen/graphql"

	"github.com/chainmap/chainmap"
)

// Readers' flags (issue 18): the reader's mutation (flagRecord, open to whoever may read), the editors' list and
// resolution, and the per-client rate that bounds how often one client may flag.

// FlaggedRecord is a record a reader can flag (chainmap.FlaggableKinds).
type FlaggedRecord any

// FlagConnection is a page of flags.
type FlagConnection struct {
	Edges      []FlagEdge
	Nodes      []chainmap.Flag
	PageInfo   PageInfo
	TotalCount int
}

// FlagEdge is a flag and its cursor.
type FlagEdge struct {
	Cursor string
	Node   chainmap.Flag
}

// flagOrder names the one order of the flags list in its cursors.
const flagOrder = "SEQ DESC"

// readerMutations are the mutations open to whoever may read; every other mutation needs an editor.
var readerMutations = map[string]bool{"flagRecord": true}

// authKind is the kind of operation an operation is authorized as: a mutation whose root fields are all reader
// mutations needs what a query needs ("query"); any other operation, its own kind.
func authKind(oc *graphql.OperationContext, kind string) string {
	if kind != string(ast.Mutation) || oc.Operation == nil {
		return kind
	}
	fields := graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Mutation"})
	for _, f := range fields {
		if !readerMutations[f.Name] && f.Name != "__typename" {
			return kind
		}
	}
	if len(fields) == 0 {
		return kind
	}
	return string(ast.Query)
}

// requireEditor refuses callers without the editor role: UNAUTHENTICATED without a token, FORBIDDEN with one.
func requireEditor(ctx context.Context, what string) error {
	p, err := principalFrom(ctx)
	switch {
	case err != nil:
		return err
	case p.Role >= Editor:
		return nil
	case p.Role == Anonymous:
		return &chainmap.Error{Code: chainmap.CodeUnauthenticated, Message: what + " are for editors: send a token with the editor role"}
	}
	return &chainmap.Error{Code: chainmap.CodeForbidden, Message: fmt.Sprintf("%s are for editors; this token has the %s role", what, p.Role)}
}

// isEditor reports whether the caller has the editor role.
func isEditor(ctx context.Context) bool {
	p, err := principalFrom(ctx)
	return err == nil && p.Role >= Editor
}

// hiddenKinds are the change kinds the caller may not read: flags, unless an editor asks.
func hiddenKinds(ctx context.Context) []chainmap.ChangeKind {
	if isEditor(ctx) {
		return nil
	}
	return []chainmap.ChangeKind{chainmap.ChangeFlag}
}

// checkKindsVisible refuses a reader who asks for flag changes by name: they would never come.
func checkKindsVisible(ctx context.Context, kinds []chainmap.ChangeKind) error {
	for _, k := range kinds {
		if k == chainmap.ChangeFlag && !isEditor(ctx) {
			return requireEditor(ctx, "flag changes")
		}
	}
	return nil
}

func (in FlagInput) domain(ctx context.Context) (chainmap.NewFlag, error) {
	err := firstErr(chainmap.CheckID("input.recordId", in.RecordID), chainmap.CheckFlagNote("input.note", in.Note))
	if err == nil && in.Field != nil {
		err = chainmap.CheckFlagField("input.field", *in.Field)
	}
	if err == nil && in.SourceURL != nil {
		err = chainmap.CheckSourceURL("input.sourceUrl", *in.SourceURL)
	}
	if err != nil {
		return chainmap.NewFlag{}, err
	}
	by := author(ctx)
	if by == "" {
		by = chainmap.AnonymousReader
	}
	return chainmap.NewFlag{RecordID: in.RecordID, Field: deref(in.Field), Note: in.Note, SourceURL: deref(in.SourceURL),
		By: by, Client: clientFrom(ctx)}, nil
}

// flagResolution checks an editor's resolution: EDITED names an edit (a change-log seq), REJECTED says why.
func flagResolution(id string, resolution chainmap.FlagResolution, note, editSeq *string, by string) (chainmap.FlagResolutionInput, error) {
	in := chainmap.FlagResolutionInput{ID: id, Resolution: resolution, Note: deref(note), By: by}
	switch resolution {
	case chainmap.ResolveEdited:
		if editSeq == nil {
			return in, chainmap.Invalid("editSeq", "an EDITED resolution names the change-log entry of the edit")
		}
		seq, err := parseSeq("editSeq", *editSeq)
		if err != nil {
			return in, err
		}
		in.EditSeq = seq
		if note != nil {
			return in, chainmap.CheckFlagNote("note", *note)
		}
	case chainmap.ResolveRejected:
		if editSeq != nil {
			return in, chainmap.Invalid("editSeq", "only an EDITED resolution names an edit")
		}
		if note == nil {
			return in, chainmap.Invalid("note", "a rejection says why the record stands")
		}
		return in, chainmap.CheckFlagNote("note", *note)
	}
	return in, nil
}

// flagRate bounds how often each client may flag: a token bucket per client, refilled over time. Buckets that
// have refilled completely are forgotten, so memory follows the clients that flagged recently.
type flagRate struct {
	rate chainmap.FlagRate
	now  func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newFlagRate(r chainmap.FlagRate) *flagRate {
	return &flagRate{rate: chainmap.WithDefaults(r, chainmap.DefaultFlagRate), now: time.Now, buckets: map[string]*bucket{}}
}

// take spends one of the client's flags, or says how long until it has one.
func (l *flagRate) take(client string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.buckets) > 10_000 {
		l.forget(now)
	}
	b, ok := l.buckets[client]
	if !ok {
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.buckets[client] = b
	}
	b.tokens = math.Min(float64(l.rate.Burst), b.tokens+float64(now.Sub(b.at))/float64(l.rate.Refill))
	b.at = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) * float64(l.rate.Refill)), false
	}
	b.tokens--
	return 0, true
}

// forget drops the buckets that are full again.
func (l *flagRate) forget(now time.Time) {
	for c, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.at))/float64(l.rate.Refill) >= float64(l.rate.Burst) {
			delete(l.buckets, c)
		}
	}
}

// errTooManyFlags is what a client that flags faster than the rate gets.
func errTooManyFlags(wait time.Duration) error {
	return &chainmap.Error{Code: chainmap.CodeTooManyRequests, Message: fmt.Sprintf(
		"you have flagged many records in a short time: try again in %s", wait.Round(time.Second)+time.Second)}
}
