package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/loader"
)

// The curated seeds ship clean: `chainmap audit` on the embedded seeds finds no error. Warnings are allowed
// (they are listed, with file and line, in the output).
func TestAuditSeeds(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"audit"}, &stdout, &stderr)
	if err != nil {
		var errs []string
		for _, line := range strings.Split(stdout.String(), "\n") {
			if strings.Contains(line, ": error [") {
				errs = append(errs, line)
			}
		}
		t.Fatalf("chainmap audit = %v; errors:\n%s", err, strings.Join(errs, "\n"))
	}
	if !strings.Contains(stdout.String(), "Findings: 0 errors") {
		t.Errorf("audit output has no 'Findings: 0 errors' line:\n%s", stdout.String())
	}
}

func TestAuditJSONAndFailure(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/bad.yaml", "sources:\n  - {id: s, title: 标题, publisher: X, url: \"http://10.0.0.1/a\", date: 2024, reliability: MEDIA, language: zh}\n"+
		"parks:\n  - {id: p, nameEn: P, region: \"110000\", confidence: ILLUSTRATIVE, sources: [s]}\n"+
		"regions:\n  - {code: \"110000\", nameZh: 北京市, level: PROVINCE, confidence: ILLUSTRATIVE, sources: [s]}\n")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"audit", "-json", dir}, &stdout, &stderr)
	if !errors.Is(err, errAuditFailed) {
		t.Fatalf("audit of a bare-IP source = %v, want errAuditFailed", err)
	}
	var rep loader.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("-json output does not decode: %v\n%s", err, stdout.String())
	}
	if rep.Errors() != 1 || rep.Findings[0].Class != "source/bare-ip-host" {
		t.Errorf("findings = %+v, want one source/bare-ip-host error", rep.Findings)
	}
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
