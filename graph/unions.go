package graph

// The GraphQL unions. Their members are domain types, which cannot carry gqlgen's marker methods, so each union is
// an empty interface here; the generated executor switches on the concrete type (chainmap.Enterprise, …).

// Actor is an enterprise or an institution (a bottleneck's tackler).
type Actor any

// LinkEnd is a site, an institution or an enterprise (an end of an R&D→manufacturing link).
type LinkEnd any

// SearchResult is any record search can find.
type SearchResult any

// ListRecord is a bottleneck, an enterprise or a segment (what an entry of an official list is).
type ListRecord any
