// The benchmark's questions, each asked of both servers: `chainmap` is the query text for chainmap's API
// (schema/*.graphqls), `peer` the same question for @neo4j/graphql (server.mjs). Both select the same fields.
//
// The peer queries reproduce chainmap's documented orders, ties included (neo4jdb/read.go, lists.go):
//   ChainMap.segments          order, id            Segment.enterprises(first)  name, id
//   Enterprise.sites           id                   Enterprise.segments         chainMapId, order
//   Segment.bottlenecks        severity DESC, id    Bottleneck.segments         chainMapId, order
//   Bottleneck.tacklers        tackler id           enterprises(filter)         name, id (default order)
//   bottlenecks(filter)        severity DESC, id    chainMaps                   id
//
// `fromChainmap` and `fromPeer` turn each answer into the same canonical tree (ids, plus a few fields both carry),
// which check.mjs compares recursively, order included: every list of these questions has a defined order.
//
// Differences of shape, not of content: the peer has no connections (lists come bare), single relationships are
// lists in @neo4j/graphql 7 (`region`, `chainMap` come as one-element lists), and TACKLES properties come through
// `tacklersConnection`. "In Hebei" is `Region.province = "130000"` for the peer (every region stores the code of its
// province; the province stores its own), `PART_OF*0..3` to 130000 for chainmap: the check shows they agree.
// Sites are asked without their name: synthetic sites have none, and chainmap shows their id in its place.

const one = (list, path) => {
  if (!Array.isArray(list) || list.length !== 1) {
    throw new Error(`${path}: expected exactly one related node, got ${JSON.stringify(list)}`);
  }
  return list[0];
};

export const questions = [
  {
    id: "a",
    title: "a chain map (hydrogen) → segments → first 20 firms each → sites → regions",
    chainmap: `query A {
  chainMap(id: "hydrogen") {
    id name
    segments { id name order
      enterprises(first: 20) { id name
        sites { id kind region { code name } } } }
  }
}`,
    peer: `query A {
  chainMaps(where: {id: {eq: "hydrogen"}}) {
    id name
    segments(sort: [{order: ASC}, {id: ASC}]) { id name order
      enterprises(sort: [{name: ASC}, {id: ASC}], limit: 20) { id name
        sites(sort: [{id: ASC}]) { id kind region { code name } } } }
  }
}`,
    fromChainmap: (d) => chainA(d.chainMap),
    fromPeer: (d) => chainA(one(d.chainMaps, "chainMaps"), true),
  },
  {
    id: "b",
    title: "firms with a site in Hebei, first 50 by name → segments → bottlenecks",
    chainmap: `query B {
  enterprises(filter: {regionCode: "130000"}, first: 50) {
    nodes { id name
      segments { id name
        bottlenecks { id name severity status } } }
  }
}`,
    peer: `query B {
  enterprises(where: {sites: {some: {region: {some: {province: {eq: "130000"}}}}}},
              sort: [{name: ASC}, {id: ASC}], limit: 50) {
    id name
    segments(sort: [{chainMapId: ASC}, {order: ASC}]) { id name
      bottlenecks(sort: [{severity: DESC}, {id: ASC}]) { id name severity status } }
  }
}`,
    fromChainmap: (d) => d.enterprises.nodes.map(firmB),
    fromPeer: (d) => d.enterprises.map(firmB),
  },
  {
    id: "c",
    title: "open chokepoints → segments → chain map, and tacklers",
    chainmap: `query C {
  bottlenecks(filter: {kind: CHOKEPOINT, status: OPEN}, first: 50) {
    nodes { id name severity
      segments { id name chainMap { id name } }
      tacklers { since status actor { __typename ... on Enterprise { id name } ... on Institution { id name } } } }
  }
}`,
    peer: `query C {
  bottlenecks(where: {kind: {eq: CHOKEPOINT}, status: {eq: OPEN}}, sort: [{severity: DESC}, {id: ASC}], limit: 50) {
    id name severity
    segments(sort: [{chainMapId: ASC}, {order: ASC}]) { id name chainMap { id name } }
    tacklersConnection(sort: [{node: {id: ASC}}]) { edges { properties { since status } node { __typename id name } } }
  }
}`,
    fromChainmap: (d) =>
      d.bottlenecks.nodes.map((b) => ({
        id: b.id, name: b.name, severity: b.severity,
        segments: b.segments.map((s) => ({ id: s.id, chainMap: s.chainMap.id })),
        tacklers: b.tacklers.map((t) => ({ id: t.actor.id, type: t.actor.__typename, since: t.since ?? null, status: t.status ?? null })),
      })),
    fromPeer: (d) =>
      d.bottlenecks.map((b) => ({
        id: b.id, name: b.name, severity: b.severity,
        segments: b.segments.map((s) => ({ id: s.id, chainMap: one(s.chainMap, `segment ${s.id}.chainMap`).id })),
        tacklers: b.tacklersConnection.edges.map((e) => ({
          id: e.node.id, type: e.node.__typename, since: e.properties.since ?? null, status: e.properties.status ?? null,
        })),
      })),
  },
  {
    id: "d",
    title: "the six chain maps",
    chainmap: `query D { chainMaps { id name } }`,
    peer: `query D { chainMaps(sort: [{id: ASC}]) { id name } }`,
    fromChainmap: (d) => d.chainMaps.map((c) => ({ id: c.id, name: c.name })),
    fromPeer: (d) => d.chainMaps.map((c) => ({ id: c.id, name: c.name })),
  },
];

function chainA(c, peer = false) {
  return {
    id: c.id,
    segments: c.segments.map((s) => ({
      id: s.id, order: s.order,
      enterprises: s.enterprises.map((e) => ({
        id: e.id,
        sites: e.sites.map((x) => {
          const r = peer ? one(x.region, `site ${x.id}.region`) : x.region;
          return { id: x.id, kind: x.kind, region: r.code, regionName: r.name };
        }),
      })),
    })),
  };
}

function firmB(e) {
  return {
    id: e.id,
    segments: e.segments.map((s) => ({ id: s.id, bottlenecks: s.bottlenecks.map((b) => `${b.id}/${b.severity}/${b.status}`) })),
  };
}

// body returns the JSON body of a question's POST request for one server ("chainmap" or "peer").
export function body(q, server) {
  return JSON.stringify({ query: q[server] });
}

// `node questions.mjs DIR` writes each question's request bodies, DIR/<id>.chainmap.json and DIR/<id>.peer.json
// (hey sends them), and prints the question ids.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: node questions.mjs DIR");
  mkdirSync(dir, { recursive: true });
  for (const q of questions) {
    writeFileSync(`${dir}/${q.id}.chainmap.json`, body(q, "chainmap"));
    writeFileSync(`${dir}/${q.id}.peer.json`, body(q, "peer"));
    console.log(q.id);
  }
}
