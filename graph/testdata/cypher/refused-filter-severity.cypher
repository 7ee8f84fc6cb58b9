// request
//   { bottlenecks(filter: {minSeverity: 9}) { totalCount } }

// no statement

// error BAD_USER_INPUT [bottlenecks]: filter.minSeverity: must be 1 to 5, got 9
