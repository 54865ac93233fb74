// Session-mode chat and file transfer (issue 10 in the browser): an INVITE with an MSRP offer
// (RFC 4975 §8, `m=message 9 TCP/TLS/MSRP *`) through JsSIP (sip.js), the messages over MSRP on a
// WebSocket (RFC 7977) to Parley's relay, which the page AUTHs at with the user's own credentials
// (RFC 4976 §5) and whose URI it puts before its own in a=path. A session's messages show in the
// person's conversation (chat.js) like pager ones; is-typing goes over the session (RFC 3994);
// files go as RFC 5547 offers of their own session (a=file-selector with name, type, size and
// SHA-1), with progress from the receiver's success REPORTs. A transfer that breaks (a connection
// lost, the other side gone) can be resumed: the receiver keeps what came, the sender offers the
// rest (a=file-range after the octets the receiver's reports confirmed) under the same selector,
// and the receiver finds its part by the file's SHA-1, joins the two and checks the whole.
//
// Parley answers a session to a user with no device online itself (deferred delivery) with a
// Warning and the path of its own MSRP endpoint: the page then connects to that endpoint directly
// (the relay only carries traffic between its own users), and the messages wait for the user.
import * as msrp from './msrp.js';
import { MsrpLink, MsrpSession, accepts, digestChallenge } from './msrp-session.js';
import { fileSelector, parseSdp, sdp } from './msrp-sdp.js';
import { KeptParts } from './kept-parts.js';
import * as imdn from './imdn.js';
import { $, el } from './dom.js';
import { aorKey } from './contacts.js';

const CHAT_TYPES = `${imdn.CPIM} text/plain ${imdn.COMPOSING}`;
const WRAPPED_TYPES = `text/plain ${imdn.COMPOSING}`;
/**
 * Ask the relay again when the grant has less than this left (RFC 4976 §5: clients refresh their
 * AUTH), or a quarter of its lifetime when that is shorter.
 */
const GRANT_MARGIN_MS = 300000;
/** A page on the server's own machine: the one that may use a plain MSRP WebSocket bound to loopback. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/** Received files are kept in memory until saved: larger ones are refused (488) before a byte comes. */
const MAX_RECEIVE_BYTES = 50 * 1024 * 1024;

/** The quoted text of a SIP Warning (RFC 3261 §20.43), or the whole value. */
function warningText(warning) {
  const m = /"((?:[^"\\]|\\.)*)"/.exec(warning || '');
  return m ? m[1].replace(/\\(.)/g, '$1') : (warning || '');
}

