// Chat rooms (conference/README.md): the user's rooms, invitations and the public-room directory
// from the REST API (/api/v1/rooms, /api/v1/me/invitations, /api/v1/public-rooms), and a room's
// conversation in pager mode, as every pager member takes part: a message goes as a MESSAGE to the
// room's URI, which fans it out; each copy comes from the room's URI with the sender as the From
// display name (the room's own notices carry the room's subject there instead). The sender gets
// no copy of their own message, so the page shows it as sent; what came before is the room's
// history, read when the room is first opened. A private message to one member goes as the room's
// "#msg <member> <text>" command; one to me comes with " [private]" after the sender's name.
// The member list and the administration are room-admin.js; session mode, where the same
// messages come and go over MSRP, is room-session.js. The same pane serves the group chats of
// groups.js: an XDM group's (kind "group": no history, members or administration of the room's
// kind) and an ad-hoc one, which is a room.
import { $, el, linkified } from './dom.js';
import { RoomAdmin } from './room-admin.js';
import { RoomSessions, adHoc } from './room-session.js';
import { aorKey } from './contacts.js';
import { refusal } from './chat.js';
import * as imdn from './imdn.js';
import * as alerts from './alerts.js';

const INVITATIONS_POLL_MS = 30000;
const ROOM_USER = /^sip:room_[a-z0-9-]+@/;
const PRIVATE = ' [private]';

/** A message body the page can show as text, whatever type it came as. */
function shownText(contentType, body) {
  if (contentType.startsWith('text/')) return body;
  if (contentType.startsWith(imdn.CPIM)) {
    const cpim = imdn.parseCpim(body);
    return cpim ? cpim.content : body;
  }
  return `(a message of type ${contentType.split(';')[0]} this page cannot show)`;
}

/** A body the history gives in base64 (anything not text/*), as UTF-8 text. */
function decoded(base64) {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
}

