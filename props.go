package chainmap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Properties as JSON, keeping their types: a float that is a whole number is written 1.0, so that it reads back
// as a float and not as an integer (which JSON cannot tell apart). The change archive and the replayable state
// of a change use it.

// MarshalProps writes properties (canonical values: string, int64, float64, bool, []any of those, nested maps
// of those) as a JSON object with sorted keys.
func MarshalProps(m map[string]any) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v any) error {
	switch x := CanonicalValue(v).(type) {
	case nil:
		b.WriteString("null")
	case string, bool:
		enc, _ := json.Marshal(x)
		b.Write(enc)
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("the number %v has no JSON form", x)
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		b.WriteString(s)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			enc, _ := json.Marshal(k)
			b.Write(enc)
			b.WriteByte(':')
			if err := writeJSON(b, x[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("a %T has no JSON form here", v)
	}
	return nil
}

// UnmarshalProps reads what MarshalProps wrote: numbers with a '.' or an exponent as float64, others as int64.
func UnmarshalProps(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	out, err := typed(m)
	if err != nil {
		return nil, err
	}
	res, _ := out.(map[string]any)
	return res, nil
}

func typed(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		s := x.String()
		if strings.ContainsAny(s, ".eE") {
			return strconv.ParseFloat(s, 64)
		}
		return strconv.ParseInt(s, 10, 64)
	case []any:
		for i, e := range x {
			t, err := typed(e)
			if err != nil {
				return nil, err
			}
			x[i] = t
		}
		return x, nil
	case map[string]any:
		for k, e := range x {
			t, err := typed(e)
			if err != nil {
				return nil, err
			}
			x[k] = t
		}
		return x, nil
	}
	return v, nil
}
