// A backend and an offline notifier on @grpc/grpc-js, written against the .proto files of the
// distribution (its proto/ folder) and nothing else of Frontier. Every event is one JSON line on
// stdout.
//
//   node grpc-tool.mjs push-stream --proto-dir DIST/proto --target HOST:PORT[,HOST:PORT] --user U \
//       [--count 200] [--interval-ms 10] [--deadline-ms 5000] [--wait-ack] [--size BYTES]
//     pushes "m-0", "m-1", ... (padded with dots to --size bytes) to user U, round robin over the
//     targets (--deadline-ms 0: no deadline), and prints for each
//     {"event":"push","i":0,"target":...,"code":0,"outcomes":[...]} (code is the gRPC status code;
//     outcomes are the reply's), then {"event":"done"}.
//   node grpc-tool.mjs push --proto-dir DIST/proto --target HOST:PORT --request '{"user":{"user_id":"u"},...}' \
//       [--deadline-ms 0]
//     one Push with that PushRequest (proto field names); --deadline-ms 0 sets no deadline.
//   node grpc-tool.mjs notifier --proto-dir DIST/proto --port PORT
//     serves frontier.v1.OfflineNotifier on 127.0.0.1:PORT, accepting every notification and
//     printing {"event":"notify",...} for each.
//   node grpc-tool.mjs link-attach --proto-dir DIST/proto --target HOST:PORT --edge-id E \
//       [--token T] [--tls-ca PEM [--tls-cert PEM --tls-key PEM]]
//     attaches to a control plane's EdgeLink as edge E with an empty snapshot, and prints
//     {"event":"acked","seq":N} for each acknowledgement, or {"event":"ended","code":N,"details":...}.
//   node grpc-tool.mjs edge-call --proto-dir DIST/proto --target HOST:PORT [--token T] [--tls-ca PEM ...]
//     calls an edge's EdgeService.ListConnections and prints {"event":"reply","code":N,...}.
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const [command, ...rest] = process.argv.slice(2);
const { values: opts } = parseArgs({
  args: rest,
  options: {
    'proto-dir': { type: 'string' },
    target: { type: 'string' },
    user: { type: 'string' },
    count: { type: 'string', default: '200' },
    'interval-ms': { type: 'string', default: '10' },
    'deadline-ms': { type: 'string', default: '5000' },
    'wait-ack': { type: 'boolean', default: false },
    request: { type: 'string' },
    size: { type: 'string', default: '0' },
    port: { type: 'string' },
    'edge-id': { type: 'string' },
    token: { type: 'string' },
    'tls-ca': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});
const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');

const definition = protoLoader.loadSync(['frontier/v1/push.proto', 'frontier/v1/notifier.proto',
  'frontier/v1/edgelink.proto', 'frontier/v1/edge.proto'], {
  includeDirs: [opts['proto-dir']],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
});
const v1 = grpc.loadPackageDefinition(definition).frontier.v1;

function deadline() {
  const ms = Number(opts['deadline-ms']);
  return ms > 0 ? { deadline: Date.now() + ms } : {};
}

function push(client, request) {
  return new Promise((resolve) => {
    client.Push(request, deadline(), (error, reply) => {
      resolve(error ? { code: error.code, details: error.details } : { code: 0, outcomes: reply.outcomes });
    });
  });
}

async function pushStream() {
  const targets = opts.target.split(',');
  const clients = targets.map((t) => new v1.PushService(t, grpc.credentials.createInsecure()));
  const count = Number(opts.count);
  const interval = Number(opts['interval-ms']);
  const pending = [];
  for (let i = 0; i < count; i++) {
    const k = i % targets.length;
    const request = {
      user: { user_id: opts.user },
      payload: Buffer.from(`m-${i}`.padEnd(Number(opts.size), '.')),
      wait_ack: opts['wait-ack'],
    };
    const sent = Date.now();
    pending.push(push(clients[k], request).then((result) =>
      emit('push', { i, target: targets[k], ms: Date.now() - sent, ...result })));
    await new Promise((r) => setTimeout(r, interval));
  }
  await Promise.all(pending);
  emit('done');
  clients.forEach((c) => c.close());
}

async function pushOnce() {
  const client = new v1.PushService(opts.target, grpc.credentials.createInsecure());
  const request = JSON.parse(opts.request);
  if (typeof request.payload === 'string') {
    request.payload = Buffer.from(request.payload);
  }
  emit('push', await push(client, request));
  client.close();
}

function notifier() {
  const server = new grpc.Server();
  server.addService(v1.OfflineNotifier.service, {
    Notify(call, callback) {
      const n = call.request;
      emit('notify', { user_id: n.user_id, device_id: n.device_id, payload: Buffer.from(n.payload ?? []).toString() });
      callback(null, { accepted: true });
    },
  });
  server.bindAsync(`127.0.0.1:${opts.port}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      emit('failed', { error: String(error) });
      process.exit(1);
    }
    emit('listening', { port });
  });
}

// The credentials an outsider brings: TLS when --tls-ca is given (with a client certificate when
// --tls-cert is), and a bearer token when --token is.
function credentials() {
  let channel = grpc.credentials.createInsecure();
  if (opts['tls-ca']) {
    const read = (name) => (opts[name] ? readFileSync(opts[name]) : null);
    // The nodes' certificates name the nodes, not the address they are reached by.
    channel = grpc.credentials.createSsl(read('tls-ca'), read('tls-key'), read('tls-cert'),
      { checkServerIdentity: () => undefined });
  }
  return channel;
}

function metadata() {
  const headers = new grpc.Metadata();
  if (opts.token) {
    headers.set('authorization', `Bearer ${opts.token}`);
  }
  return headers;
}

function linkAttach() {
  const client = new v1.EdgeLink(opts.target, credentials());
  const call = client.Attach(metadata(), { deadline: Date.now() + Number(opts['deadline-ms']) });
  call.on('data', (message) => emit('acked', { seq: Number(message.ack) }));
  call.on('error', (error) => {
    emit('ended', { code: error.code, details: error.details });
    client.close();
  });
  call.on('end', () => client.close());
  call.write({ seq: 1, hello: { edge_id: opts['edge-id'], instance_id: 'outsider', grpc_address: '127.0.0.1:1' } });
  call.write({ seq: 2, snapshot: { connections: [], last: true } });
}

function edgeCall() {
  const client = new v1.EdgeService(opts.target, credentials());
  client.ListConnections({}, metadata(), deadline(), (error, reply) => {
    emit('reply', error ? { code: error.code, details: error.details }
      : { code: 0, connections: (reply.connections ?? []).length });
    client.close();
  });
}

const commands = {
  'push-stream': pushStream, push: pushOnce, notifier, 'link-attach': linkAttach, 'edge-call': edgeCall,
};
if (!commands[command] || !opts['proto-dir']) {
  emit('failed', { error: 'usage: node grpc-tool.mjs push-stream|push|notifier|link-attach|edge-call --proto-dir DIR ...' });
  process.exit(2);
}
Promise.resolve(commands[command]()).catch((error) => {
  emit('failed', { error: String(error?.stack ?? error) });
  process.exit(1);
});
