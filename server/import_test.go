package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/seeds"
	"github.com/chainmap/chainmap/server"
)

const (
	editorKey = "sheets-editor-key-0001"
	viewerKey = "sheets-viewer-key-0001"
)

// importServer serves exports and uploads over the test Neo4j loaded with the seeds.
func importServer(t *testing.T) (*httptest.Server, *neo4jdb.DB) {
	t.Helper()
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	auth := graph.Auth{APIKeys: map[string]graph.Principal{
		editorKey: {Subject: "alice", Role: graph.Editor}, viewerKey: {Subject: "victor", Role: graph.Viewer}}}
	srv := httptest.NewServer(server.New(server.Config{
		GraphQL: graph.NewHandler(db, graph.Options{Auth: auth}), Ready: db.Ping, Metrics: server.NewMetrics(),
		Exports: db, Imports: db, Editor: auth.Editor,
	}))
	t.Cleanup(srv.Close)
	return srv, db
}

func download(t *testing.T, srv *httptest.Server, path string) []byte {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return b
}

type importReply struct {
	chainmap.ImportResult
	Error *struct {
		Code     string                  `json:"code"`
		Message  string                  `json:"message"`
		Problems []chainmap.SheetProblem `json:"problems"`
	} `json:"error"`
}

// upload posts a file as a multipart form, with the token and the plan if given.
func upload(t *testing.T, srv *httptest.Server, action, name string, data []byte, token, plan string, header ...string) (int, importReply) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	if plan != "" {
		mw.WriteField("plan", plan)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/import/"+action, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r importReply
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("POST /import/%s: %d, not JSON: %s", action, resp.StatusCode, b)
	}
	return resp.StatusCode, r
}

// editXLSX sets the cell of column in the row of id in a sheet of the workbook.
func editXLSX(t *testing.T, data []byte, sheet, id, column, value string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], column)
	for i, r := range rows {
		if len(r) > 0 && r[0] == id && col >= 0 {
			cell, _ := excelize.CoordinatesToCellName(col+1, i+1)
			if err := f.SetCellStr(sheet, cell, value); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := f.Write(&out); err != nil {
				t.Fatal(err)
			}
			return out.Bytes()
		}
	}
	t.Fatalf("no row %q or column %q in sheet %s", id, column, sheet)
	return nil
}

func changed(res chainmap.ImportResult) []chainmap.ImportRecord {
	var out []chainmap.ImportRecord
	for _, r := range res.Records {
		if r.Status != chainmap.ImportUnchanged {
			out = append(out, r)
		}
	}
	return out
}

