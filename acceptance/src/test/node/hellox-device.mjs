// A feature phone speaking PROTOCOL.md 1.6 (HelloX: Noise_NK_25519_ChaChaPoly_SHA256, then the session of 1.3 in
// sealed frames) from its text and Noise revision 34 alone, with node:crypto and node:net only, for HelloXIT.
//
//   node hellox-device.mjs vectors      the rows of 1.6's test-vector table, recomputed from the keys given there:
//       {"event":"keys",...}, then {"event":"vector","what":...,"hex":"07 0001 0035 ..."} a row
//   node hellox-device.mjs --port 7000 --server-key HEX_OR_BASE64 --token T --device-id D
//       [--host 127.0.0.1] [--version 1] [--hellox-seq 1] [--hello-seq 1] [--app-version V] [--manual-ack]
//       [--no-hello] [--ping-every MS] [--small-order-e]
//
// It says HelloX as it connects (53 bytes: message 1 with an empty payload), and once the answer opens, its Hello,
// sealed (the channel's first frame, its counter 0), unless --no-hello; with --ping-every, a sealed Ping (seq 1, 2,
// ...) every MS milliseconds from the answer on; with --small-order-e, e is the point u = 0 (of order 2) and es the
// 32 zero bytes any X25519 with it gives, so message 1 carries a tag that verifies unless the edge refuses such a key.
// Then type commands, one JSON object a line; they wait for the Hello reply (with --no-hello, for the answer only):
//   {"cmd":"hello","seq":1}   the sealed Hello of the options (for --no-hello)
//   {"cmd":"ping","seq":7}   {"cmd":"ack","seq":1}   {"cmd":"auto-ack","on":false}
//   {"cmd":"bye","code":200,"reason":"done"}   {"cmd":"sealed","type":10,"seq":2,"hex":"08e907"}   any cmd, sealed
//   {"cmd":"tampered","seq":3,"part":"body"|"header"}   a sealed Ping altered after sealing
//   {"cmd":"replay"}   the last sealed frame sent, byte for byte, again
//   {"cmd":"raw","hex":"0200070000"}   bytes as given (a plain frame)   {"cmd":"close"}
//
// Every event is one JSON line on stdout: connected {keyId, helloX (the frame sent, hex)}, answer {seq, len},
// hello-ack {seq, len, connId, heartbeatSeconds, serverTimeMs, userId} (the sealed Hello reply), push {seq, len,
// payload, payloadBase64, acked}, ping {seq, len}, bye {sealed, seq, code, reason}, frame {sealed, cmd, seq, len,
// payloadHex} (Data replies among others), sent {cmd}, error {message}, close. It exits once the connection is
// closed, or when stdin ends.
import {
  createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman,
  generateKeyPairSync,
} from 'node:crypto';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
const hex = (bytes) => Buffer.from(bytes).toString('hex');

const CMD = { HELLO: 0x01, PING: 0x02, ACK: 0x03, HELLO_X: 0x07, PUSH: 0x08, BYE: 0x0f };
const TAG = 16;

// --- X25519 on raw 32-byte keys: node:crypto wants KeyObjects

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const keyPair = (rawPrivate) => {
  const key = rawPrivate
    ? createPrivateKey({ key: Buffer.concat([PKCS8_X25519, rawPrivate]), format: 'der', type: 'pkcs8' })
    : generateKeyPairSync('x25519').privateKey;
  return { key, pub: Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x, 'base64url') };
};
const dh = (pair, remote) => diffieHellman({
  privateKey: pair.key,
  publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: remote.toString('base64url') }, format: 'jwk' }),
});

// --- Noise revision 34, sections 5 and 7, as much as NK needs

const sha256 = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
const hmac = (key, ...parts) => parts.reduce((h, p) => h.update(p), createHmac('sha256', key)).digest();
const hkdf2 = (ck, ikm) => {
  const temp = hmac(ck, ikm);
  const first = hmac(temp, Buffer.from([1]));
  return [first, hmac(temp, first, Buffer.from([2]))];
};

class CipherState {
  constructor(k) { this.k = k; this.n = 0n; }
  // 4 zero bytes, then the counter as 64 bits little-endian
  nonce() { const nonce = Buffer.alloc(12); nonce.writeBigUInt64LE(this.n, 4); return nonce; }

