package neo4jdb

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

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
// The version is the change log's seq and epoch ("seq|epoch"). Every change a client can make takes a seq
// (changes.go). What changes the graph without a change log entry — a gen run's batches before its last,
// deleting synthetic data, a reindex, a migration, a restore — draws a new epoch (newEpoch), and so does a
// change log made anew (appendChange, after DeleteAll, which deletes it last). The answer is read after the
// version, so it is never older than the version it is kept with.

// versionGate starts a statement whose answer may be kept: version_ is the graph's version, and no row is left
// when it is $known. The statement returns version_ with its answer.
const versionGate = `OPTIONAL MATCH (v_:ChangeLog {id: 'main'})
WITH coalesce(toString(v_.seq), '') + '|' + coalesce(v_.epoch, '') AS version_ WHERE version_ <> $known
`

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

	// Read and written by the holder of turn only.
	version string         // "" until an answer is kept
	record  map[string]any // the statement's record

	// Under answers.mu.
	used  uint64 // when last asked (answers.tick)
	users int    // requests waiting for or holding turn; an entry in use is not dropped
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
	e := a.enter(method + string(key))
	defer a.leave(e)
	select { // one request at a time per question: the others then find its answer kept
	case e.turn <- struct{}{}:
		defer func() { <-e.turn }()
	case <-ctx.Done():
		return nil, chainmap.ErrBusy
	}
	rec, err := run(e.version)
	if err != nil {
		return nil, err
	}
	db.answered(method, rec == nil)
	if rec == nil {
		return e.record, nil
	}
	e.version, e.record = versionOf(rec), rec
	return rec, nil
}

// enter returns the entry of the question k, made if new, marked in use and as used now; it drops the least
// recently used entry not in use past max.
func (a *answers) enter(k string) *answer {
	a.mu.Lock()
	defer a.mu.Unlock()
	e := a.kept[k]
	if e == nil {
		e = &answer{turn: make(chan struct{}, 1)}
		a.kept[k] = e
	}
	a.tick++
	e.used, e.users = a.tick, e.users+1
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