async function sha1(bytes) {
  if (!crypto.subtle) return null; // only in a secure context: the offer then goes without a hash
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

function size(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  return bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

/**
 * The page's sessions: at most one chat session per person, file transfers beside it, the offers
 * waiting for the user's answer, and the MSRP connections they use.
 */
export class Sessions {
  constructor(app) {
    this.app = app;
    this.relay = null;
    this.grant = null;
    this.links = new Map();
    this.byUri = new Map();
    this.chats = new Map();
    this.offers = new Map();
    /** File transfers under way (sender's and receiver's sides), told when their connection closes. */
    this.transfers = new Set();
    /** Parts of files whose transfer broke, by the SHA-1 of the whole file, until the sender resumes them. */
    this.kept = new KeptParts();
    /** The conversation lines of those parts, while this page shows them. */
    this.keptLines = new Map();
    $('session-start').addEventListener('click', () => this.start(this.app.chat.peer));
    $('session-end').addEventListener('click', () => this.end(this.app.chat.peer));
    $('file-pick').addEventListener('change', (e) => {
      const file = e.target.files[0];
      e.target.value = '';
      if (file && this.app.chat.peer) this.sendFile(this.app.chat.peer, file);
    });
  }

  reset() {
    clearTimeout(this.refreshing);
    for (const peer of [...this.chats.keys()]) this.end(peer, null);
    for (const link of this.links.values()) link.close();
    if (this.relay) this.relay.close();
    this.relay = null;
    this.grant = null;
    this.links.clear();
    this.byUri.clear();
    this.transfers.clear();
    if (this.app.me) this.kept.forget(this.app.me.aor);
    this.keptLines.clear();
    // offers nobody answered get their final answer before the page unregisters
    for (const offer of this.offers.values()) offer.request.reply(480, 'Temporarily Unavailable (signed out)');
    this.offers.clear();
    this.renderOffers();
  }

  /** Is there a chat session with this person (messages and typing go over it)? */
  has(uri) {
    const s = this.chats.get(aorKey(uri));
    return Boolean(s && s.msrp);
  }

  /** The header's session controls for the conversation on screen. */
  renderControls(peer) {
    const s = peer && this.chats.get(aorKey(peer));
    $('session-start').hidden = Boolean(s);
    $('session-end').hidden = !s;
    $('session-end').textContent = s && !s.msrp ? 'Cancel session' : 'End session';
  }

  /**
   * The relay over the WebSocket listener the page can reach: ws: for a page over HTTP when the
   * plain listener is on and reachable from here (by default it listens on loopback only, for a
   * page opened on the server's machine), else wss:.
   */
  relayUrl() {
    const { msrpWsPort, msrpWssPort, msrpWsLoopback } = this.app.config;
    const plain = location.protocol === 'http:' && msrpWsPort > 0 && (!msrpWsLoopback || LOOPBACK_HOST.test(location.hostname));
    const port = plain ? msrpWsPort : msrpWssPort;
    if (!(port > 0)) return null;
    return { url: `${plain ? 'ws' : 'wss'}://${location.hostname}:${port}`, uri: `${plain ? 'msrp' : 'msrps'}://${location.hostname}:${port};ws` };
  }

  /** A URI granted by the relay (RFC 4976 §5): AUTH, the digest challenge answered with the account's credentials. */
  relayGrant() {
    // one AUTH at a time: a second session started meanwhile shares its grant
    if (!this.granting) this.granting = this.authenticate().finally(() => { this.granting = null; });
    return this.granting;
  }

  async authenticate() {
    if (this.grant && this.relay && this.relay.live && this.grant.until - Date.now() > this.grant.margin) return this.grant;
    const where = this.relayUrl();
    if (!where) throw new Error('Parley has no MSRP relay this page can reach (msrp.wss.port is off, and msrp.ws.port too or only for pages on the server\'s machine)');
    if (!this.relay || !this.relay.live) {
      this.relay = new MsrpLink(where.url, this);
      this.grant = null;
      await this.relay.open();
    }
    const { sip } = this.app;
    // a refresh comes from the same URI over the same connection as the AUTH it renews
    const ownUri = this.grant ? this.grant.from : `${where.uri.split(':')[0]}://${msrp.token(6)}.invalid:9/${msrp.token(10)};ws`;
    const auth = (authorization) => {
      const tid = msrp.token(8);
      return this.relay.transact(tid, msrp.serialize({
        tid, start: 'AUTH', toPath: [where.uri], fromPath: [ownUri], headers: authorization ? [['Authorization', authorization]] : [],
      }));
    };
    let answer = await auth(null);
    if (answer.status === 401) {
      const challenge = digestChallenge(msrp.header(answer, 'www-authenticate', ''));
      answer = challenge ? await auth(sip.authorize('AUTH', where.uri, challenge)) : answer;
    }
    if (answer.status !== 200) throw new Error(`the MSRP relay refused AUTH (${answer.status} ${answer.comment || ''})`);
    const usePath = msrp.parsePath(msrp.header(answer, 'use-path'));
    const expires = Number(msrp.header(answer, 'expires', '1800')) || 1800;
    if (!usePath) throw new Error('the MSRP relay granted no Use-Path');
    this.grant = { path: usePath, host: ownUri.split('/')[2].split(':')[0], scheme: ownUri.split(':')[0], from: ownUri,
      until: Date.now() + expires * 1000, margin: Math.min(GRANT_MARGIN_MS, (expires * 1000) / 4) };
    this.keepGranted();
    return this.grant;
  }

  /**
   * A page stays open longer than a grant lasts: AUTH again on the same connection before the
   * grant ends (RFC 4976 §5), whether or not a session is going on, so the sessions in progress go
   * on and the next one needs no wait. A connection that closed meanwhile takes its grant with it.
   */
  keepGranted() {
    clearTimeout(this.refreshing);
    const { grant, relay } = this;
    this.refreshing = setTimeout(() => {
      if (this.grant !== grant || this.relay !== relay || !relay.live || !this.app.sip) return;
      this.relayGrant().catch((e) => console.warn(`The MSRP relay grant was not renewed: ${e.message}`));
    }, Math.max(0, grant.until - grant.margin - Date.now()));
  }

  /** A new URI of the page's own for a session (RFC 7977 §5.2: a host of its own in .invalid, transport ws). */
  ownUri(grant) {
    return `${grant.scheme}://${grant.host}:9/${msrp.token(10)};ws`;
  }

  notice(uri, text) {
    return this.app.chat.add(uri, { notice: true, mine: false, text, time: new Date() });
  }

  /** Starts a chat session with a person (UC 5.2): INVITE with our MSRP offer. */
  async start(peer) {
    const key = aorKey(peer);
    if (!key || this.chats.has(key)) return;
    const chat = { peer: key, msrp: null, dialog: null, invite: null, deferred: false, cpim: false };
    this.chats.set(key, chat);
    this.renderControls(this.app.chat.peer);
    let grant;
    try {
      grant = await this.relayGrant();
    } catch (e) {
      this.chats.delete(key);
      this.renderControls(this.app.chat.peer);
      this.notice(key, `No session: ${e.message}.`);
      return;
    }
    const ownUri = this.ownUri(grant);
    const offer = sdp(grant.host, [...grant.path, ownUri], [`accept-types:${CHAT_TYPES}`, `accept-wrapped-types:${WRAPPED_TYPES}`, 'setup:active']);
    this.notice(key, `Starting a session with ${this.app.contacts.displayName(key)}…`);
    chat.answer = offer;
    chat.invite = this.app.sip.invite(key, offer, (request) => this.inDialog(key, chat, request));
    const answer = await chat.invite.done;
    chat.invite = null;
    if (this.chats.get(key) !== chat) {
      // ended by the user while it rang: a late 2xx is ended at once
      if (answer.dialog) this.app.sip.bye(answer.dialog);
      return;
    }
    if (answer.status !== 200) {
      this.chats.delete(key);
      this.renderControls(this.app.chat.peer);
      this.notice(key, refusal(answer, this.app.contacts.displayName(key), 'the session'));
      return;
    }
    chat.dialog = answer.dialog;
    const media = parseSdp(answer.body);
    if (!media) {
      this.notice(key, 'The session was answered without a usable MSRP stream: ended.');
      this.end(key);
      return;
    }
    chat.cpim = accepts(media.acceptTypes, imdn.CPIM);
    try {
      chat.msrp = await this.connect(ownUri, media.path, grant, this.chatEvents(key));
    } catch (e) {
      this.notice(key, `The session could not be joined (${e.message}): ended.`);
      this.end(key);
      return;
    }
    const name = this.app.contacts.displayName(key);
    if (answer.warning && media.direction === 'recvonly') {
      // Parley answered for a user with no device online: what is sent now waits for them (deferred delivery)
      chat.deferred = true;
      this.notice(key, `${name} is offline: the messages of this session are delivered when ${name} comes online. (${warningText(answer.warning)})`);
    } else {
      this.notice(key, `In a session with ${name}.`);
    }
    this.renderControls(this.app.chat.peer);
  }

  /**
   * The MSRP session over the relay, or straight to the answerer's first hop when it is not our
   * relay (Parley's own endpoint for a deferred session: the relay carries only its users' traffic).
   */
  async connect(ownUri, peerPath, grant, events) {
    const first = /^(msrps?):\/\/([^/;]+)/.exec(peerPath[0]);
    const relayHost = /^msrps?:\/\/([^/;:]+)/.exec(grant.path[0])[1].toLowerCase();
    const { msrpWsPort, msrpWssPort } = this.app.config;
    const ourRelay = first && [`${relayHost}:${msrpWsPort}`, `${relayHost}:${msrpWssPort}`].includes(first[2].toLowerCase());
    // a first hop over WebSocket that is not our relay is an MSRP end the page can reach itself;
    // any other (our relay, a peer behind it over whatever transport) goes through the relay
    const direct = first && /;ws(;|$)/i.test(peerPath[0]) && !ourRelay;
    let link = this.relay;
    let toPath = [...grant.path, ...peerPath];
    if (direct) {
      const url = `${first[1] === 'msrps' ? 'wss' : 'ws'}://${first[2]}`;
      link = this.links.get(url) || new MsrpLink(url, this);
      this.links.set(url, link);
      await link.open();
      toPath = peerPath;
    }
    const session = new MsrpSession(link, ownUri, toPath, events);
    this.byUri.set(ownUri, session);
    return session;
  }

  chatEvents(key) {
    return {
      acceptTypes: CHAT_TYPES.split(' ').concat(['*']),
      maxBytes: MAX_RECEIVE_BYTES,
      onMessage: (type, bytes) => this.chatMessage(key, type, bytes),
      onReport: (messageId, status) => {
        const m = this.app.chat.conversation(key).messages.find((x) => x.msrpId === messageId);
        if (!m) return;
        if (status === 200) m.status = 'delivered';
        else m.error = `Not delivered (${status}).`;
        this.app.chat.refresh(key);
      },
    };
  }

  /** A whole message of a chat session: text, is-typing, or a file sent within the session. */
  chatMessage(key, type, bytes) {
    let contentType = type.split(';')[0].trim();
    let text = null;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = null;
    }
    const chat = this.chats.get(key);
    if (contentType === imdn.CPIM && text !== null) {
      const cpim = imdn.parseCpim(text);
      if (!cpim) return;
      if (chat) chat.cpim = true;
      contentType = cpim.contentType.split(';')[0].trim();
      text = cpim.content;
    }
    if (contentType === imdn.COMPOSING) {
      this.app.chat.composingFrom(this.app.chat.conversation(key), text || '');
    } else if (contentType === 'text/plain' && text !== null) {
      this.app.chat.add(key, { mine: false, text, time: new Date(), notify: [] });
    } else {
      const file = { name: `${contentType.replace('/', '-')}`, type: contentType, size: bytes.length };
      this.app.chat.add(key, { mine: false, text: `File: ${file.name}`, time: new Date(), notify: [], node: this.download(file, bytes) });
    }
  }

  /** Sends a text in the person's session; the message shows Sent on the relay's 200, Delivered on the success report. */
  async sendText(peer, message) {
    const chat = this.chats.get(aorKey(peer));
    const { aor } = this.app.me;
    const body = chat.cpim
      ? `From: <${aor}>\r\nTo: <${chat.peer}>\r\nDateTime: ${new Date().toISOString()}\r\n\r\nContent-Type: text/plain;charset=UTF-8\r\n\r\n${message.text}`
      : message.text;
    // known before the first byte goes: the success report may come right after the relay's 200
    message.msrpId = msrp.token(10);
    const answer = await chat.msrp.send(chat.cpim ? imdn.CPIM : 'text/plain;charset=UTF-8', new TextEncoder().encode(body),
      { report: !chat.deferred, messageId: message.msrpId });
    // Parley's endpoint stored it for the user (deferred delivery): waiting, like a pager message on 202
    if (answer.status === 200 && chat.deferred) message.status = 'stored';
    return answer;
  }

  /** Is-typing over the session (RFC 3994 §3), wrapped in CPIM when the session is; no reports either way. */
  typing(peer, active) {
    const chat = this.chats.get(aorKey(peer));
    if (!chat || !chat.msrp || chat.deferred) return;
    const doc = imdn.composing(active);
    const { aor } = this.app.me;
    const body = chat.cpim ? `From: <${aor}>\r\nTo: <${chat.peer}>\r\n\r\nContent-Type: ${imdn.COMPOSING}\r\n\r\n${doc}` : doc;
    chat.msrp.send(chat.cpim ? imdn.CPIM : imdn.COMPOSING, new TextEncoder().encode(body), { failure: false });
  }

  /** Ends the session with this person (BYE, or CANCEL while it rings); `why` is the notice shown. */
  end(peer, why = 'You ended the session.') {
    const key = aorKey(peer);
    const chat = this.chats.get(key);
    if (!chat) return;
    this.chats.delete(key);
    if (chat.invite) chat.invite.cancel();
    if (chat.dialog) this.app.sip.bye(chat.dialog);
    if (chat.msrp) this.byUri.delete(chat.msrp.ownUri);
    if (why) this.notice(key, why);
    this.renderControls(this.app.chat.peer);
  }

  /** A request within a session's dialog: BYE ends it (the other side left), a refresh is accepted as it is. */
  inDialog(key, session, request) {
    if (request.method === 'BYE') {
      request.reply(200);
      if (session.file) {
        session.dialog = null; // ended by the other side: no BYE back
        this.fileEnded(session);
      }
      else if (this.chats.get(key) === session) {
        session.dialog = null;
        this.end(key, `${this.app.contacts.displayName(key)} ended the session.`);
      }
    } else if (request.method === 'INVITE' || request.method === 'UPDATE') {
      request.reply(200, null, [], session.answer || undefined);
    } else if (request.method !== 'ACK') {
      request.reply(405);
    }
  }

  /** An INVITE offering MSRP: a chat session or a file, listed for the user to accept or decline. */
  offered(request) {
    const media = parseSdp(request.body);
    if (!media) {
      request.reply(488, 'Not Acceptable Here (no MSRP stream with a path)');
      return;
    }
    const from = aorKey(request.from.uri.toString());
    const id = msrp.token(6);
    const offer = { id, from, request, media, file: media.file && media.direction === 'sendonly' ? media.file : null };
    if (!offer.file && this.chats.has(from)) {
      request.reply(486, 'Busy Here (already in a session with you)');
      return;
    }
    if (offer.file && offer.file.size !== null && offer.file.size > MAX_RECEIVE_BYTES) {
      request.reply(488, 'Not Acceptable Here (file too large for the browser)', [`Warning: 399 web "files up to ${size(MAX_RECEIVE_BYTES)} only"`]);
      return;
    }
    if (media.fileRange === false) {
      request.reply(488, 'Not Acceptable Here (malformed a=file-range)', ['Warning: 399 web "a=file-range is not <start>-<stop>|* (RFC 5547 section 6)"']);
      return;
    }
    if (offer.file && media.fileRange && !(media.fileRange.start === 1 && [null, offer.file.size].includes(media.fileRange.stop))) {
      this.resumeOffered(offer);
      return;
    }
    request.reply(180);
    this.offers.set(id, offer);
    this.renderOffers();
    this.notice(from, offer.file
      ? `${this.app.contacts.displayName(from)} offers a file: ${offer.file.name} (${size(offer.file.size || 0)}).`
      : `${this.app.contacts.displayName(from)} asks for a session.`);
  }

  /**
   * The rest of a file whose transfer broke (RFC 5547 §6: a=file-range). The part kept is found by
   * the SHA-1 of the whole file in the file-selector, from the same sender, of the same size, and
   * must reach the range's start; the range must run to the end of the file. The user accepted
   * this file before, so its rest is taken without asking again; anything else is refused (488)
   * with a Warning saying why, and the sender can send the whole file anew.
   */
  async resumeOffered(offer) {
    const { file, request, media: { fileRange: range } } = offer;
    const kept = file.hash ? await this.kept.get(this.app.me.aor, file.hash) : null;
    const why = !kept || kept.from !== offer.from || kept.file.size !== file.size ? `nothing of ${file.name} is kept here`
      : kept.bytes.length < range.start - 1 ? `only the first ${kept.bytes.length} octets of ${file.name} are kept here`
        : range.stop !== null && range.stop !== file.size ? 'only a range to the end of the file can be joined' : null;
    if (why) {
      request.reply(488, 'Not Acceptable Here (cannot resume)', [`Warning: 399 web "${why}: send the whole file"`]);
      this.notice(offer.from, `${this.app.contacts.displayName(offer.from)} tried to resume ${file.name}, but ${why}.`);
      return;
    }
    request.reply(180);
    this.notice(offer.from, `${this.app.contacts.displayName(offer.from)} resumes ${file.name} after ${size(range.start - 1)}.`);
    offer.resumes = { kept: kept.bytes.subarray(0, range.start - 1), line: this.keptLines.get(file.hash) };
    this.answer(offer.id, true, offer);
  }

  /** The caller gave up before the user answered (CANCEL): the INVITE ends with 487. */
  cancelled(request) {
    for (const offer of this.offers.values()) {
      if (offer.request.call_id === request.call_id && offer.request.from_tag === request.from_tag) {
        offer.request.reply(487);
        this.offers.delete(offer.id);
        this.renderOffers();
        this.notice(offer.from, `${this.app.contacts.displayName(offer.from)} gave up before you answered.`);
      }
    }
  }

  renderOffers() {
    const list = $('session-offer-list');
    list.replaceChildren(...[...this.offers.values()].map((o) => {
      const name = this.app.contacts.displayName(o.from);
      const what = o.file ? `${name} sends you ${o.file.name} (${size(o.file.size || 0)})` : `${name} asks for a chat session`;
      return el('li', { 'data-offer': o.id },
        el('span', {}, what),
        el('button', { type: 'button', 'aria-label': `Accept: ${what}`, onclick: () => this.answer(o.id, true) }, 'Accept'),
        el('button', { type: 'button', class: 'secondary', 'aria-label': `Decline: ${what}`, onclick: () => this.answer(o.id, false) }, 'Decline'));
    }));
    $('session-offers').hidden = this.offers.size === 0;
  }

  async answer(id, yes, resumed = null) {
    const offer = resumed || this.offers.get(id);
    if (!offer) return;
    this.offers.delete(id);
    this.renderOffers();
    const name = this.app.contacts.displayName(offer.from);
    if (!yes) {
      offer.request.reply(603, 'Decline');
      this.notice(offer.from, offer.file ? `You declined ${offer.file.name}.` : 'You declined the session.');
      return;
    }
    this.app.chat.open(offer.from);
    let grant;
    try {
      grant = await this.relayGrant();
    } catch (e) {
      offer.request.reply(500, 'Server Internal Error (no MSRP relay)');
      this.notice(offer.from, `No session: ${e.message}.`);
      return;
    }
    const ownUri = this.ownUri(grant);
    if (offer.file) {
      this.acceptFile(offer, grant, ownUri);
      return;
    }
    if (this.chats.has(offer.from)) {
      offer.request.reply(486, 'Busy Here');
      return;
    }
    const chat = { peer: offer.from, msrp: null, dialog: null, invite: null, deferred: false, cpim: accepts(offer.media.acceptTypes, imdn.CPIM) };
    this.chats.set(offer.from, chat);
    try {
      chat.msrp = await this.connect(ownUri, offer.media.path, grant, this.chatEvents(offer.from));
    } catch (e) {
      this.chats.delete(offer.from);
      offer.request.reply(488, 'Not Acceptable Here (MSRP end not reachable over WebSocket)');
      this.notice(offer.from, `The session could not be joined (${e.message}).`);
      return;
    }
    chat.answer = sdp(grant.host, [...grant.path, ownUri], [`accept-types:${CHAT_TYPES}`, `accept-wrapped-types:${WRAPPED_TYPES}`, 'setup:passive']);
    chat.dialog = this.app.sip.accept(offer.request, chat.answer, (request) => this.inDialog(offer.from, chat, request));
    this.notice(offer.from, `In a session with ${name}.`);
    this.renderControls(this.app.chat.peer);
  }

  /** Sends a file (RFC 5547 §8): its own session, offered with a=sendonly and the file-selector. */
  async sendFile(peer, file) {
    const key = aorKey(peer);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const selector = { name: file.name, type: file.type || 'application/octet-stream', size: bytes.length, hash: await sha1(bytes) };
    const line = this.app.chat.add(key, { mine: true, text: `File: ${selector.name}`, time: new Date(), status: 'sending', error: null });
    const transfer = { file: selector, bytes, peer: key, line, confirmed: 0, attempt: null,
      progress: el('progress', { max: selector.size, value: 0, 'aria-label': `Progress of ${selector.name}` }) };
    this.offerFile(transfer);
  }

  /**
   * Offers the file, or what the receiver has not confirmed of it (RFC 5547 §6: the same
   * file-selector, hash included, and a=file-range from the first octet not confirmed to the end;
   * the MSRP message is that range alone). Each offer is an attempt with its own session.
   */
  async offerFile(transfer) {
    const { file: selector, peer: key, line } = transfer;
    const from = transfer.confirmed;
    const attempt = { file: selector, peer: key, dialog: null, msrp: null, over: false, onEnd: () => this.interrupted(attempt) };
    if (transfer.attempt && transfer.attempt.msrp) this.byUri.delete(transfer.attempt.msrp.ownUri);
    transfer.attempt = attempt;
    attempt.transfer = transfer;
    line.error = null;
    line.status = 'sending';
    line.node = el('span', { class: 'file' }, `${selector.name} (${size(selector.size)}) `, transfer.progress);
    this.app.chat.refresh(key);
    let grant;
    try {
      grant = await this.relayGrant();
    } catch (e) {
      line.error = `Not sent: ${e.message}.`;
      this.app.chat.refresh(key);
      return;
    }
    const ownUri = this.ownUri(grant);
    const offer = sdp(grant.host, [...grant.path, ownUri], [`accept-types:${selector.type}`, 'sendonly', `file-selector:${fileSelector(selector)}`,
      `file-transfer-id:${msrp.token(8)}`, 'file-disposition:attachment', ...(from > 0 ? [`file-range:${from + 1}-${selector.size}`] : []),
      'setup:active']);
    const answer = await this.app.sip.invite(key, offer, (request) => this.inDialog(key, attempt, request)).done;
    if (answer.status !== 200) {
      line.error = refusal(answer, this.app.contacts.displayName(key), selector.name);
      this.app.chat.refresh(key);
      return;
    }
    attempt.dialog = answer.dialog;
    const media = parseSdp(answer.body);
    try {
      if (!media || media.direction !== 'recvonly') throw new Error('the answer does not take the file');
      attempt.msrp = await this.connect(ownUri, media.path, grant, {
        acceptTypes: [], maxBytes: 0, onMessage: () => {},
        onReport: (id, status, range) => {
          if (status !== 200) {
            this.interrupted(attempt, `MSRP ${status}`);
          } else if (range && range.end !== null) {
            // the receiver's octets of this range, counted from its start: of the file, after `from`
            transfer.confirmed = Math.max(transfer.confirmed, from + range.end);
            transfer.progress.value = transfer.confirmed;
            if (transfer.confirmed >= selector.size) {
              line.status = 'delivered';
              line.error = null;
              attempt.over = true;
              this.fileEnded(attempt);
              this.byUri.delete(attempt.msrp.ownUri);
            } else if (attempt.over) {
              // a report that came after the break: the resumption starts after it
              this.showInterrupted(transfer);
            } else {
              line.status = 'sent';
            }
          }
          this.app.chat.refresh(key);
        },
      });
      this.transfers.add(attempt);
      line.status = 'sent';
      this.app.chat.refresh(key);
      const sent = await attempt.msrp.send(selector.type, transfer.bytes.subarray(from), { report: true });
      if (sent.status !== 200) throw new Error(`MSRP ${sent.status}`);
    } catch (e) {
      this.interrupted(attempt, e.message);
    }
  }

  /**
   * The sender's attempt broke before the receiver confirmed every octet: its session ends, and
   * a file with a hash can be resumed from what was confirmed (the receiver finds its part by it),
   * and its line says how far it got; one without says `why` it was not sent.
   */
  interrupted(attempt, why = 'the session ended') {
    const { transfer } = attempt;
    if (attempt.over) return;
    attempt.over = true;
    this.fileEnded(attempt);
    if (transfer.attempt !== attempt || transfer.confirmed >= transfer.file.size) return;
    const { line, file } = transfer;
    if (!file.hash) {
      line.error = `Not sent: ${why}.`;
    } else {
      line.node = el('span', { class: 'file' }, `${file.name} (${size(file.size)}) `, transfer.progress,
        el('button', { type: 'button', class: 'resume', 'aria-label': `Resume ${file.name}`, onclick: () => this.offerFile(transfer) }, 'Resume'));
      this.showInterrupted(transfer);
    }
    this.app.chat.refresh(transfer.peer);
  }

  showInterrupted(transfer) {
    transfer.line.error = `Interrupted after ${size(transfer.confirmed)} of ${size(transfer.file.size)}: Resume sends the rest.`;
  }

  /**
   * A file's session is over (all bytes reported, or it failed, or the other side left): it ends
   * (BYE) and its side is told (`onEnd`). A sender's attempt (it has a `transfer`) still takes the
   * receiver's late success reports until the file is resumed: they move where the rest starts.
   */
  fileEnded(session) {
    this.transfers.delete(session);
    if (session.msrp && !session.transfer) this.byUri.delete(session.msrp.ownUri);
    if (session.dialog) this.app.sip.bye(session.dialog);
    session.dialog = null;
    if (session.onEnd) session.onEnd();
  }

  /**
   * Accepts an offered file: the answer says recvonly, the chunks come, the file is offered for
   * saving. For a resumed transfer the part kept goes first and the SHA-1 is checked on the whole;
   * a transfer that breaks keeps what came, under the file's SHA-1, for the sender to resume.
   */
  async acceptFile(offer, grant, ownUri) {
    const { file } = offer;
    const before = offer.resumes ? offer.resumes.kept : new Uint8Array(0);
    const progress = el('progress', { max: file.size || 1, value: before.length, 'aria-label': `Progress of ${file.name}` });
    const transfer = { file, peer: offer.from, dialog: null, msrp: null, done: false, onEnd: () => this.keepPart(transfer, before, line) };
    const node = el('span', { class: 'file' }, `${file.name} (${size(file.size || 0)}) `, progress);
    const line = offer.resumes && offer.resumes.line ? offer.resumes.line
      : this.app.chat.add(offer.from, { mine: false, text: `File: ${file.name}`, time: new Date(), notify: [], node });
    line.node = node;
    this.app.chat.refresh(offer.from);
    const expected = (file.size || MAX_RECEIVE_BYTES) - before.length;
    try {
      transfer.msrp = await this.connect(ownUri, offer.media.path, grant, {
        acceptTypes: ['*'], maxBytes: Math.min(expected, MAX_RECEIVE_BYTES),
        onProgress: (id, received) => {
          progress.value = before.length + received;
        },
        onMessage: async (type, bytes) => {
          transfer.done = true;
          this.transfers.delete(transfer);
          const whole = before.length ? new Uint8Array(before.length + bytes.length) : bytes;
          if (before.length) {
            whole.set(before);
            whole.set(bytes, before.length);
          }
          const hash = file.hash ? await sha1(whole) : null;
          const intact = !file.hash || !hash || hash === file.hash;
          if (file.hash) {
            this.kept.delete(this.app.me.aor, file.hash);
            this.keptLines.delete(file.hash);
          }
          line.node = el('span', { class: 'file' }, intact ? '' : 'The file arrived damaged (its SHA-1 differs): ',
            this.download(file, whole));
          this.app.chat.refresh(offer.from);
        },
      });
    } catch (e) {
      offer.request.reply(488, 'Not Acceptable Here (MSRP end not reachable over WebSocket)');
      this.notice(offer.from, `The file could not be received (${e.message}).`);
      return;
    }
    this.transfers.add(transfer);
    const range = offer.resumes ? [`file-range:${offer.media.fileRange.start}-${offer.media.fileRange.stop === null ? '*' : offer.media.fileRange.stop}`] : [];
    const answer = sdp(grant.host, [...grant.path, ownUri], [`accept-types:${offer.media.acceptTypes.join(' ') || '*'}`, 'recvonly',
      `file-selector:${fileSelector({ ...file, size: file.size || 0 })}`, ...(offer.media.fileTransferId ? [`file-transfer-id:${offer.media.fileTransferId}`] : []),
      ...range, 'setup:passive']);
    transfer.dialog = this.app.sip.accept(offer.request, answer, (request) => this.inDialog(offer.from, transfer, request));
  }

  /**
   * The receiver's transfer ended before the whole file came: what came from the first octet
   * without a gap (after the part kept from before) is kept under the file's SHA-1, which a
   * resumed offer names (RFC 5547 §6). Without a hash nothing could be matched, so nothing is kept.
   */
  keepPart(transfer, before, line) {
    if (transfer.done) return;
    transfer.done = true;
    const { file } = transfer;
    const part = transfer.msrp ? transfer.msrp.partial() : new Uint8Array(0);
    const bytes = new Uint8Array(before.length + part.length);
    bytes.set(before);
    bytes.set(part, before.length);
    if (!file.hash || bytes.length === 0) {
      line.node = el('span', { class: 'file' }, `${file.name}: the transfer broke off.`);
    } else {
      this.kept.put(this.app.me.aor, { from: transfer.peer, file, bytes });
      this.keptLines.set(file.hash, line);
      line.node = el('span', { class: 'file kept' }, `${file.name}: ${size(bytes.length)} of ${size(file.size || 0)} kept; the sender can resume it.`);
    }
    this.app.chat.refresh(transfer.peer);
  }

  /** A download link for a received file (a blob: URL made on the page, saved under the name offered). */
  download(file, bytes) {
    const url = URL.createObjectURL(new Blob([bytes], { type: file.type }));
    return el('a', { href: url, download: file.name, class: 'download' }, `Save ${file.name} (${size(bytes.length)})`);
  }

  /** A request that came over an MSRP connection: to the session whose URI is the last of its To-Path. */
  request(message, link) {
    const session = this.byUri.get(message.toPath[message.toPath.length - 1]);
    if (!session) {
      if (message.method !== 'REPORT') link.send(msrp.response(message, 481, 'No such session', message.toPath[message.toPath.length - 1]));
      return;
    }
    session.request(message);
  }

  /** A connection closed: the sessions over it cannot go on (RFC 4975 §5.4); they end. */
  linkClosed(link) {
    if (link === this.relay) this.grant = null;
    // a file transfer over it is cut: its session ends, and what came or was confirmed is kept for a resumption
    for (const transfer of [...this.transfers]) {
      if (transfer.msrp && transfer.msrp.link === link) this.fileEnded(transfer);
    }
    for (const [key, chat] of [...this.chats]) {
      if (chat.msrp && chat.msrp.link === link) this.end(key, 'The connection of the session was lost: it ended.');
    }
    this.app.rooms.live.linkClosed(link);
  }
}

/** What a refused INVITE means for the user; a Warning (RFC 3261 §20.43) says why in the server's words. */
function refusal(answer, name, what) {
  const why = answer.warning ? ` ${warningText(answer.warning)}` : '';
  switch (answer.status) {
    case 603: case 486: case 600: return `${name} declined ${what}.${why}`;
    case 487: return `You cancelled ${what}.`;
    case 488: return `Not accepted: ${answer.reason}.${why}`;
    case 480: return `${name} cannot take ${what} right now.${why}`;
    case 404: return 'There is no such user.';
    case 408: return `${name} did not answer.`;
    default: return `${what} failed: ${answer.reason || 'error'} (${answer.status}).${why}`;
  }
}
