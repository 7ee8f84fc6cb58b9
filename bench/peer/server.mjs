// The peer: @neo4j/graphql 7 on Apollo Server, with typeDefs written on chainmap's graph (see /work/shared/DESIGN.md
// and neo4jdb/load.go for the labels, relationship types and property names). Read-only: no mutations are
// generated, and every request runs in a read transaction.
//
//   HOST [127.0.0.1]  PORT [4090]
//   NEO4J_URI [bolt://127.0.0.1:7690]  NEO4J_USER [neo4j]  NEO4J_PASSWORD [chainmap-peer]  NEO4J_DATABASE [neo4j]
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

export const typeDefs = /* GraphQL */ `
  # Read-only: no create/update/delete mutations, no subscriptions.
  extend schema @mutation(operations: [])

  enum Stage { UPSTREAM MIDSTREAM DOWNSTREAM }
  enum ChainRole { CHAIN_MASTER LEAD SUPPORTING }
  enum SiteKind { HQ RD MANUFACTURING ASSEMBLY TESTING PILOT }
  enum RegionLevel { PROVINCE CITY DISTRICT NEW_AREA }
  enum BottleneckKind { CHOKEPOINT GAP }
  enum BottleneckCategory { KEY_COMPONENT MATERIAL EQUIPMENT SOFTWARE PROCESS STANDARD TESTING }
  enum BottleneckStatus { OPEN IN_PROGRESS RESOLVED }
  enum InstitutionKind { UNIVERSITY LAB INSTITUTE GOVERNMENT ALLIANCE }
  enum Confidence { REPORTED ILLUSTRATIVE }

  type ChainMap @node {
    id: ID!
    name: String!
    nameZh: String
    nameEn: String
    aliases: [String!]
    description: String
    mapPublished: String
    confidence: Confidence
    segments: [Segment!]! @relationship(type: "HAS_SEGMENT", direction: OUT)
  }

  type Segment @node {
    id: ID!
    chainMapId: ID!
    name: String!
    nameZh: String
    nameEn: String
    stage: Stage!
    order: Int!
    description: String
    confidence: Confidence
    chainMap: [ChainMap!]! @relationship(type: "HAS_SEGMENT", direction: IN)
    upstream: [Segment!]! @relationship(type: "FEEDS", direction: IN)
    downstream: [Segment!]! @relationship(type: "FEEDS", direction: OUT)
    enterprises: [Enterprise!]! @relationship(type: "ACTIVE_IN", direction: IN, properties: "ActiveIn")
    bottlenecks: [Bottleneck!]! @relationship(type: "CONSTRAINS", direction: IN)
  }

  type ActiveIn @relationshipProperties {
    role: String
  }

  interface Actor {
    id: ID!
    name: String!
  }

  type Enterprise implements Actor @node {
    id: ID!
    name: String!
    nameZh: String
    nameEn: String
    chainRole: ChainRole
    description: String
    synthetic: Boolean
    confidence: Confidence
    sites: [Site!]! @relationship(type: "OPERATES", direction: OUT)
    segments: [Segment!]! @relationship(type: "ACTIVE_IN", direction: OUT, properties: "ActiveIn")
    parent: [Enterprise!]! @relationship(type: "BRANCH_OF", direction: OUT)
    suppliers: [Enterprise!]! @relationship(type: "SUPPLIES", direction: IN, properties: "Supplies")
    customers: [Enterprise!]! @relationship(type: "SUPPLIES", direction: OUT, properties: "Supplies")
    tackles: [Bottleneck!]! @relationship(type: "TACKLES", direction: OUT, properties: "Tackles")
  }

  type Supplies @relationshipProperties {
    product: String
    since: Int
    synthetic: Boolean
  }

  type Site @node {
    id: ID!
    "Synthetic sites (chainmap gen) carry no name; chainmap shows their id instead."
    name: String
    kind: SiteKind!
    since: Int
    capacity: String
    enterpriseId: ID
    regionCode: String
    confidence: Confidence
    enterprise: [Enterprise!]! @relationship(type: "OPERATES", direction: IN)
    region: [Region!]! @relationship(type: "LOCATED_IN", direction: OUT)
    park: [Park!]! @relationship(type: "IN_PARK", direction: OUT)
  }

  type Region @node {
    code: String!
    name: String!
    nameZh: String
    nameEn: String
    level: RegionLevel!
    "The code of the province-level unit the region lies in (its own code for a province)."
    province: String!
    parent: [Region!]! @relationship(type: "PART_OF", direction: OUT)
    children: [Region!]! @relationship(type: "PART_OF", direction: IN)
    sites: [Site!]! @relationship(type: "LOCATED_IN", direction: IN)
  }

  type Park @node {
    id: ID!
    name: String!
    nameZh: String
    nameEn: String
    regionCode: String
    renamedFrom: String
    description: String
  }

  type Institution implements Actor @node {
    id: ID!
    name: String!
    nameZh: String
    nameEn: String
    kind: InstitutionKind
    regionCode: String
    region: [Region!]! @relationship(type: "LOCATED_IN", direction: OUT)
    segments: [Segment!]! @relationship(type: "ACTIVE_IN", direction: OUT, properties: "ActiveIn")
    tackles: [Bottleneck!]! @relationship(type: "TACKLES", direction: OUT, properties: "Tackles")
  }

  type Tackles @relationshipProperties {
    since: Int
    status: BottleneckStatus
  }

  type Bottleneck @node {
    id: ID!
    name: String!
    nameZh: String
    nameEn: String
    kind: BottleneckKind!
    category: BottleneckCategory!
    severity: Int!
    status: BottleneckStatus!
    description: String
    confidence: Confidence
    segments: [Segment!]! @relationship(type: "CONSTRAINS", direction: OUT)
    tacklers: [Actor!]! @relationship(type: "TACKLES", direction: IN, properties: "Tackles")
  }
`;

async function main() {
  const env = (k, d) => process.env[k] || d;
  const driver = neo4j.driver(
    env("NEO4J_URI", "bolt://127.0.0.1:7690"),
    neo4j.auth.basic(env("NEO4J_USER", "neo4j"), env("NEO4J_PASSWORD", "chainmap-peer")),
  );
  const database = env("NEO4J_DATABASE", "neo4j");
  const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
  const schema = await neoSchema.getSchema();
  const server = new ApolloServer({ schema, introspection: true });
  const { url } = await startStandaloneServer(server, {
    listen: { host: env("HOST", "127.0.0.1"), port: Number(env("PORT", "4090")) },
    context: async () => ({ sessionConfig: { database } }),
  });
  console.log(`peer: @neo4j/graphql on ${url} (pid ${process.pid})`);
  const stop = async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error("peer:", err);
    process.exit(1);
  });
}
