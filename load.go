package chainmap

import "errors"

// DefaultMaxPrune is the largest share of the curated nodes in the graph that a pruning load deletes unless
// forced: a seed folder that lost a fifth of its records is more likely a mistake than an edit.
const DefaultMaxPrune = 0.2

// ErrPruneRefused is returned, and nothing is written, when a pruning load would delete every curated node
// (an empty dataset), more than LoadOptions.MaxPrune of them, or nodes that records created through the API
// or by gen still refer to; LoadOptions.Force overrides it.
var ErrPruneRefused = errors.New("prune refused")

// LoadOptions tunes a load of curated data.
type LoadOptions struct {
	// Prune removes curated records (and curated relationships) that the dataset no longer contains. Synthetic
	// data and data created through the API are never pruned.
	Prune bool
	// MaxPrune is the largest share (0–1) of the curated nodes that Prune may delete; 0 means DefaultMaxPrune.
	MaxPrune float64
	// Force prunes even when the dataset is empty or the prune is larger than MaxPrune.
	Force bool
	// Reset puts the seed values back where editors changed curated records (and brings back the curated
	// records they deleted), writing each reset into the change log and a reset status into the bottleneck's
	// history. Without it a load leaves every edited field as the editor set it.
	Reset bool
	// Progress, if set, is called after each batch. Returning an error aborts the load, which then leaves the
	// graph as it was.
	Progress func(Progress) error
}

// Progress reports how far a long job has come.
type Progress struct {
	Step  string // what is being written, e.g. "Enterprise nodes"
	Done  int    // rows done so far, over the whole job (or over this part of it, when Unit is set)
	Total int    // rows in the whole job (or in this part)
	Unit  string // what Done and Total count when not rows, e.g. "firms" (gen publishing in batches)
}

// LoadCounts says what a load did to one kind of node or relationship.
type LoadCounts struct {
	Kind      string // a node label or relationship type
	Created   int
	Updated   int
	Unchanged int
	Removed   int
}

// LoadSummary says what a load did: the counts per kind, nodes first, in a stable order; the fields editors
// set that it left alone (Kept), and among them those whose seed value changed since the edit (Conflicts);
// the records a -reset put back (Reset).
type LoadSummary struct {
	Counts    []LoadCounts
	Kept      int
	Conflicts []LoadConflict
	Reset     int
}

// LoadConflict is an edited field whose value in the seed files changed since the editor set it: the load
// kept the editor's value; `load -reset` would put SeedNow back. Values are JSON.
type LoadConflict struct {
	Kind, ID, Field          string
	SeedThen, SeedNow, Value string
	By, At                   string // who set the field last, and when
}

// Total adds up the counts of every kind.
func (s LoadSummary) Total() LoadCounts {
	t := LoadCounts{Kind: "total"}
	for _, c := range s.Counts {
		t.Created += c.Created
		t.Updated += c.Updated
		t.Unchanged += c.Unchanged
		t.Removed += c.Removed
	}
	return t
}
