// Package seeds embeds the curated seed files (see README.md) so that the chainmap binary can load them
// without a checkout.
package seeds

import "embed"

// FS holds every seed file: the top-level YAML files (sources.yaml, regions.yaml, indicators.yaml, lists.yaml and
// hosts.yaml), chains/, actors/, firms/ (the firms placed in segments by first-party pages, one file per chain)
// and the spreadsheets of csv/ (CSV and XLSX). seeds_test.go checks that every seed file here is embedded.
//
//go:embed *.yaml chains actors firms csv
var FS embed.FS
