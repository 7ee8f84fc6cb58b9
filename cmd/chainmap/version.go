package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/chainmap/chainmap/graph"
)

// Set by the Makefile and the Dockerfile: -ldflags "-X main.version=… -X main.commit=…". A plain `go build` in
// a git checkout leaves them empty, and the Go toolchain's VCS stamp (debug.ReadBuildInfo) gives both.
var (
	version string
	commit  string
)

// buildInfo says which build this is: what `chainmap version` prints and the chainmap_build_info metric carries.
type buildInfo struct {
	Version    string // a tag (v0.1.0), `git describe` output, or the toolchain's pseudo-version; "dev" if none
	Commit     string // the git commit, "+dirty" when built from a modified tree; "unknown" if none
	GoVersion  string
	SchemaHash string // graph.SchemaHash: the GraphQL schema this build serves
}

func readBuildInfo() buildInfo {
	bi := buildInfo{Version: version, Commit: commit, GoVersion: runtime.Version(), SchemaHash: graph.SchemaHash()}
	if info, ok := debug.ReadBuildInfo(); ok {
		if bi.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			bi.Version = info.Main.Version
		}
		var rev, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if bi.Commit == "" && rev != "" {
			bi.Commit = rev
			if modified == "true" {
				bi.Commit += "+dirty"
			}
		}
	}
	if bi.Version == "" {
		bi.Version = "dev"
	}
	if bi.Commit == "" {
		bi.Commit = "unknown"
	}
	return bi
}

func versionCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	bi := readBuildInfo()
	fmt.Fprintf(stdout, "chainmap %s\ncommit  %s\ngo      %s\nschema  %s\n", bi.Version, bi.Commit, bi.GoVersion, bi.SchemaHash)
	return nil
}
