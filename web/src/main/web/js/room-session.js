// A room's conversation in session mode (conference/README.md, FocusSessions; RFC 4353 §5, RFC
// 4579): an INVITE with the page's MSRP offer to the room's URI, answered by the focus on Parley's
// own MSRP endpoint, which the page reaches directly over WebSocket (RFC 7977) as it does for a
// deferred session (sessions.js). Every room message, notice and history entry then comes as a
// SEND of CPIM naming its sender (RFC 3862 From), instead of a MESSAGE; what the page writes goes
// as CPIM to the room, or privately with `To:` one member's entity. Pager mode stays the way a
// room is entered, and the fallback when the session cannot be had or ends.
//
// The same session serves an XDM group's chat (INVITE to the group's URI; its CPIM copies come
// from the sender's address) and an ad-hoc group chat (GIM-4, UC 5.4): an INVITE to the
// conference factory whose multipart body carries the offer and an RFC 5366 URI list makes a
// room of its own, named in the focus's Contact; whoever the list names gets the room's
// invitation and comes in by an INVITE to that room. There a session is the membership: leaving
// is BYE.
import { parseSdp, sdp } from './msrp-sdp.js';
import { token } from './msrp.js';
import * as imdn from './imdn.js';

const ROOM_TYPES = `${imdn.CPIM} text/plain`;
/** The focus's copies are single texts: a generous bound on what one may weigh. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
const PRIVATE = ' [private]';

/** A refusal on the way to a session, worded for the room's conversation. */
class NoSession extends Error {}

/** An ad-hoc room (the factory names them room_adhoc-...). */
export function adHoc(room) {
  return room.name.startsWith('adhoc-');
}

/** The RFC 5366 URI list of an ad-hoc chat's INVITE (RFC 4826 resource-lists), each address escaped for XML. */
export function uriList(uris) {
  const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return '<?xml version="1.0" encoding="UTF-8"?>\r\n<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list>'
    + uris.map((u) => `<entry uri="${escape(u)}"/>`).join('') + '</list></resource-lists>\r\n';
}

/** A multipart/mixed body (RFC 2046 §5.1.1) of the SDP offer and the URI list as a recipient-list (RFC 5366 §4). */
export function withUriList(offer, uris) {
  const boundary = `parley-${token(12)}`;
  const body = `--${boundary}\r\nContent-Type: application/sdp\r\n\r\n${offer}\r\n`
    + `--${boundary}\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n`
    + `${uriList(uris)}--${boundary}--\r\n`;
  return { body, contentType: `multipart/mixed;boundary=${boundary}` };
}

/** The room a focus's Contact names (`<sip:room_x@host...>;isfocus`, RFC 4579 §3): {name, user}, or null. */
export function focusRoom(contact) {
  const m = /^\s*<?sips?:room_([a-z0-9-]+)@/i.exec(contact || '');
  return m ? { name: m[1].toLowerCase(), user: `room_${m[1].toLowerCase()}` } : null;
}

/** {name, uri} of a CPIM address header, `"Formal name" <URI>` or `name <URI>` (RFC 3862 §3.3); null otherwise. */
export function cpimAddress(value) {
  const m = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<"]*?))\s*<([^<>\s]+)>\s*$/.exec(value || '');
  if (!m) return null;
  return { name: m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2], uri: m[3] };
}

/** The page's sessions with rooms, by room URI: {room, msrp, dialog, invite, since}. */
export class RoomSessions {
  constructor(rooms) {
    this.rooms = rooms;
    this.open = new Map();
  }

  get app() {
    return this.rooms.app;
  }

  /** Is the page in session with this room (its messages go and come over MSRP)? */
  has(room) {
    const s = this.open.get(room.uri);
    return Boolean(s && s.msrp);
  }

  /** The session button's label for the room on screen. */
  label(room) {
    const s = this.open.get(room.uri);
    if (!s) return adHoc(room) ? 'Join the group chat' : 'Join in session';
    if (!s.msrp) return 'Cancel session';
    return adHoc(room) ? 'Leave the group chat' : 'Leave session';
  }

  toggle(room) {
    if (!this.open.has(room.uri)) this.join(room);
    else if (adHoc(room)) this.end(room, 'You left the group chat.', true);
    else this.end(room, 'You left the room\'s session: its messages come as pager messages again.');
  }

