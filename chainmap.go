// Package chainmap holds the domain of the Jing-Jin-Ji industrial chain maps: chain maps and their segments,
// enterprises and their sites, regions, bottlenecks, R&D→manufacturing links, indicators and the sources that
// back every curated fact. It imports only the standard library; the adapters (neo4jdb, graph, loader) and the
// binary in cmd/chainmap depend on it, never the other way round.
package chainmap

// Confidence says how a curated fact is known.
type Confidence string

const (
	// Reported facts are stated by a cited source.
	Reported Confidence = "REPORTED"
	// Illustrative facts are general industry structure that no Jing-Jin-Ji source spells out.
	Illustrative Confidence = "ILLUSTRATIVE"
)

// Provenance is carried by every curated record: how it is known and which sources say so.
type Provenance struct {
	Confidence Confidence
	SourceIDs  []string
	Evidence   string // what the sources state, in one sentence
	// SourcingNote says what is known about the sources themselves, e.g. that only a copy of the original
	// report was found and where it was looked for.
	SourcingNote string
}

// Source is a report, article or official release that curated facts cite.
type Source struct {
	ID          string
	Title       string
	Publisher   string
	URL         string
	Date        string // YYYY, YYYY-MM or YYYY-MM-DD
	Reliability Reliability
	Language    string
	Note        string
}

// ChainMap is one of the six trans-regional industrial chain maps.
type ChainMap struct {
	ID             string
	Name           string
	NameZh         string
	NameEn         string
	Aliases        []string
	LeadRegionCode string // GB/T 2260 code of the leading region, if a source names one
	MapPublished   string // date the map was first published, if known
	Description    string
	SegmentIDs     []string // in chain order (filled by reads, not by the loader)
	Provenance
}

// Name returns the display name of a record with a Chinese and an English name: the English one if any.
func Name(nameZh, nameEn string) string {
	if nameEn != "" {
		return nameEn
	}
	return nameZh
}
