package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
)

// progress shows how far a long job has come: a bar redrawn in place on a terminal, plain lines (at most one
// every two seconds) otherwise, so that logs stay readable.
type progress struct {
	w        io.Writer
	name     string
	tty      bool
	start    time.Time
	counting time.Time // when the count in the current unit began (chainmap.Progress.Unit): the rate is over it
	lastLine time.Time
	last     chainmap.Progress
}

func newProgress(w io.Writer, name string) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if info, err := f.Stat(); err == nil {
			tty = info.Mode()&os.ModeCharDevice != 0
		}
	}
	now := time.Now()
	return &progress{w: w, name: name, tty: tty, start: now, counting: now}
}

// update has the signature of chainmap.LoadOptions.Progress; it never aborts the job.
func (p *progress) update(ev chainmap.Progress) error {
	if ev.Unit != p.last.Unit {
		p.counting = time.Now()
	}
	p.last = ev
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", p.line(ev))
		return nil
	}
	if time.Since(p.lastLine) >= 2*time.Second || ev.Done == ev.Total {
		p.lastLine = time.Now()
		fmt.Fprintln(p.w, p.line(ev))
	}
	return nil
}

func (p *progress) line(ev chainmap.Progress) string {
	frac := 1.0
	if ev.Total > 0 {
		frac = float64(ev.Done) / float64(ev.Total)
	}
	const width = 30
	fill := int(frac * width)
	elapsed := time.Since(p.counting).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(ev.Done) / elapsed
	}
	unit := cmp.Or(ev.Unit, "rows")
	return fmt.Sprintf("%s [%s%s] %3.0f%% %d/%d %s, %.0f %s/s (%s)", p.name, strings.Repeat("#", fill),
		strings.Repeat(".", width-fill), frac*100, ev.Done, ev.Total, unit, rate, unit, ev.Step)
}

// finish ends the bar's line and says how the job ended.
func (p *progress) finish(err error) {
	if p.tty && p.last.Total > 0 {
		fmt.Fprintln(p.w)
	}
	status := "done"
	if err != nil {
		status = "failed"
	}
	fmt.Fprintf(p.w, "%s %s in %s\n", p.name, status, time.Since(p.start).Round(time.Millisecond))
}
