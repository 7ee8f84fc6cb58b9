package chainmap

// LoadOptions tunes a load of curated data.
type LoadOptions struct {
	// Prune removes curated records (and curated relationships) that the dataset no longer contains. Synthetic
	// data and data created through the API are never pruned.
	Prune bool
	// Progress, if set, is called after each batch. Returning an error aborts the load, which then leaves the
	// graph as it was.
	Progress func(Progress) error
}

// Progress reports how far a long job has come.
type Progress struct {
	Step  string // what is being written, e.g. "Enterprise nodes"
	Done  int    // rows done so far, over the whole job
	Total int    // rows in the whole job
}

// LoadCounts says what a load did to one kind of node or relationship.
type LoadCounts struct {
	Kind      string // a node label or relationship type
	Created   int
	Updated   int
	Unchanged int
	Removed   int
}

// LoadSummary lists the counts of a load, nodes first, in a stable order.
type LoadSummary []LoadCounts

// Total adds up the counts of every kind.
func (s LoadSummary) Total() LoadCounts {
	t := LoadCounts{Kind: "total"}
	for _, c := range s {
		t.Created += c.Created
		t.Updated += c.Updated
		t.Unchanged += c.Unchanged
		t.Removed += c.Removed
	}
	return t
}
