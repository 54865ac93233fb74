// Pager-mode conversations (RFC 3428), one per contact. A message goes as CPIM asking for IMDN
// delivery and read reports (RFC 5438): "sent" when the server took it (2xx), "delivered" and
// "read" when the other side's reports come back. A peer that writes plain text (a SIP phone)
// gets plain text back: it would show CPIM headers as text. Is-typing (RFC 3994) goes only to
// contacts who are online, so the server never stores one for later. While a chat session with the
// person is up (sessions.js), messages and is-typing go over it instead, into the same conversation.
import { $, el, linkified } from './dom.js';
import { aorKey } from './contacts.js';
import { label } from './presence.js';
import * as imdn from './imdn.js';
import * as alerts from './alerts.js';

const TYPING_IDLE_MS = 10000;
const TYPING_REFRESH_MS = 50000;
const STATUS_TEXT = { sending: 'Sending…', sent: 'Sent', stored: 'Sent (waiting until they are online)', delivered: 'Delivered', displayed: 'Read' };
const STATUS_RANK = { sending: 0, sent: 1, stored: 1, delivered: 2, displayed: 3 };

/** What a refused MESSAGE means for the user. */
export function refusal(status, reason) {
  switch (status) {
    case 413: return 'Not sent: the message is too long for the server.';
    case 480: return 'Not sent: they do not take messages right now (do not disturb, or messages off).';
    case 403: case 603: return `Not sent: refused (${reason || status}).`;
    case 404: return 'Not sent: there is no such user.';
    case 408: case 503: return 'Not sent: the server could not be reached. Try again.';
    default: return `Not sent: ${reason || 'error'} (${status}).`;
  }
}

