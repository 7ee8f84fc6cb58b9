// request
//   { enterpriseGroups(filter: {chainMapId: "robots"}, by: PROVINCE) { key name count } }

// statement 1: EnterpriseGroups (read)
CALL () {
  MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
  WITH DISTINCT e
  MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
  WITH DISTINCT e, r.province AS key
  MATCH (g:Region {code: key})
  RETURN key, g.name AS name, count(e) AS count
  ORDER BY count DESC, key
}
RETURN collect({key: key, name: name, count: count}) AS rows
// parameters {
//   "chainMapId": "robots"
// }
