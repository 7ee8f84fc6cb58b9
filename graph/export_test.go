package graph

// WithoutWalk returns opts with the walk of planned subtrees (fast.go) turned off: gqlgen executes every field,
// as before the walk, for the tests that compare the two.
func WithoutWalk(opts Options) Options {
	opts.noWalk = true
	return opts
}

// WithGqlgenPost returns opts with gqlgen's POST transport in place of post (post.go), for the tests that
// compare the two.
func WithGqlgenPost(opts Options) Options {
	opts.noPost = true
	return opts
}
