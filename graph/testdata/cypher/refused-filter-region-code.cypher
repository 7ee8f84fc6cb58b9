// request
//   { bottlenecks(filter: {regionCode: "1300"}) { totalCount } }

// no statement

// error BAD_USER_INPUT [bottlenecks]: filter.regionCode: "1300" is not a six-digit GB/T 2260 region code
