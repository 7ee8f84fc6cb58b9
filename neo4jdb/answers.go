package neo4jdb

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/chainmap/chainmap"
)

// Answers kept for reuse. A whole-place analysis (a city's or a province's scenario) takes seconds at 100,000
// firms, and planners ask the same one again and again — the map's toggle, the region page, its download —
// while the graph has not changed. So its answer is kept with the graph's version at the time it was read, and
// asking again runs the same one statement with that version as $known: the statement reads the version first
// (versionGate) and, when it is still $known, stops there and returns no row; the kept answer is then the
// answer. A request's round trips stay one, kept or not; a client's bookmark holds as for any read (the version
// is read after the writes it names are applied); and across replicas each keeps its own answers against the
// one graph's version. One request at a time asks a given question of Neo4j, the others waiting their turn:
// twenty planners opening one province's scenario cost one computation and nineteen checks, not twenty
// computations — also just after the graph changed.
//
// Kept answers are kept fresh too (KeepAnswersFresh, run by `chainmap serve`): once the graph has not changed
// for a while, the questions asked most recently whose answers a change made stale are asked again in the
// background, one at a time, so that the planner who asks next after an editor's change finds the answer kept
// instead of waiting for it. A request that asks meanwhile waits its turn behind the refresh, as behind another
// request, and finds the answer it computed.
//
// The version is the change log's seq and epoch ("seq|epoch"). Every change a client can make takes a seq
// (changes.go). What changes the graph without a change log entry — a gen run's batches before its last,
// deleting synthetic data, a reindex, a migration, a restore — draws a new epoch (newEpoch), and so does a
// change log made anew (appendChange, after DeleteAll, which deletes it last). The answer is read after the
// version, so it is never older than the version it is kept with.

// versionGate starts a statement whose answer may be kept: version_ is the graph's version, and no row is left
// when it is $known. The statement returns version_ with its answer.
const versionGate = `OPTIONAL MATCH (v_:ChangeLog {id: 'main'})
WITH ` + graphVersion + ` AS version_ WHERE version_ <> $known
`

// graphVersion is the graph's version, from the change log's node v_.
const graphVersion = `coalesce(toString(v_.seq), '') + '|' + coalesce(v_.epoch, '')`

// newEpoch gives the graph a new version without a change log entry: for writes that take no seq. It is such
// a transaction's last statement (it locks the change log's node until the commit, as appendChange does).
const newEpoch = `MATCH (l:ChangeLog {id: 'main'}) SET l.epoch = randomUUID()`

// answers keeps up to max answers (a statement's one record, as a map: decoded anew for every caller, who may
// change what it gets) by method and parameters. A nil answers keeps nothing.
type answers struct {
	max  int
	mu   sync.Mutex
	kept map[string]*answer
	tick uint64 // for least recently used
}

type answer struct {
	turn chan struct{} // held by the one request asking this question of Neo4j

	// The question, to ask it again (KeepAnswersFresh). Set when the entry is made.
	method, cypher string
	params         map[string]any

	// Read and written by the holder of turn only.
	record map[string]any // the statement's record

	// Under answers.mu (written by the holder of turn only).
	version string    // the version record was read at; "" until an answer is kept
	used    uint64    // when a request last asked it (answers.tick; a refresh does not count)
	askedAt time.Time // the same, in time
	users   int       // requests waiting for or holding turn; an entry in use is not dropped
}

func newAnswers(max int) *answers {
	if max <= 0 {
		return nil
	}
	return &answers{max: max, kept: map[string]*answer{}}
}

// keptAnalysis runs an analysis statement that starts with versionGate and returns version_, in a slot, and
// returns its record: the one kept for these parameters when the graph's version is still the one it was
// read at, else the statement's, which it keeps.
func (db *DB) keptAnalysis(ctx context.Context, method, cypher string, params map[string]any) (map[string]any, error) {
	run := func(known string) (map[string]any, error) {
		p := make(map[string]any, len(params)+1)
		for k, v := range params {
			p[k] = v
		}
		p["known"] = known
		res, err := db.analysis(ctx, method, cypher, p)
		if err != nil {
			return nil, err
		}
		if len(res.Records) == 0 {
			if known == "" {
				return nil, errNoVersion
			}
			return nil, nil // the version is still known
		}
		return res.Records[0].AsMap(), nil
	}
	a := db.answers
	if a == nil {
		rec, err := run("")
		if err == nil {
			db.answered(method, false)
		}
		return rec, err
	}
	key, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	e := a.enter(method+string(key), method, cypher, params, !refreshing(ctx))
	defer a.leave(e)
	select { // one request at a time per question: the others then find its answer kept
	case e.turn <- struct{}{}:
		defer func() { <-e.turn }()
	case <-ctx.Done():
		return nil, chainmap.ErrBusy
	}
	a.mu.Lock()
	known := e.version
	a.mu.Unlock()
	rec, err := run(known)
	if err != nil {
		return nil, err
	}
	if !refreshing(ctx) {
		db.answered(method, rec == nil)
	}
	if rec == nil {
		return e.record, nil
	}
	e.record = rec
	a.mu.Lock()
	e.version = versionOf(rec)
	a.mu.Unlock()
	return rec, nil
}