  /** What the conversation says when a session could not be had or broke: the room goes on without one. */
  static fallback(room, why) {
    return adHoc(room) ? why : `${why} The room goes on in pager mode.`;
  }

  /** INVITEs the room with the page's MSRP offer and connects to the focus's endpoint named in the answer. */
  async join(room) {
    const s = { room, msrp: null, dialog: null, invite: null, since: Date.now() };
    this.open.set(room.uri, s);
    this.rooms.renderRoom();
    try {
      if (!await this.establish(s, room.uri, (offer) => ({ body: offer }), () => this.open.get(room.uri) === s)) return;
    } catch (e) {
      if (e instanceof NoSession) this.failed(s, RoomSessions.fallback(room, e.message));
      else this.end(room, RoomSessions.fallback(room, `The session could not be joined (${e.message}).`));
      return;
    }
    this.rooms.note(room, room.kind === 'group' || adHoc(room)
      ? 'In session with the group chat: its messages come over MSRP.'
      : 'In session with the room: its messages come over MSRP.');
    if (adHoc(room)) this.rooms.refresh(room);
  }

  /**
   * The way to a session with a focus: the relay's grant, the INVITE to `target` with the offer in
   * the body `wrap` makes of it, the answer, the MSRP connection and its binding SEND. Resolves with
   * the answer, or null when the session was given up meanwhile (`current` no longer holds); throws
   * NoSession when there is none to have, another error when the one answered could not be joined.
   */
  async establish(s, target, wrap, current) {
    const { sessions, sip } = this.app;
    let grant;
    try {
      grant = await sessions.relayGrant();
    } catch (e) {
      throw new NoSession(`No session: ${e.message}.`);
    }
    const ownUri = sessions.ownUri(grant);
    const { body, contentType, headers } = wrap(sdp(grant.host, [...grant.path, ownUri], [`accept-types:${ROOM_TYPES}`, 'setup:active']));
    s.invite = sip.invite(target, body, (request) => this.inDialog(s, request), { contentType, headers });
    const answer = await s.invite.done;
    s.invite = null;
    if (!current()) {
      if (answer.dialog) sip.bye(answer.dialog); // cancelled while it rang: a late 2xx ends at once
      return null;
    }
    if (answer.status !== 200) throw new NoSession(`No session: the room answered ${answer.status} ${answer.reason || ''}.`);
    s.dialog = answer.dialog;
    const media = parseSdp(answer.body);
    if (!media) throw new Error('the room answered without a usable MSRP stream');
    s.msrp = await sessions.connect(ownUri, media.path, grant, {
      acceptTypes: ROOM_TYPES.split(' '),
      maxBytes: MAX_MESSAGE_BYTES,
      onMessage: (type, bytes) => this.message(s, type, bytes),
    });
    // the focus holds the welcome and the history until the page's first SEND binds the connection
    const bound = await s.msrp.bind();
    if (bound.status !== 200) throw new Error(`the room's endpoint answered ${bound.status}`);
    return answer;
  }

  /**
   * Starts an ad-hoc group chat (GIM-4, UC 5.4) with `invitees` (addresses of record) about
   * `subject`: the factory answers from the new room, which the page then shows like any room it
   * is in. Resolves with the room, or throws with what went wrong.
   */
  async startAdHoc(invitees, subject) {
    const s = { room: null, msrp: null, dialog: null, invite: null, since: Date.now() };
    const factory = `sip:adhoc_chat@groups.${this.app.me.domain}`;
    const headers = ['Require: recipient-list-invite', `Subject: ${subject.replace(/[\r\n]+/g, ' ')}`];
    const abandon = () => {
      if (s.dialog && this.app.sip) this.app.sip.bye(s.dialog);
      if (s.msrp) this.app.sessions.byUri.delete(s.msrp.ownUri);
    };
    let answer;
    try {
      answer = await this.establish(s, factory, (offer) => ({ ...withUriList(offer, invitees), headers }), () => Boolean(this.app.sip));
    } catch (e) {
      abandon();
      throw e;
    }
    if (!answer) throw new Error('signed out meanwhile');
    const named = focusRoom(answer.contact);
    if (!named) {
      abandon();
      throw new Error('the focus did not say which room it made');
    }
    s.room = this.rooms.remember({ name: named.name, uri: `sip:${named.user}@groups.${this.app.me.domain}`, subject });
    this.open.set(s.room.uri, s);
    await this.rooms.refresh(s.room);
    for (const [type, bytes] of s.early || []) this.message(s, type, bytes);
    s.early = null;
    return s.room;
  }

