// request
//   { segment(id: "h2-fc-stack") { enterprises(first: -1) { id } } }

// no statement

// error BAD_USER_INPUT [segment]: first: must be between 0 and 100, got -1