  encrypt(ad, plaintext) {
    const cipher = createCipheriv('chacha20-poly1305', this.k, this.nonce(), { authTagLength: TAG });
    cipher.setAAD(ad, { plaintextLength: plaintext.length });
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    this.n++;
    return sealed;
  }

  decrypt(ad, sealed) {
    if (sealed.length < TAG) throw new Error(`${sealed.length} bytes, fewer than a tag`);
    const body = sealed.subarray(0, sealed.length - TAG);
    const decipher = createDecipheriv('chacha20-poly1305', this.k, this.nonce(), { authTagLength: TAG });
    decipher.setAAD(ad, { plaintextLength: body.length });
    decipher.setAuthTag(sealed.subarray(body.length));
    const plaintext = Buffer.concat([decipher.update(body), decipher.final()]);
    this.n++;
    return plaintext;
  }
}

// exactly HASHLEN (32) bytes long, so it is the initial h and ck as it is
const PROTOCOL_NAME = Buffer.from('Noise_NK_25519_ChaChaPoly_SHA256', 'ascii');

class SymmetricState {
  constructor(version, keyId, serverStatic) {
    this.h = PROTOCOL_NAME;
    this.ck = PROTOCOL_NAME;
    // no key until the first MixKey: in NK that comes before any payload, so there is no plaintext path
    this.mixHash(Buffer.concat([Buffer.from('frontier-hellox', 'ascii'), Buffer.from([version]), keyId]));
    this.mixHash(serverStatic); // NK's pre-message: <- s
  }

  mixHash(data) { this.h = sha256(this.h, data); }
  mixKey(ikm) { const [ck, k] = hkdf2(this.ck, ikm); this.ck = ck; this.cipher = new CipherState(k); }

  encryptAndHash(plaintext) {
    const sealed = this.cipher.encrypt(this.h, plaintext);
    this.mixHash(sealed);
    return sealed;
  }

  decryptAndHash(sealed) {
    const plaintext = this.cipher.decrypt(this.h, sealed);
    this.mixHash(sealed);
    return plaintext;
  }

  // [the initiator's sending cipher, the responder's]
  split() { return hkdf2(this.ck, Buffer.alloc(0)).map((k) => new CipherState(k)); }
}

const keyIdOf = (serverStatic) => sha256(serverStatic).subarray(0, 4);

// The device: message 1 (-> e, es), an empty payload, is the HelloX payload after version and key id, 53 bytes in
// all; message 2 (<- e, ee), an empty payload as well, is the answer's 48 bytes. Split() gives [send, receive].
const deviceHandshake = (serverStatic, version, ephemeral, smallOrder = false) => {
  const keyId = keyIdOf(serverStatic);
  const state = new SymmetricState(version, keyId, serverStatic);
  const e = smallOrder ? { pub: Buffer.alloc(32) } : keyPair(ephemeral);
  return {
    keyId,
    message1() {
      state.mixHash(e.pub);
      state.mixKey(smallOrder ? Buffer.alloc(32) : dh(e, serverStatic));
      return Buffer.concat([Buffer.from([version]), keyId, e.pub, state.encryptAndHash(Buffer.alloc(0))]);
    },
    readMessage2(message) {
      if (message.length !== 32 + TAG) throw new Error(`an answer of ${message.length} bytes, not ${32 + TAG}`);
      const re = message.subarray(0, 32);
      state.mixHash(re);
      state.mixKey(dh(e, re));
      state.decryptAndHash(message.subarray(32)); // the tag of an empty payload
      const [send, receive] = state.split();
      return { send, receive };
    },
  };
};

// The server's side, for the vectors only: on the wire this script is a device and nothing else.
const serverHandshake = (staticPair, ephemeral, payload) => {
  if (payload.length !== 53) throw new Error(`a HelloX payload of ${payload.length} bytes, not 53`);
  const re = payload.subarray(5, 37);
  const state = new SymmetricState(payload[0], payload.subarray(1, 5), staticPair.pub);
  state.mixHash(re);
  state.mixKey(dh(staticPair, re));
  state.decryptAndHash(payload.subarray(37)); // the tag of an empty payload
  const e = keyPair(ephemeral);
  return {
    message2() {
      state.mixHash(e.pub);
      state.mixKey(dh(e, re));
      const answer = Buffer.concat([e.pub, state.encryptAndHash(Buffer.alloc(0))]);
      const [receive, send] = state.split();
      return { answer, send, receive };
    },
  };
};

// --- frames (1.1), and their sealing (1.6) with the 5-byte header as the associated data

