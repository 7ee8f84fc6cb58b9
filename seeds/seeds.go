// Package seeds embeds the curated seed files (see README.md) so that the chainmap binary can load them
// without a checkout.
package seeds

import "embed"

// FS holds every seed file: the top-level YAML files (sources.yaml, regions.yaml, indicators.yaml, lists.yaml and
// hosts.yaml), chains/, actors/ and firms/ (the firms placed in segments by first-party pages, one file per chain).
// A csv/ folder, once one exists, must be added to the go:embed line as well.
//
//go:embed *.yaml chains actors firms
var FS embed.FS
