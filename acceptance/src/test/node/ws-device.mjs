// A WebSocket device speaking PROTOCOL.md section 2 from its text alone (Frame is described here
// by hand, not loaded from the server's .proto), for the acceptance suite's WsDevice, or by hand:
//
//   cd acceptance/src/test/node && npm ci
//   node ws-device.mjs --url ws://127.0.0.1:8080/ws --token "$(./frontier ctl token --user alice --device ws-1)" \
//       --device-id ws-1 --subprotocol frontier.json --auto-ack
//
// then type commands, one JSON object a line:
//   {"cmd":"send","service":1001,"seqid":"1","payload":"hi","headers":{"k":"v"}}   SEND_MESSAGE
//   {"cmd":"frame","method":2,"seqid":"9"}            any Frame (e.g. a server-only method)
//   {"cmd":"ack","seqid":"1"}    {"cmd":"auto-ack","on":false}    {"cmd":"ping"}
//   {"cmd":"raw","text":"not a frame"}  {"cmd":"raw","base64":"AAEC"}  {"cmd":"raw","binary":true,"size":70000}
//   {"cmd":"bye","code":200,"reason":"done"}    {"cmd":"close","code":1000}
//
// Every event is one JSON line on stdout: open {status, protocol}, http-error {status, body},
// hello/push/reply/bye/frame {seqid, headers, payload...}, pong, sent, error, close {code, reason}.
// It exits once the connection is closed (or refused), or when stdin ends.
import WebSocket from 'ws';
import protobuf from 'protobufjs';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    // header: Authorization: Bearer; query: ?token=, as a browser must
    'token-in': { type: 'string', default: 'header' },
    'device-id': { type: 'string' },
    // frontier.pb, frontier.json, or none (no Sec-WebSocket-Protocol at all)
    subprotocol: { type: 'string', default: 'none' },
    origin: { type: 'string' },
    'auto-ack': { type: 'boolean', default: false },
    // for wss://: the PEM certificate of the CA to trust, and nothing else
    ca: { type: 'string' },
  },
});

const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');

if (!opts.url) {
  emit('error', { message: 'usage: node ws-device.mjs --url ws://HOST:PORT/ws [--token T] [--token-in header|query] '
    + '[--device-id D] [--subprotocol frontier.pb|frontier.json|none] [--origin O] [--auto-ack]' });
  process.exit(2);
}

const Entry = new protobuf.Type('ExtendedEntry')
  .add(new protobuf.Field('key', 1, 'string'))
  .add(new protobuf.Field('value', 2, 'string'));
// camelCase names: protobufjs's toObject then gives the proto3 JSON mapping's names
const Frame = new protobuf.Type('Frame')
  .add(new protobuf.Field('seqid', 1, 'uint64'))
  .add(new protobuf.Field('logid', 2, 'uint64'))
  .add(new protobuf.Field('service', 3, 'int32'))
  .add(new protobuf.Field('method', 4, 'int32'))
  .add(new protobuf.Field('headers', 5, 'ExtendedEntry', 'repeated'))
  .add(new protobuf.Field('payloadEncoding', 6, 'string'))
  .add(new protobuf.Field('payloadType', 7, 'string'))
  .add(new protobuf.Field('payload', 8, 'bytes'))
  .add(Entry);
new protobuf.Root().define('frontier').add(Frame);

const METHOD = { SEND_MESSAGE: 1, PUSH: 2, ACK: 3, HELLO: 4, BYE: 5 };
const json = opts.subprotocol === 'frontier.json';

const url = new URL(opts.url);
if (opts['device-id'] !== undefined) url.searchParams.set('device_id', opts['device-id']);
const headers = {};
if (opts.token !== undefined) {
  if (opts['token-in'] === 'query') url.searchParams.set('token', opts.token);
  else headers.Authorization = 'Bearer ' + opts.token;
}
const wsOptions = { headers, perMessageDeflate: false, maxPayload: 0 };
if (opts.origin !== undefined) wsOptions.origin = opts.origin;
if (opts.ca !== undefined) wsOptions.ca = readFileSync(opts.ca);
const protocols = opts.subprotocol === 'none' ? [] : [opts.subprotocol];
const ws = new WebSocket(url, protocols, wsOptions);
let autoAck = opts['auto-ack'];

const toFrame = (fields) => {
  const frame = { ...fields };
  if (frame.headers && !Array.isArray(frame.headers)) {
    frame.headers = Object.entries(frame.headers).map(([key, value]) => ({ key, value: String(value) }));
  }
  // the payload is text here; base64 when the caller says so
  if (typeof frame.payload === 'string') frame.payload = Buffer.from(frame.payload, 'utf8');
  if (typeof frame.payloadBase64 === 'string') frame.payload = Buffer.from(frame.payloadBase64, 'base64');
  delete frame.payloadBase64;
  return Frame.fromObject(frame);
};