// enter returns the entry of the question k (method's statement cypher with params), made if new, marked in
// use, and as used now if a request asked it (not a refresh); it drops the least recently used entry not in
// use past max.
func (a *answers) enter(k, method, cypher string, params map[string]any, asked bool) *answer {
	a.mu.Lock()
	defer a.mu.Unlock()
	e := a.kept[k]
	if e == nil {
		e = &answer{turn: make(chan struct{}, 1), method: method, cypher: cypher, params: params}
		a.kept[k] = e
	}
	e.users++
	if asked {
		a.tick++
		e.used, e.askedAt = a.tick, time.Now()
	}
	if len(a.kept) > a.max {
		var oldest string
		for k, x := range a.kept {
			if x.users == 0 && (oldest == "" || x.used < a.kept[oldest].used) {
				oldest = k
			}
		}
		delete(a.kept, oldest)
	}
	return e
}

func (a *answers) leave(e *answer) {
	a.mu.Lock()
	e.users--
	a.mu.Unlock()
}

// errNoVersion: a statement asked with no version known returned no row: it does not start with versionGate.
var errNoVersion = errors.New("an analysis kept for reuse returned no row")

func versionOf(rec map[string]any) string {
	v, _ := rec["version_"].(string)
	return v
}

// answered reports one analysis answer, computed or kept, to Config.OnAnswer.
func (db *DB) answered(method string, kept bool) {
	if db.cfg.OnAnswer != nil {
		db.cfg.OnAnswer(method, kept)
	}
}

// Freshness says how KeepAnswersFresh keeps kept answers fresh.
type Freshness struct {
	Poll   time.Duration // how often the graph's version is read
	Quiet  time.Duration // how long the version must hold before stale answers are asked again
	Max    int           // how many stale questions are asked again after a change, most recently asked first
	Within time.Duration // only questions a request asked this recently are asked again
}

// KeepAnswersFresh reads the graph's version every f.Poll until ctx ends; once a new version has held for
// f.Quiet, it asks again the stale questions (RefreshAnswers). It does nothing when no answers are kept.
func (db *DB) KeepAnswersFresh(ctx context.Context, f Freshness, log *slog.Logger) {
	if db.answers == nil || f.Max <= 0 || f.Poll <= 0 {
		return
	}
	var seen, done string // the version last read, and the last one answers were refreshed for
	var since time.Time   // when seen was first read
	failing := false      // the last read failed: an outage is logged once, not every poll
	t := time.NewTicker(f.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v, err := db.GraphVersion(ctx)
		if err != nil {
			if !failing && ctx.Err() == nil {
				log.Warn("could not read the graph's version to keep answers fresh", "err", err)
			}
			failing = true
			continue
		}
		failing = false
		if v != seen {
			seen, since = v, time.Now()
			continue
		}
		if v == done || time.Since(since) < f.Quiet {
			continue
		}
		done = v
		start := time.Now()
		n, err := db.RefreshAnswers(ctx, f.Max, f.Within)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("could not ask kept questions again", "asked", n, "err", err)
		case n > 0:
			log.Info("asked kept questions again after a change", "asked", n, "took", time.Since(start).Round(time.Millisecond))
		}
	}
}

// GraphVersion reads the graph's version: the one kept answers are kept with.
func (db *DB) GraphVersion(ctx context.Context) (string, error) {
	res, err := db.read(ctx, "GraphVersion", `OPTIONAL MATCH (v_:ChangeLog {id: 'main'}) RETURN `+graphVersion+` AS version_`, nil)
	if err != nil {
		return "", err
	}
	return versionOf(res.Records[0].AsMap()), nil
}

// RefreshAnswers asks again, most recently asked first, at most max of the questions a request asked within
// the last within whose kept answers were read at a version other than the graph's, each in its turn and an
// analysis slot, and returns how many it asked. It stops at the first error.
func (db *DB) RefreshAnswers(ctx context.Context, max int, within time.Duration) (int, error) {
	a := db.answers
	if a == nil {
		return 0, nil
	}
	v, err := db.GraphVersion(ctx)
	if err != nil {
		return 0, err
	}
	ctx = context.WithValue(ctx, refreshKey{}, true)
	asked := 0
	for _, e := range a.stale(v, max, time.Now().Add(-within)) {
		if _, err := db.keptAnalysis(ctx, e.method, e.cypher, e.params); err != nil {
			return asked, err
		}
		asked++
	}
	return asked, nil
}

// stale lists, most recently asked first, at most max questions asked after since whose answers were kept at
// a version other than v.
func (a *answers) stale(v string, max int, since time.Time) []*answer {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []*answer
	for _, e := range a.kept {
		if e.version != "" && e.version != v && e.askedAt.After(since) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(x, y *answer) int { return y.askedAt.Compare(x.askedAt) })
	return out[:min(max, len(out))]
}

type refreshKey struct{}

// refreshing reports whether ctx is a refresh's (RefreshAnswers): not a request's question, so neither
// counted as an answer nor as asked.
func refreshing(ctx context.Context) bool {
	r, _ := ctx.Value(refreshKey{}).(bool)
	return r
}
