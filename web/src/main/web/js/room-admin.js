// A room's members and, for its administrators, its administration (PP-26..PP-30, PP-40, PP-41),
// through the rooms REST API (conference/README.md): the member list with roles, a private
// message to one member, and for administrators the settings (name, topic, maximum, lock), kick,
// ban and unban, giving and taking administrator rights, invitations (hidden inviter, cancel) and
// closing the room. The list is read again whenever the room says something (someone joined,
// left, was removed, changed role, the settings changed), so it follows the room live without a
// second channel. The server decides: controls are only hidden from members who are not
// administrators, and whatever it refuses is said in the panel's status.
import { $, el } from './dom.js';

export class RoomAdmin {
  constructor(rooms) {
    this.rooms = rooms;
    this.api = rooms.app.api;
    $('room-settings-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.saveSettings();
    });
    $('room-invite-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.invite();
    });
    $('room-unban-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.unban();
    });
    $('close-room').addEventListener('click', () => this.closeRoom());
  }

  status(text) {
    $('room-admin-status').textContent = text;
  }

  path(room, ...parts) {
    return [`/api/v1/rooms/${encodeURIComponent(room.name)}`, ...parts.map(encodeURIComponent)].join('/');
  }

  /**
   * Does an administrator's (or anyone's) action on the current room; the server's refusal (a
   * problem's detail: "Only an administrator of the room may do that") is shown as it comes.
   */
  async act(what, request) {
    const room = this.rooms.currentRoom();
    if (!room) return;
    try {
      await request(room);
      this.status(`${what}: done.`);
    } catch (e) {
      this.status(`${what}: not done. ${e.message}`);
    }
    await this.rooms.refresh(room);
  }

  /** The panel for the room on screen: its members, and the administration if I am an administrator. */
  render(room) {
    const gone = Boolean(room.gone);
    $('room-people').hidden = gone;
    const members = room.members || [];
    $('room-people-summary').textContent = `Members (${members.length} of at most ${room.maxMembers || '?'})${room.locked ? ', locked' : ''}`;
    const admin = !gone && room.you && room.you.role === 'administrator';
    $('room-members').replaceChildren(...members.map((m) => this.memberItem(room, m, admin)));
    $('room-admin').hidden = !admin;
    if (!admin) return;
    // the form shows the room's settings when they (or the room on screen) change, and keeps
    // what the administrator is typing across the readings in between
    const form = $('room-settings-form');
    const shown = JSON.stringify([room.name, room.subject, room.topic, room.maxMembers, room.locked]);
    if (form.dataset.shown !== shown) {
      form.dataset.shown = shown;
      $('room-set-subject').value = room.subject;
      $('room-set-topic').value = room.topic;
      $('room-set-max').value = room.maxMembers;
      $('room-set-locked').checked = room.locked;
    }
    const invitations = room.invitations || [];
    $('room-open-invitations').replaceChildren(...(invitations.length ? invitations.map((i) => {
      const who = i.invitee.replace(/^sip:/, '');
      return el('li', {}, el('span', {}, `${who}${i.inviter ? '' : ' (inviter hidden)'}`),
        el('button', { type: 'button', class: 'secondary', 'aria-label': `Cancel the invitation of ${who}`,
          onclick: () => this.cancel(i.invitee) }, 'Cancel'));
    }) : [el('li', { class: 'hint' }, 'None open.')]));
  }

  memberItem(room, m, admin) {
    const mine = room.you && m.screenName === room.you.screenName;
    // in a public room the list has screen names only (UC 5.17); elsewhere the address too
    const shown = m.uri ? `${m.screenName} (${m.uri.replace(/^sip:/, '')})` : m.screenName;
    const isAdmin = m.role === 'administrator';
    const actions = [];
    if (!mine) {
      actions.push(el('button', { type: 'button', class: 'secondary', 'aria-label': `Write privately to ${m.screenName}`,
        onclick: () => this.rooms.privately(m.screenName) }, 'Private'));
    }
    if (admin && !mine) {
      actions.push(
        el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${m.screenName} from the room`,
          onclick: () => this.remove(m.screenName, false) }, 'Kick'),
        el('button', { type: 'button', class: 'secondary', 'aria-label': `Ban ${m.screenName} from the room`,
          onclick: () => this.remove(m.screenName, true) }, 'Ban'),
        el('button', { type: 'button', class: 'secondary',
          'aria-label': isAdmin ? `Take administrator rights from ${m.screenName}` : `Make ${m.screenName} an administrator`,
          onclick: () => this.role(m.screenName, isAdmin ? 'member' : 'administrator') }, isAdmin ? 'Unadmin' : 'Make admin'));
    }
    return el('li', { 'data-member': m.screenName },
      el('span', { class: 'who' }, shown, mine ? ' (you)' : ''),
      isAdmin ? el('span', { class: 'role' }, 'administrator') : null,
      ...actions);
  }

  remove(screenName, ban) {
    const what = ban ? `Ban ${screenName}` : `Remove ${screenName}`;
    if (!window.confirm(ban ? `Ban ${screenName} from this room for good?` : `Remove ${screenName} from this room?`)) return;
    this.act(what, (room) => this.api.request('DELETE', `${this.path(room, 'members', screenName)}${ban ? '?ban=true' : ''}`));
  }

  role(screenName, role) {
    this.act(role === 'administrator' ? `Make ${screenName} an administrator` : `Take administrator rights from ${screenName}`,
      (room) => this.api.json('PATCH', this.path(room, 'members', screenName), { role }));
  }

  saveSettings() {
    const max = Number.parseInt($('room-set-max').value, 10);
    if (!Number.isInteger(max) || max < 1) {
      this.status('Settings: not saved. The maximum is a whole number of members, at least 1.');
      return;
    }
    this.act('Settings', (room) => this.api.json('PATCH', this.path(room), {
      subject: $('room-set-subject').value.trim() || room.name,
      topic: $('room-set-topic').value.trim(),
      maxMembers: max,
      locked: $('room-set-locked').checked,
    }));
  }

  invite() {
    const user = $('room-invite-user').value.trim();
    if (!user) return;
    const hideInviter = $('room-invite-hidden').checked;
    this.act(`Invite ${user}`, async (room) => {
      await this.api.json('POST', this.path(room, 'invitations'), { user, hideInviter });
      $('room-invite-user').value = '';
    });
  }

  cancel(invitee) {
    this.act(`Cancel the invitation of ${invitee}`, (room) => this.api.request('DELETE', this.path(room, 'invitations', invitee)));
  }

  unban() {
    const user = $('room-unban-user').value.trim();
    if (!user) return;
    this.act(`Lift the ban on ${user}`, async (room) => {
      await this.api.request('DELETE', this.path(room, 'bans', user));
      $('room-unban-user').value = '';
    });
  }

  closeRoom() {
    const room = this.rooms.currentRoom();
    if (!room || !window.confirm(`Close the room ${room.subject}? It and its history are gone for everybody.`)) return;
    this.act('Close the room', (r) => this.api.request('DELETE', this.path(r)));
  }

  /** The room's invitations still unanswered (administrators only), each to be taken back. */
  async invitations(room) {
    if (!room.you || room.you.role !== 'administrator') return [];
    try {
      return (await this.api.json('GET', this.path(room, 'invitations'))).invitations;
    } catch {
      return [];
    }
  }
}
