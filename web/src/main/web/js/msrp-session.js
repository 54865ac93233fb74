// The page's MSRP ends (RFC 4975) over WebSocket (RFC 7977): the connection with its transactions,
// and one end of a session — chunked sending, reassembly, responses and reports. The relay's AUTH
// challenge is read here too (RFC 4976 §5).
import * as msrp from './msrp.js';

/** How long a request waits for its response before it counts as failed (RFC 4975 §7.1: 30 s). */
const ANSWER_MS = 30000;

/** Whether a type is among accept-types (RFC 4975 §8.6: `*`, `type/*` or the type itself). */
export function accepts(types, type) {
  const [main] = type.split('/');
  return types.some((t) => t === '*' || t === type || t === `${main}/*`);
}

/**
 * One WebSocket carrying MSRP (RFC 7977, subprotocol "msrp"): requests to `sessions.request`,
 * responses to the transaction that waits for them; `sessions.linkClosed` when it closes.
 */
export class MsrpLink {
  constructor(url, sessions) {
    this.url = url;
    this.sessions = sessions;
    this.waiting = new Map();
    this.socket = null;
    this.opened = null;
  }

  open() {
    if (this.opened) return this.opened;
    this.opened = new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url, 'msrp');
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => resolve(this);
      socket.onerror = () => reject(new Error(`cannot reach ${this.url}`));
      socket.onclose = () => this.closed();
      socket.onmessage = (e) => this.receive(e.data);
      this.socket = socket;
    });
    return this.opened;
  }

  get live() {
    return this.socket && this.socket.readyState === WebSocket.OPEN;
  }

  send(bytes) {
    if (this.live) this.socket.send(bytes);
  }

  /** Sends a request and waits for its response (a 408 of our own when none comes, RFC 4975 §7.1). */
  transact(tid, bytes) {
    if (!this.live) return Promise.resolve({ status: 481, comment: 'no connection' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(tid);
        resolve({ status: 408, comment: 'no response' });
      }, ANSWER_MS);
      this.waiting.set(tid, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      this.send(bytes);
    });
  }

  receive(data) {
    const message = msrp.parse(typeof data === 'string' ? data : new Uint8Array(data));
    if (message.error) {
      // the relay checked the framing already: what still cannot be read is dropped (its sender's
      // transaction times out, RFC 4975 §7.1), and the connection and its sessions go on
      console.warn('MSRP: unreadable message dropped:', message.error);
      return;
    }
    if (!message.request) {
      const waiter = this.waiting.get(message.tid);
      this.waiting.delete(message.tid);
      if (waiter) waiter(message);
      return;
    }
    this.sessions.request(message, this);
  }

  closed() {
    for (const waiter of this.waiting.values()) waiter({ status: 481, comment: 'connection closed' });
    this.waiting.clear();
    this.opened = null;
    this.sessions.linkClosed(this);
  }

  close() {
    if (this.socket) this.socket.close();
  }
}

/**
 * One end of an MSRP session: its own URI, the path its requests take (the page's relay URI first
 * when it goes through the relay), and the messages in flight both ways.
 */
export class MsrpSession {
  constructor(link, ownUri, toPath, events) {
    this.link = link;
    this.ownUri = ownUri;
    this.toPath = toPath;
    this.events = events;
    this.incoming = new Map();
  }

  /**
   * Binds the session to the connection (RFC 4975 §5.4: the end that connected sends first, a SEND
   * that may be empty), so that an answerer with messages waiting can send them; resolves with its answer.
   */
  bind() {
    const tid = msrp.token(8);
    return this.link.transact(tid, msrp.serialize({
      tid, start: 'SEND', toPath: this.toPath, fromPath: [this.ownUri], headers: [['Message-ID', msrp.token(10)], ['Byte-Range', '1-0/0']],
    }));
  }

