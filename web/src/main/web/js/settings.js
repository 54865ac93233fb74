// The user's own settings: messaging (/api/v1/me/messaging: delivery on/off, do-not-disturb,
// blocked senders), the directory opt-in (px:searchable in the OMA user profile, over XCAP), and
// the export of everything kept about the account (/api/v1/me/export).
import { $, parseXml } from './dom.js';

const PROFILE_NS = 'urn:oma:xml:xdm:user-profile';
const EXT_NS = 'urn:parley:xml:ns:xdm-ext';

export class Settings {
  constructor(app) {
    this.app = app;
    this.profile = null;
    $('settings-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.save();
    });
    $('settings-back').addEventListener('click', () => {
      this.app.showDetail(null);
      $('open-settings').focus();
    });
    $('export').addEventListener('click', () => this.export());
  }

  profileUrl() {
    return `/xcap-root/org.openmobilealliance.user-profile/users/${this.app.me.aor}/index`;
  }

  async open() {
    this.app.chat.peer = null;
    this.app.showDetail('settings-pane');
    const status = $('settings-status');
    status.textContent = 'Loading…';
    try {
      const messaging = await this.app.api.json('GET', '/api/v1/me/messaging');
      $('set-delivery').checked = messaging.deliveryEnabled;
      $('set-dnd').checked = messaging.doNotDisturb;
      $('set-blocked').value = messaging.blockedSenders.join('\n');
      this.profile = await this.loadProfile();
      $('set-searchable').checked = Boolean(this.profile && this.searchable(this.profile.doc) === 'true');
      status.textContent = '';
    } catch (e) {
      status.textContent = `Settings could not be loaded: ${e.message}`;
    }
    $('set-delivery').focus();
  }

  /** The user profile document and its ETag, or null when there is none. */
  async loadProfile() {
    try {
      const response = await this.app.api.request('GET', this.profileUrl());
      const doc = parseXml(await response.text());
      // never written over by a fresh one: it holds more than this page shows
      if (!doc) throw new Error('your profile could not be read');
      return { doc, etag: response.headers.get('ETag') };
    } catch (e) {
      if (e.status === 404) return null;
      throw e;
    }
  }

  searchable(doc) {
    const element = doc.getElementsByTagNameNS(EXT_NS, 'searchable')[0];
    return element ? element.textContent.trim() : null;
  }

  async save() {
    const status = $('settings-status');
    status.textContent = 'Saving…';
    const blocked = $('set-blocked').value.split('\n').map((s) => s.trim()).filter(Boolean)
      .map((s) => (/^(sips?|tel):/i.test(s) || s === 'anonymous' ? s : `sip:${s.includes('@') ? s : `${s}@${this.app.me.domain}`}`));
    try {
      const saved = await this.app.api.json('PATCH', '/api/v1/me/messaging', {
        deliveryEnabled: $('set-delivery').checked,
        doNotDisturb: $('set-dnd').checked,
        blockedSenders: blocked,
      });
      $('set-blocked').value = saved.blockedSenders.join('\n');
      await this.saveSearchable($('set-searchable').checked);
      status.textContent = 'Saved.';
    } catch (e) {
      status.textContent = `Not saved: ${e.message}`;
    }
  }

  /** Writes px:searchable into the profile (a new profile only to opt in: none means not found anyway). */
  async saveSearchable(wanted) {
    const value = String(wanted);
    let doc;
    let headers = {};
    if (this.profile) {
      if (this.searchable(this.profile.doc) === value) return;
      doc = this.profile.doc;
      if (this.profile.etag) headers = { 'If-Match': this.profile.etag };
    } else {
      if (!wanted) return;
      doc = document.implementation.createDocument(PROFILE_NS, 'user-profile', null);
      doc.documentElement.setAttribute('uri', this.app.me.aor);
    }
    const root = doc.documentElement;
    for (const old of [...root.getElementsByTagNameNS(EXT_NS, 'searchable')]) old.remove();
    const element = doc.createElementNS(EXT_NS, 'px:searchable');
    element.textContent = value;
    root.append(element);
    const body = new XMLSerializer().serializeToString(doc);
    await this.app.api.request('PUT', this.profileUrl(), { body, type: 'application/vnd.oma.user-profile+xml', headers });
    this.profile = await this.loadProfile();
  }

  async export() {
    const status = $('settings-status');
    try {
      const response = await this.app.api.request('GET', '/api/v1/me/export');
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement('a'), { href: url, download: `parley-${this.app.me.username}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      status.textContent = 'Your data was downloaded.';
    } catch (e) {
      status.textContent = `Export failed: ${e.message}`;
    }
  }
}
