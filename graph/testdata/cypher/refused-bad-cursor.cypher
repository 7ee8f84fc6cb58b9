// request
//   { enterprises(after: "not-a-cursor") { nodes { id } } }

// no statement

// error BAD_USER_INPUT [enterprises]: after: not a cursor of this API
