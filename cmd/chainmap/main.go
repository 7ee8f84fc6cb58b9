// Command chainmap serves the Jing-Jin-Ji industrial chain maps as a GraphQL API over Neo4j, and loads,
// checks and generates the data behind it. Run `chainmap -h` for the subcommands and their settings.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
)

const usage = `chainmap serves the Beijing–Tianjin–Hebei industrial chain maps as a GraphQL API over Neo4j.

Usage:
  chainmap <command> [flags] [args]

Commands:
  serve     serve GraphQL (and the IDE) at /graphql, plus /schema.graphql, /healthz, /readyz, /metrics, exports, reports, the explorer
  migrate   apply the Neo4j constraints and indexes (schema/*.cypher); idempotent
  reindex   rebuild the maintained aggregates (exposures, regions' counts) from the graph
  load      validate seed files and write them to Neo4j in one transaction: load [-dry-run] [-prune] [PATH...]
  audit     report source quality, copy-only facts, rule breaks and likely duplicates in the seeds: audit [-json] [PATH...]
  gen       generate synthetic enterprises and supply links on the real skeleton (for load tests)
  export    write enterprises.csv|.xlsx, bottlenecks.csv|.xlsx or graph.graphml|.gexf: export [-o PATH] FILE [param=value...]
  dump      write the whole graph as seed files that load reads back: dump [-o DIR]
  restore   load a dump into an empty database and replay the archived changes after it: restore [-to SEQ] DUMP [ARCHIVE...]
  health    exit 0 when a URL answers 2xx (a container health check): health URL
  version   print the version, commit, Go version and schema hash of this build

Every flag can also be set by the environment variable shown in its help; flags win.
Run 'chainmap <command> -h' for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "chainmap:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// run dispatches to a subcommand. It is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"serve":   serve,
		"migrate": migrate,
		"load":    load,
		"reindex": reindex,
		"gen":     gen,
		"audit":   audit,
		"export":  exportCmd,
		"dump":    dumpCmd,
		"restore": restoreCmd,
		"health":  health,
		"version": versionCmd,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "chainmap: unknown command %q\n\n%s", args[0], usage)
		return errUsage
	}
	return cmd(ctx, args[1:], stdout, stderr)
}

// envVar matches the "[ENV_VAR]" at the end of a flag's usage text.
var envVar = regexp.MustCompile(`\[([A-Z][A-Z0-9_]*)\]$`)

// newFlagSet returns a flag set for a command. A flag whose usage ends in [ENV_VAR] takes its value from that
// environment variable when the command line does not set it.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: chainmap %s\n\nFlags (a flag left unset takes the environment variable in brackets):\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses the command line, then fills unset flags from their environment variables. A bad flag becomes
// errUsage (the flag package has already said why); a bad environment value an error naming the variable.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		m := envVar.FindStringSubmatch(f.Usage)
		if m == nil || set[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(m[1]); ok && v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("environment variable %s=%q: %v", m[1], v, e)
			}
		}
	})
	return err
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}
