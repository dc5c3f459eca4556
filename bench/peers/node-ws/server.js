'use strict';
// A minimal push server on Node and `ws`, the one a team might write instead of running a gateway:
// bench/compare's Node peer. One process, no auth, no acks, no status store.
//   node server.js PORT
//   devices:  ws://127.0.0.1:PORT/?id=DEVICE
//   POST /push/DEVICE  body -> that device (200, or 404 when it is not connected)
//   POST /broadcast    body -> every device (200 with the count)
//   POST /gc           a full GC when started with --expose-gc, so that memory samples hold live data
const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2]);
const devices = new Map();

function reply(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.method === 'POST' && req.url.startsWith('/push/')) {
      const ws = devices.get(req.url.slice('/push/'.length));
      if (!ws) {
        return reply(res, 404, 'no such device');
      }
      ws.send(body);
      return reply(res, 200, 'written');
    }
    if (req.method === 'POST' && req.url === '/broadcast') {
      for (const ws of devices.values()) {
        ws.send(body);
      }
      return reply(res, 200, String(devices.size));
    }
    if (req.method === 'POST' && req.url === '/gc') {
      if (global.gc) {
        global.gc();
      }
      return reply(res, 200, JSON.stringify(process.memoryUsage()));
    }
    reply(res, 404, 'no such path');
  });
});
// The generator keeps its publishing connections for a whole run.
server.keepAliveTimeout = 600000;

const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
wss.on('connection', (ws, req) => {
  const id = new URL(req.url, 'http://localhost').searchParams.get('id');
  if (!id) {
    return ws.close(1008, 'id required');
  }
  devices.set(id, ws);
  ws.on('close', () => {
    if (devices.get(id) === ws) {
      devices.delete(id);
    }
  });
  ws.on('error', () => ws.terminate());
});

server.listen(port, '127.0.0.1', () => console.log(`node-ws listening on 127.0.0.1:${port}`));
