// Pager-mode message bodies: CPIM (RFC 3862) carrying the IMDN headers (RFC 5438) that ask for
// delivery and read reports, the reports themselves (message/imdn+xml), and is-composing
// indications (RFC 3994).
import { parseXml } from './dom.js';

const IMDN_NS = 'urn:ietf:params:imdn';
const IMDN_XML = 'urn:ietf:params:xml:ns:imdn';
const COMPOSING_XML = 'urn:ietf:params:xml:ns:im-iscomposing';
export const CPIM = 'message/cpim';
export const COMPOSING = 'application/im-iscomposing+xml';

export function messageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A text message asking for delivery and read reports. */
export function cpimText(from, to, id, text) {
  return `From: <${from}>\r\nTo: <${to}>\r\nNS: imdn <${IMDN_NS}>\r\nimdn.Message-ID: ${id}\r\n`
    + `DateTime: ${new Date().toISOString()}\r\nimdn.Disposition-Notification: positive-delivery, display\r\n\r\n`
    + `Content-Type: text/plain;charset=UTF-8\r\n\r\n${text}`;
}

/** A report on message `id`: `delivered` (delivery-notification) or `displayed` (display-notification). */
export function cpimReport(from, to, id, status) {
  const kind = status === 'displayed' ? 'display-notification' : 'delivery-notification';
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\r\n<imdn xmlns="${IMDN_XML}"><message-id>${id}</message-id>`
    + `<datetime>${new Date().toISOString()}</datetime><${kind}><status><${status}/></status></${kind}></imdn>`;
  return `From: <${from}>\r\nTo: <${to}>\r\nNS: imdn <${IMDN_NS}>\r\nimdn.Message-ID: ${messageId()}\r\n`
    + `DateTime: ${new Date().toISOString()}\r\n\r\nContent-Type: message/imdn+xml\r\nContent-Disposition: notification\r\n\r\n${xml}`;
}

function headerBlock(text) {
  const headers = new Map();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * A CPIM body as {id, notify: [dispositions], contentType, content, report, from, to, dateTime}; report is
 * {id, status} for an IMDN. Null when the body is not CPIM (no blank lines to split on).
 */
export function parseCpim(body) {
  const first = body.search(/\r?\n\r?\n/);
  if (first < 0) return null;
  const messageHeaders = headerBlock(body.slice(0, first));
  const rest = body.slice(first).replace(/^\r?\n\r?\n/, '');
  const second = rest.search(/\r?\n\r?\n/);
  const contentHeaders = headerBlock(second < 0 ? rest : rest.slice(0, second));
  const content = second < 0 ? '' : rest.slice(second).replace(/^\r?\n\r?\n/, '');
  const prefix = [...messageHeaders].find(([name, value]) => name === 'ns' && value.includes(IMDN_NS));
  const ns = prefix ? prefix[1].split(/\s+/)[0].toLowerCase() : 'imdn';
  const parsed = {
    id: messageHeaders.get(`${ns}.message-id`) || null,
    notify: (messageHeaders.get(`${ns}.disposition-notification`) || '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
    contentType: (contentHeaders.get('content-type') || 'text/plain').toLowerCase(),
    content,
    report: null,
    // the sender and recipient as written (RFC 3862 §3.3: [Formal-name] <URI>), and when it was said
    from: messageHeaders.get('from') || null,
    to: messageHeaders.get('to') || null,
    dateTime: messageHeaders.get('datetime') || null,
  };
  if (parsed.contentType.startsWith('message/imdn+xml')) {
    const doc = parseXml(content);
    const id = doc && doc.getElementsByTagNameNS(IMDN_XML, 'message-id')[0];
    const status = doc && doc.getElementsByTagNameNS(IMDN_XML, 'status')[0];
    if (id && status && status.firstElementChild) {
      parsed.report = { id: id.textContent.trim(), status: status.firstElementChild.localName };
    }
  }
  return parsed;
}

/** RFC 3994 §3: "active" with a refresh interval while typing, "idle" when stopped. */
export function composing(active) {
  return `<?xml version="1.0" encoding="UTF-8"?>\r\n<isComposing xmlns="${COMPOSING_XML}">`
    + `<state>${active ? 'active' : 'idle'}</state><contenttype>text/plain</contenttype>`
    + (active ? '<refresh>60</refresh>' : '') + '</isComposing>';
}

/** {active, refresh seconds} of an is-composing document, or null when it is not one. */
export function parseComposing(xml) {
  const doc = parseXml(xml);
  const state = doc && doc.getElementsByTagNameNS(COMPOSING_XML, 'state')[0];
  if (!state) return null;
  const refresh = doc.getElementsByTagNameNS(COMPOSING_XML, 'refresh')[0];
  return { active: state.textContent.trim() === 'active', refresh: refresh ? Number(refresh.textContent) || 120 : 120 };
}
