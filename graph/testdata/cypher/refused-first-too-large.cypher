// request
//   { enterprises(first: 500) { nodes { id } } }

// no statement

// error BAD_USER_INPUT [enterprises]: first: must be between 0 and 100, got 500
