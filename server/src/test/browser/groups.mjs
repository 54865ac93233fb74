// Scenarios of Parley Web's group chats (issue 12 with the "Group chat" issue; ParleyWebGroupsTest),
// run by parley-web.mjs with its helpers: an XDM group's chat between two browsers and a pager SIP
// client, an ad-hoc group chat with a participant added by REFER, and the relay grant renewed by an
// open page over plain HTTP. Every step goes through the page's own controls and is printed as one
// JSON line.

export default function groupScenarios(h) {
  const { browser, base, log, ask, open, until, shot, signIn, sendTo, awaitRoomMessage, awaitRoomSent, awaitRoomNotice } = h;

  /** Opens the details part `id` and ticks the contacts named (user names) in the fieldset `fieldset`. */
  async function pick(page, id, fieldset, users) {
    await page.$eval(`#${id}`, (d) => { d.open = true; });
    await until(page, `contacts to pick in ${fieldset}`, (f, n) => document.querySelectorAll(`#${f} input[type=checkbox]`).length >= n,
      fieldset, users.length);
    for (const user of users) {
      await page.$eval(`#${fieldset} input[value="sip:${user}@localhost"]`, (b) => { b.checked = true; });
    }
  }

  async function awaitPane(page, who, title) {
    await until(page, `${who} has ${title} open`, (t) => !document.getElementById('room-pane').hidden
      && document.getElementById('room-title').textContent === t, title);
  }

  async function about(page, who) {
    log({ event: 'about', user: who, title: await page.$eval('#room-title', (e) => e.textContent),
      about: await page.$eval('#room-about', (e) => e.textContent) });
  }

  /** The session button pressed, and the notice that the group chat is in session. */
  async function inSession(page, who) {
    await page.click('#room-session');
    await awaitRoomNotice(page, who, 'In session with the group chat: its messages come over MSRP.');
  }

  /** The invitation to an ad-hoc chat listed, accepted, and the chat joined in session. */
  async function acceptChat(page, who, subject, from) {
    const text = `Group chat: ${subject} (from ${from})`;
    await until(page, `${who} is invited to ${subject}`, (t) => [...document.querySelectorAll('#room-invitation-list li span')]
      .some((s) => s.textContent === t), text);
    log({ event: 'invitation', user: who, text });
    await page.$eval(`#room-invitation-list button[aria-label="Accept the invitation to ${subject}"]`, (b) => b.click());
    await awaitPane(page, who, subject);
    await awaitRoomNotice(page, who, 'In session with the group chat: its messages come over MSRP.');
    log({ event: 'session-button', user: who, text: await page.$eval('#room-session', (b) => b.textContent),
      leaveHidden: await page.$eval('#leave-room', (b) => b.hidden) });
  }

  /** Records the page's MSRP WebSocket traffic (DevTools protocol): each socket's URL and the AUTHs and answers on it. */
  async function watchMsrp(page) {
    const sockets = new Map();
    // the page sends and reads MSRP as binary frames, which the protocol gives in base64
    const text = (frame) => (frame.opcode === 2 ? Buffer.from(frame.payloadData, 'base64').toString('latin1') : frame.payloadData);
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketCreated', ({ requestId, url }) => sockets.set(requestId, { url, auths: [], granted: [] }));
    cdp.on('Network.webSocketFrameSent', ({ requestId, timestamp, response }) => {
      const s = sockets.get(requestId);
      if (s && / AUTH$/.test(text(response).split('\r\n')[0])) s.auths.push(timestamp);
    });
    cdp.on('Network.webSocketFrameReceived', ({ requestId, timestamp, response }) => {
      const s = sockets.get(requestId);
      const frame = text(response);
      const m = /^MSRP \S+ 200[^\r]*\r\n[\s\S]*?\r\nExpires: (\d+)/.exec(frame);
      if (s && m && /\r\nUse-Path: /.test(frame)) s.granted.push({ at: timestamp, expires: Number(m[1]) });
    });
    return sockets;
  }

  return {
    /**
     * The page's readers and writers of group chats fed well-formed and hostile input in Chromium:
     * the room a focus's Contact names, a REFER NOTIFY's sipfrag status, and the URI list and group
     * document it writes (hostile addresses and names stay text: the XML is well-formed and says
     * what was given).
     */
    async 'group-parsers'() {
      const { build } = await import('esbuild');
      const web = new URL('../../../../web/src/main/web/js/', import.meta.url).pathname;
      const bundle = await build({
        stdin: {
          contents: "import { focusRoom, withUriList } from './room-session.js'; import { sipfragStatus, groupDocument } from './groups.js';"
            + ' window.groupParsers = { focusRoom, withUriList, sipfragStatus, groupDocument };',
          resolveDir: web,
        },
        bundle: true, format: 'iife', write: false, logLevel: 'silent',
      });
      const page = await (await browser.createBrowserContext()).newPage();
      await page.setBypassCSP(true);
      await page.goto(base, { waitUntil: 'load' });
      await page.addScriptTag({ content: bundle.outputFiles[0].text });
      const results = await page.evaluate(() => {
        const { focusRoom, withUriList, sipfragStatus, groupDocument } = window.groupParsers;
        const contacts = ['<sip:room_adhoc-5f3a@127.0.0.1:5066;transport=ws>;isfocus', '<SIP:ROOM_Lunch@host>', 'sip:room_x@h',
          '<sip:alice@localhost>', '<sip:room_@host>', '<sip:room_a b@host>', '<sip:room_../x@host>', '', null, '<<<>>>',
          '"sip:room_evil@x" <sip:alice@h>'];
        const frags = ['SIP/2.0 200 OK', 'SIP/2.0 100 Trying', 'SIP/2.0 403 Forbidden', 'SIP/2.0 2000 OK', 'HTTP/1.1 200 OK',
          'SIP/2.0 099 Low', 'sip/2.0 200 OK', '', null];
        const hostile = ['sip:bob@localhost', 'sip:"><script>x</script>@evil', 'sip:a&b@localhost'];
        const { body, contentType } = withUriList('v=0\r\n', hostile);
        const boundary = contentType.split('boundary=')[1];
        const parts = body.split(`--${boundary}`);
        const list = new DOMParser().parseFromString(parts[2].split('\r\n\r\n').slice(1).join('\r\n\r\n'), 'application/xml');
        const group = new DOMParser().parseFromString(groupDocument('sip:alice.crew@groups.localhost', 'The </display-name> & <b>Crew</b>',
          hostile), 'application/xml');
        return {
          rooms: contacts.map((c) => focusRoom(c)),
          statuses: frags.map((f) => sipfragStatus(f)),
          multipart: { type: contentType.startsWith('multipart/mixed;boundary=parley-'), parts: parts.length, closed: body.endsWith(`--${boundary}--\r\n`),
            disposition: parts[2].includes('\r\nContent-Disposition: recipient-list\r\n') },
          list: list.getElementsByTagName('parsererror').length ? 'malformed'
            : [...list.getElementsByTagName('entry')].map((e) => e.getAttribute('uri')),
          group: group.getElementsByTagName('parsererror').length ? 'malformed'
            : { name: group.getElementsByTagName('display-name')[0].textContent, members: group.getElementsByTagName('entry').length },
        };
      });
      log({ event: 'parsed', ...results });
    },

    /**
     * UC 5.7, 5.8: alice creates a group of bob and carol from her contacts (XCAP); her message
     * reaches bob's page (which lists the group on its first message) and carol's baresip; carol's
     * reaches both pages under her address; bob takes part by session (INVITE to the group's URI)
     * and both ways still reach everybody.
     */
    async 'xdm-group'() {
      const alice = await open('alice');
      const bob = await open('bob');
      await signIn(alice, 'alice');
      await signIn(bob, 'bob');
      await pick(alice, 'group-new-part', 'group-new-members', ['bob', 'carol']);
      await alice.type('#group-new-name', 'crew');
      await alice.type('#group-new-title', 'The Crew');
      await alice.click('#group-form button[type=submit]');
      await awaitPane(alice, 'alice', 'The Crew');
      await about(alice, 'alice');
      log({ event: 'groups', user: 'alice', groups: await alice.$$eval('#group-list button', (b) => b.map((e) => e.getAttribute('aria-label'))) });
      await ask('group-created');

      await sendTo(alice, 'Hello crew 👋');
      await awaitRoomSent(alice, 'alice', 'Hello crew 👋');
      await until(bob, 'the group listed at bob', () => document.querySelector('#group-list button[data-group="sip:alice.crew@groups.localhost"]') !== null);
      await bob.$eval('#group-list button[data-group="sip:alice.crew@groups.localhost"]', (b) => b.click());
      await awaitPane(bob, 'bob', 'The Crew');
      await awaitRoomMessage(bob, 'bob', 'sip:alice@localhost', 'Hello crew 👋');
      await about(bob, 'bob');
      await ask('baresip-message');
      await awaitRoomMessage(alice, 'alice', 'sip:carol@localhost', 'Hi from baresip');
      await awaitRoomMessage(bob, 'bob', 'sip:carol@localhost', 'Hi from baresip');

      await inSession(bob, 'bob');
      await sendTo(alice, 'To the session <b>too</b>');
      await awaitRoomSent(alice, 'alice', 'To the session <b>too</b>');
      await awaitRoomMessage(bob, 'bob', 'sip:alice@localhost', 'To the session <b>too</b>');
      await sendTo(bob, 'Bob over MSRP');
      await awaitRoomSent(bob, 'bob', 'Bob over MSRP');
      await awaitRoomMessage(alice, 'alice', 'sip:bob@localhost', 'Bob over MSRP');
      await ask('baresip-received');
      await shot(alice, 'group-chat');
      await bob.click('#room-session');
      await awaitRoomNotice(bob, 'bob', 'You left the room\'s session: its messages come as pager messages again.');
    },

    /**
     * GIM-4, UC 5.4: alice starts a group chat with bob and carol (INVITE to the factory with an
     * RFC 5366 URI list); both accept the invitation and join by session; everybody reads
     * everybody; alice adds dave by REFER, who accepts and is read by all; carol leaves (BYE).
     */
    async 'adhoc-chat'() {
      const pages = {};
      for (const who of ['alice', 'bob', 'carol', 'dave']) {
        pages[who] = await open(who);
        await signIn(pages[who], who);
      }
      const { alice, bob, carol, dave } = pages;
      await pick(alice, 'adhoc-part', 'adhoc-people', ['bob', 'carol']);
      await alice.type('#adhoc-subject', 'Lunch plans');
      await alice.click('#adhoc-form button[type=submit]');
      await awaitPane(alice, 'alice', 'Lunch plans');
      await awaitRoomNotice(alice, 'alice', 'In session with the group chat: its messages come over MSRP.');
      await until(alice, 'alice welcomed', () => [...document.querySelectorAll('#room-messages .message.notice .body')]
        .some((b) => b.textContent.startsWith('Welcome to Lunch plans')));
      await about(alice, 'alice');
      log({ event: 'add-form', user: 'alice', shown: await alice.$eval('#adhoc-add-form', (f) => !f.hidden) });

      await acceptChat(bob, 'bob', 'Lunch plans', 'alice@localhost');
      await awaitRoomNotice(alice, 'alice', 'bob (sip:bob@localhost) joined');
      await acceptChat(carol, 'carol', 'Lunch plans', 'alice@localhost');
      await awaitRoomNotice(alice, 'alice', 'carol (sip:carol@localhost) joined');

      await sendTo(alice, 'Where shall we eat? 🍜');
      await awaitRoomSent(alice, 'alice', 'Where shall we eat? 🍜');
      await awaitRoomMessage(bob, 'bob', 'alice (sip:alice@localhost)', 'Where shall we eat? 🍜');
      await awaitRoomMessage(carol, 'carol', 'alice (sip:alice@localhost)', 'Where shall we eat? 🍜');
      await sendTo(bob, 'Noodles!');
      await awaitRoomMessage(alice, 'alice', 'bob (sip:bob@localhost)', 'Noodles!');
      await awaitRoomMessage(carol, 'carol', 'bob (sip:bob@localhost)', 'Noodles!');

      await alice.type('#adhoc-add-user', 'dave');
      await alice.click('#adhoc-add-form button[type=submit]');
      await until(alice, 'dave invited by REFER', () => document.getElementById('adhoc-add-status').textContent === 'dave is invited.');
      log({ event: 'refer', user: 'alice', status: await alice.$eval('#adhoc-add-status', (e) => e.textContent) });
      await acceptChat(dave, 'dave', 'Lunch plans', 'alice@localhost');
      await sendTo(dave, 'Count me in');
      for (const [page, who] of [[alice, 'alice'], [bob, 'bob'], [carol, 'carol']]) {
        await awaitRoomMessage(page, who, 'dave (sip:dave@localhost)', 'Count me in');
      }
      await shot(alice, 'adhoc-chat');

      await carol.click('#room-session');
      await awaitRoomNotice(carol, 'carol', 'You left the group chat.');
      await awaitRoomNotice(alice, 'alice', 'carol (sip:carol@localhost) left');
      log({ event: 'composer', user: 'carol', disabled: await carol.$eval('#room-text', (e) => e.disabled) });
    },

    /**
     * RFC 4976 §5, issue 12: a page over plain HTTP on the server's machine reaches the relay over
     * the plain WebSocket bound to loopback; with grants of a few seconds it AUTHs again on the same
     * connection before each ends, with nobody doing anything.
     */
    async 'grant-refresh'() {
      const alice = await open('alice');
      const sockets = await watchMsrp(alice);
      await signIn(alice, 'alice');
      // the first grant is asked for when a session starts: a group chat's here
      await pick(alice, 'adhoc-part', 'adhoc-people', ['bob']);
      await alice.type('#adhoc-subject', 'Long one');
      await alice.click('#adhoc-form button[type=submit]');
      await awaitRoomNotice(alice, 'alice', 'In session with the group chat: its messages come over MSRP.');
      const relay = () => [...sockets.values()].find((s) => s.auths.length > 0);
      const deadline = Date.now() + 40000;
      while (Date.now() < deadline && !(relay() && relay().granted.length >= 3)) await new Promise((r) => setTimeout(r, 250));
      const s = relay();
      if (!s || s.granted.length < 3) throw new Error(`not renewed: ${JSON.stringify(s)}`);
      const [first, second, third] = s.granted;
      log({ event: 'relay-socket', scheme: new URL(s.url).protocol, host: new URL(s.url).hostname });
      log({ event: 'grants', expires: first.expires, renewedBeforeEnd: second.at < first.at + first.expires
        && third.at < second.at + second.expires, auths: s.auths.length >= 3 });
      await sendTo(alice, 'Still here');
      await awaitRoomSent(alice, 'alice', 'Still here');
    },
  };
}
