package graph

// WithoutWalk returns opts with the walk of planned subtrees (fast.go) turned off: gqlgen executes every field,
// as before the walk, for the tests that compare the two.
func WithoutWalk(opts Options) Options {
	opts.noWalk = true
	return opts
}