  failed(s, why) {
    this.open.delete(s.room.uri);
    this.rooms.note(s.room, why);
  }

  /**
   * Ends the session with the room (BYE, or CANCEL while it rings); `why` is the notice shown. An
   * ad-hoc chat's membership was the session, so the room is read again (`left`: it says I left).
   */
  end(room, why, left = false) {
    const s = this.open.get(room.uri);
    if (!s) return;
    this.open.delete(room.uri);
    if (s.invite) s.invite.cancel();
    if (s.dialog) this.app.sip.bye(s.dialog);
    if (s.msrp) this.app.sessions.byUri.delete(s.msrp.ownUri);
    if (why) this.rooms.note(room, why);
    if (left) {
      room.gone = 'You left this group chat.';
      this.rooms.render();
      this.rooms.renderRoom();
    }
  }

  /** The focus's BYE (kicked, banned, the room closed, too slow a reader) says why in its Reason (RFC 3326). */
  inDialog(s, request) {
    if (request.method !== 'BYE') {
      request.reply(request.method === 'INVITE' || request.method === 'UPDATE' ? 488 : 405);
      return;
    }
    request.reply(200);
    if (this.open.get(s.room.uri) !== s) return;
    s.dialog = null;
    const reason = /text="((?:[^"\\]|\\.)*)"/.exec(request.getHeader('Reason') || '');
    this.end(s.room, `The room ended your session${reason ? `: ${reason[1].replace(/\\(.)/g, '$1')}` : ''}.`);
    this.rooms.refresh(s.room);
  }

  /**
   * A copy from the focus: CPIM from the sender as the room shows them (a history entry from the
   * room's URI under the name the room kept; a notice under the room's own name), to the room or,
   * privately, to me. What the page already shows from the history is not shown twice.
   */
  message(s, type, bytes) {
    if (!s.room) {
      // an ad-hoc chat's first SENDs (the welcome) may come before the page has read the room's name from the answer
      s.early = [...(s.early || []), [type, bytes]];
      return;
    }
    let text;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return;
    }
    const { room } = s;
    if (!type.startsWith(imdn.CPIM)) {
      this.rooms.receive(room.uri, room.subject, type, text);
      return;
    }
    const cpim = imdn.parseCpim(text);
    const from = cpim && cpimAddress(cpim.from);
    if (!from) return;
    const said = cpim.dateTime ? Date.parse(cpim.dateTime) : NaN;
    const isPrivate = from.name.endsWith(PRIVATE);
    const name = isPrivate ? from.name.slice(0, -PRIVATE.length) : from.name;
    // outside public rooms a member shows as "screen-name (address)", as in pager mode and the history;
    // an XDM group's copies name the sender by address alone, as its pager copies do
    const shown = !room.isPublic && room.kind !== 'group' && from.uri.toLowerCase() !== room.uri ? `${name} (${from.uri})` : name;
    const sender = `${shown}${isPrivate ? PRIVATE : ''}`;
    if (said < s.since && this.rooms.shows(room, shown, cpim.content)) return;
    this.rooms.receive(room.uri, sender, cpim.contentType, cpim.content, Number.isNaN(said) ? new Date() : new Date(said));
  }

  /** A text over the session: CPIM to the room, or to one member (`<room;screen-name=...>`, as conference-info names them). */
  async send(room, privateTo, text) {
    const s = this.open.get(room.uri);
    const to = privateTo ? `${room.uri};screen-name=${encodeURIComponent(privateTo)}` : room.uri;
    const body = `From: <${this.app.me.aor}>\r\nTo: <${to}>\r\nDateTime: ${new Date().toISOString()}\r\n\r\n`
      + `Content-Type: text/plain;charset=UTF-8\r\n\r\n${text}`;
    const answer = await s.msrp.send(imdn.CPIM, new TextEncoder().encode(body));
    return { status: answer.status, reason: answer.comment || `MSRP ${answer.status}` };
  }

  /** A connection closed (RFC 4975 §5.4): the room sessions over it end, and the room goes on in pager mode. */
  linkClosed(link) {
    for (const s of [...this.open.values()]) {
      if (s.msrp && s.msrp.link === link) this.end(s.room, 'The connection of the session was lost: the room goes on in pager mode.');
    }
  }

  reset() {
    for (const s of [...this.open.values()]) this.end(s.room, null);
  }
}
