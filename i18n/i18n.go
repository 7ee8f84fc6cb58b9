// Package i18n chooses the language of the pages the server renders (the printable reports, the sign-in page)
// and of the sentences the API says (why a candidate scores what it does: Why), and holds their tables of
// strings. Planners work in Chinese, so Chinese comes first: a page is in the language
// its address asks for (?lang=zh|en), else the one the explorer last switched to (the chainmap_lang cookie),
// else the first of the browser's Accept-Language that is Chinese or English, else Chinese.
package i18n

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Lang is a language of the pages.
type Lang string

const (
	Zh Lang = "zh"
	En Lang = "en"
)

// Langs are the languages of the pages, the default first.
var Langs = []Lang{Zh, En}

const (
	// Param is the query parameter that chooses a page's language.
	Param = "lang"
	// Cookie is the cookie in which the explorer keeps the language a reader switched to (web/src/explore/i18n.ts).
	Cookie = "chainmap_lang"
)

// Parse returns the language s names ("zh", "en"; case and region ignored: "zh-CN", "en-GB"), and whether it
// names one.
func Parse(s string) (Lang, bool) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-")
	base, _, _ = strings.Cut(base, "_")
	switch base {
	case "zh":
		return Zh, true
	case "en":
		return En, true
	}
	return "", false
}

// FromRequest is the language of the page r asks for: ?lang, else the cookie, else Accept-Language, else Zh.
// A value that names no language is passed over.
func FromRequest(r *http.Request) Lang {
	if l, ok := Parse(r.URL.Query().Get(Param)); ok {
		return l
	}
	if c, err := r.Cookie(Cookie); err == nil {
		if l, ok := Parse(c.Value); ok {
			return l
		}
	}
	if l, ok := fromAcceptLanguage(r.Header.Get("Accept-Language")); ok {
		return l
	}
	return Zh
}

// fromAcceptLanguage picks the Chinese or English range with the highest weight (the first of equal weights).
func fromAcceptLanguage(h string) (Lang, bool) {
	best, bestQ := Lang(""), 0.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(part, ";")
		l, ok := Parse(tag)
		if !ok {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	return best, best != ""
}

// Name is the language's name in itself, for a language switch.
func (l Lang) Name() string {
	if l == En {
		return "English"
	}
	return "中文"
}

// HTML is the language's value for <html lang>.
func (l Lang) HTML() string {
	if l == En {
		return "en"
	}
	return "zh-CN"
}

// Text is one string of a page in both languages: a fmt format whose verbs take the same values in both (use
// explicit indexes, %[2]d, where the word order differs).
type Text struct{ Zh, En string }

// In is the text in l.
func (t Text) In(l Lang) string {
	if l == En {
		return t.En
	}
	return t.Zh
}

// Table is the strings of one set of pages, by key. A key "group.VALUE" translates an enumeration's value
// (see Enum).
type Table map[string]Text

// Say formats the key's text in l with args; an unknown key is an error (a template then fails to render).
func (t Table) Say(l Lang, key string, args ...any) (string, error) {
	e, ok := t[key]
	if !ok {
		return "", fmt.Errorf("i18n: no string %q", key)
	}
	if len(args) == 0 && !strings.Contains(e.In(l), "%") {
		return e.In(l), nil
	}
	return fmt.Sprintf(e.In(l), args...), nil
}

// Enum says the value of an enumeration (the key group+"."+value), or the value itself when the table has no
// entry for it (a value added to the schema after the table: shown as the data has it).
func (t Table) Enum(l Lang, group string, value any) string {
	v := fmt.Sprint(value)
	if e, ok := t[group+"."+v]; ok {
		return e.In(l)
	}
	return v
}

// Check returns what is wrong with the table: a key whose text is empty in either language, or whose two texts
// take different values (a verb the other lacks, or of another kind).
func (t Table) Check() []error {
	var errs []error
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e := t[k]
		if strings.TrimSpace(e.Zh) == "" {
			errs = append(errs, fmt.Errorf("%s: no Chinese", k))
		}
		if strings.TrimSpace(e.En) == "" {
			errs = append(errs, fmt.Errorf("%s: no English", k))
		}
		zh, err1 := verbs(e.Zh)
		en, err2 := verbs(e.En)
		switch {
		case err1 != nil:
			errs = append(errs, fmt.Errorf("%s (zh): %w", k, err1))
		case err2 != nil:
			errs = append(errs, fmt.Errorf("%s (en): %w", k, err2))
		case fmt.Sprint(zh) != fmt.Sprint(en):
			errs = append(errs, fmt.Errorf("%s: the Chinese takes %v, the English %v", k, zh, en))
		}
	}
	return errs
}

// verbs maps the argument numbers a format uses (from 1) to the verb each is formatted with.
func verbs(format string) (map[int]byte, error) {
	out := map[int]byte{}
	arg := 1
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [ in %q", format)
			}
			n, err := strconv.Atoi(format[i+1 : i+end])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("bad argument index in %q", format)
			}
			arg, i = n, i+end+1
		}
		if i >= len(format) {
			return nil, fmt.Errorf("%% at the end of %q", format)
		}
		if format[i] == '%' {
			continue
		}
		if v, ok := out[arg]; ok && v != format[i] {
			return nil, fmt.Errorf("argument %d formatted as %%%c and %%%c in %q", arg, v, format[i], format)
		}
		out[arg] = format[i]
		arg++
	}
	return out, nil
}
