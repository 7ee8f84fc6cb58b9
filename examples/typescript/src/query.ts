// One query: the open chokepoints of a chain that hold back the most enterprises, with their sources.
//   CHAINMAP_URL=http://127.0.0.1:8080/graphql node dist/query.js [chainMapId]
import { graphql, type ResultOf } from 'gql.tada';
import { request } from './client.js';

const OpenChokepoints = graphql(`
  query OpenChokepoints($chainMapId: ID!, $first: Int) {
    bottlenecks(
      filter: { chainMapId: $chainMapId, kind: CHOKEPOINT, status: OPEN }
      orderBy: { field: AFFECTED_ENTERPRISES, direction: DESC }
      first: $first
    ) {
      totalCount
      nodes {
        id
        name
        nameZh
        severity
        segments { name stage }
        sources { title url date }
      }
    }
  }
`);

type Chokepoint = ResultOf<typeof OpenChokepoints>['bottlenecks']['nodes'][number];

const chainMapId = process.argv[2] ?? 'hydrogen';
const { bottlenecks } = await request(OpenChokepoints, { chainMapId, first: 5 });
console.log(`${bottlenecks.totalCount} open chokepoints in ${chainMapId}; the ${bottlenecks.nodes.length} holding back the most firms:`);
for (const b of bottlenecks.nodes satisfies Chokepoint[]) {
  const where = b.segments.map((s) => `${s.name} (${s.stage.toLowerCase()})`).join(', ');
  console.log(`- [${b.severity}] ${b.nameZh ?? b.name} — ${where}; ${b.sources.length} source(s), e.g. ${b.sources[0]?.url ?? 'none'}`);
}
if (bottlenecks.nodes.length === 0) process.exit(1);
