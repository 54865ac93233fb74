// The SDP of the page's MSRP sessions (RFC 4566, RFC 4975 §8): the offer and answer it writes, the
// MSRP stream it reads from the other side's, and the RFC 5547 file-selector of a file transfer.
// What it cannot read is null, never an exception.
import * as msrp from './msrp.js';

/** An RFC 5547 file-selector value: the name is a quoted string with '"', '%' and controls percent-encoded. */
export function fileSelector({ name, type, size, hash }) {
  const quoted = name.replace(/[%"\u0000-\u001f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
  return `name:"${quoted}" type:${type} size:${size}${hash ? ` hash:sha-1:${hash}` : ''}`;
}

function parseFileSelector(value) {
  const name = /name:"([^"]*)"/.exec(value);
  const type = /(?:^|\s)type:([^\s;]+)/.exec(value);
  const size = /(?:^|\s)size:(\d{1,15})(?:\s|$)/.exec(value);
  const hash = /(?:^|\s)hash:sha-1:([0-9A-Fa-f:]+)/.exec(value);
  let decoded = null;
  try {
    decoded = name ? decodeURIComponent(name[1]) : null;
  } catch {
    decoded = null;
  }
  return decoded === null ? null : {
    name: decoded, type: type ? type[1] : 'application/octet-stream', size: size ? Number(size[1]) : null,
    hash: hash ? hash[1].toUpperCase() : null,
  };
}

/**
 * An RFC 5547 §6 a=file-range value, "<start>-<stop>" or "<start>-*", 1-based and inclusive, as
 * {start, stop} (stop null for "*"); false when malformed, so that the offer can be refused (488).
 */
function parseFileRange(value) {
  const m = /^(\d{1,15})-(\d{1,15}|\*)$/.exec(value.trim());
  if (!m) return false;
  const range = { start: Number(m[1]), stop: m[2] === '*' ? null : Number(m[2]) };
  return range.start >= 1 && (range.stop === null || range.stop >= range.start) ? range : false;
}

/**
 * The MSRP stream of an SDP body (the first m=message section) as {path, acceptTypes, direction,
 * file, fileTransferId} and, when the offer has one, fileRange; null without a stream.
 */
export function parseSdp(sdp) {
  const lines = String(sdp || '').split(/\r?\n/);
  const start = lines.findIndex((l) => /^m=message \d+ TCP\/(TLS\/)?MSRP /.test(l));
  if (start < 0) return null;
  const media = { path: null, acceptTypes: [], direction: 'sendrecv', file: null, fileTransferId: null };
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('m=')) break;
    const m = /^a=([a-z-]+)(?::(.*))?$/i.exec(line.trim());
    if (!m) continue;
    const [, name, value = ''] = m;
    if (name === 'path') media.path = msrp.parsePath(value);
    else if (name === 'accept-types') media.acceptTypes = value.trim().split(/\s+/);
    else if (['sendonly', 'recvonly', 'sendrecv', 'inactive'].includes(name)) media.direction = name;
    else if (name === 'file-selector') media.file = parseFileSelector(value);
    else if (name === 'file-transfer-id') media.fileTransferId = value.trim();
    else if (name === 'file-range') media.fileRange = parseFileRange(value);
  }
  return media.path ? media : null;
}

/** An SDP body with one MSRP stream (RFC 4975 §8) over TCP/TLS/MSRP with these attributes and a=path. */
export function sdp(host, path, attributes) {
  const id = Date.now();
  return `v=0\r\no=- ${id} ${id} IN IP4 ${host}\r\ns=-\r\nc=IN IP4 ${host}\r\nt=0 0\r\nm=message 9 TCP/TLS/MSRP *\r\n`
    + attributes.map((a) => `a=${a}\r\n`).join('') + `a=path:${path.join(' ')}\r\n`;
}
