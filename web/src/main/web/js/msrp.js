// MSRP (RFC 4975) as the page speaks it over WebSocket (RFC 7977): one MSRP message, whole, per
// WebSocket message, so a frame is parsed in one go, never streamed. Written from the RFC's
// grammar (§9): start line, To-Path and From-Path first, the other header fields, an optional
// body after Content-Type and an empty line, and the end-line "-------<transaction-id><flag>".
// Whatever the other side sends, parse() answers a value and never throws: a frame that cannot
// be read is {error, tid}, with the transaction id when one was readable (the receiver answers
// 400 to such a request, RFC 4975 §7.3).

const CRLF = '\r\n';
const encoder = new TextEncoder();
const strict = new TextDecoder('utf-8', { fatal: true });
/** A WebSocket message longer than this is refused unread: the relay's chunks are 64 KiB at most. */
export const MAX_FRAME_BYTES = 1 << 20;
/** The size of the chunks the page sends (RFC 4975 §7.1: a relay must take 2048 at least; Parley's take 64 KiB). */
export const CHUNK_BYTES = 16384;

const TID = /^[A-Za-z0-9][A-Za-z0-9.\-+%=]{2,31}$/;
const METHOD = /^[A-Z]+$/;
const HEADER_NAME = /^[A-Za-z0-9\-_.!%*+`'~]+$/;
/** §9 MSRP-URI: scheme, authority, an optional session id (a relay's own URI has none), the transport. */
const MSRP_URI = /^msrps?:\/\/[^\s/;]+(\/[A-Za-z0-9\-._~%!$&'()*+,=:@]+)?;[A-Za-z0-9\-._]+(;\S*)?$/i;

/** A fresh random token of `n` bytes as hex: transaction ids, message ids, session ids. */
export function token(n = 8) {
  return [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A path (To-Path, From-Path, SDP a=path) as its URIs, or null when one of them is not an MSRP URI (§9). */
export function parsePath(value) {
  const uris = String(value || '').trim().split(/\s+/).filter(Boolean);
  return uris.length && uris.every((u) => MSRP_URI.test(u)) ? uris : null;
}

/** Byte-Range "start-end/total" (§9; end and total may be "*") as {start, end, total}, null ends for "*"; null when malformed. */
export function parseByteRange(value) {
  const m = /^(\d{1,15})-(\d{1,15}|\*)\/(\d{1,15}|\*)$/.exec(String(value || '').trim());
  if (!m) return null;
  const range = { start: Number(m[1]), end: m[2] === '*' ? null : Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) };
  if (range.start < 1 || (range.end !== null && range.end < range.start - 1)
      || (range.total !== null && range.end !== null && range.end > range.total)) return null;
  return range;
}

function indexOf(bytes, pattern, from = 0) {
  outer: for (let i = from; i <= bytes.length - pattern.length; i += 1) {
    for (let j = 0; j < pattern.length; j += 1) {
      if (bytes[i + j] !== pattern[j]) continue outer;
    }
    return i;
  }
  return -1;
}

function bad(error, tid = null, request = false) {
  return { error, tid, request };
}

/**
 * One WebSocket message as an MSRP message: {tid, method | status + comment, headers (a Map of
 * lower-case names to lists of values), toPath, fromPath, body (bytes), flag}; or {error, tid,
 * request} when it is not one.
 */
export function parse(data) {
  if (typeof data === 'string') data = encoder.encode(data);
  if (!(data instanceof Uint8Array)) data = new Uint8Array(data || 0);
  if (data.length > MAX_FRAME_BYTES) return bad('frame too large');
  const firstEnd = indexOf(data, [13, 10]);
  if (firstEnd < 0) return bad('no start line');
  const start = new TextDecoder().decode(data.subarray(0, firstEnd)).split(' ');
  if (start[0] !== 'MSRP' || start.length < 3 || !TID.test(start[1])) return bad('not an MSRP start line');
  const tid = start[1];
  const request = METHOD.test(start[2]) && start.length === 3;
  const status = /^\d{3}$/.test(start[2]) ? Number(start[2]) : null;
  if (!request && (status === null || status < 200 || status > 999)) return bad('neither a method nor a status', tid);
  // the end-line closes the frame: nothing may follow it (RFC 7977 §4.3: one message per WebSocket message)
  let flag = null;
  let endLine = -1;
  for (const f of ['$', '+', '#']) {
    const line = encoder.encode(`-------${tid}${f}${CRLF}`);
    const at = data.length - line.length;
    if (at > firstEnd && indexOf(data, line, at) === at) {
      flag = f;
      endLine = at;
    }
  }
  if (flag === null) return bad('no end-line for this transaction', tid, request);
  if (data[endLine - 2] !== 13 || data[endLine - 1] !== 10) return bad('end-line not at the start of a line', tid, request);
  const blank = indexOf(data, [13, 10, 13, 10], firstEnd);
  const hasBody = blank >= 0 && blank + 4 <= endLine;
  const headEnd = hasBody ? blank : endLine - 2;
  let head;
  try {
    head = strict.decode(data.subarray(firstEnd + 2, headEnd));
  } catch {
    return bad('header fields are not UTF-8', tid, request);
  }
  const headers = new Map();
  const names = [];
  for (const line of head ? head.split(CRLF) : []) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!HEADER_NAME.test(name)) return bad(`malformed header field "${line.slice(0, 40)}"`, tid, request);
    const key = name.toLowerCase();
    names.push(key);
    if (!headers.has(key)) headers.set(key, []);
    headers.get(key).push(line.slice(colon + 1).trim());
  }
  if (names[0] !== 'to-path' || names[1] !== 'from-path') return bad('To-Path and From-Path must come first', tid, request);
  const toPath = parsePath(headers.get('to-path')[0]);
  const fromPath = parsePath(headers.get('from-path')[0]);
  if (!toPath || !fromPath) return bad('a path is not a list of MSRP URIs', tid, request);
  let body = new Uint8Array(0);
  if (hasBody) {
    if (!headers.has('content-type')) return bad('a body without Content-Type', tid, request);
    if (data[endLine - 2] !== 13 || endLine - 2 < blank + 4) return bad('body not closed by CRLF', tid, request);
    body = data.slice(blank + 4, endLine - 2);
  }
  const message = { tid, headers, toPath, fromPath, body, flag, request };
  if (request) {
    message.method = start[2];
  } else {
    message.status = status;
    message.comment = start.slice(3).join(' ');
  }
  if (request && message.method === 'SEND') {
    const range = headers.has('byte-range') ? parseByteRange(headers.get('byte-range')[0]) : { start: 1, end: null, total: null };
    if (!range) return bad('malformed Byte-Range', tid, request);
    if (range.end !== null && range.end - range.start + 1 !== body.length && flag !== '#') {
      return bad('Byte-Range does not match the body', tid, request);
    }
    if (!headers.has('message-id')) return bad('SEND without Message-ID', tid, request);
    message.range = range;
  }
  return message;
}

/** The first value of header field `name` of a parsed message, or `fallback`. */
export function header(message, name, fallback = null) {
  const values = message.headers.get(name.toLowerCase());
  return values && values.length ? values[0] : fallback;
}

/**
 * A message as bytes. `start` is "<method>" or "<status> <comment>"; headers are [name, value]
 * pairs after the paths; a body goes with its contentType.
 */
export function serialize({ tid, start, toPath, fromPath, headers = [], contentType = null, body = null, flag = '$' }) {
  let head = `MSRP ${tid} ${start}${CRLF}To-Path: ${toPath.join(' ')}${CRLF}From-Path: ${fromPath.join(' ')}${CRLF}`;
  for (const [name, value] of headers) head += `${name}: ${value}${CRLF}`;
  const end = encoder.encode(`-------${tid}${flag}${CRLF}`);
  if (contentType === null) return concat(encoder.encode(head), end);
  const bytes = typeof body === 'string' ? encoder.encode(body) : body || new Uint8Array(0);
  return concat(encoder.encode(`${head}Content-Type: ${contentType}${CRLF}${CRLF}`), bytes, encoder.encode(CRLF), end);
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The response to a request, hop by hop (§7.2): To-Path the previous hop, From-Path the responder. */
export function response(request, status, comment, ownUri) {
  return serialize({ tid: request.tid, start: `${status} ${comment}`, toPath: [request.fromPath[0]], fromPath: [ownUri] });
}

/**
 * A whole message put back together from its chunks in any order (§7.3.1). add() answers true once
 * every byte of the total has come and the last chunk ("$") is in; a "#" chunk drops the message.
 */
export class Reassembly {
  constructor(limit) {
    this.limit = limit;
    this.parts = [];
    this.received = 0;
    this.total = null;
    this.ended = false;
    this.aborted = false;
  }

  /** Adds a SEND chunk; false when it does not fit (over the limit, or past the declared total). */
  add(message) {
    const { range, body, flag } = message;
    if (flag === '#') {
      this.aborted = true;
      return true;
    }
    if (range.total !== null) this.total = range.total;
    const end = range.start + body.length - 1;
    if (end > this.limit || (this.total !== null && end > this.total)) return false;
    this.parts.push({ start: range.start, body });
    this.received += body.length;
    if (flag === '$') {
      this.ended = true;
      if (this.total === null) this.total = end;
    }
    return true;
  }

  get complete() {
    return this.aborted || (this.ended && this.received >= this.total);
  }

  /** The octets from the first on that came without a gap: what a resumed file transfer continues (RFC 5547 §6). */
  prefix() {
    let end = 0;
    for (const p of [...this.parts].sort((a, b) => a.start - b.start)) {
      if (p.start > end + 1) break;
      end = Math.max(end, p.start - 1 + p.body.length);
    }
    const out = new Uint8Array(end);
    for (const p of this.parts) {
      if (p.start <= end) out.set(p.body.subarray(0, Math.max(0, end - (p.start - 1))), p.start - 1);
    }
    return out;
  }

  bytes() {
    const out = new Uint8Array(this.total || 0);
    for (const p of this.parts) out.set(p.body.subarray(0, Math.max(0, out.length - (p.start - 1))), p.start - 1);
    return out;
  }
}