  /** Sends a whole message in chunks, each after the last one's 200; resolves with the final status. */
  async send(contentType, bytes, { report = false, failure = true, messageId = msrp.token(10) } = {}) {
    const total = bytes.length;
    let start = 0;
    do {
      const end = Math.min(total, start + msrp.CHUNK_BYTES);
      const tid = msrp.token(8);
      const frame = msrp.serialize({
        tid, start: 'SEND', toPath: this.toPath, fromPath: [this.ownUri], flag: end === total ? '$' : '+',
        headers: [['Message-ID', messageId], ['Success-Report', report ? 'yes' : 'no'], ['Failure-Report', failure ? 'yes' : 'no'],
          ['Byte-Range', `${start + 1}-${end}/${total}`]],
        contentType, body: bytes.subarray(start, end),
      });
      if (!failure) {
        this.link.send(frame);
      } else {
        const answer = await this.link.transact(tid, frame);
        if (answer.status !== 200) return { status: answer.status, comment: answer.comment, messageId };
      }
      start = end;
    } while (start < total);
    return { status: 200, messageId };
  }

  /** What came of the message still arriving, from its first octet without a gap (empty when none is). */
  partial() {
    const [whole] = this.incoming.values();
    return whole ? whole.prefix() : new Uint8Array(0);
  }

  /** A SEND chunk or a REPORT for this session. */
  request(message) {
    if (message.method === 'REPORT') {
      const range = msrp.parseByteRange(msrp.header(message, 'byte-range'));
      const status = Number(msrp.header(message, 'status', '').split(' ')[1] || 0);
      if (this.events.onReport) this.events.onReport(msrp.header(message, 'message-id'), status, range);
      return;
    }
    if (message.method !== 'SEND') {
      this.answer(message, 501, 'Unknown method');
      return;
    }
    const id = msrp.header(message, 'message-id');
    const type = (msrp.header(message, 'content-type') || '').toLowerCase();
    if (type && !accepts(this.events.acceptTypes, type.split(';')[0].trim())) {
      this.answer(message, 415, 'Unsupported media type');
      return;
    }
    let whole = this.incoming.get(id);
    if (!whole) {
      whole = new msrp.Reassembly(this.events.maxBytes);
      whole.type = type;
      this.incoming.set(id, whole);
    }
    if (!whole.add(message)) {
      this.incoming.delete(id);
      this.answer(message, 413, 'Message too large');
      return;
    }
    if (type) whole.type = type;
    this.answer(message, 200, 'OK');
    const successReport = msrp.header(message, 'success-report', 'no') === 'yes';
    if (successReport && message.flag !== '#') {
      // progress for the sender (RFC 4975 §7.1.3): every byte so far, as one range
      this.report(message, id, whole.received, whole.total);
    }
    if (this.events.onProgress && whole.total) this.events.onProgress(id, whole.received, whole.total);
    if (whole.complete) {
      this.incoming.delete(id);
      // a SEND without a body only opens the session's path (RFC 4975 §5.4): nothing to show
      if (!whole.aborted && whole.received > 0) this.events.onMessage(whole.type, whole.bytes());
    }
  }

  answer(message, status, comment) {
    if (status === 200 && msrp.header(message, 'failure-report', 'yes') !== 'yes') return;
    if (status !== 200 && msrp.header(message, 'failure-report', 'yes') === 'no') return;
    this.link.send(msrp.response(message, status, comment, this.ownUri));
  }

  report(message, id, received, total) {
    this.link.send(msrp.serialize({
      // RFC 4975 §7.1.2: back along the SEND's From-Path
      tid: msrp.token(8), start: 'REPORT', toPath: message.fromPath, fromPath: [this.ownUri],
      headers: [['Message-ID', id], ['Byte-Range', `1-${received}/${total === null ? '*' : total}`], ['Status', '000 200 OK']],
    }));
  }
}

/** The parameters of a Digest challenge (RFC 7616 §3.3) as JsSIP's digest wants them; null when it is not one. */
export function digestChallenge(value) {
  const m = /^\s*Digest\s+(.*)$/i.exec(value || '');
  if (!m) return null;
  const params = {};
  for (const p of m[1].matchAll(/([a-zA-Z-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s,]+)/g)) {
    params[p[1].toLowerCase()] = p[3] !== undefined ? p[3] : p[2];
  }
  if (!params.realm || !params.nonce) return null;
  return {
    realm: params.realm, nonce: params.nonce, opaque: params.opaque, stale: params.stale, algorithm: params.algorithm,
    qop: params.qop ? params.qop.split(',').map((q) => q.trim()) : undefined,
  };
}
