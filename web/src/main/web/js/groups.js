// Group chats beside the rooms (conference/README.md: GroupChat, AdHocChats):
// - the XDM groups the user owns or is a member of (GET /api/v1/groups; UC 5.7, 5.8, GIM-*): each
//   opens as a conversation in the room pane, whose pager and session code serve it as they serve a
//   room — a MESSAGE to the group's URI, or an INVITE with MSRP to it; copies come from the group's
//   URI with the sender's address as the display name. A new group is an org.openmobilealliance.groups
//   document PUT over XCAP into the user's own tree, its members picked from the contacts.
// - ad-hoc group chats (GIM-4, UC 5.4): *New group chat* INVITEs the conference factory with the
//   page's MSRP offer and an RFC 5366 URI list of the contacts picked (room-session.js); the room it
//   makes is shown like any room, and in it *Add participant* REFERs (RFC 4579 §5.5) someone else in.
//   The invitees get the room's invitation (the focus does not call them), which the room list shows
//   as a group chat to accept — by an INVITE to the room — or decline.
import { $, el } from './dom.js';
import { aorKey } from './contacts.js';

const GROUPS = 'urn:oma:xml:poc:list-service';
const GROUP_TYPE = 'application/vnd.oma.poc.groups+xml';
const GROUP_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

function xmlText(text) {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
}

/** The status code of a NOTIFY's message/sipfrag status line (RFC 3420; RFC 3515 §2.4.5), or null for anything else. */
export function sipfragStatus(sipfrag) {
  const m = /^SIP\/2\.0 ([1-6]\d\d)(?: |$)/.exec(sipfrag || '');
  return m ? Number(m[1]) : null;
}

/** A closed user group (groups.xsd): the URI its location gives it, a display name, the members. */
export function groupDocument(uri, displayName, members) {
  return `<?xml version="1.0" encoding="UTF-8"?>\r\n<group xmlns="${GROUPS}"><list-service uri="${xmlText(uri)}">`
    + (displayName ? `<display-name>${xmlText(displayName)}</display-name>` : '')
    + `<list>${members.map((m) => `<entry uri="${xmlText(m)}"/>`).join('')}</list></list-service></group>\r\n`;
}

