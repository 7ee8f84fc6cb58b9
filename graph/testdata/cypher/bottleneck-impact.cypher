// request
//   {
//     bottleneckImpact(id: "h2-bn-carbon-fibre-tanks", maxDepth: 3, maxNodes: 100) {
//       maxDepth truncated bottleneck { name } segments { segment { id } distance } enterprises { enterprise { id } distance }
//       regions { region { code } enterprises distance }
//     }
//   }

// statement 1: BottleneckImpact (read)
MATCH (b:Bottleneck {id: $id})
CALL (b) {
  MATCH (b)-[:CONSTRAINS]->(s0:Segment)
  MATCH p = (s0)-[:FEEDS*0..3]->(s:Segment)
  WITH s, min(length(p)) AS distance
  ORDER BY distance, s.chainMapId, s.order
  RETURN collect({id: s.id, distance: distance}) AS segments
}
CALL (segments) {
  UNWIND segments AS sd
  MATCH (:Segment {id: sd.id})<-[:ACTIVE_IN]-(e:Enterprise)
  WITH e, min(sd.distance) AS distance
  ORDER BY distance, e.name, e.id
  RETURN collect({id: e.id, distance: distance}) AS held
}
CALL (held) {
  UNWIND held AS ed
  MATCH (:Enterprise {id: ed.id})-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
  WITH r.province AS code, ed
  WITH code, count(DISTINCT ed.id) AS n, min(ed.distance) AS distance
  ORDER BY distance, n DESC, code
  RETURN collect({code: code, enterprises: n, distance: distance}) AS regions
}
RETURN segments, held[0..$maxNodes] AS enterprises, size(held) > $maxNodes AS truncated, regions
// parameters {
//   "id": "h2-bn-carbon-fibre-tanks",
//   "maxNodes": 100
// }

// statement 2: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Bottleneck {id: key})
    RETURN key, v1 {.name} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
CALL () {
  CALL () {
    UNWIND $p2 AS key MATCH (v2:Segment {id: key})
    RETURN key, v2 {.id} AS n
  }
  RETURN collect({key: key, n: n}) AS r1
}
CALL () {
  CALL () {
    UNWIND $p3 AS key MATCH (v3:Enterprise {id: key})
    RETURN key, v3 {.id} AS n
  }
  RETURN collect({key: key, n: n}) AS r2
}
CALL () {
  CALL () {
    UNWIND $p4 AS key MATCH (v4:Region {code: key})
    RETURN key, v4 {.code} AS n
  }
  RETURN collect({key: key, n: n}) AS r3
}
RETURN r0, r1, r2, r3
// parameters {
//   "p1": [
//     "h2-bn-carbon-fibre-tanks"
//   ],
//   "p2": null,
//   "p3": null,
//   "p4": null
// }

// error (decoding the Recorder's empty answer) INTERNAL [bottleneckImpact bottleneck]: internal error
