package server

import (
	"bytes"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/i18n"
)

// The printable pages speak the reader's language (i18n.FromRequest): each page set's templates are parsed once
// per language, with t (a string of pageText), te (an enumeration's value), why and changeNote (a score part's
// reason, a change's note: the API's sentences, i18n) and the record-name functions bound to it. Record values
// are shown as the data has them: the Chinese name first in Chinese, the English one in English.

// pageFuncs are the functions of the printable pages' templates in one language.
func pageFuncs(l i18n.Lang) template.FuncMap {
	sep := "、"
	if l == i18n.En {
		sep = ", "
	}
	pick := func(zh, en, name string) string {
		if l == i18n.En {
			return cmpOr(en, cmpOr(name, zh))
		}
		return cmpOr(zh, cmpOr(name, en))
	}
	label := func(n chainmap.Named) string { return cmpOr(pick(n.NameZh, "", n.Name), n.ID) }
	return template.FuncMap{
		"t":  func(key string, args ...any) (string, error) { return pageText.Say(l, key, args...) },
		"te": func(group string, value any) string { return pageText.Enum(l, group, value) },
		// A score part's reason and a change event's note, from the API's sentences (i18n).
		"why":        func(w chainmap.Why) string { return i18n.Why(l, w) },
		"changeNote": func(n chainmap.ChangeNote) string { return i18n.ChangeNote(l, n) },
		"lang":       func() string { return string(l) },
		"htmlLang":   func() string { return l.HTML() },
		"sep":        func() string { return sep },
		// name is a record's name in the page's language; alt the other language's, when it differs (a second line).
		"name": pick,
		"alt": func(zh, en, name string) string {
			shown := pick(zh, en, name)
			other := cmpOr(zh, name)
			if l == i18n.Zh {
				other = cmpOr(en, name)
			}
			if other == shown {
				return ""
			}
			return other
		},
		"label": label,
		"other": func(n chainmap.Named) string {
			if n.Name == "" || n.NameZh == "" || n.Name == n.NameZh {
				return ""
			}
			if l == i18n.En {
				return n.NameZh
			}
			return n.Name
		},
		"labels": func(ns []chainmap.Named) string {
			out := make([]string, len(ns))
			for i, n := range ns {
				out[i] = label(n)
			}
			return strings.Join(out, sep)
		},
	}
}

// pageTemplates parses a page set's templates once per language; funcs are the set's own functions.
func pageTemplates(name string, funcs template.FuncMap, texts ...string) map[i18n.Lang]*template.Template {
	out := map[i18n.Lang]*template.Template{}
	for _, l := range i18n.Langs {
		t := template.New(name).Funcs(funcs).Funcs(pageFuncs(l))
		for _, text := range texts {
			t = template.Must(t.Parse(text))
		}
		out[l] = t
	}
	return out
}

// langLink is one entry of a page's language switch.
type langLink struct {
	Lang    i18n.Lang
	Label   string
	Href    string
	Current bool
}

// langLinks is the page's language switch: the same address with each language's ?lang.
func langLinks(r *http.Request, current i18n.Lang) []langLink {
	var out []langLink
	for _, l := range i18n.Langs {
		q := r.URL.Query()
		q.Set(i18n.Param, string(l))
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		out = append(out, langLink{Lang: l, Label: l.Name(), Href: u.String(), Current: l == current})
	}
	return out
}

// errorPage is what the error template shows.
type errorPage struct{ Title, Message, Detail string }

// pageError answers a printable page's request with an HTML page in the reader's language: a title for the
// status, the message (pageText's key and its values) and, when there is one, the server's own English text
// as detail.
func pageError(w http.ResponseWriter, r *http.Request, log *slog.Logger, status int, detail, key string, args ...any) {
	l := i18n.FromRequest(r)
	title, err := pageText.Say(l, "error."+statusKey(status))
	msg, err2 := pageText.Say(l, key, args...)
	if err != nil || err2 != nil {
		log.ErrorContext(r.Context(), "page error strings", "key", key, "err", cmpErr(err, err2))
		httpError(w, cmpOr(detail, http.StatusText(status)), status)
		return
	}
	var buf bytes.Buffer
	if err := plannerTemplates[l].ExecuteTemplate(&buf, "error", errorPage{Title: title, Message: msg, Detail: detail}); err != nil {
		log.ErrorContext(r.Context(), "error page template", "err", err)
		httpError(w, cmpOr(detail, http.StatusText(status)), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", string(l))
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func statusKey(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return strconv.Itoa(status)
	}
	return "500"
}