export class Groups {
  constructor(app) {
    this.app = app;
    $('group-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.create();
    });
    $('adhoc-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.startChat();
    });
    // the contacts to pick from, as they are when the form opens
    $('group-new-part').addEventListener('toggle', () => this.pickers('group-new-members'));
    $('adhoc-part').addEventListener('toggle', () => this.pickers('adhoc-people'));
    $('adhoc-add-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.addParticipant();
    });
  }

  get rooms() {
    return this.app.rooms;
  }

  reset() {
    $('group-list').replaceChildren();
    $('group-status').textContent = '';
    $('adhoc-add-status').textContent = '';
    for (const id of ['group-new-members', 'adhoc-people']) $(id).replaceChildren();
  }

  status(text) {
    $('group-status').textContent = text;
  }

  /** The groups I own or am in, kept in the rooms' map as conversations of kind "group". */
  async load() {
    let groups;
    try {
      ({ groups } = await this.app.api.json('GET', '/api/v1/groups'));
    } catch (e) {
      this.status(`Groups could not be loaded: ${e.message}`);
      return;
    }
    const keys = new Set();
    for (const g of groups) keys.add(this.remember(g).uri);
    for (const [key, room] of [...this.rooms.rooms]) {
      if (room.kind === 'group' && !keys.has(key)) {
        room.gone = 'You are no longer a member of this group.';
        this.rooms.live.end(room, null);
      }
    }
    this.render();
    if (this.rooms.currentRoom()?.kind === 'group') this.rooms.renderRoom();
  }

  /** A group as /api/v1/groups describes it, merged into what the page holds (its messages stay). */
  remember(view) {
    const key = aorKey(view.uri);
    const room = this.rooms.rooms.get(key) || { kind: 'group', messages: [], unread: 0, loaded: true, members: [], expected: [] };
    const owner = view.owner ? view.owner.replace(/^sip:/, '') : '';
    Object.assign(room, {
      kind: 'group', name: key.slice(4, key.indexOf('@')), uri: key, subject: view.displayName || key.replace(/^sip:/, ''),
      topic: view.mine ? 'your group' : `${owner}'s group`, memberCount: (view.members || []).length,
      me: this.app.me.aor, gone: null,
    });
    this.rooms.rooms.set(key, room);
    return room;
  }

  render() {
    const groups = [...this.rooms.rooms.values()].filter((r) => r.kind === 'group');
    $('group-list').replaceChildren(...groups.map((g) => el('li', {}, el('button', {
      type: 'button', class: 'contact room group', 'data-group': g.uri,
      'aria-current': this.rooms.current === g.uri ? 'true' : false,
      'aria-label': `Group ${g.subject}${g.unread ? `, ${g.unread} unread` : ''}`,
      onclick: () => this.rooms.open(g.uri),
    },
    el('span', { class: 'dot room-mark', 'aria-hidden': 'true' }, '*'),
    el('span', { class: 'name' }, g.gone ? `${g.subject} (left)` : g.subject),
    g.unread ? el('span', { class: 'unread', 'aria-hidden': 'true' }, String(g.unread)) : null))));
  }

  /** The contacts changed (loaded, added, removed): an open form's choice follows, what was ticked stays ticked. */
  contactsChanged() {
    if ($('group-new-part').open) this.pickers('group-new-members');
    if ($('adhoc-part').open) this.pickers('adhoc-people');
  }

  /** Checkboxes of the contacts (every list, each address once), for a new group or group chat. */
  pickers(id) {
    const ticked = new Set(this.picked(id));
    const seen = new Set();
    const boxes = [];
    for (const list of this.app.contacts.lists) {
      for (const c of list.contacts) {
        const key = aorKey(c.uri);
        if (seen.has(key)) continue;
        seen.add(key);
        const box = el('input', { type: 'checkbox', value: key, id: `${id}-${boxes.length}` });
        box.checked = ticked.has(key);
        boxes.push(el('label', { class: 'check', for: box.id }, box, ` ${c.nickname || key.replace(/^sip:/, '')}`));
      }
    }
    const legend = $(id).querySelector('legend');
    $(id).replaceChildren(legend, ...(boxes.length ? boxes : [el('p', { class: 'hint' }, 'Add contacts first.')]));
  }

  picked(id) {
    return [...$(id).querySelectorAll('input[type=checkbox]:checked')].map((b) => b.value);
  }

  /** A form that did its work closes, nobody ticked for the next time. */
  done(part, fieldset) {
    for (const box of $(fieldset).querySelectorAll('input[type=checkbox]')) box.checked = false;
    $(part).open = false;
  }

  /** A new closed group of mine over XCAP (GIM-7), its members from the contacts; then it is listed and opened. */
  async create() {
    const name = $('group-new-name').value.trim().toLowerCase();
    const shown = $('group-new-title').value.trim();
    if (!GROUP_NAME.test(name)) {
      this.status('A group name is 1 to 32 lower-case letters, digits and -.');
      return;
    }
    const { me } = this.app;
    const uri = `sip:${me.username}.${name}@groups.${me.domain}`;
    try {
      // If-None-Match: a group of that name is not overwritten
      await this.app.api.request('PUT', `/xcap-root/org.openmobilealliance.groups/users/${me.aor}/${name}`,
        { body: groupDocument(uri, shown, this.picked('group-new-members')), type: GROUP_TYPE, headers: { 'If-None-Match': '*' } });
    } catch (e) {
      this.status(e.status === 412 ? `You already have a group ${name}.` : `Not created: ${e.message}`);
      return;
    }
    $('group-new-name').value = '';
    $('group-new-title').value = '';
    this.done('group-new-part', 'group-new-members');
    this.status(`Group ${shown || name} created: ${uri}`);
    await this.load();
    this.rooms.open(uri);
  }

  /** An ad-hoc group chat with the contacts picked (GIM-4): the room opens once the focus answered. */
  async startChat() {
    const invitees = this.picked('adhoc-people');
    if (!invitees.length) {
      this.status('Pick the contacts to chat with.');
      return;
    }
    const subject = $('adhoc-subject').value.trim() || 'Group chat';
    this.status(`Starting ${subject}…`);
    let room;
    try {
      room = await this.rooms.live.startAdHoc(invitees, subject);
    } catch (e) {
      this.status(`No group chat: ${e.message}`);
      return;
    }
    $('adhoc-subject').value = '';
    this.done('adhoc-part', 'adhoc-people');
    this.status(`${subject} started; ${invitees.length} invited.`);
    this.rooms.render();
    await this.rooms.open(room.uri);
    this.rooms.note(room, 'In session with the group chat: its messages come over MSRP.');
  }

  /** Accepts an ad-hoc chat's invitation: the INVITE to its room is the membership (leaving is BYE). */
  async accept(invitation) {
    const room = this.rooms.remember({ name: invitation.room, uri: invitation.roomUri, subject: invitation.subject });
    await this.rooms.live.join(room);
    this.rooms.render();
    await this.rooms.open(room.uri);
    await this.rooms.loadInvitations();
  }

  /** REFER (method=INVITE) to the ad-hoc room on screen: the focus invites them (RFC 4579 §5.5). */
  async addParticipant() {
    const room = this.rooms.currentRoom();
    const who = $('adhoc-add-user').value.trim();
    if (!room || !who) return;
    const { domain } = this.app.me;
    const target = /^(sips?|tel):/i.test(who) ? who : `sip:${who.includes('@') ? who : `${who}@${domain}`}`;
    const status = $('adhoc-add-status');
    status.textContent = `Adding ${who}…`;
    const answer = await this.app.sip.refer(room.uri, target, (sipfrag) => {
      const code = sipfragStatus(sipfrag);
      if (code >= 200 && code < 300) status.textContent = `${who} is invited.`;
      else if (code >= 300) status.textContent = `${who} could not be invited (${sipfrag.slice(8)}).`;
    });
    if (answer.status >= 300) status.textContent = `${who} could not be added: ${answer.reason} (${answer.status}).`;
    else $('adhoc-add-user').value = '';
  }
}
