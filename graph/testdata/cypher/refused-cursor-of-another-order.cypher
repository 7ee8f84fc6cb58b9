// request
//   { enterprises(orderBy: {field: NAME}, after: "eyJpIjoieCIsIm8iOiJJRCBBU0MiLCJzIjoieCJ9") { nodes { id } } }

// no statement

// error BAD_USER_INPUT [enterprises]: after: the cursor belongs to another ordering (ID ASC); start again without it