export class Rooms {
  constructor(app) {
    this.app = app;
    this.live = new RoomSessions(this);
    this.reset();
    $('room-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.create();
    });
    $('public-rooms-refresh').addEventListener('click', () => this.directory());
    $('room-composer').addEventListener('submit', (e) => {
      e.preventDefault();
      this.send();
    });
    $('room-text').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      }
    });
    $('room-back').addEventListener('click', () => this.close());
    $('leave-room').addEventListener('click', () => this.leave());
    $('room-session').addEventListener('click', () => {
      const room = this.currentRoom();
      if (room && !room.gone) this.live.toggle(room);
    });
    $('room-private-cancel').addEventListener('click', () => this.privately(null));
    this.admin = new RoomAdmin(this);
  }

  reset() {
    this.live.reset();
    /**
     * By room URI: {name, uri, subject, topic, maxMembers, locked, isPublic, members, you (my
     * screen name and role), me (how the room shows me), gone (why I am no longer in it),
     * privateTo (the member the composer writes to privately), messages, unread, loaded,
     * expected (the room's answers to my private messages, which need no notice of their own)}.
     */
    this.rooms = new Map();
    this.current = null;
    clearInterval(this.poll);
    this.poll = null;
    $('room-list').replaceChildren();
    $('room-invitation-list').replaceChildren();
    $('room-invitations').hidden = true;
    $('public-room-list').replaceChildren();
    $('room-messages').replaceChildren();
    $('room-status').textContent = '';
    $('room-admin-status').textContent = '';
    $('room-private').hidden = true;
    // the next user of this browser does not inherit a screen name
    $('room-screen-name').value = '';
  }

  /** Whether a message from this address comes from a room or an XDM group (both live in the groups domain). */
  owns(uri) {
    const key = aorKey(uri);
    return this.rooms.has(key) || key.endsWith(`@groups.${this.app.me.domain}`);
  }

  status(text) {
    $('room-status').textContent = text;
  }

  /** The rooms I am in (a room I am only invited to comes with the invitations). */
  async load() {
    try {
      const { rooms } = await this.app.api.json('GET', '/api/v1/rooms');
      const mine = rooms.filter((r) => r.members);
      for (const r of mine) this.remember(r);
      const keys = new Set(mine.map((r) => aorKey(r.uri)));
      // groups are groups.js's to list; a room whose session is being made is not listed yet
      for (const [key, room] of [...this.rooms]) {
        if (!keys.has(key) && room.kind !== 'group' && !this.live.open.has(key)) this.rooms.delete(key);
      }
    } catch (e) {
      this.status(`Rooms could not be loaded: ${e.message}`);
    }
    this.render();
    await this.loadInvitations();
    if (!this.poll) this.poll = setInterval(() => this.loadInvitations(), INVITATIONS_POLL_MS);
  }

  /** A room as the REST API describes it, merged into what the page holds (its messages stay). */
  remember(view) {
    const key = aorKey(view.uri);
    const room = this.rooms.get(key) || { messages: [], unread: 0, loaded: false, me: null, members: [], expected: [] };
    Object.assign(room, { name: view.name, uri: key, subject: view.subject || view.name, topic: view.topic || '',
      isPublic: view.public, maxMembers: view.maxMembers, locked: view.locked });
    // a member's view says how the room knows them (a public room's list has no addresses)
    if (view.you) {
      Object.assign(room, { you: view.you, members: view.members, gone: null });
      room.me = room.isPublic ? view.you.screenName : `${view.you.screenName} (${this.app.me.aor})`;
    }
    this.rooms.set(key, room);
    return room;
  }

  currentRoom() {
    return this.rooms.get(this.current) || null;
  }

  /**
   * Reads the room again (members, roles, settings) after the room said something; a room that
   * no longer has me (removed, banned) or no longer exists (closed) stays readable, but mute.
   * Notices come in bursts: one reading at a time, and one more if asked meanwhile.
   */
  async refresh(room) {
    if (room.kind === 'group') return this.app.groups.load();
    if (room.reading) {
      room.again = true;
      return room.reading;
    }
    room.reading = (async () => {
      do {
        room.again = false;
        try {
          const view = await this.app.api.json('GET', `/api/v1/rooms/${encodeURIComponent(room.name)}`);
          // left meanwhile: the page has forgotten the room and does not take it back
          if (this.rooms.get(room.uri) !== room) break;
          this.remember(view);
          if (!view.you) room.gone = 'You are no longer a member of this room.';
          room.invitations = await this.admin.invitations(room);
        } catch (e) {
          if (e.status === 404) room.gone = 'This room was closed.';
          else if (e.status === 403) room.gone = 'You are no longer a member of this room.';
        }
      } while (room.again);
      room.reading = null;
      if (room.gone) room.privateTo = null;
      this.render();
      if (this.current === room.uri) this.renderRoom();
    })();
    return room.reading;
  }

  /** The composer writes privately to `screenName` (PP-33), or to everyone again with null. */
  privately(screenName) {
    const room = this.currentRoom();
    if (!room) return;
    room.privateTo = screenName;
    this.renderRoom();
    $('room-text').focus();
  }

  render() {
    this.app.groups.render();
    $('room-list').replaceChildren(...[...this.rooms.values()].filter((r) => r.kind !== 'group').map((room) => el('li', {}, el('button', {
      type: 'button', class: 'contact room', 'data-room': room.name,
      'aria-current': this.current === room.uri ? 'true' : false,
      'aria-label': `Room ${room.subject}${room.unread ? `, ${room.unread} unread` : ''}`,
      onclick: () => this.open(room.uri),
    },
    el('span', { class: 'dot room-mark', 'aria-hidden': 'true' }, '#'),
    el('span', { class: 'name' }, room.gone ? `${room.subject} (${room.gone.startsWith('This') ? 'closed' : 'left'})` : room.subject),
    room.unread ? el('span', { class: 'unread', 'aria-hidden': 'true' }, String(room.unread)) : null))));
  }

  async loadInvitations() {
    if (!this.app.sip) return;
    let invitations;
    try {
      ({ invitations } = await this.app.api.json('GET', '/api/v1/me/invitations'));
    } catch {
      return;
    }
    $('room-invitations').hidden = invitations.length === 0;
    $('room-invitation-list').replaceChildren(...invitations.map((i) => {
      // an ad-hoc chat's invitation is a group chat to take part in by session, as its starter does
      const chat = adHoc({ name: i.room });
      const what = `${chat ? 'Group chat: ' : ''}${i.subject || i.room}${i.inviter ? ` (from ${i.inviter.replace(/^sip:/, '')})` : ''}`;
      return el('li', { 'data-invitation': i.room }, el('span', {}, what),
        el('button', { type: 'button', 'aria-label': `Accept the invitation to ${i.subject || i.room}`,
          onclick: () => (chat ? this.app.groups.accept(i) : this.join(i.room)) }, 'Accept'),
        el('button', { type: 'button', class: 'secondary', 'aria-label': `Decline the invitation to ${i.subject || i.room}`, onclick: () => this.decline(i.room) }, 'Decline'));
    }));
  }

  screenName() {
    const name = $('room-screen-name').value.trim();
    return name ? { screenName: name } : {};
  }

  async create() {
    const name = $('room-new-name').value.trim().toLowerCase();
    if (!name) return;
    try {
      const view = await this.app.api.json('POST', '/api/v1/rooms', { name, public: $('room-new-public').checked, ...this.screenName() });
      const room = this.remember(view);
      room.loaded = true;
      $('room-new-name').value = '';
      this.status(`Room ${room.subject} created: you are its administrator.`);
      this.render();
      this.open(room.uri);
    } catch (e) {
      this.status(`Not created: ${e.message}`);
    }
  }

  /** Joins (or accepts an invitation to) a room; the answer carries the room's history. */
  async join(name) {
    try {
      const joined = await this.app.api.json('POST', `/api/v1/rooms/${encodeURIComponent(name)}/members`, this.screenName());
      const room = this.remember(joined.room);
      if (!room.loaded) this.merge(room, joined.history);
      this.status(`You joined ${room.subject} as ${joined.member.screenName}.`);
      this.render();
      await this.loadInvitations();
      this.open(room.uri);
    } catch (e) {
      this.status(`Not joined: ${e.message}`);
    }
  }

  async decline(name) {
    try {
      await this.app.api.request('DELETE', `/api/v1/rooms/${encodeURIComponent(name)}/invitations/${encodeURIComponent(this.app.me.username)}`);
      this.status(`Invitation to ${name} declined.`);
    } catch (e) {
      this.status(`Not done: ${e.message}`);
    }
    await this.loadInvitations();
  }

  async leave() {
    const room = this.rooms.get(this.current);
    if (!room || !window.confirm(`Leave the room ${room.subject}?`)) return;
    try {
      this.live.end(room, null);
      await this.app.api.request('DELETE', `/api/v1/rooms/${encodeURIComponent(room.name)}/members/me`);
      this.rooms.delete(room.uri);
      this.status(`You left ${room.subject}.`);
      this.close();
    } catch (e) {
      this.status(`Not left: ${e.message}`);
    }
  }

  async directory() {
    const list = $('public-room-list');
    try {
      const { rooms } = await this.app.api.json('GET', '/api/v1/public-rooms');
      list.replaceChildren(...(rooms.length ? rooms.map((r) => {
        const name = r.subject || r.name;
        const about = `${name}${r.topic ? ` — ${r.topic}` : ''} (${r.memberCount} ${r.memberCount === 1 ? 'member' : 'members'})`;
        const known = this.rooms.get(aorKey(r.uri));
        const mine = known && !known.gone;
        return el('li', { 'data-room': r.name }, el('span', {}, about), mine
          ? el('button', { type: 'button', 'aria-label': `Open ${name}`, onclick: () => this.open(aorKey(r.uri)) }, 'Open')
          : el('button', { type: 'button', 'aria-label': `Join ${name}`, onclick: () => this.join(r.name) }, 'Join'));
      }) : [el('li', {}, 'No public rooms.')]));
    } catch (e) {
      list.replaceChildren(el('li', {}, `Public rooms could not be listed: ${e.message}`));
    }
  }

  async open(uri) {
    const room = this.rooms.get(aorKey(uri));
    if (!room) return;
    this.app.showDetail('room-pane');
    this.app.chat.blur();
    this.current = room.uri;
    room.unread = 0;
    this.render();
    this.renderRoom();
    $('room-text').focus();
    this.refresh(room);
    if (!room.loaded && room.kind !== 'group') {
      try {
        const { messages } = await this.app.api.json('GET', `/api/v1/rooms/${encodeURIComponent(room.name)}/history`);
        if (!room.loaded) this.merge(room, messages);
      } catch (e) {
        this.status(`The room's history could not be read: ${e.message}`);
      }
      if (this.current === room.uri) this.renderRoom();
    }
  }

  /**
   * The room's history before what the page saw live: a message that came live and is in the
   * history too (same text, same sender; mine: same text) is shown once, where the history has it.
   */
  merge(room, history) {
    const earlier = history.map((m) => ({
      sender: m.sender, mine: Boolean(room.me) && m.sender === room.me,
      text: m.text !== undefined ? m.text : shownText(m.contentType.toLowerCase(), decoded(m.base64)),
      time: new Date(m.sentAt),
    }));
    const live = room.messages.filter((m) => {
      if (m.notice || m.error || m.privateTo || m.private) return true;
      const same = earlier.find((h) => !h.matched && h.text === m.text && (m.mine || h.sender === m.sender));
      if (!same) return true;
      same.matched = true;
      if (m.mine) Object.assign(same, { mine: true, status: m.status });
      return false;
    });
    room.messages = [...earlier, ...live];
    room.loaded = true;
  }

  close() {
    const uri = this.current;
    this.current = null;
    this.app.showDetail(null);
    this.render();
    const back = uri && this.rooms.has(uri) && document.querySelector(`.room[data-room="${CSS.escape(this.rooms.get(uri).name)}"]`);
    (back || $('room-screen-name')).focus();
  }

  renderRoom() {
    const room = this.rooms.get(this.current);
    if (!room) return;
    const group = room.kind === 'group';
    const chat = !group && adHoc(room);
    $('room-title').textContent = room.subject;
    $('room-about').textContent = (group ? ['XDM group', room.topic, room.gone || `${room.memberCount} members`]
      : [chat ? 'Group chat' : room.isPublic ? 'Public room' : 'Room', room.topic, room.gone || (room.me ? `you are ${room.me}` : '')])
      .filter(Boolean).join(' — ');
    // an XDM group is left over XCAP (or #leave), not here; an ad-hoc chat in session is left by its session's BYE
    $('leave-room').hidden = Boolean(room.gone) || group || (chat && this.live.open.has(room.uri));
    $('adhoc-add-form').hidden = !chat || Boolean(room.gone);
    $('room-session').hidden = Boolean(room.gone);
    $('room-session').textContent = this.live.label(room);
    $('room-text').disabled = Boolean(room.gone);
    $('room-send').disabled = Boolean(room.gone);
    $('room-private').hidden = !room.privateTo;
    $('room-private-label').textContent = room.privateTo ? `Only ${room.privateTo} will read what you write now.` : '';
    const everyone = group || chat ? 'to everyone in the group chat' : 'to everyone in the room';
    $('room-text').placeholder = `Write ${room.privateTo ? `privately to ${room.privateTo}` : everyone} (Enter sends, Shift+Enter for a new line)`;
    this.admin.render(room);
    if (group) $('room-people').hidden = true;
    const list = $('room-messages');
    list.replaceChildren(...room.messages.map((m) => el('li', {
      class: `message ${m.notice ? 'notice' : m.mine ? 'mine' : 'theirs'}${m.privateTo || m.private ? ' private' : ''}`,
    },
      m.notice ? null : el('div', { class: 'sender' }, m.mine ? 'You' : m.sender),
      m.privateTo || m.private ? el('div', { class: 'private-mark' }, m.mine ? `Privately to ${m.privateTo}` : 'Private message to you') : null,
      el('div', { class: 'body' }, linkified(m.text)),
      el('div', { class: 'meta' },
        el('time', { datetime: m.time.toISOString() }, m.time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
        m.mine && (m.error || m.status) ? ' · ' : null,
        m.mine && (m.error || m.status) ? el('span', { class: `status ${m.error ? 'failed' : ''}` }, m.error || m.status) : null))));
    list.scrollTop = list.scrollHeight;
  }

  /**
   * To everybody in the room: plain text, which every room takes (a public one refuses CPIM); or
   * to one member, as the room's #msg command (PP-33), whose answer the room also sends as a
   * notice, which the message's own status makes redundant.
   */
  async send() {
    const box = $('room-text');
    const text = box.value.replace(/\s+$/, '');
    const room = this.rooms.get(this.current);
    if (!text.trim() || !room || room.gone || !this.app.sip) return;
    box.value = '';
    const to = room.privateTo;
    const message = { mine: true, sender: room.me, privateTo: to, text, time: new Date(), status: 'Sending…', error: null };
    room.messages.push(message);
    this.renderRoom();
    if (this.live.has(room)) {
      // in session the focus takes a CPIM To one member and sends no answer notice
      const result = await this.live.send(room, to, text);
      if (result.status === 200) message.status = 'Sent';
      else message.error = refusal(result.status, result.reason);
      if (this.current === room.uri) this.renderRoom();
      return;
    }
    const answer = `Sent privately to ${to}`.toLowerCase();
    if (to) room.expected.push(answer);
    const result = await this.app.sip.send(room.uri, to ? `#msg ${to} ${text}` : text, 'text/plain;charset=UTF-8');
    if (result.status >= 200 && result.status < 300) {
      message.status = 'Sent';
    } else {
      message.error = refusal(result.status, result.reason);
      if (to) room.expected.splice(room.expected.indexOf(answer), 1);
    }
    if (this.current === room.uri) this.renderRoom();
  }

  /**
   * The room's notice that it has a new name comes under that new name, which the page does not
   * know yet: it is the notice whose text names the name it comes under, from no member.
   */
  renamed(room, display, text) {
    const members = (room.members || []).map((m) => (m.uri ? `${m.screenName} (${m.uri})` : m.screenName));
    return text.startsWith(`Room settings: name ${display},`) && !members.includes(display);
  }

  /** A notice of the page's own in the room's conversation (the room's session began, ended...). */
  note(room, text) {
    room.messages.push({ notice: true, text, time: new Date() });
    if (this.current === room.uri) this.renderRoom();
  }

  /** Whether the conversation already shows this message from this sender (me when it is how the room shows me). */
  shows(room, sender, text) {
    return room.messages.some((m) => !m.notice && m.text === text && (m.mine ? sender === room.me : m.sender === sender));
  }

  /**
   * A copy from a room: a member's message (the From display name is the sender) or the room's
   * notice; `time` is when it was said when the copy says so (a session's CPIM DateTime).
   */
  receive(from, display, contentType, body, time = new Date()) {
    const key = aorKey(from);
    if (contentType.startsWith(imdn.COMPOSING)) return;
    let room = this.rooms.get(key);
    if (!room && !ROOM_USER.test(key)) {
      // an XDM group I was just added to speaks: it is listed from now on
      room = this.app.groups.remember({ uri: key });
      this.app.groups.load();
    } else if (!room) {
      // a room I am not in (yet) speaks: an invitation, a command's answer; the lists may have changed
      room = this.remember({ name: key.slice('sip:room_'.length, key.indexOf('@')), uri: key });
      this.load();
    }
    const text = shownText(contentType, body);
    const notice = !display || display === room.subject || this.renamed(room, display, text);
    if (notice) {
      // who came, went, changed role, what changed: the member list and settings follow (in a
      // room I am only invited to there is nothing to follow yet)
      if (room.you) this.refresh(room);
      // an invitation (or its withdrawal) to a room I was removed from
      if (room.gone) this.loadInvitations();
      const answered = room.expected.indexOf(text.toLowerCase());
      if (answered >= 0) {
        room.expected.splice(answered, 1);
        return;
      }
    }
    const isPrivate = !notice && display.endsWith(PRIVATE);
    const sender = isPrivate ? display.slice(0, -PRIVATE.length) : display;
    room.messages.push({ notice, private: isPrivate, sender, text, time });
    if (this.current === room.uri) {
      this.renderRoom();
    } else {
      room.unread += 1;
      this.render();
    }
    alerts.newMessage(notice ? room.subject : `${sender}${isPrivate ? ' (privately)' : ''} in ${room.subject}`, text);
  }
}
