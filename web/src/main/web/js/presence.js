// Presence documents: the PIDF the page publishes (RFC 3863 with RPID activities, RFC 4480) and
// what the resource list server sends back (RFC 4662: multipart/related with an RLMI document and
// one PIDF per member that has state).
import { parseXml } from './dom.js';

const PIDF = 'urn:ietf:params:xml:ns:pidf';
const DM = 'urn:ietf:params:xml:ns:pidf:data-model';
const RPID = 'urn:ietf:params:xml:ns:pidf:rpid';
const RLMI = 'urn:ietf:params:xml:ns:rlmi';

/** The states a user picks from, and what a contact can be shown as. */
export const STATES = ['available', 'away', 'busy', 'offline'];

export function label(state) {
  return { available: 'Available', away: 'Away', busy: 'Busy', offline: 'Offline', pending: 'Waiting for approval',
    none: 'Not in your contacts' }[state] || 'Offline';
}

function escapeXml(text) {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

/**
 * The page's own presence: "appear offline" is a closed tuple (watchers see the user offline
 * although the device is registered); away and busy are RPID activities of the person.
 */
export function pidf(entity, tupleId, state, note) {
  const basic = state === 'offline' ? 'closed' : 'open';
  const activity = state === 'away' || state === 'busy' ? `<rpid:activities><rpid:${state}/></rpid:activities>` : '';
  // appearing offline tells nothing else either
  const noteXml = note && state !== 'offline' ? `<dm:note>${escapeXml(note)}</dm:note>` : '';
  return '<?xml version="1.0" encoding="UTF-8"?>\r\n'
    + `<presence xmlns="${PIDF}" xmlns:dm="${DM}" xmlns:rpid="${RPID}" entity="${escapeXml(entity)}">`
    + `<tuple id="${tupleId}"><status><basic>${basic}</basic></status></tuple>`
    + `<dm:person id="p-${tupleId}">${activity}${noteXml}</dm:person>`
    + '</presence>';
}

/** A PIDF document as {state, note}: open with an away/busy activity, open, or offline. */
export function parsePidf(xml) {
  const doc = parseXml(xml);
  if (!doc) return { state: 'offline', note: '' };
  const open = [...doc.getElementsByTagNameNS(PIDF, 'basic')].some((b) => b.textContent.trim() === 'open');
  const activities = [...doc.getElementsByTagNameNS(RPID, 'activities')].flatMap((a) => [...a.children].map((c) => c.localName));
  const notes = [...doc.getElementsByTagNameNS(DM, 'note'), ...doc.getElementsByTagNameNS(PIDF, 'note')];
  const note = notes.length ? notes[0].textContent.trim() : '';
  if (!open) return { state: 'offline', note };
  const busy = activities.includes('busy') || activities.some((a) => a === 'on-the-phone' || a === 'meeting');
  const away = activities.includes('away') || activities.includes('sleeping') || activities.includes('vacation');
  return { state: busy ? 'busy' : away ? 'away' : 'available', note };
}

/** The parts of a multipart body (RFC 2046), each as {headers (lower-case names), body}. */
export function multipart(body, contentType) {
  const match = /boundary="?([^";]+)"?/i.exec(contentType || '');
  if (!match) return [];
  const delimiter = `--${match[1]}`;
  return body.split(delimiter).slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .map((chunk) => {
      const text = chunk.replace(/^\r?\n/, '');
      const split = text.search(/\r?\n\r?\n/);
      const head = split < 0 ? text : text.slice(0, split);
      const rest = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
      const headers = {};
      for (const line of head.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      return { headers, body: rest.replace(/\r?\n$/, '') };
    });
}

/**
 * An RLMI NOTIFY (RFC 4662 §5): {fullState, resources: Map uri → {state, note}}. A member whose
 * subscription is pending (not approved yet) shows as "pending"; one without an active instance
 * as offline.
 */
export function parseListNotify(body, contentType) {
  const parts = multipart(body, contentType);
  const rlmiPart = parts.find((p) => (p.headers['content-type'] || '').includes('rlmi'));
  const result = { fullState: false, resources: new Map() };
  if (!rlmiPart) return result;
  const byCid = new Map(parts.map((p) => [(p.headers['content-id'] || '').replace(/[<>]/g, ''), p]));
  const doc = parseXml(rlmiPart.body);
  const list = doc && doc.getElementsByTagNameNS(RLMI, 'list')[0];
  if (!list) return result;
  result.fullState = list.getAttribute('fullState') === 'true';
  for (const resource of doc.getElementsByTagNameNS(RLMI, 'resource')) {
    const uri = resource.getAttribute('uri');
    const instance = resource.getElementsByTagNameNS(RLMI, 'instance')[0];
    let presence = { state: 'offline', note: '' };
    if (instance && instance.getAttribute('state') === 'pending') {
      presence = { state: 'pending', note: '' };
    } else if (instance && instance.getAttribute('state') === 'active') {
      const part = byCid.get(instance.getAttribute('cid') || '');
      if (part) presence = parsePidf(part.body);
    }
    result.resources.set(uri, presence);
  }
  return result;
}
