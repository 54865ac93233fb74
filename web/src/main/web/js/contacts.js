// The contact lists (/api/v1/contacts), their members' presence from one resource list
// subscription (RFC 4662) for all of them, contact requests (/api/v1/contacts/requests) and the
// directory (/api/v1/directory).
import { $, el } from './dom.js';
import { label } from './presence.js';

const DEFAULT_LIST = 'contacts';
const REQUESTS_POLL_MS = 30000;
const RL = 'urn:ietf:params:xml:ns:resource-lists';
const RS = 'urn:ietf:params:xml:ns:rls-services';

export function aorKey(uri) {
  return String(uri).replace(/^sips?:/i, 'sip:').split(';')[0].toLowerCase();
}

function xmlAttr(text) {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
}

export class Contacts {
  constructor(app) {
    this.app = app;
    this.reset();
    $('add-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.add($('add-contact').value.trim());
    });
    $('directory-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.search();
    });
  }

  reset() {
    this.lists = [];
    this.presence = new Map();
    this.listNames = '';
    clearInterval(this.poll);
    this.poll = null;
    $('contact-lists').replaceChildren();
    $('request-list').replaceChildren();
    $('requests').hidden = true;
    $('directory-results').replaceChildren();
    $('add-status').textContent = '';
  }

  /** The contact with this address, if it is on a list: {uri, nickname, pending, list}. */
  find(uri) {
    const key = aorKey(uri);
    for (const list of this.lists) {
      const contact = list.contacts.find((c) => aorKey(c.uri) === key);
      if (contact) return { ...contact, list: list.name };
    }
    return null;
  }

  displayName(uri) {
    const contact = this.find(uri);
    return (contact && contact.nickname) || String(uri).replace(/^sip:/, '');
  }

  /** Presence shown for a contact: pending until they approve, then what the list subscription says. */
  stateOf(uri) {
    const contact = this.find(uri);
    // nobody watches the presence of someone on no list (the server's notices, a stranger)
    if (!contact) return { state: 'none', note: '' };
    if (contact.pending) return { state: 'pending', note: '' };
    return this.presence.get(aorKey(uri)) || { state: 'offline', note: '' };
  }

  async load() {
    const { api } = this.app;
    try {
      this.lists = (await api.json('GET', '/api/v1/contacts')).lists;
      await this.watchAll();
    } catch (e) {
      this.status(`Contacts could not be loaded: ${e.message}`);
    }
    this.render();
    this.app.groups.contactsChanged();
    this.app.chat.renderHead();
    await this.loadRequests();
    if (!this.poll) this.poll = setInterval(() => this.loadRequests(), REQUESTS_POLL_MS);
  }

  /**
   * One resource list service of the user's own, sip:<user>-web@<domain>, holding every contact
   * list by reference (an <external> anchor per list): the page subscribes once for everybody.
   * Written only when the set of lists changed; the server re-reads it and the lists it points to
   * on every change and notifies full state.
   */
  async watchAll() {
    const { me, api, sip } = this.app;
    const names = this.lists.map((l) => l.name).sort().join('\n');
    if (!this.lists.length || names === this.listNames) return;
    const service = `sip:${me.username}-web@${me.domain}`;
    const root = `${location.origin}/xcap-root`;
    const externals = this.lists.map((l) => `<rl:external anchor="${xmlAttr(`${root}/resource-lists/users/${me.aor}/index/~~/resource-lists/list%5b@name=%22${encodeURIComponent(l.name)}%22%5d`)}"/>`).join('');
    const element = `<service xmlns="${RS}" xmlns:rl="${RL}" uri="${xmlAttr(service)}"><list>${externals}</list>`
      + '<packages><package>presence</package></packages></service>';
    const document = `/xcap-root/rls-services/users/${me.aor}/index`;
    try {
      await api.request('PUT', `${document}/~~/rls-services/service%5b@uri=%22${encodeURIComponent(service)}%22%5d`,
        { body: element, type: 'application/xcap-el+xml' });
    } catch (e) {
      if (e.status !== 404 && e.status !== 409) throw e;
      // no rls-services document yet: this service is the whole of it
      await api.request('PUT', document, {
        body: `<?xml version="1.0" encoding="UTF-8"?>\r\n<rls-services xmlns="${RS}" xmlns:rl="${RL}">${element.replace(` xmlns="${RS}" xmlns:rl="${RL}"`, '')}</rls-services>`,
        type: 'application/rls-services+xml',
      });
    }
    this.listNames = names;
    sip.watch(service);
  }

  presenceChanged({ fullState, resources }) {
    if (fullState) this.presence = new Map();
    for (const [uri, state] of resources) this.presence.set(aorKey(uri), state);
    this.render();
    this.app.chat.renderHead();
  }

  /**
   * The lists, then the conversations with people on none of them (the server's notices, a
   * stranger's message), so that every message can be read.
   */
  render() {
    const others = this.app.chat.peers().filter((uri) => !this.find(uri)).map((uri) => ({ uri }));
    const sections = this.lists.map((list) => ({ title: list.displayName || list.name, contacts: list.contacts }));
    if (others.length) sections.push({ title: 'Other conversations', contacts: others });
    $('contact-lists').replaceChildren(...sections.map(({ title, contacts }) => el('section', { 'aria-label': title },
      el('h3', {}, title),
      el('ul', { class: 'plain' }, contacts.map((contact) => el('li', {}, this.button(contact)))))));
  }

  button(contact) {
    const open = this.app.chat.peer;
    const { state, note } = this.stateOf(contact.uri);
    const unread = this.app.chat.unread(contact.uri);
    const name = contact.nickname || contact.uri.replace(/^sip:/, '');
    return el('button', {
      type: 'button', class: 'contact', 'data-uri': contact.uri,
      'aria-current': open && aorKey(open) === aorKey(contact.uri) ? 'true' : false,
      'aria-label': `${name}, ${label(state)}${note ? `, ${note}` : ''}${unread ? `, ${unread} unread` : ''}`,
      onclick: () => this.app.chat.open(contact.uri),
    },
    el('span', { class: `dot ${state}`, 'aria-hidden': 'true' }),
    el('span', { class: 'name' }, name),
    el('span', { class: 'state', 'aria-hidden': 'true' }, label(state)),
    unread ? el('span', { class: 'unread', 'aria-hidden': 'true' }, String(unread)) : null);
  }

  status(text) {
    $('add-status').textContent = text;
  }

  /** A contact by user name, alias, E.164 number or address; a user of the domain is asked first. */
  async add(contact, list = this.lists.length ? this.lists[0].name : DEFAULT_LIST) {
    if (!contact) return;
    try {
      const added = await this.app.api.json('POST', `/api/v1/contacts/lists/${encodeURIComponent(list)}/entries`, { contact });
      $('add-contact').value = '';
      this.status(added.pending ? `Asked ${added.uri} to accept you as a contact.` : `${added.uri} added.`);
      await this.load();
    } catch (e) {
      this.status(`Not added: ${e.message}`);
    }
  }

  async rename(uri) {
    const contact = this.find(uri);
    const nickname = window.prompt(`New name for ${uri}`, contact.nickname || '');
    if (nickname === null) return;
    await this.change(() => this.app.api.json('PATCH', this.entry(contact), { nickname: nickname.trim() }));
  }

  /** To another list, a new one if no list has that name (UC 5.11). */
  async move(uri) {
    const contact = this.find(uri);
    const names = this.lists.map((l) => l.name).join(', ');
    const list = window.prompt(`Move ${contact.nickname || uri} to which list? (${names}, or a new name)`, contact.list);
    if (list === null || !list.trim() || list.trim() === contact.list) return;
    await this.change(() => this.app.api.json('PATCH', this.entry(contact), { list: list.trim() }));
  }

  async remove(uri) {
    const contact = this.find(uri);
    if (!window.confirm(`Remove ${contact.nickname || uri} from your contacts?`)) return;
    await this.change(() => this.app.api.request('DELETE', this.entry(contact)));
    this.app.chat.close();
  }

  /** Blocks the contact's messages (the user's blocked senders, PP2-23); the contact stays on the list. */
  async block(uri) {
    if (!window.confirm(`Block messages from ${uri}?`)) return;
    await this.change(async () => {
      const settings = await this.app.api.json('GET', '/api/v1/me/messaging');
      const blocked = new Set(settings.blockedSenders);
      blocked.add(aorKey(uri));
      await this.app.api.json('PATCH', '/api/v1/me/messaging', { blockedSenders: [...blocked] });
      this.status(`Messages from ${uri} are blocked (Settings lists blocked senders).`);
    });
  }

  entry(contact) {
    return `/api/v1/contacts/lists/${encodeURIComponent(contact.list)}/entries/${encodeURIComponent(contact.uri)}`;
  }

  async change(action) {
    try {
      await action();
      await this.load();
    } catch (e) {
      this.status(`Not done: ${e.message}`);
    }
  }

  async loadRequests() {
    if (!this.app.sip) return;
    let requests;
    try {
      requests = (await this.app.api.json('GET', '/api/v1/contacts/requests')).requests;
    } catch {
      return;
    }
    $('requests').hidden = requests.length === 0;
    $('request-list').replaceChildren(...requests.map((r) => {
      const who = r.watcher.replace(/^sip:/, '');
      return el('li', {}, el('span', {}, `${who} wants to add you`),
        el('button', { type: 'button', 'aria-label': `Accept ${who}`, onclick: () => this.answer('approve', r.watcher) }, 'Accept'),
        el('button', { type: 'button', class: 'secondary', 'aria-label': `Decline ${who}`, onclick: () => this.answer('decline', r.watcher) }, 'Decline'));
    }));
  }

  async answer(verb, watcher) {
    try {
      await this.app.api.json('POST', `/api/v1/contacts/requests/${verb}`, { watcher });
      this.status(verb === 'approve' ? `${watcher} can now see your presence.` : `Declined ${watcher}.`);
    } catch (e) {
      this.status(`Not done: ${e.message}`);
    }
    await this.loadRequests();
  }

  async search() {
    const params = new URLSearchParams();
    const q = $('directory-q').value.trim();
    const city = $('directory-city').value.trim();
    if (q) params.set('q', q);
    if (city) params.set('city', city);
    const results = $('directory-results');
    try {
      const found = (await this.app.api.json('GET', `/api/v1/directory?${params}`)).results;
      results.replaceChildren(...(found.length ? found.map((hit) => {
        const who = hit.xui.replace(/^sip:/, '');
        return el('li', {}, el('span', {}, who),
          el('button', { type: 'button', 'aria-label': `Add ${who}`, onclick: () => this.add(hit.xui) }, 'Add'));
      }) : [el('li', {}, 'Nobody found.')]));
    } catch (e) {
      results.replaceChildren(el('li', {}, `Search failed: ${e.message}`));
    }
  }
}
