package graph

import (
	"encoding/json"
	"io"
)

// JSON is the GraphQL scalar JSON: a value already encoded, written to the response as it is. Graph views
// use it to send thousands of nodes and edges without gqlgen marshalling each one in a goroutine of its own.
type JSON []byte

// MarshalGQL writes the encoded value.
func (j JSON) MarshalGQL(w io.Writer) {
	if len(j) == 0 {
		_, _ = w.Write([]byte("null"))
		return
	}
	_, _ = w.Write(j)
}

// UnmarshalGQL encodes an input value.
func (j *JSON) UnmarshalGQL(v any) error {
	b, err := json.Marshal(v)
	*j = b
	return err
}
