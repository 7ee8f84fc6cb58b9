// request
//   query($n: Int) { region(code: "130000") { enterprises(first: $n) { id } } }
// variables {"n":1000}

// no statement

// error BAD_USER_INPUT [region]: first: must be between 0 and 100, got 1000
