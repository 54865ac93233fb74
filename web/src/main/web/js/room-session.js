// A room's conversation in session mode (conference/README.md, FocusSessions; RFC 4353 §5, RFC
// 4579): an INVITE with the page's MSRP offer to the room's URI, answered by the focus on Parley's
// own MSRP endpoint, which the page reaches directly over WebSocket (RFC 7977) as it does for a
// deferred session (sessions.js). Every room message, notice and history entry then comes as a
// SEND of CPIM naming its sender (RFC 3862 From), instead of a MESSAGE; what the page writes goes
// as CPIM to the room, or privately with `To:` one member's entity. Pager mode stays the way a
// room is entered, and the fallback when the session cannot be had or ends.
import { parseSdp, sdp } from './msrp-sdp.js';
import * as imdn from './imdn.js';

const ROOM_TYPES = `${imdn.CPIM} text/plain`;
/** The focus's copies are single texts: a generous bound on what one may weigh. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
const PRIVATE = ' [private]';

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
    if (!s) return 'Join in session';
    return s.msrp ? 'Leave session' : 'Cancel session';
  }

  toggle(room) {
    if (this.open.has(room.uri)) this.end(room, 'You left the room\'s session: its messages come as pager messages again.');
    else this.join(room);
  }

  /** INVITEs the room with the page's MSRP offer and connects to the focus's endpoint named in the answer. */
  async join(room) {
    const { sessions, sip } = this.app;
    const s = { room, msrp: null, dialog: null, invite: null, since: Date.now() };
    this.open.set(room.uri, s);
    this.rooms.renderRoom();
    let grant;
    try {
      grant = await sessions.relayGrant();
    } catch (e) {
      this.failed(s, `No session: ${e.message}. The room goes on in pager mode.`);
      return;
    }
    const ownUri = sessions.ownUri(grant);
    const offer = sdp(grant.host, [...grant.path, ownUri], [`accept-types:${ROOM_TYPES}`, 'setup:active']);
    s.invite = sip.invite(room.uri, offer, (request) => this.inDialog(s, request));
    const answer = await s.invite.done;
    s.invite = null;
    if (this.open.get(room.uri) !== s) {
      if (answer.dialog) sip.bye(answer.dialog); // cancelled while it rang: a late 2xx ends at once
      return;
    }
    if (answer.status !== 200) {
      this.failed(s, `No session: the room answered ${answer.status} ${answer.reason || ''}. The room goes on in pager mode.`);
      return;
    }
    s.dialog = answer.dialog;
    const media = parseSdp(answer.body);
    try {
      if (!media) throw new Error('the room answered without a usable MSRP stream');
      s.msrp = await sessions.connect(ownUri, media.path, grant, {
        acceptTypes: ROOM_TYPES.split(' '),
        maxBytes: MAX_MESSAGE_BYTES,
        onMessage: (type, bytes) => this.message(s, type, bytes),
      });
      // the focus holds the welcome and the history until the page's first SEND binds the connection
      const bound = await s.msrp.bind();
      if (bound.status !== 200) throw new Error(`the room's endpoint answered ${bound.status}`);
    } catch (e) {
      this.end(room, `The session could not be joined (${e.message}): the room goes on in pager mode.`);
      return;
    }
    this.rooms.note(room, 'In session with the room: its messages come over MSRP.');
  }

  failed(s, why) {
    this.open.delete(s.room.uri);
    this.rooms.note(s.room, why);
  }

  /** Ends the session with the room (BYE, or CANCEL while it rings); `why` is the notice shown. */
  end(room, why) {
    const s = this.open.get(room.uri);
    if (!s) return;
    this.open.delete(room.uri);
    if (s.invite) s.invite.cancel();
    if (s.dialog) this.app.sip.bye(s.dialog);
    if (s.msrp) this.app.sessions.byUri.delete(s.msrp.ownUri);
    if (why) this.rooms.note(room, why);
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
    // outside public rooms a member shows as "screen-name (address)", as in pager mode and the history
    const shown = !room.isPublic && from.uri.toLowerCase() !== room.uri ? `${name} (${from.uri})` : name;
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