const header = (cmd, seq, len) => Buffer.from([cmd, (seq >> 8) & 0xff, seq & 0xff, (len >> 8) & 0xff, len & 0xff]);
const plainFrame = (cmd, seq, payload) => Buffer.concat([header(cmd, seq, payload.length), payload]);
const sealFrame = (cipher, cmd, seq, payload) => {
  const head = header(cmd, seq, payload.length + TAG);
  return Buffer.concat([head, cipher.encrypt(head, payload)]);
};
const openFrame = (cipher, frame) => cipher.decrypt(frame.subarray(0, 5), frame.subarray(5));
const spaced = (frame) => [frame.subarray(0, 1), frame.subarray(1, 3), frame.subarray(3, 5), frame.subarray(5)]
  .map(hex).join(' ');

// --- protobuf (1.4) by hand: these messages use varints and length-delimited fields only

const varint = (value) => {
  const bytes = [];
  for (let v = BigInt.asUintN(64, BigInt(value)); ; v >>= 7n) {
    if (v < 0x80n) return Buffer.from([...bytes, Number(v)]);
    bytes.push(Number(v & 0x7fn) | 0x80);
  }
};
// [field, value]: a string or bytes length-delimited, a number a varint; defaults left out, as proto3 does
const encode = (fields) => Buffer.concat(fields.filter(([, v]) => v !== undefined && v !== '' && v !== 0)
  .map(([field, v]) => (typeof v === 'number'
    ? Buffer.concat([varint(field << 3), varint(v)])
    : Buffer.concat([varint((field << 3) | 2), varint(Buffer.from(v).length), Buffer.from(v)]))));
const decode = (bytes) => {
  const fields = {};
  let at = 0;
  const readVarint = () => {
    let value = 0n;
    for (let shift = 0n; at < bytes.length; shift += 7n) {
      const b = bytes[at++];
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return value;
    }
    throw new Error('a truncated varint');
  };
  while (at < bytes.length) {
    const key = readVarint();
    if ((key & 7n) === 0n) fields[key >> 3n] = BigInt.asIntN(64, readVarint());
    else if ((key & 7n) !== 2n) throw new Error(`wire type ${key & 7n}`);
    else {
      const length = Number(readVarint());
      if (at + length > bytes.length) throw new Error('a truncated field');
      fields[key >> 3n] = bytes.subarray(at, at += length);
    }
  }
  return fields;
};
const text = (fields, n) => Buffer.from(fields[n] ?? []).toString('utf8');
const number = (fields, n) => Number(fields[n] ?? 0n);
const tcpHello = (token, deviceId, appVersion) => encode([[1, token], [2, deviceId], [3, appVersion]]);

// --- vectors mode: both sides of the table's session, every frame opened by the other side as well

const runVectors = () => {
  const keys = {
    serverStaticPrivate: '4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893',
    deviceEphemeralPrivate: '893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a',
    serverEphemeralPrivate: 'bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b',
  };
  const serverStatic = keyPair(Buffer.from(keys.serverStaticPrivate, 'hex'));
  emit('keys', { ...keys, serverStaticPublic: hex(serverStatic.pub) });
  const check = (what, opened, sent) => {
    if (!opened.equals(sent)) emit('error', { message: `${what} opens as ${hex(opened)}, not ${hex(sent)}` });
  };

  const device = deviceHandshake(serverStatic.pub, 1, Buffer.from(keys.deviceEphemeralPrivate, 'hex'));
  const helloX = plainFrame(CMD.HELLO_X, 1, device.message1());
  const server = serverHandshake(serverStatic, Buffer.from(keys.serverEphemeralPrivate, 'hex'), helloX.subarray(5));
  const serverSide = server.message2();
  const answer = plainFrame(CMD.HELLO_X, 1, serverSide.answer);
  const deviceSide = device.readMessage2(answer.subarray(5));
  const sealed = (from, to, cmd, seq, payload) => {
    const frame = sealFrame(from.send, cmd, seq, payload);
    check(`frame ${spaced(frame)}`, openFrame(to.receive, frame), payload);
    return spaced(frame);
  };

  [
    ['key id', hex(device.keyId)],
    ['HelloX, seq 1 (message 1)', spaced(helloX)],
    ['the answer, HelloX, seq 1 (message 2)', spaced(answer)],
    ['device\'s Hello, seq 1, TcpHello token "t", device_id "d" (its counter 0)',
      sealed(deviceSide, serverSide, CMD.HELLO, 1, tcpHello('t', 'd'))],
    ['server\'s Hello reply, seq 1, TcpHelloAck conn_id "c", heartbeat_seconds 60, user_id "u" (its counter 0)',
      sealed(serverSide, deviceSide, CMD.HELLO, 1, encode([[1, 'c'], [2, 60], [4, 'u']]))],
    ["device's Ping, seq 7 (its counter 1)", sealed(deviceSide, serverSide, CMD.PING, 7, Buffer.alloc(0))],
    ["server's Ping, seq 7 (its counter 1)", sealed(serverSide, deviceSide, CMD.PING, 7, Buffer.alloc(0))],
    ["server's Push, seq 1, payload \"hi\" (its counter 2)",
      sealed(serverSide, deviceSide, CMD.PUSH, 1, Buffer.from('hi'))],
    ["device's Ack, seq 1 (its counter 2)", sealed(deviceSide, serverSide, CMD.ACK, 1, Buffer.alloc(0))],
  ].forEach(([what, bytes]) => emit('vector', { what, hex: bytes }));
};

