// Package seeds embeds the curated seed files (see README.md) so that the chainmap binary can load them
// without a checkout.
package seeds

import "embed"

// FS holds every seed file: sources.yaml, regions.yaml, indicators.yaml, chains/, actors/ and the spreadsheets of
// csv/ (CSV and XLSX).
//
//go:embed *.yaml chains actors csv
var FS embed.FS
