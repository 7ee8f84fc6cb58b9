package graph

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// appendData must write what json.Marshal writes for the same data as a json.RawMessage.
func FuzzAppendData(f *testing.F) {
	for _, s := range []string{
		`{"data":{"a":[1,2,{"b":null}]}}`, " { \"a\" : [ 1 ,\n\t2 ] } \n", `"<b>&amp;</b>"`, "\"\u2028\u2029 \u2027\"",
		`{"s":"a \" quote, a \\ backslash, \\\" both, <>&","t":"\\"}`, `"\u003c already escaped"`, `[true,false,null,-1.5e3]`,
		"{\"k\":\"\xe2\x80\"}", "\"\xe2\x80\xa8\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if !json.Valid(src) {
			return
		}
		want, err := json.Marshal(json.RawMessage(src))
		if err != nil {
			t.Fatal(err)
		}
		if got := appendData([]byte("prefix"), src); !bytes.Equal(got, append([]byte("prefix"), want...)) {
			t.Errorf("appendData(%q) = %q, json.Marshal: %q", src, got[len("prefix"):], want)
		}
	})
}

// A body decodeParams takes is one checkHTTP would have let through, decoded as gqlgen's transport decodes it.
func FuzzDecodeParams(f *testing.F) {
	for _, s := range []string{
		`{"query":"{ a }"}`, `{"query":"q","variables":{"n":1e400,"f":1.50,"s":"x"},"operationName":"A","extensions":{"k":[1]}}`,
		` {"query":null,"variables":null} `, `{"query":5}`, `{"variables":[]}`, `[{"query":"q"}]`, `null`, `"q"`,
		`{"query":"q"} trailing`, `{"query":"q"}{"query":"r"}`, `{"Query":"q","QUERY":"r"}`, `{"query":"q","query":7}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, ok := decodeParams(body)
		if !ok {
			return
		}
		if msg := checkBody(body); msg != "" {
			t.Fatalf("decodeParams took %q, which checkBody refuses: %s", body, msg)
		}
		dec := json.NewDecoder(bytes.NewReader(body)) // gqlgen's jsonDecode
		dec.UseNumber()
		var want graphql.RawParams
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("decodeParams took %q, which gqlgen cannot decode: %v", body, err)
		}
		if !reflect.DeepEqual(*p, want) {
			t.Fatalf("decodeParams(%q) = %+v, gqlgen decodes %+v", body, *p, want)
		}
	})
}