// --- session mode

const runSession = (opts) => {
  const key = opts['server-key'] ?? '';
  const serverKey = Buffer.from(key, /^[0-9a-fA-F]{64}$/.test(key) ? 'hex' : 'base64');
  if (!opts.port || serverKey.length !== 32) {
    emit('error', { message: 'usage: node hellox-device.mjs --port P --server-key HEX|BASE64 (32 bytes) --token T '
      + '--device-id D [--host H] [--version 1] [--hellox-seq 1] [--hello-seq 1] [--app-version V] [--manual-ack] '
      + '[--no-hello] [--ping-every MS] [--small-order-e]; or: vectors' });
    process.exit(2);
  }
  const helloXSeq = Number(opts['hellox-seq']);
  const handshake = deviceHandshake(serverKey, Number(opts.version), undefined, opts['small-order-e']);
  let session; // the ciphers of Split(), once the answer opened
  let ready = false; // commands run once the Hello reply came (with --no-hello, once the answer opened)
  let helloAcked = false;
  let autoAck = !opts['manual-ack'];
  let lastSealed;
  const pending = [];
  const runPending = () => { ready = true; pending.splice(0).forEach(run); };

  const socket = connect({ host: opts.host, port: Number(opts.port) });
  socket.setNoDelay(true);
  const seal = (cmd, seq, payload = Buffer.alloc(0)) => {
    lastSealed = sealFrame(session.send, cmd, seq, payload);
    socket.write(lastSealed);
  };
  // 1.6: a device closes on a frame that does not open, as the server does
  const abandon = (message, frame) => {
    emit('error', { message, frame: spaced(frame) });
    socket.destroy();
  };
  const bye = (sealed, seq, payload) => {
    const f = decode(payload);
    emit('bye', { sealed, seq, code: number(f, 1), reason: text(f, 2) });
  };

  const sayHello = (seq) => seal(CMD.HELLO, seq,
    tcpHello(opts.token ?? '', opts['device-id'] ?? '', opts['app-version']));

  const beforeAnswer = (cmd, seq, frame) => {
    const payload = frame.subarray(5);
    if (cmd === CMD.HELLO_X && seq === helloXSeq) {
      try {
        session = handshake.readMessage2(payload);
      } catch (e) {
        abandon(`the answer is not message 2: ${e.message}`, frame);
        return;
      }
      emit('answer', { seq, len: payload.length });
      if (opts['ping-every']) {
        let pingSeq = 0;
        setInterval(() => seal(CMD.PING, ++pingSeq & 0xffff), Number(opts['ping-every']));
      }
      if (opts['no-hello']) runPending();
      else sayHello(Number(opts['hello-seq']));
    } else if (cmd === CMD.BYE) bye(false, seq, payload);
    else emit('frame', { sealed: false, cmd, seq, len: payload.length, payloadHex: hex(payload) });
  };

  const afterAnswer = (cmd, seq, frame) => {
    let payload;
    try {
      payload = openFrame(session.receive, frame);
    } catch (e) {
      abandon(`a frame from the server does not open: ${e.message}`, frame);
      return;
    }
    const len = frame.length - 5;
    if (cmd === CMD.HELLO && !helloAcked) {
      let f;
      try {
        f = decode(payload);
      } catch (e) {
        abandon(`the Hello reply is no TcpHelloAck: ${e.message}`, frame);
        return;
      }
      helloAcked = true;
      emit('hello-ack', { seq, len, connId: text(f, 1), heartbeatSeconds: number(f, 2),
        serverTimeMs: String(f[3] ?? 0n), userId: text(f, 4) });
      if (!ready) runPending();
    } else if (cmd === CMD.PUSH) {
      if (autoAck) seal(CMD.ACK, seq);
      emit('push', { seq, len, payload: payload.toString('utf8'), payloadBase64: payload.toString('base64'),
        acked: autoAck });
    } else if (cmd === CMD.PING) emit('ping', { seq, len });
    else if (cmd === CMD.BYE) bye(true, seq, payload);
    else emit('frame', { sealed: true, cmd, seq, len, payloadHex: hex(payload) });
  };

  let received = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    received = Buffer.concat([received, chunk]);
    while (received.length >= 5 && received.length >= 5 + received.readUInt16BE(3)) {
      const frame = received.subarray(0, 5 + received.readUInt16BE(3));
      received = received.subarray(frame.length);
      try {
        (session ? afterAnswer : beforeAnswer)(frame[0], frame.readUInt16BE(1), frame);
      } catch (e) {
        emit('error', { message: `cannot read a frame from the server: ${e.message}`, frame: spaced(frame) });
      }
    }
  });
  socket.on('connect', () => {
    const helloX = plainFrame(CMD.HELLO_X, helloXSeq, handshake.message1());
    emit('connected', { keyId: hex(handshake.keyId), helloX: hex(helloX) });
    socket.write(helloX);
  });
  socket.on('error', (e) => emit('error', { message: e.message }));
  socket.on('close', () => { emit('close'); process.exit(0); });

  const commands = {
    hello: (c) => sayHello(c.seq ?? 1),
    ping: (c) => seal(CMD.PING, c.seq ?? 1),
    ack: (c) => seal(CMD.ACK, c.seq),
    'auto-ack': (c) => { autoAck = c.on !== false; },
    bye: (c) => {
      seal(CMD.BYE, 0, encode([[1, c.code ?? 200], [2, c.reason ?? 'bye']]));
      socket.end(); // 1.2: the sender of a Bye closes after it
    },
    sealed: (c) => seal(c.type, c.seq ?? 1, Buffer.from(c.hex ?? '', 'hex')),
    tampered: (c) => {
      const frame = sealFrame(session.send, CMD.PING, c.seq ?? 1, Buffer.alloc(0));
      if (c.part === 'header') frame.writeUInt16BE((frame.readUInt16BE(1) + 1) & 0xffff, 1);
      else frame[frame.length - 1] ^= 0x01;
      socket.write(frame);
    },
    replay: () => {
      if (!lastSealed) throw new Error('no sealed frame was sent yet');
      socket.write(lastSealed);
    },
    raw: (c) => socket.write(Buffer.from(c.hex, 'hex')),
    close: () => socket.end(),
  };
  const run = (line) => {
    try {
      const command = JSON.parse(line);
      const action = commands[command.cmd];
      if (!action) throw new Error(`unknown command ${command.cmd}`);
      action(command);
      emit('sent', { cmd: command.cmd });
    } catch (e) {
      emit('error', { message: `command ${line} failed: ${e.message}` });
    }
  };
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      if (line.trim() === '') return;
      // only close need not wait: nothing may be sent between HelloX and its answer, nor (here) before the Hello
      if (ready || /"cmd"\s*:\s*"close"/.test(line)) run(line);
      else pending.push(line);
    })
    .on('close', () => socket.end());
};

try {
  const { values: opts, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      'server-key': { type: 'string' },
      token: { type: 'string' },
      'device-id': { type: 'string' },
      'app-version': { type: 'string', default: 'hellox-device/1' },
      version: { type: 'string', default: '1' },
      'hellox-seq': { type: 'string', default: '1' },
      'hello-seq': { type: 'string', default: '1' },
      'no-hello': { type: 'boolean', default: false },
      'ping-every': { type: 'string' },
      'small-order-e': { type: 'boolean', default: false },
      'manual-ack': { type: 'boolean', default: false },
    },
  });
  if (positionals[0] === 'vectors') runVectors();
  else runSession(opts);
} catch (e) {
  emit('error', { message: e.message });
  process.exitCode = 2;
}