export class Chat {
  constructor(app) {
    this.app = app;
    this.reset();
    $('composer').addEventListener('submit', (e) => {
      e.preventDefault();
      this.send();
    });
    const text = $('composer-text');
    text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      }
    });
    text.addEventListener('input', () => this.typing());
    $('back').addEventListener('click', () => this.close());
    $('rename-contact').addEventListener('click', () => this.app.contacts.rename(this.peer));
    $('move-contact').addEventListener('click', () => this.app.contacts.move(this.peer));
    $('remove-contact').addEventListener('click', () => this.app.contacts.remove(this.peer));
    $('block-contact').addEventListener('click', () => this.app.contacts.block(this.peer));
    document.addEventListener('visibilitychange', () => this.reportDisplayed());
  }

  reset() {
    this.conversations = new Map();
    this.peer = null;
    this.typingState = { active: false, sentAt: 0, idleTimer: null };
    $('messages').replaceChildren();
    $('typing').textContent = '';
    if (this.app) this.app.showDetail(null);
  }

  conversation(uri) {
    const key = aorKey(uri);
    if (!this.conversations.has(key)) {
      this.conversations.set(key, { uri: key, messages: [], unread: 0, plain: false, typingUntil: 0, typingTimer: null });
    }
    return this.conversations.get(key);
  }

  /** Everybody there is a conversation with, as addresses. */
  peers() {
    return [...this.conversations.values()].filter((c) => c.messages.length).map((c) => c.uri);
  }

  unread(uri) {
    const c = this.conversations.get(aorKey(uri));
    return c ? c.unread : 0;
  }

  open(uri) {
    this.peer = aorKey(uri);
    this.conversation(uri).unread = 0;
    this.app.showDetail('conversation-pane');
    this.renderHead();
    this.renderMessages();
    this.app.contacts.render();
    this.reportDisplayed();
    $('composer-text').focus();
  }

  /** Another pane (a room) takes the screen: the conversation is no longer read, nor typed in. */
  blur() {
    this.stopTyping();
    this.peer = null;
    this.app.contacts.render();
  }

  close() {
    this.stopTyping();
    const peer = this.peer;
    this.peer = null;
    this.app.showDetail(null);
    this.app.contacts.render();
    const back = peer && document.querySelector(`.contact[data-uri="${CSS.escape(peer)}"]`);
    (back || $('add-contact')).focus();
  }

  renderHead() {
    if (!this.peer) return;
    const { state, note } = this.app.contacts.stateOf(this.peer);
    const onList = Boolean(this.app.contacts.find(this.peer));
    $('peer-name').textContent = this.app.contacts.displayName(this.peer);
    $('peer-state').replaceChildren(el('span', { class: `dot ${state}`, 'aria-hidden': 'true' }), ` ${label(state)}`,
      ...(note ? [el('span', { class: 'note' }, ` — ${note}`)] : []));
    for (const id of ['rename-contact', 'move-contact', 'remove-contact']) $(id).hidden = !onList;
    this.app.sessions.renderControls(this.peer);
    const c = this.conversation(this.peer);
    $('typing').textContent = c.typingUntil > Date.now() ? `${this.app.contacts.displayName(this.peer)} is typing…` : '';
  }

  renderMessages() {
    if (!this.peer) return;
    const list = $('messages');
    const c = this.conversation(this.peer);
    list.replaceChildren(...c.messages.map((m) => el('li', {
      class: `message ${m.notice ? 'notice' : m.mine ? 'mine' : 'theirs'}`, 'data-id': m.id || '',
    },
    el('span', { class: 'visually-hidden' }, m.mine ? 'You: ' : `${this.app.contacts.displayName(this.peer)}: `),
    el('div', { class: 'body' }, m.node || linkified(m.text)),
    el('div', { class: 'meta' },
      el('time', { datetime: m.time.toISOString() }, m.time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
      m.mine ? ' · ' : null,
      m.mine ? el('span', { class: `status ${m.error ? 'failed' : m.status}` }, m.error || STATUS_TEXT[m.status]) : null))));
    list.scrollTop = list.scrollHeight;
  }

  async send() {
    const box = $('composer-text');
    const text = box.value.replace(/\s+$/, '');
    if (!text.trim() || !this.peer || !this.app.sip) return;
    box.value = '';
    this.stopTyping(false);
    const c = this.conversation(this.peer);
    const message = { id: imdn.messageId(), mine: true, text, time: new Date(), status: 'sending', error: null };
    c.messages.push(message);
    this.renderMessages();
    if (this.app.sessions.has(c.uri)) {
      // in a chat session the message goes over MSRP: Sent on the relay's 200, Delivered on the success report
      const answer = await this.app.sessions.sendText(c.uri, message);
      if (answer.status !== 200) message.error = `Not sent: ${answer.comment || 'the session failed'} (${answer.status}).`;
      else if (message.status === 'sending') message.status = 'sent';
      if (this.peer === c.uri) this.renderMessages();
      return;
    }
    const { aor } = this.app.me;
    const answer = c.plain
      ? await this.app.sip.send(c.uri, text, 'text/plain;charset=UTF-8')
      : await this.app.sip.send(c.uri, imdn.cpimText(aor, c.uri, message.id, text), imdn.CPIM);
    if (answer.status >= 200 && answer.status < 300) {
      // 202: the server keeps it until they are online; a plain 200 came from their device
      const status = answer.status === 202 ? 'stored' : c.plain ? 'delivered' : 'sent';
      if (STATUS_RANK[status] > STATUS_RANK[message.status]) message.status = status;
    } else {
      message.error = refusal(answer.status, answer.reason);
    }
    if (this.peer === c.uri) this.renderMessages();
  }

  /** An incoming MESSAGE: text, a report on one of ours, or an is-typing indication. */
  receive(from, contentType, body) {
    const c = this.conversation(from);
    if (contentType.startsWith(imdn.COMPOSING)) {
      this.composingFrom(c, body);
      return;
    }
    let text = body;
    let request = null;
    if (contentType.startsWith(imdn.CPIM)) {
      const cpim = imdn.parseCpim(body);
      if (cpim && cpim.report) {
        this.report(cpim.report);
        return;
      }
      if (cpim && cpim.contentType.startsWith(imdn.COMPOSING)) {
        this.composingFrom(c, cpim.content);
        return;
      }
      text = cpim ? cpim.content : body;
      request = cpim && cpim.id ? cpim : null;
      c.plain = false;
    } else if (contentType.startsWith('text/plain')) {
      c.plain = true;
    } else {
      text = `(a message of type ${contentType.split(';')[0]} this page cannot show)`;
    }
    const message = { id: request ? request.id : null, mine: false, text, time: new Date(), notify: request ? request.notify : [], displayedSent: false };
    c.messages.push(message);
    c.typingUntil = 0;
    if (request && request.notify.includes('positive-delivery')) {
      this.app.sip.send(c.uri, imdn.cpimReport(this.app.me.aor, c.uri, request.id, 'delivered'), imdn.CPIM);
    }
    const known = this.app.contacts.find(from);
    if (!known) {
      // a notice from the server (a contact request, an answer to ours) or a stranger: the lists may have changed
      this.app.contacts.load();
    }
    if (this.peer === c.uri) {
      this.renderHead();
      this.renderMessages();
      this.reportDisplayed();
    } else {
      c.unread += 1;
      this.app.contacts.render();
    }
    alerts.newMessage(this.app.contacts.displayName(from), text);
  }

  /** A message from another source (a chat session, sessions.js), shown like the pager ones; returns it. */
  add(uri, message) {
    const c = this.conversation(uri);
    c.messages.push(message);
    if (!message.mine && !message.notice) c.typingUntil = 0;
    if (this.peer === c.uri) {
      this.renderHead();
      this.renderMessages();
    } else if (!message.mine) {
      c.unread += 1;
      this.app.contacts.render();
    }
    if (!message.mine && !message.notice) alerts.newMessage(this.app.contacts.displayName(uri), message.text);
    return message;
  }

  /** A message of this conversation changed (a session's report, a transfer's progress). */
  refresh(uri) {
    if (this.peer === aorKey(uri)) this.renderMessages();
  }

  /** Read reports for what the user now sees: the open conversation of a visible page. */
  reportDisplayed() {
    if (!this.peer || document.hidden || !this.app.sip) return;
    const c = this.conversation(this.peer);
    for (const m of c.messages) {
      if (!m.mine && m.id && !m.displayedSent && m.notify.includes('display')) {
        m.displayedSent = true;
        this.app.sip.send(c.uri, imdn.cpimReport(this.app.me.aor, c.uri, m.id, 'displayed'), imdn.CPIM);
      }
    }
  }

  report({ id, status }) {
    const rank = status === 'displayed' ? 3 : status === 'delivered' ? 2 : -1;
    for (const c of this.conversations.values()) {
      const message = c.messages.find((m) => m.mine && m.id === id);
      if (!message) continue;
      if (rank < 0) {
        message.error = `Not delivered (${status}).`;
      } else if (rank > STATUS_RANK[message.status]) {
        message.status = status;
      }
      if (this.peer === c.uri) this.renderMessages();
      return;
    }
  }

  composingFrom(c, xml) {
    const state = imdn.parseComposing(xml);
    if (!state) return;
    clearTimeout(c.typingTimer);
    c.typingUntil = state.active ? Date.now() + state.refresh * 1000 : 0;
    if (state.active) c.typingTimer = setTimeout(() => this.renderHead(), state.refresh * 1000 + 50);
    if (this.peer === c.uri) this.renderHead();
  }

  /** The user types: "active" now and then while they do, "idle" after a pause (RFC 3994 §4). */
  typing() {
    if (!this.peer || !this.app.sip) return;
    const c = this.conversation(this.peer);
    const { state } = this.app.contacts.stateOf(this.peer);
    const session = this.app.sessions.has(c.uri);
    if (!session && (c.plain || !['available', 'away', 'busy'].includes(state))) return;
    const t = this.typingState;
    clearTimeout(t.idleTimer);
    t.idleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
    if (!t.active || Date.now() - t.sentAt > TYPING_REFRESH_MS) {
      t.active = true;
      t.sentAt = Date.now();
      t.peer = c.uri;
      if (session) this.app.sessions.typing(c.uri, true);
      else this.app.sip.send(c.uri, imdn.composing(true), imdn.COMPOSING);
    }
  }

  /** Typing stopped: "idle", unless a message follows, which ends the indication by itself. */
  stopTyping(sendIdle = true) {
    const t = this.typingState;
    clearTimeout(t.idleTimer);
    if (t.active && sendIdle && this.app.sessions.has(t.peer)) this.app.sessions.typing(t.peer, false);
    else if (t.active && sendIdle && this.app.sip) this.app.sip.send(t.peer, imdn.composing(false), imdn.COMPOSING);
    t.active = false;
  }
}
