// request
//   { region(code: "130000") { stats(chainMapId: "Not An Id") { enterprises } } }

// no statement

// error BAD_USER_INPUT [region]: chainMapId: "Not An Id" is not a valid id (lower-case letters, digits and '-', at most 100 characters)
