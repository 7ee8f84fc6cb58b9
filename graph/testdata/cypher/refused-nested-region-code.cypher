// request
//   { segment(id: "h2-fc-stack") { enterprises(regionCode: "Hebei") { id } } }

// no statement

// error BAD_USER_INPUT [segment]: regionCode: "Hebei" is not a six-digit GB/T 2260 region code
