// request
//   { enterprises(filter: {text: "  "}) { totalCount } }

// no statement

// error BAD_USER_INPUT [enterprises]: filter.text: must not be blank
