package chainmap

import (
	"fmt"
	"reflect"
)

// WithDefaults returns v with each field that is zero or negative taken from def. The settings that bound a
// process (graph.Limits, graph.FeedLimits, server.Limits, FlagRate) are structs of counts, sizes and
// durations, none of which means anything at 0 or below; each writes its defaults once, in one table (its
// Default…), and a field added to it is filled by this loop, not by a line that could be forgotten.
//
// T must be a struct of integer, float and duration fields, and def must give every one of them a positive
// value: WithDefaults panics otherwise, at the first use of the settings, which every test of them makes.
func WithDefaults[T any](v, def T) T {
	rv, rd := reflect.ValueOf(&v).Elem(), reflect.ValueOf(def)
	if rv.Kind() != reflect.Struct {
		panic(fmt.Sprintf("chainmap.WithDefaults: %s is not a struct", rv.Type()))
	}
	for i := range rv.NumField() {
		name := rv.Type().Name() + "." + rv.Type().Field(i).Name
		if !positive(rd.Field(i), name) {
			panic(fmt.Sprintf("chainmap.WithDefaults: %s has no default (%v)", name, rd.Field(i)))
		}
		if !positive(rv.Field(i), name) {
			rv.Field(i).Set(rd.Field(i))
		}
	}
	return v
}

// positive reports whether the number f is above 0; it panics when f is not a number.
func positive(f reflect.Value, name string) bool {
	switch f.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return f.Int() > 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return f.Uint() > 0
	case reflect.Float32, reflect.Float64:
		return f.Float() > 0
	}
	panic(fmt.Sprintf("chainmap.WithDefaults: %s is a %s, not a number", name, f.Kind()))
}
