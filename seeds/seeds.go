// Package seeds embeds the curated seed files (see README.md) so that the chainmap binary can load them
// without a checkout.
package seeds

import "embed"

// FS holds every seed file: sources.yaml, regions.yaml, indicators.yaml, chains/, actors/ and csv/.
//
//go:embed *.yaml chains actors
var FS embed.FS
