// One subscription over graphql-sse: follow the change log's SOURCE entries, then create a source (an editor's
// token in CHAINMAP_TOKEN) and print the change it produces.
//   CHAINMAP_URL=http://127.0.0.1:8080/graphql CHAINMAP_TOKEN=<editor key> node dist/subscribe.js
import { graphql, type ResultOf } from 'gql.tada';
import { print } from 'graphql';
import { createClient } from 'graphql-sse';
import { endpoint, request, token } from './client.js';

const SourceChanges = graphql(`
  subscription SourceChanges {
    changes(kinds: [SOURCE]) { seq kind operation recordId author after }
  }
`);

const CreateSource = graphql(`
  mutation CreateSource($input: SourceInput!) {
    createSource(input: $input) { id title url reliability }
  }
`);

// Resolves when the stream is open (the server then follows the log): changes committed after it are delivered.
let opened: () => void = () => {};
const open = new Promise<void>((ok) => (opened = ok));
const client = createClient({
  url: endpoint,
  headers: (): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {}),
  on: { connected: () => opened() },
});
const events = client.iterate<ResultOf<typeof SourceChanges>>({ query: print(SourceChanges) });
const first = (async () => {
  for await (const event of events) {
    if (event.errors?.length) throw new Error(`subscription: ${event.errors[0]?.message}`);
    return event.data?.changes;
  }
})();
await Promise.race([open, first]);

const id = `example-${Date.now().toString(36)}`;
const { createSource } = await request(CreateSource, {
  input: { id, title: 'Example source', url: 'https://example.org/chainmap', reliability: 'REFERENCE', language: 'en', date: '2026' },
});
console.log(`created source ${createSource.id} (${createSource.reliability})`);

const change = await Promise.race([
  first,
  new Promise<never>((_, fail) => setTimeout(() => fail(new Error('no change event within 15 s')), 15_000)),
]);
console.log(`change ${change?.seq}: ${change?.operation} ${change?.recordId} by ${change?.author}`);
await events.return?.();
client.dispose();
if (change?.recordId !== id) process.exit(1);