const sendFrame = (fields) => {
  const message = toFrame(fields);
  if (json) {
    ws.send(JSON.stringify(Frame.toObject(message, { longs: String, bytes: String })), { binary: false });
  } else {
    ws.send(Frame.encode(message).finish(), { binary: true });
  }
};

const describe = (frame) => {
  const object = Frame.toObject(frame, { longs: String, bytes: Buffer, defaults: true });
  const headerMap = {};
  for (const { key, value } of object.headers) headerMap[key] = value;
  return {
    seqid: object.seqid,
    logid: object.logid,
    service: object.service,
    method: object.method,
    headers: headerMap,
    payloadEncoding: object.payloadEncoding,
    payloadType: object.payloadType,
    payload: Buffer.from(object.payload).toString('utf8'),
  };
};

ws.on('unexpected-response', (request, response) => {
  const chunks = [];
  response.on('data', (chunk) => chunks.push(chunk));
  response.on('end', () => {
    emit('http-error', { status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') });
    process.exit(0);
  });
});

// the negotiated protocol is known only at 'open', the status only at 'upgrade'
let upgradeStatus;
ws.on('upgrade', (response) => { upgradeStatus = response.statusCode; });
ws.on('open', () => emit('open', { status: upgradeStatus, protocol: ws.protocol || null }));

ws.on('message', (data, isBinary) => {
  let frame;
  try {
    if (json) {
      if (isBinary) throw new Error('a binary message on frontier.json');
      frame = Frame.fromObject(JSON.parse(data.toString('utf8')));
    } else {
      if (!isBinary) throw new Error('a text message on frontier.pb');
      frame = Frame.decode(data);
    }
  } catch (e) {
    emit('error', { message: 'undecodable message from the server: ' + e.message, data: data.toString('base64') });
    return;
  }
  const d = describe(frame);
  switch (d.method) {
    case METHOD.HELLO: emit('hello', d); break;
    case METHOD.PUSH:
      if (autoAck) sendFrame({ seqid: d.seqid, method: METHOD.ACK });
      emit('push', { ...d, acked: autoAck });
      break;
    case METHOD.SEND_MESSAGE: emit('reply', { ...d, status: d.headers.status }); break;
    case METHOD.BYE: emit('bye', { code: Number(d.headers.code), reason: d.headers.reason }); break;
    default: emit('frame', d);
  }
});

ws.on('pong', (data) => emit('pong', { data: data.toString('utf8') }));
ws.on('error', (e) => emit('error', { message: e.message }));
ws.on('close', (code, reason) => {
  emit('close', { code, reason: reason.toString('utf8') });
  process.exit(0);
});

const commands = {
  send: (c) => sendFrame({ seqid: c.seqid, logid: c.logid, service: c.service, method: METHOD.SEND_MESSAGE,
    headers: c.headers, payloadEncoding: c.payloadEncoding, payloadType: c.payloadType ?? 'text',
    payload: c.payload, payloadBase64: c.payloadBase64 }),
  frame: (c) => { const { cmd, ...fields } = c; sendFrame(fields); },
  ack: (c) => sendFrame({ seqid: c.seqid, method: METHOD.ACK }),
  'auto-ack': (c) => { autoAck = c.on !== false; },
  ping: (c) => ws.ping(c.data ?? ''),
  raw: (c) => {
    let bytes;
    if (c.size !== undefined) bytes = Buffer.alloc(c.size, c.fill ?? 'x');
    else if (c.base64 !== undefined) bytes = Buffer.from(c.base64, 'base64');
    else bytes = Buffer.from(c.text ?? '', 'utf8');
    // text unless told otherwise, or when given as base64
    const binary = c.binary ?? (c.base64 !== undefined);
    ws.send(binary ? bytes : bytes.toString('utf8'), { binary });
  },
  bye: (c) => sendFrame({ method: METHOD.BYE, headers: { code: String(c.code ?? 200), reason: c.reason ?? 'bye' } }),
  close: (c) => ws.close(c.code ?? 1000, c.reason ?? ''),
};

const pending = [];
const run = (line) => {
  let command;
  try {
    command = JSON.parse(line);
    const action = commands[command.cmd];
    if (!action) throw new Error('unknown command ' + command.cmd);
    action(command);
    emit('sent', { cmd: command.cmd });
  } catch (e) {
    emit('error', { message: 'command ' + line + ' failed: ' + e.message });
  }
};
// commands typed before the upgrade completes wait for it
ws.on('open', () => { pending.splice(0).forEach(run); });
createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() === '') return;
    if (ws.readyState === WebSocket.CONNECTING) pending.push(line);
    else run(line);
  })
  .on('close', () => {
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'stdin ended');
    else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
  });
