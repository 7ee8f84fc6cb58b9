// request
//   { enterprises { nodes { x: sites { id } } edges { node { x: segments { id } } } } }

// no statement

// error BAD_USER_INPUT [enterprises]: x: asks for segments here and for sites elsewhere in the same list: give them different aliases
