// request
//   { bottleneckImpact(id: "h2-bn-carbon-fibre-tanks", maxDepth: 7) { maxDepth } }

// no statement

// error BAD_USER_INPUT [bottleneckImpact]: maxDepth: must be 1 to 6, got 7