// TestImportRoundTrip: export → edit one fact in Excel (excelize) → the preview shows exactly that change →
// apply → the graph and the change log have it, marked as an edit a load keeps → the export shows it.
func TestImportRoundTrip(t *testing.T) {
	srv, db := importServer(t)
	xlsx := download(t, srv, "/export/enterprises.xlsx?chainMapId=hydrogen")

	// The export as it is: every row unchanged.
	code, r := upload(t, srv, "preview", "enterprises.xlsx", xlsx, editorKey, "")
	if code != 200 || r.Changed+r.Added != 0 || r.Unchanged == 0 {
		t.Fatalf("preview of the untouched export: %d %+v %+v", code, r.Error, changed(r.ImportResult))
	}
	if !slices.Contains(r.Ignored, "provinces") || !slices.Contains(r.Ignored, "sources") {
		t.Errorf("ignored columns %v, want the read-only ones", r.Ignored)
	}

	edited := editXLSX(t, xlsx, "enterprises", "sinohytec", "nameEn", "SinoHytec Co., Ltd.")
	code, r = upload(t, srv, "preview", "enterprises.xlsx", edited, editorKey, "")
	want := []chainmap.FieldChange{{Column: "nameEn", Before: "SinoHytec", After: "SinoHytec Co., Ltd."}}
	if ch := changed(r.ImportResult); code != 200 || len(ch) != 1 || ch[0].ID != "sinohytec" || ch[0].Status != chainmap.ImportChanged ||
		!slices.Equal(ch[0].Changes, want) || r.Changed != 1 {
		t.Fatalf("preview: %d %+v, changed %+v, want exactly %+v", code, r.Error, ch, want)
	}
	if got := neo4jtest.Query(t, `MATCH (e:Enterprise {id: 'sinohytec'}) RETURN e.nameEn AS n`, nil)[0]["n"]; got != "SinoHytec" {
		t.Fatalf("the preview wrote: nameEn %v", got)
	}

	code, a := upload(t, srv, "apply", "enterprises.xlsx", edited, editorKey, r.Plan)
	if code != 200 || !a.Applied || len(a.Changes) != 1 {
		t.Fatalf("apply: %d %+v %+v", code, a.Error, a.ImportResult)
	}
	got := neo4jtest.Query(t, `MATCH (e:Enterprise {id: 'sinohytec'}) RETURN e.nameEn AS en, e.name AS name, e.editedFields AS fields`, nil)[0]
	if got["en"] != "SinoHytec Co., Ltd." || got["name"] != "SinoHytec Co., Ltd." || !slices.Contains(toStrings(got["fields"]), "nameEn") {
		t.Errorf("after apply: %v", got)
	}
	log := neo4jtest.Query(t, `MATCH (c:Change {seq: $seq}) RETURN c.kind AS kind, c.operation AS op, c.recordId AS id, c.author AS author, c.after AS after`,
		map[string]any{"seq": a.Changes[0]})
	if len(log) != 1 || log[0]["kind"] != "ENTERPRISE" || log[0]["op"] != "importSheet" || log[0]["id"] != "sinohytec" ||
		log[0]["author"] != "alice" || !strings.Contains(log[0]["after"].(string), "SinoHytec Co., Ltd.") {
		t.Errorf("change log: %v", log)
	}

	// Applied twice, nothing changes: the plan was for a change that is made.
	if code, again := upload(t, srv, "apply", "enterprises.xlsx", edited, editorKey, r.Plan); code != 409 || again.Error.Code != "CONFLICT" {
		t.Errorf("second apply with the first plan: %d %+v", code, again.Error)
	}
	if code, again := upload(t, srv, "apply", "enterprises.xlsx", edited, editorKey, ""); code != 200 || len(again.Changes) != 0 {
		t.Errorf("second apply: %d %+v", code, again.ImportResult)
	}

	// The export shows it; a load of the seeds keeps it (an edit, not a seed value).
	again := download(t, srv, "/export/enterprises.csv?chainMapId=hydrogen")
	if !strings.Contains(string(again), "SinoHytec Co., Ltd.") {
		t.Error("the export does not show the change")
	}
	ds, err := loader.ParseFS(seeds.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.WriteDataset(t.Context(), ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := neo4jtest.Query(t, `MATCH (e:Enterprise {id: 'sinohytec'}) RETURN e.nameEn AS n`, nil)[0]["n"]; got != "SinoHytec Co., Ltd." {
		t.Errorf("a load undid the upload's edit: nameEn %v", got)
	}
}

// A CSV of bottlenecks: a severity and a status changed; the status goes into the history, the change log has
// both entries; the sites sheet adds a site.
func TestImportCSVAndStatus(t *testing.T) {
	srv, _ := importServer(t)
	b := download(t, srv, "/export/bottlenecks.csv?chainMapId=hydrogen")
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sev, status := slices.Index(recs[0], "severity"), slices.Index(recs[0], "status")
	var id, from string
	for _, r := range recs[1:] {
		if r[status] == "OPEN" && r[sev] != "1" {
			id, from = r[0], r[status]
			r[sev], r[status] = "1", "IN_PROGRESS"
			break
		}
	}
	if id == "" {
		t.Fatal("no OPEN bottleneck in the hydrogen export")
	}
	var out bytes.Buffer
	out.WriteString("\ufeff")
	w := csv.NewWriter(&out)
	w.WriteAll(recs)
	code, r := upload(t, srv, "preview", "bottlenecks.csv", out.Bytes(), editorKey, "")
	ch := changed(r.ImportResult)
	if code != 200 || len(ch) != 1 || ch[0].ID != id || len(ch[0].Changes) != 2 {
		t.Fatalf("preview: %d %+v %+v", code, r.Error, ch)
	}
	code, a := upload(t, srv, "apply", "bottlenecks.csv", out.Bytes(), editorKey, r.Plan)
	if code != 200 || len(a.Changes) != 2 {
		t.Fatalf("apply: %d %+v %+v", code, a.Error, a.ImportResult)
	}
	got := neo4jtest.Query(t, `MATCH (b:Bottleneck {id: $id}) RETURN b.severity AS sev, b.status AS status, b.editedFields AS fields,
		COLLECT { MATCH (b)-[:HAS_STATUS_CHANGE]->(c) RETURN c.from + '>' + c.to ORDER BY c.seq DESC LIMIT 1 }[0] AS last`, map[string]any{"id": id})[0]
	if got["sev"] != int64(1) || got["status"] != "IN_PROGRESS" || got["last"] != from+">IN_PROGRESS" ||
		!slices.Contains(toStrings(got["fields"]), "severity") || !slices.Contains(toStrings(got["fields"]), "status") {
		t.Errorf("after apply: %v", got)
	}

	// A site added through the sites sheet of a workbook.
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "sites")
	f.SetSheetRow("sites", "A1", &[]any{"id", "enterprise", "kind", "region", "capacity"})
	f.SetSheetRow("sites", "A2", &[]any{"sinohytec-test-plant", "sinohytec", "MANUFACTURING", "130700", "a test line"})
	var wb bytes.Buffer
	f.Write(&wb)
	code, a = upload(t, srv, "apply", "sites.xlsx", wb.Bytes(), editorKey, "")
	if code != 200 || a.Added != 1 || len(a.Changes) != 1 {
		t.Fatalf("apply a site: %d %+v %+v", code, a.Error, a.ImportResult)
	}
	site := neo4jtest.Query(t, `MATCH (:Enterprise {id: 'sinohytec'})-[:OPERATES]->(s:Site {id: 'sinohytec-test-plant'})-[:LOCATED_IN]->(r:Region)
		RETURN r.code AS code, s.capacity AS capacity, s.origin AS origin`, nil)
	if len(site) != 1 || site[0]["code"] != "130700" || site[0]["origin"] != "api" {
		t.Errorf("the new site: %v", site)
	}
}

// A tackler's since or status changed in the tacklerIds cell: the relationship has it, and it is an edit a load
// keeps (the bottleneck's tacklerIds are marked, which own its tacklers).
func TestImportTacklers(t *testing.T) {
	srv, db := importServer(t)
	file := []byte("id,tacklerIds\nh2-bn-fc-stack,\"fcts (2024, RESOLVED); hengdong-h2 (2021, IN_PROGRESS)\"\n")
	code, r := upload(t, srv, "preview", "bottlenecks.csv", file, editorKey, "")
	want := []chainmap.FieldChange{{Column: "tacklerIds", Before: "fcts (2024, IN_PROGRESS); hengdong-h2 (2021, IN_PROGRESS)",
		After: "fcts (2024, RESOLVED); hengdong-h2 (2021, IN_PROGRESS)"}}
	if ch := changed(r.ImportResult); code != 200 || len(ch) != 1 || !slices.Equal(ch[0].Changes, want) {
		t.Fatalf("preview: %d %+v %+v, want %+v", code, r.Error, ch, want)
	}
	if code, a := upload(t, srv, "apply", "bottlenecks.csv", file, editorKey, r.Plan); code != 200 || len(a.Changes) != 1 {
		t.Fatalf("apply: %d %+v %+v", code, a.Error, a.ImportResult)
	}
	ds, err := loader.ParseFS(seeds.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.WriteDataset(t.Context(), ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	got := neo4jtest.Query(t, `MATCH (:Enterprise {id: 'fcts'})-[r:TACKLES]->(b:Bottleneck {id: 'h2-bn-fc-stack'})
		RETURN r.status AS status, r.since AS since, b.editedFields AS fields`, nil)
	if len(got) != 1 || got[0]["status"] != "RESOLVED" || got[0]["since"] != int64(2024) ||
		!slices.Contains(toStrings(got[0]["fields"]), "tacklerIds") {
		t.Errorf("after apply and a load: %v", got)
	}
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, len(list))
	for i, x := range list {
		out[i], _ = x.(string)
	}
	return out
}

// Bad uploads get clear errors — status, code, and each problem's sheet, row, column — and write nothing.
func TestImportRefuses(t *testing.T) {
	srv, db := importServer(t)
	xlsx := download(t, srv, "/export/enterprises.xlsx?chainMapId=hydrogen")
	if _, err := db.SetBottleneckStatus(t.Context(), "h2-bn-fc-stack", chainmap.Resolved, "for the test", "test"); err != nil {
		t.Fatal(err) // from RESOLVED, only OPEN is allowed
	}
	before := neo4jtest.Snapshot(t)
	seq := func() any {
		return neo4jtest.Query(t, `OPTIONAL MATCH (l:ChangeLog) RETURN coalesce(l.seq, 0) AS n`, nil)[0]["n"]
	}
	seq0 := seq()
	formula := func() []byte {
		f, _ := excelize.OpenReader(bytes.NewReader(xlsx))
		f.SetCellFormula("enterprises", "D2", `HYPERLINK("http://evil.example","x")`)
		var b bytes.Buffer
		f.Write(&b)
		return b.Bytes()
	}()
	renamed := func() []byte {
		f, _ := excelize.OpenReader(bytes.NewReader(xlsx))
		f.SetCellStr("enterprises", "D1", "englishName")
		var b bytes.Buffer
		f.Write(&b)
		return b.Bytes()
	}()
	sitesXLSX := func(region string) []byte {
		f := excelize.NewFile()
		f.SetSheetName("Sheet1", "sites")
		f.SetSheetRow("sites", "A1", &[]any{"id", "enterprise", "kind", "region"})
		f.SetSheetRow("sites", "A2", &[]any{"sinohytec-x", "sinohytec", "HQ", region})
		var b bytes.Buffer
		f.Write(&b)
		return b.Bytes()
	}
	for _, tc := range []struct {
		name, file string
		data       []byte
		token      string
		header     []string
		status     int
		code       string
		cell, msg  string // a problem at cell (if given) whose message contains msg; or the error's message
	}{
		{"no token", "enterprises.xlsx", xlsx, "", nil, 401, "UNAUTHENTICATED", "", "editor role"},
		{"viewer", "enterprises.xlsx", xlsx, viewerKey, nil, 403, "FORBIDDEN", "", "editor role"},
		{"bad token", "enterprises.xlsx", xlsx, "not-a-key-at-all-000", nil, 401, "UNAUTHENTICATED", "", "unknown API key"},
		{"another site", "enterprises.xlsx", xlsx, editorKey, []string{"Origin", "https://evil.example"}, 403, "FORBIDDEN", "", "own pages"},
		{"wrong column", "enterprises.xlsx", renamed, editorKey, nil, 400, "BAD_USER_INPUT", "D1", `unknown column "englishName"`},
		{"unknown segment", "enterprises.csv", []byte("id,segmentIds\nsinohytec,h2-fc-system;no-such-segment\n"), editorKey, nil,
			400, "BAD_USER_INPUT", "B2", `unknown segment "no-such-segment"`},
		{"bad region code", "sites.xlsx", sitesXLSX("13070"), editorKey, nil, 400, "BAD_USER_INPUT", "D2", "six-digit GB/T 2260"},
		{"unknown region", "sites.xlsx", sitesXLSX("999999"), editorKey, nil, 400, "BAD_USER_INPUT", "D2", `unknown region "999999"`},
		{"formula cell", "enterprises.xlsx", formula, editorKey, nil, 400, "BAD_USER_INPUT", "D2", "holds a formula"},
		{"formula text in CSV", "enterprises.csv", []byte("id,nameEn\nsinohytec,\"=HYPERLINK(\"\"http://evil.example\"\")\"\n"),
			editorKey, nil, 400, "BAD_USER_INPUT", "B2", "runs as a formula"},
		{"oversized", "enterprises.csv", bytes.Repeat([]byte("a"), loader.MaxFileBytes+1), editorKey, nil, 413, "BAD_USER_INPUT", "", "larger than"},
		{"not a spreadsheet", "enterprises.xlsx", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), editorKey, nil, 400, "BAD_USER_INPUT", "", "not an XLSX workbook"},
		{"binary as CSV", "enterprises.csv", []byte("id\n\x00\x01\xff\xfe"), editorKey, nil, 400, "BAD_USER_INPUT", "", "not a CSV text file"},
		{"zip that is no workbook", "enterprises.xlsx", []byte("PK\x03\x04garbage"), editorKey, nil, 400, "BAD_USER_INPUT", "", "not an XLSX workbook"},
		{"unknown sheet", "firms.csv", []byte("id\nx\n"), editorKey, nil, 400, "BAD_USER_INPUT", "", "name must start with"},
		{"new record without sources", "enterprises.csv", []byte("id,nameEn,confidence\nbrand-new-firm,New,REPORTED\n"), editorKey, nil,
			400, "BAD_USER_INPUT", "", "at least one source"},
		{"id of another kind", "enterprises.csv", []byte("id,nameEn,confidence,sourceIds\nh2-fc-system,X,REPORTED,s13\n"), editorKey, nil,
			409, "CONFLICT", "A2", "another kind of record"},
		{"site of another firm", "sites.csv", []byte("id,enterprise\nsinohytec-bj-hq,catl\n"), editorKey, nil, 409, "CONFLICT", "B2", "operated by"},
		{"status the history forbids", "bottlenecks.csv", []byte("id,status\nh2-bn-fc-stack,IN_PROGRESS\n"),
			editorKey, nil, 409, "CONFLICT", "B2", "it can change to OPEN"},
		{"bad status", "bottlenecks.csv", []byte("id,status\nh2-bn-catalyst,DONE\n"), editorKey, nil, 400, "BAD_USER_INPUT", "B2", "not one of"},
		{"seed-only column", "enterprises.csv", []byte("id,branchOf\nsinohytec,catl\n"), editorKey, nil, 400, "BAD_USER_INPUT", "", "seed files"},
		{"supplies sheet", "supplies.csv", []byte("from,to,product\nhbis,catl,steel\n"), editorKey, nil, 400, "BAD_USER_INPUT", "", "chainmap load"},
		{"duplicate row", "enterprises.csv", []byte("id,nameEn\nsinohytec,A\nsinohytec,B\n"), editorKey, nil, 400, "BAD_USER_INPUT", "A3", "already in row 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, action := range []string{"preview", "apply"} {
				code, r := upload(t, srv, action, tc.file, tc.data, tc.token, "", tc.header...)
				if code != tc.status || r.Error == nil || r.Error.Code != tc.code {
					t.Fatalf("%s: %d %+v, want %d %s", action, code, r.Error, tc.status, tc.code)
				}
				found := strings.Contains(r.Error.Message, tc.msg)
				for _, p := range r.Error.Problems {
					found = found || (strings.Contains(p.Message, tc.msg) && (tc.cell == "" || p.Cell == tc.cell))
				}
				if !found {
					t.Errorf("%s: %+v, want a problem at %q saying %q", action, r.Error, tc.cell, tc.msg)
				}
			}
		})
	}
	if after := neo4jtest.Snapshot(t); !slices.Equal(before, after) || seq() != seq0 {
		t.Error("a refused upload changed the graph or the change log")
	}
}
