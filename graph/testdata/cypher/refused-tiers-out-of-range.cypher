// request
//   { enterprise(id: "sinohytec") { upstream(tiers: 9) { tier } } }

// no statement

// error BAD_USER_INPUT [enterprise]: tiers: must be 1 to 6, got 9
