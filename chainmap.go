// Package chainmap holds the domain of the Jing-Jin-Ji industrial chain maps: chain maps and their segments,
// enterprises and their sites, regions, bottlenecks, R&D→manufacturing links, indicators and the sources that
// back every curated fact. It imports only the standard library; the adapters (neo4jdb, graph, loader) and the
// binary in cmd/chainmap depend on it, never the other way round.
package chainmap

import "regexp"

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
	// SourcesAsOf is the date of the newest dated source cited (YYYY, YYYY-MM or YYYY-MM-DD; "" when none is
	// dated), filled by reads that ask for it.
	SourcesAsOf string
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
	Related     Related // what the request read alongside, by response key
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
	SegmentIDs     []string       // in chain order (filled by reads, not by the loader)
	Progress       []YearProgress // bottlenecks per year (filled by reads when asked for)
	Provenance
	Related Related // what the request read alongside, by response key
}

// Name returns the display name of a record with a Chinese and an English name: the English one if any.
func Name(nameZh, nameEn string) string {
	if nameEn != "" {
		return nameEn
	}
	return nameZh
}

// The three province-level units of Jing-Jin-Ji, by GB/T 2260 code.
const (
	Beijing = "110000"
	Tianjin = "120000"
	Hebei   = "130000"
)

// Provinces are the codes of Beijing, Tianjin and Hebei.
var Provinces = []string{Beijing, Tianjin, Hebei}

// The "R&D in Beijing, manufacturing in Tianjin–Hebei" rule: an enterprise with a site of an RDSiteKinds kind in
// Beijing and a site of a ProductionSiteKinds kind in Tianjin or Hebei is such a link, as is a technology transfer
// a source states.
var (
	RDSiteKinds         = []SiteKind{RD, HQ}
	ProductionSiteKinds = []SiteKind{Manufacturing, Assembly, Pilot}
)

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	codePattern = regexp.MustCompile(`^[0-9]{6}$`)
)

// MaxIDLength bounds ids.
const MaxIDLength = 100

// ValidID reports whether id is a record id: lower-case letters, digits and '-', starting with a letter or
// digit, at most MaxIDLength bytes.
func ValidID(id string) bool { return len(id) <= MaxIDLength && idPattern.MatchString(id) }

// ValidRegionCode reports whether code has the shape of a GB/T 2260 code: six digits.
func ValidRegionCode(code string) bool { return codePattern.MatchString(code) }
