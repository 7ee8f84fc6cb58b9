// Package web embeds the browser assets built by `npm run build` in this folder (make web): the offline
// GraphQL IDE and the explorer page. A fresh clone has only dist/.gitkeep; the server then says the assets
// are missing instead of failing to compile.
package web

import "embed"

// Dist holds dist/<page>/ for each built page.
//
//go:embed all:dist
var Dist embed.FS
