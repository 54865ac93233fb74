// Parley Web: sign-in, contacts with live presence, own presence, pager chat with delivery and
// read reports and is-typing, chat sessions and file transfer over MSRP, chat rooms, XDM groups'
// and ad-hoc group chats, settings.
// One page, no framework: views are built from data with dom.js (text only, never markup) and
// rebuilt when their data changes.
import { Api } from './api.js';
import { SipClient } from './sip.js';
import { $ } from './dom.js';
import { Contacts } from './contacts.js';
import { Chat } from './chat.js';
import { Rooms } from './rooms.js';
import { Groups } from './groups.js';
import { Sessions } from './sessions.js';
import { Settings } from './settings.js';
import * as presence from './presence.js';
import * as alerts from './alerts.js';

class App {
  constructor() {
    this.api = new Api((reason) => this.signOut(reason));
    this.sip = null;
    this.me = null;
    this.tupleId = `web-${Math.random().toString(36).slice(2, 10)}`;
    this.contacts = new Contacts(this);
    this.chat = new Chat(this);
    this.sessions = new Sessions(this);
    this.groups = new Groups(this);
    this.rooms = new Rooms(this);
    this.settings = new Settings(this);
    $('signin-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.signIn();
    });
    $('signout').addEventListener('click', () => this.signOut());
    $('my-state').addEventListener('change', () => this.publish());
    $('note-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.publish();
    });
    $('open-settings').addEventListener('click', () => this.settings.open());
    window.addEventListener('offline', () => this.banner('The network is unavailable. Parley will reconnect when it is back.', true));
    window.addEventListener('online', () => this.hideBannerIfOnline());
    $('signin-user').focus();
  }

  async signIn() {
    const username = $('signin-user').value.trim();
    const password = $('signin-password').value;
    const error = $('signin-error');
    error.textContent = '';
    if (!username || !password) {
      error.textContent = 'Enter your user name and password.';
      return;
    }
    alerts.prepare();
    $('signin-submit').disabled = true;
    try {
      await this.api.signIn(username, password);
      const config = await (await fetch('/parley-web.json', { cache: 'no-store' })).json();
      this.me = { username, domain: config.domain, aor: `sip:${username}@${config.domain}` };
      this.config = config;
      this.sip = new SipClient({
        onConnection: (state, detail) => this.connection(state, detail),
        // a room's or group's copies come from its URI: they belong to it, not to a person
        onMessage: (from, type, body, display) => (this.rooms.owns(from)
          ? this.rooms.receive(from, display, type, body) : this.chat.receive(from, type, body)),
        onListNotify: (body, type) => this.contacts.presenceChanged(presence.parseListNotify(body, type)),
        onSessionOffer: (request) => this.sessions.offered(request),
        onSessionCancel: (request) => this.sessions.cancelled(request),
      });
      await this.sip.start(config, username, password);
    } catch (e) {
      error.textContent = e.status !== undefined ? e.message : `Could not sign in: ${e.message}`;
      this.api.signOut();
      if (this.sip) await this.sip.stop();
      this.sip = null;
      $('signin-submit').disabled = false;
      return;
    }
    $('signin-password').value = '';
    $('signin-submit').disabled = false;
    $('signin-view').hidden = true;
    $('app-view').hidden = false;
    $('me').textContent = username;
    document.title = `${username} — Parley Web`;
    this.publish();
    await Promise.all([this.contacts.load(), this.rooms.load(), this.groups.load()]);
    $('add-contact').focus();
  }

  /** Signs out; with a reason (the session ended), the sign-in form says it. */
  async signOut(reason) {
    const sip = this.sip;
    this.sessions.reset();
    this.sip = null;
    if (sip) await sip.stop();
    this.api.signOut();
    this.contacts.reset();
    this.chat.reset();
    this.rooms.reset();
    this.groups.reset();
    this.me = null;
    $('my-state').value = 'available';
    $('my-note').value = '';
    $('app-view').hidden = true;
    $('signin-view').hidden = false;
    $('signin-error').textContent = reason || '';
    this.hideBanner();
    document.title = 'Parley Web';
    $('signin-user').focus();
  }

  connection(state, detail) {
    const status = $('connection');
    if (state === 'registered') {
      const wasLost = this.reconnecting;
      this.reconnecting = false;
      status.textContent = 'Online';
      this.hideBannerIfOnline();
      // after a drop the server may have restarted: read the lists again (this renews the token too)
      if (wasLost) {
        this.contacts.load();
        this.rooms.load();
        this.groups.load();
      }
    } else if (state === 'disconnected') {
      this.reconnecting = true;
      status.textContent = 'Reconnecting…';
      this.banner('The connection to the server was lost. Reconnecting…', true);
    } else if (state === 'failed') {
      status.textContent = 'Not registered';
      this.banner(`The server refused the registration (${detail}). Retrying…`, true);
    }
  }

  banner(text, bad) {
    const banner = $('banner');
    banner.textContent = text;
    banner.classList.toggle('bad', Boolean(bad));
    banner.hidden = false;
  }

  hideBanner() {
    $('banner').hidden = true;
  }

  hideBannerIfOnline() {
    if (navigator.onLine && (!this.sip || !this.reconnecting)) this.hideBanner();
  }

  /** The state and note picked in the top bar, as PIDF (RFC 3863) through PUBLISH. */
  async publish() {
    if (!this.sip) return;
    const state = $('my-state').value;
    const note = $('my-note').value.trim();
    const answer = await this.sip.publish(presence.pidf(this.me.aor, this.tupleId, state, note));
    if (answer && answer.status >= 300) this.banner(`Your presence was not published (${answer.status}).`, true);
  }

  /** On a phone-sized screen one pane shows at a time: the detail (conversation, settings) or the list. */
  showDetail(pane) {
    if (pane !== 'room-pane' && this.rooms && this.rooms.current) {
      this.rooms.current = null;
      this.rooms.render();
    }
    for (const id of ['conversation-pane', 'room-pane', 'settings-pane']) $(id).hidden = id !== pane;
    $('welcome-pane').hidden = Boolean(pane);
    document.querySelector('.panes').classList.toggle('detail', Boolean(pane));
  }
}

// A module script runs once the document is parsed: every element above exists.
new App();
