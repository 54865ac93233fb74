// Parley Web (the browser client the server serves at /) driven like a user in the system's
// headless Chromium: each user in a browser context of their own, every step through the page's
// own controls. Each step is printed as one JSON line for the Java test (ParleyWebTest) to check;
// lines the test writes to standard input let it act in between (restart the server, make
// baresip send). The exit status is 0 only when every step succeeded.
//
//   node parley-web.mjs <scenario> <base-url> <screenshot-dir> <profile-dir> [user:password ...]
//
// Scenarios: chat, request, decline, export, notify, baresip, rooms, room-admin, room-session, room-baresip, restart, session, renew,
// guard, parsers (see the Java test); chat-session, session-deferred, session-peer, msrp-parser in sessions.mjs
// (ParleyWebSessionTest); xdm-group, adhoc-chat, grant-refresh in groups.mjs (ParleyWebGroupsTest).
import { mkdirSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import puppeteer from 'puppeteer-core';

const [scenario, base, shots, profile, ...accounts] = process.argv.slice(2);
const STEP_MS = 20000;
const users = Object.fromEntries(accounts.map((a) => [a.slice(0, a.indexOf(':')), a.slice(a.indexOf(':') + 1)]));
const origin = new URL(base).origin;
const external = [];
mkdirSync(shots, { recursive: true });

function log(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

const input = createInterface({ input: process.stdin });
const lines = [];
let waiting = null;
input.on('line', (line) => {
  if (waiting) {
    const resolve = waiting;
    waiting = null;
    resolve(line);
  } else {
    lines.push(line);
  }
});

/** Tells the test `what` happened and waits for its answer line. */
function ask(what, detail = {}) {
  log({ event: 'await', what, ...detail });
  if (lines.length) return Promise.resolve(lines.shift());
  return new Promise((resolve) => { waiting = resolve; });
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  userDataDir: profile,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--ignore-certificate-errors'],
});

/**
 * A user's page in a browser context of its own; `contextOptions` (downloads) and `beforeLoad`
 * (what the test sets up in the page before any of the app's scripts runs) as a scenario needs.
 */
async function open(user, viewport = { width: 1100, height: 720 }, { contextOptions, beforeLoad } = {}) {
  const context = await browser.createBrowserContext(contextOptions);
  const page = await context.newPage();
  if (beforeLoad) await beforeLoad(page);
  await page.setViewport(viewport);
  page.on('pageerror', (e) => log({ event: 'page-error', user, message: String(e) }));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) external.push(url);
  });
  page.on('dialog', (d) => d.accept(page.nextPrompt));
  await page.goto(base, { waitUntil: 'load' });
  return page;
}

async function until(page, what, fn, ...args) {
  await within(STEP_MS, page, what, fn, ...args);
}

async function within(ms, page, what, fn, ...args) {
  try {
    await page.waitForFunction(fn, { timeout: ms, polling: 100 }, ...args);
  } catch (e) {
    const text = await page.evaluate(() => document.body.innerText).catch(() => '');
    throw new Error(`${what}: not seen within ${ms} ms\n--- page ---\n${text}`);
  }
}

async function shot(page, name) {
  await page.screenshot({ path: `${shots}/${name}.png` });
}

async function signIn(page, user, password = users[user]) {
  await page.click('#signin-user', { clickCount: 3 });
  await page.type('#signin-user', user);
  await page.type('#signin-password', password);
  await page.click('#signin-submit');
  await until(page, `${user} signed in or refused`, () => !document.getElementById('app-view').hidden
    || document.getElementById('signin-error').textContent.length > 0);
  const error = await page.$eval('#signin-error', (e) => e.textContent);
  if (error) return error;
  await until(page, `${user} online`, () => document.getElementById('connection').textContent === 'Online');
  log({ event: 'signed-in', user });
  return null;
}

/** The contact's state as the list shows it (the button's accessible name). */
async function awaitContact(page, who, contact, state) {
  await until(page, `${who} sees ${contact} ${state}`, (uri, s) => {
    const b = document.querySelector(`.contact[data-uri="${uri}"]`);
    return b && b.getAttribute('aria-label').includes(s);
  }, `sip:${contact}@localhost`, state);
  const label = await page.$eval(`.contact[data-uri="sip:${contact}@localhost"]`, (b) => b.getAttribute('aria-label'));
  log({ event: 'contact', user: who, contact, label });
}

async function openConversation(page, contact) {
  // the list is rebuilt on every presence change: find the button and press it in one step
  await page.$eval(`.contact[data-uri="sip:${contact}@localhost"]`, (b) => b.click());
  await until(page, `conversation with ${contact}`, () => !document.getElementById('conversation-pane').hidden);
}

async function send(page, text) {
  await page.focus('#composer-text');
  await page.$eval('#composer-text', (e, t) => { e.value = t; }, text);
  await page.keyboard.press('Enter');
}

/** Waits for the last of my messages to show `status` (Sent, Delivered, Read, Not sent...). */
async function awaitMine(page, who, text, status) {
  await until(page, `${who}'s "${text.slice(0, 30)}" ${status}`, (t, s) => [...document.querySelectorAll('.message.mine')]
    .some((m) => m.querySelector('.body').textContent === t && m.querySelector('.status').textContent.startsWith(s)), text, status);
  log({ event: 'status', user: who, text: text.slice(0, 40), status });
}

async function awaitTheirs(page, who, text) {
  await until(page, `${who} receives "${text.slice(0, 30)}"`, (t) => [...document.querySelectorAll('.message.theirs .body')]
    .some((b) => b.textContent === t), text);
  log({ event: 'received', user: who, text: text.slice(0, 40) });
}

async function theirs(page) {
  return page.$$eval('.message.theirs .body', (bodies) => bodies.map((b) => b.textContent));
}

async function sendTo(page, text) {
  await page.focus('#room-text');
  await page.$eval('#room-text', (e, t) => { e.value = t; }, text);
  await page.keyboard.press('Enter');
}

/** A room message from someone else, shown with the sender's name. */
async function awaitRoomMessage(page, who, sender, text) {
  await until(page, `${who} receives "${text.slice(0, 30)}" from ${sender}`, (s, t) => [...document.querySelectorAll('#room-messages .message.theirs')]
    .some((m) => m.querySelector('.sender').textContent === s && m.querySelector('.body').textContent === t), sender, text);
  log({ event: 'room-received', user: who, sender, text: text.slice(0, 40) });
}

async function awaitRoomSent(page, who, text) {
  await until(page, `${who}'s "${text.slice(0, 30)}" sent`, (t) => [...document.querySelectorAll('#room-messages .message.mine')]
    .some((m) => m.querySelector('.body').textContent === t && m.querySelector('.status').textContent === 'Sent'), text);
  log({ event: 'room-sent', user: who, text: text.slice(0, 40) });
}

async function awaitRoomNotice(page, who, text) {
  await until(page, `${who} sees "${text}"`, (t) => [...document.querySelectorAll('#room-messages .message.notice .body')]
    .some((b) => b.textContent === t), text);
  log({ event: 'room-notice', user: who, text });
}

/** Creates a room from the page (the screen name field serves public rooms) and waits until it is open. */
async function createRoom(page, name, isPublic, screenName) {
  await page.$eval('#room-screen-name', (e, v) => { e.value = v; }, screenName || '');
  await page.$eval('#room-form', (f) => { f.closest('details').open = true; });
  await page.$eval('#room-new-public', (e, v) => { e.checked = v; }, isPublic);
  await page.type('#room-new-name', name);
  await page.click('#room-form button[type=submit]');
  await until(page, `in the new room ${name}`, (n) => !document.getElementById('room-pane').hidden
    && document.getElementById('room-title').textContent === n, name);
}

/** Joins a public room from the directory under a screen name. */
async function joinPublic(page, name, screenName) {
  await page.$eval('#room-screen-name', (e, v) => { e.value = v; }, screenName);
  await page.$eval('#public-rooms-part', (d) => { d.open = true; });
  await page.click('#public-rooms-refresh');
  await until(page, `${name} listed to join`, (n) => document.querySelector(`#public-room-list li[data-room="${n}"] button`)
    ?.textContent === 'Join', name);
  const before = await page.$eval('#room-status', (e) => e.textContent);
  await page.$eval(`#public-room-list li[data-room="${name}"] button`, (b) => b.click());
  await until(page, `joined ${name} or refused`, (b) => {
    const status = document.getElementById('room-status').textContent;
    return status !== b && (status.startsWith('You joined') || status.startsWith('Not joined'));
  }, before);
  return page.$eval('#room-status', (e) => e.textContent);
}

/** The members panel once it lists `count` members: each as shown, with its role. */
async function awaitMembers(page, who, count) {
  await page.$eval('#room-people', (d) => { d.open = true; });
  await until(page, `${who} sees ${count} members`, (n) => document.querySelectorAll('#room-members li').length === n, count);
  const members = await page.$$eval('#room-members li', (items) => items.map((li) => li.querySelector('.who').textContent
    + (li.querySelector('.role') ? ` [${li.querySelector('.role').textContent}]` : '')));
  log({ event: 'members', user: who, members });
}

/** Presses a button of the page by its accessible name (lists are rebuilt as the room changes). */
async function press(page, label) {
  await until(page, `a button "${label}"`, (l) => document.querySelector(`button[aria-label="${l}"]`) !== null, label);
  await page.$eval(`button[aria-label="${label}"]`, (b) => b.click());
}

async function adminStatus(page, who, startsWith) {
  await until(page, `${who}'s action answered`, (t) => document.getElementById('room-admin-status').textContent.startsWith(t), startsWith);
  log({ event: 'admin-status', user: who, text: await page.$eval('#room-admin-status', (e) => e.textContent) });
}

async function roomAbout(page, who, includes) {
  await until(page, `${who}'s room says "${includes}"`, (t) => document.getElementById('room-about').textContent.includes(t), includes);
  log({ event: 'room-about', user: who, title: await page.$eval('#room-title', (e) => e.textContent),
    about: await page.$eval('#room-about', (e) => e.textContent),
    canWrite: !(await page.$eval('#room-text', (e) => e.disabled)) });
}

async function setState(page, state, note) {
  if (note !== undefined) {
    await page.$eval('#my-note', (e, n) => { e.value = n; }, note);
    await page.click('#note-form button');
  }
  await page.select('#my-state', state);
}

/**
 * The page's own parsers (presence.js, imdn.js) in the browser they run in, fed well-formed and
 * malformed documents: each case prints what it made of its input, and none may throw.
 */
async function parsers() {
  const { build } = await import('esbuild');
  const web = new URL('../../../../web/src/main/web/js/', import.meta.url).pathname;
  const bundle = await build({
    stdin: {
      contents: "import * as presence from './presence.js'; import * as imdn from './imdn.js'; window.parsers = { presence, imdn };",
      resolveDir: web,
    },
    bundle: true, format: 'iife', write: false, logLevel: 'silent',
  });
  const page = await (await browser.createBrowserContext()).newPage();
  // the page's policy refuses inline scripts, which this test script is
  await page.setBypassCSP(true);
  await page.goto(base, { waitUntil: 'load' });
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  return page;
}

const PARSER_CASES = {
  pidf: [
    '<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@x"><tuple id="t"><status><basic>open</basic></status></tuple></presence>',
    '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"><tuple id="t"><status><basic>open</basic></status></tuple><dm:person id="p"><rpid:activities><rpid:busy/></rpid:activities><dm:note>in a meeting</dm:note></dm:person></presence>',
    '<presence xmlns="urn:ietf:params:xml:ns:pidf"><tuple id="t"><status><basic>open',
    '<presence><tuple><status><basic>open</basic></status></tuple></presence>',
    '',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><presence xmlns="urn:ietf:params:xml:ns:pidf"><tuple id="t"><status><basic>&e;</basic></status></tuple></presence>',
  ],
  list: [
    ['multipart/related;type="application/rlmi+xml";boundary="b"', '--b\r\nContent-Type: application/rlmi+xml\r\nContent-ID: <l>\r\n\r\n<list xmlns="urn:ietf:params:xml:ns:rlmi" uri="sip:l@x" version="0" fullState="true"><resource uri="sip:a@x"><instance id="1" state="active" cid="p1"/></resource><resource uri="sip:b@x"><instance id="2" state="pending"/></resource><resource uri="sip:c@x"/></list>\r\n--b\r\nContent-Type: application/pidf+xml\r\nContent-ID: <p1>\r\n\r\n<presence xmlns="urn:ietf:params:xml:ns:pidf"><tuple id="t"><status><basic>open</basic></status></tuple></presence>\r\n--b--\r\n'],
    ['multipart/related;type="application/rlmi+xml"', '--b\r\n\r\n<list/>\r\n--b--'],
    ['multipart/related;boundary=b', '--b\r\nContent-Type: application/rlmi+xml\r\n\r\n<list xmlns="urn:ietf:params:xml:ns:rlmi" fullState="true"><resource uri="sip:a@x"><instance id="1" state="active" cid="missing"/></resource>'],
    ['multipart/related;boundary=b', 'no delimiter at all'],
    ['application/pidf+xml', '<presence/>'],
  ],
  cpim: [
    'From: <sip:a@x>\r\nNS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: m1\r\nimdn.Disposition-Notification: positive-delivery, display\r\n\r\nContent-Type: text/plain\r\n\r\nhi\r\nthere',
    'From: <sip:a@x>\r\nNS: x <urn:ietf:params:imdn>\r\nx.Message-ID: m2\r\n\r\nContent-Type: message/imdn+xml\r\n\r\n<imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>m1</message-id><display-notification><status><displayed/></status></display-notification></imdn>',
    'From: <sip:a@x>\r\n\r\nContent-Type: message/imdn+xml\r\n\r\n<imdn><message-id>broken',
    'just text, no headers',
    '\r\n\r\n\r\n\r\n',
  ],
  composing: [
    '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>active</state><refresh>30</refresh></isComposing>',
    '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>idle</state></isComposing>',
    '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>active</state><refresh>soon</refresh></isComposing>',
    '<isComposing><state>active</state></isComposing>',
    '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>act',
  ],
};

const scenarios = {
  async parsers() {
    const page = await parsers();
    const results = await page.evaluate((cases) => {
      const { presence, imdn } = window.parsers;
      const run = (fn) => {
        try {
          return fn();
        } catch (e) {
          return { threw: String(e) };
        }
      };
      return {
        pidf: cases.pidf.map((xml) => run(() => presence.parsePidf(xml))),
        list: cases.list.map(([type, body]) => run(() => {
          const parsed = presence.parseListNotify(body, type);
          return { fullState: parsed.fullState, resources: Object.fromEntries(parsed.resources) };
        })),
        cpim: cases.cpim.map((body) => run(() => imdn.parseCpim(body))),
        composing: cases.composing.map((xml) => run(() => imdn.parseComposing(xml))),
        roundTrip: run(() => presence.parsePidf(presence.pidf('sip:a@x', 't1', 'away', 'back <soon> & "then"'))),
      };
    }, PARSER_CASES);
    for (const [kind, outcomes] of Object.entries(results)) {
      log({ event: 'parsed', kind, outcomes });
    }
  },

  /** Two users: online, typing, chat both ways with reports, presence states, offline delivery, bad input. */
  async chat() {
    const alice = await open('alice');
    await shot(alice, 'signin');
    const bob = await open('bob');
    await signIn(alice, 'alice');
    await signIn(bob, 'bob');
    await awaitContact(alice, 'alice', 'bob', 'Available');
    await awaitContact(bob, 'bob', 'alice', 'Available');
    await shot(alice, 'contacts');

    await openConversation(alice, 'bob');
    await openConversation(bob, 'alice');
    await alice.type('#composer-text', 'Hel');
    await until(bob, 'bob sees alice typing', () => document.getElementById('typing').textContent.includes('typing'));
    log({ event: 'typing', user: 'bob', text: await bob.$eval('#typing', (e) => e.textContent) });
    const hello = 'Hello bob 👋 — grüße, 你好 https://example.org/a?b=1';
    await send(alice, hello);
    await awaitTheirs(bob, 'bob', hello);
    await until(bob, 'typing ends with the message', () => document.getElementById('typing').textContent === '');
    const link = await bob.$eval('.message.theirs a', (a) => a.href);
    log({ event: 'link', user: 'bob', href: link });
    await awaitMine(alice, 'alice', hello, 'Read');
    await send(bob, 'Hi alice, read you');
    await awaitTheirs(alice, 'alice', 'Hi alice, read you');
    await awaitMine(bob, 'bob', 'Hi alice, read you', 'Read');
    await shot(alice, 'conversation');

    const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>bold</b>';
    await send(alice, hostile);
    await awaitTheirs(bob, 'bob', hostile);
    const injected = await bob.evaluate(() => ({
      pwned: window.pwned === undefined ? null : window.pwned,
      elements: document.querySelectorAll('#messages img, #messages script, #messages b').length,
    }));
    log({ event: 'hostile', user: 'bob', ...injected });

    await send(alice, 'x'.repeat(4000));
    await awaitMine(alice, 'alice', 'x'.repeat(4000), 'Not sent: the message is too long');

    await setState(bob, 'away', 'At lunch <b>🍜</b>');
    await awaitContact(alice, 'alice', 'bob', 'Away, At lunch <b>🍜</b>');
    await setState(bob, 'offline');
    await awaitContact(alice, 'alice', 'bob', 'Offline');
    await setState(bob, 'busy', '');
    await awaitContact(alice, 'alice', 'bob', 'Busy');

    await bob.click('#signout');
    await until(bob, 'bob signed out', () => !document.getElementById('signin-view').hidden);
    await awaitContact(alice, 'alice', 'bob', 'Offline');
    for (const text of ['First while you were away', 'Second while you were away', 'Third while you were away']) {
      await send(alice, text);
      await awaitMine(alice, 'alice', text, 'Sent (waiting');
    }
    await signIn(bob, 'bob');
    await until(bob, 'the stored messages arrive', () => document.querySelector('.contact[data-uri="sip:alice@localhost"] .unread')?.textContent === '3');
    await shot(bob, 'unread');
    await openConversation(bob, 'alice');
    log({ event: 'offline-delivery', user: 'bob', messages: await theirs(bob) });
    await awaitMine(alice, 'alice', 'Third while you were away', 'Read');

    await bob.click('#open-settings');
    await until(bob, 'settings loaded', () => document.getElementById('settings-status').textContent === '');
    await bob.click('#set-dnd');
    await bob.click('#set-searchable');
    await bob.click('#settings-form button[type=submit]');
    await until(bob, 'settings saved', () => document.getElementById('settings-status').textContent === 'Saved.');
    log({ event: 'settings-saved', user: 'bob' });
    await shot(bob, 'settings');
    await send(alice, 'Are you there?');
    await awaitMine(alice, 'alice', 'Are you there?', 'Not sent: they do not take messages');

    const phone = await open('alice-phone', { width: 390, height: 780, isMobile: true, hasTouch: true });
    await signIn(phone, 'alice');
    await awaitContact(phone, 'alice', 'bob', 'Available');
    await shot(phone, 'phone-contacts');
    await openConversation(phone, 'bob');
    await shot(phone, 'phone-conversation');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    log({ event: 'phone', overflow, contactsHidden: await phone.$eval('#contacts-pane', (e) => getComputedStyle(e).display === 'none') });
  },

  /** A contact request from one browser, accepted in the other; presence flows once it is. */
  async request() {
    const alice = await open('alice');
    const carol = await open('carol');
    await signIn(alice, 'alice');
    await signIn(carol, 'carol');
    await carol.type('#add-contact', 'ally');
    await carol.click('#add-form button');
    await until(carol, 'request sent', () => document.getElementById('add-status').textContent.startsWith('Asked'));
    await awaitContact(carol, 'carol', 'alice', 'Waiting for approval');
    await until(alice, 'request shown', () => document.querySelector('#request-list li') !== null);
    log({ event: 'request', user: 'alice', text: await alice.$eval('#request-list li span', (e) => e.textContent) });
    await shot(alice, 'request');
    await alice.click('#request-list button');
    await until(alice, 'request gone', () => document.getElementById('requests').hidden);
    await awaitContact(carol, 'carol', 'alice', 'Available');

    await openConversation(carol, 'alice');
    carol.nextPrompt = 'Alice <i>A.</i>';
    await carol.click('#rename-contact');
    await awaitContact(carol, 'carol', 'alice', 'Alice <i>A.</i>, Available');
    carol.nextPrompt = 'work';
    await carol.click('#move-contact');
    await until(carol, 'alice moved to work', () => [...document.querySelectorAll('#contact-lists section')]
      .some((s) => s.querySelector('h3').textContent === 'work' && s.querySelector('.contact[data-uri="sip:alice@localhost"]')));
    await awaitContact(carol, 'carol', 'alice', 'Alice <i>A.</i>, Available');
    log({ event: 'peer', user: 'carol', name: await carol.$eval('#peer-name', (e) => e.textContent),
      markup: await carol.$$eval('#contact-lists i, #peer-name i', (found) => found.length) });

    // alice has no list with carol on it: carol's message shows among the other conversations
    await send(carol, 'Thanks for accepting');
    await until(alice, 'carol listed apart', () => document.querySelector('.contact[data-uri="sip:carol@localhost"]')
      ?.getAttribute('aria-label') === 'carol@localhost, Not in your contacts, 1 unread');
    await openConversation(alice, 'carol');
    await awaitTheirs(alice, 'alice', 'Thanks for accepting');
    await awaitMine(carol, 'carol', 'Thanks for accepting', 'Read');
    await carol.click('#block-contact');
    await until(carol, 'blocked', () => document.getElementById('add-status').textContent.startsWith('Messages from'));
    log({ event: 'blocked', user: 'carol', text: await carol.$eval('#add-status', (e) => e.textContent) });
    await send(alice, 'Can you still hear me?');
    await awaitMine(alice, 'alice', 'Can you still hear me?', 'Not sent: refused (Decline)');
  },

  /** A browser user and baresip: each sees the other online, a MESSAGE each way. */
  async baresip() {
    const alice = await open('alice');
    await signIn(alice, 'alice');
    await awaitContact(alice, 'alice', 'bob', 'Available');
    await openConversation(alice, 'bob');
    await ask('baresip-message');
    await awaitTheirs(alice, 'alice', 'Hello alice, from baresip');
    await send(alice, 'Hello baresip, from the browser');
    await awaitMine(alice, 'alice', 'Hello baresip, from the browser', 'Delivered');
    await ask('baresip-quit');
    await awaitContact(alice, 'alice', 'bob', 'Offline');
  },

  /**
   * A public room: one browser creates it, the other finds it in the directory and joins; both
   * write and see who wrote; the second signs in again and opens the room from its history.
   */
  async rooms() {
    const alice = await open('alice');
    const bob = await open('bob');
    await signIn(alice, 'alice');
    await signIn(bob, 'bob');

    await alice.type('#room-screen-name', 'Alice_A');
    await alice.$eval('#room-form', (f) => { f.closest('details').open = true; });
    await alice.type('#room-new-name', 'lobby');
    await alice.click('#room-new-public');
    await alice.click('#room-form button[type=submit]');
    await until(alice, 'alice in the new room', () => !document.getElementById('room-pane').hidden
      && document.getElementById('room-title').textContent === 'lobby');
    log({ event: 'room-open', user: 'alice', about: await alice.$eval('#room-about', (e) => e.textContent),
      status: await alice.$eval('#room-status', (e) => e.textContent) });

    await bob.type('#room-screen-name', 'Bob<b>by</b>');
    await bob.$eval('#public-rooms-part', (d) => { d.open = true; });
    await bob.click('#public-rooms-refresh');
    await until(bob, 'lobby listed', () => document.querySelector('#public-room-list li[data-room="lobby"]') !== null);
    log({ event: 'directory', user: 'bob', text: await bob.$eval('#public-room-list li[data-room="lobby"] span', (e) => e.textContent) });
    await bob.click('#public-room-list li[data-room="lobby"] button');
    await until(bob, 'a refusal or the room', () => document.getElementById('room-status').textContent !== '');
    log({ event: 'join', user: 'bob', status: await bob.$eval('#room-status', (e) => e.textContent) });
    await bob.$eval('#room-screen-name', (e) => { e.value = 'Bobby'; });
    await bob.click('#public-room-list li[data-room="lobby"] button');
    await until(bob, 'bob in the room', () => !document.getElementById('room-pane').hidden);
    log({ event: 'join', user: 'bob', status: await bob.$eval('#room-status', (e) => e.textContent) });
    await awaitRoomNotice(alice, 'alice', 'Bobby joined');

    await sendTo(bob, 'Hello lobby <script>window.pwned=1</script> 👋');
    await awaitRoomMessage(alice, 'alice', 'Bobby', 'Hello lobby <script>window.pwned=1</script> 👋');
    await awaitRoomSent(bob, 'bob', 'Hello lobby <script>window.pwned=1</script> 👋');
    await sendTo(alice, 'Welcome, Bobby');
    await awaitRoomMessage(bob, 'bob', 'Alice_A', 'Welcome, Bobby');
    log({ event: 'markup', user: 'alice', pwned: await alice.evaluate(() => window.pwned === undefined ? null : window.pwned),
      elements: await alice.$$eval('#room-messages script, #room-messages b', (found) => found.length) });
    await shot(alice, 'room');
    // alice's page is not in a conversation with a person: the room's copies went to the room
    log({ event: 'conversations', user: 'alice', people: await alice.$$eval('#contact-lists .contact', (b) => b.length) });

    await bob.click('#signout');
    await until(bob, 'bob signed out', () => !document.getElementById('signin-view').hidden);
    await sendTo(alice, 'While you were out');
    await awaitRoomSent(alice, 'alice', 'While you were out');
    await signIn(bob, 'bob');
    await until(bob, 'lobby among my rooms', () => document.querySelector('#room-list .room[data-room="lobby"]') !== null);
    await bob.$eval('#room-list .room[data-room="lobby"]', (b) => b.click());
    await until(bob, 'history shown', () => document.querySelectorAll('#room-messages .message').length >= 3);
    log({ event: 'history', user: 'bob', messages: await bob.$$eval('#room-messages .message',
      (items) => items.map((m) => `${m.querySelector('.sender')?.textContent}: ${m.querySelector('.body').textContent}`)) });

    bob.nextPrompt = '';
    await bob.click('#leave-room');
    await until(bob, 'bob left', () => document.getElementById('room-pane').hidden
      && document.querySelector('#room-list .room') === null);
    await awaitRoomNotice(alice, 'alice', 'Bobby left');

    // a room that is not public: bob is invited to it, and to another one he declines
    await alice.$eval('#room-new-public', (e) => { e.checked = false; });
    await alice.type('#room-new-name', 'team');
    await alice.click('#room-form button[type=submit]');
    await until(alice, 'alice in team', () => document.getElementById('room-title').textContent === 'team');
    await ask('invite');
    await until(bob, 'two invitations', () => document.querySelectorAll('#room-invitation-list li').length === 2);
    log({ event: 'invitations', user: 'bob', texts: (await bob.$$eval('#room-invitation-list li span', (s) => s.map((e) => e.textContent))).sort() });
    await bob.click('#room-invitation-list button[aria-label="Decline the invitation to side"]');
    await until(bob, 'one invitation left', () => document.querySelectorAll('#room-invitation-list li').length === 1);
    await bob.click('#room-invitation-list button[aria-label="Accept the invitation to team"]');
    await until(bob, 'bob in team', () => !document.getElementById('room-pane').hidden
      && document.getElementById('room-title').textContent === 'team' && document.getElementById('room-invitations').hidden);
    await awaitRoomNotice(alice, 'alice', 'bob (sip:bob@localhost) joined');
    await sendTo(alice, 'Team talk');
    await awaitRoomMessage(bob, 'bob', 'Alice_A (sip:alice@localhost)', 'Team talk');
    log({ event: 'rooms', user: 'bob', labels: await bob.$$eval('#room-list .room', (b) => b.map((e) => e.getAttribute('aria-label'))) });
  },

  /**
   * Room administration between three browsers: the creator sees members with roles; a private
   * message reaches one member only; a member's page has no administration and the server refuses
   * it anyway; promote and demote; settings; kick, a locked room, an invitation with the inviter
   * hidden, cancelled, then one accepted; ban and unban; closing.
   */
  async 'room-admin'() {
    const alice = await open('alice');
    const bob = await open('bob');
    const carol = await open('carol');
    await signIn(alice, 'alice');
    await signIn(bob, 'bob');
    await signIn(carol, 'carol');
    await createRoom(alice, 'club', true, 'Alice_A');
    await joinPublic(bob, 'club', 'Bobby');
    await joinPublic(carol, 'club', 'Cara');
    await awaitMembers(alice, 'alice', 3);
    await awaitMembers(bob, 'bob', 3);
    log({ event: 'controls', user: 'alice', admin: !(await alice.$eval('#room-admin', (e) => e.hidden)),
      buttons: await alice.$$eval('#room-members button', (b) => b.map((e) => e.getAttribute('aria-label'))) });
    log({ event: 'controls', user: 'bob', admin: !(await bob.$eval('#room-admin', (e) => e.hidden)),
      buttons: await bob.$$eval('#room-members button', (b) => b.map((e) => e.getAttribute('aria-label'))) });

    await press(bob, 'Write privately to Cara');
    await until(bob, 'writing privately', () => !document.getElementById('room-private').hidden);
    log({ event: 'private-to', user: 'bob', text: await bob.$eval('#room-private-label', (e) => e.textContent) });
    await sendTo(bob, 'Just between us, Cara');
    await awaitRoomSent(bob, 'bob', 'Just between us, Cara');
    await until(carol, 'the private message', () => [...document.querySelectorAll('#room-messages .message.theirs.private')]
      .some((m) => m.querySelector('.body').textContent === 'Just between us, Cara'));
    log({ event: 'private-received', user: 'carol', messages: await carol.$$eval('#room-messages .message.private',
      (items) => items.map((m) => `${m.querySelector('.sender').textContent} | ${m.querySelector('.private-mark').textContent} | ${m.querySelector('.body').textContent}`)) });
    await shot(carol, 'room-private');
    await bob.click('#room-private-cancel');
    await sendTo(bob, 'Hello everyone');
    await awaitRoomMessage(alice, 'alice', 'Bobby', 'Hello everyone');
    await awaitRoomMessage(carol, 'carol', 'Bobby', 'Hello everyone');
    log({ event: 'private-elsewhere', user: 'alice', seen: await alice.$$eval('#room-messages .message .body',
      (b) => b.filter((e) => e.textContent.includes('between us')).length) });
    log({ event: 'sender-notices', user: 'bob', texts: await bob.$$eval('#room-messages .message.notice .body',
      (b) => b.map((e) => e.textContent).filter((t) => t.startsWith('Sent privately'))) });
    // a public room shows screen names only (UC 5.17): no address anywhere in the room's pane
    log({ event: 'addresses', user: 'carol', shown: await carol.$eval('#room-pane', (p) => /sip:|@localhost/.test(p.innerText)) });

    // a stale page that still shows the administration: the server refuses, the page says so
    await bob.$eval('#room-admin', (e) => { e.hidden = false; });
    await bob.$eval('#room-set-topic', (e) => { e.value = 'Taken over'; });
    await bob.$eval('#room-set-max', (e) => { e.value = '10'; });
    await bob.$eval('#room-settings-form', (f) => f.requestSubmit());
    await adminStatus(bob, 'bob', 'Settings: not done');

    await press(alice, 'Make Bobby an administrator');
    await until(bob, 'bob has the administration', () => !document.getElementById('room-admin').hidden
      && document.querySelector('#room-members li[data-member="Bobby"] .role') !== null);
    await awaitMembers(bob, 'bob', 3);
    await press(alice, 'Take administrator rights from Bobby');
    await until(bob, 'bob has no administration', () => document.getElementById('room-admin').hidden);
    log({ event: 'controls', user: 'bob', admin: false });

    await alice.$eval('#room-set-subject', (e) => { e.value = 'The Club'; });
    await alice.$eval('#room-set-topic', (e) => { e.value = 'Members <i>only</i>'; });
    await alice.$eval('#room-set-max', (e) => { e.value = '5'; });
    await alice.$eval('#room-set-locked', (e) => { e.checked = true; });
    await alice.$eval('#room-settings-form', (f) => f.requestSubmit());
    await adminStatus(alice, 'alice', 'Settings');
    await roomAbout(bob, 'bob', 'Members <i>only</i>');
    log({ event: 'summary', user: 'bob', text: await bob.$eval('#room-people-summary', (e) => e.textContent) });

    await press(alice, 'Remove Cara from the room');
    await awaitRoomNotice(carol, 'carol', 'You were removed from The Club');
    await roomAbout(carol, 'carol', 'no longer a member');
    await awaitMembers(alice, 'alice', 2);
    log({ event: 'join', user: 'carol', status: await joinPublic(carol, 'club', 'Cara') });

    await alice.type('#room-invite-user', 'carol');
    await alice.click('#room-invite-hidden');
    await alice.click('#room-invite-form button[type=submit]');
    await until(alice, 'the open invitation', () => document.querySelector('#room-open-invitations button') !== null);
    log({ event: 'open-invitations', user: 'alice', texts: await alice.$$eval('#room-open-invitations li span', (s) => s.map((e) => e.textContent)) });
    await until(carol, 'the invitation', () => document.querySelector('#room-invitation-list li') !== null);
    log({ event: 'invitations', user: 'carol', texts: await carol.$$eval('#room-invitation-list li span', (s) => s.map((e) => e.textContent)) });
    await alice.$eval('#room-people', (d) => { d.scrollTop = 0; });
    await shot(alice, 'room-admin');
    await press(alice, 'Cancel the invitation of carol@localhost');
    await until(carol, 'the invitation withdrawn', () => document.getElementById('room-invitations').hidden);
    log({ event: 'invitation-withdrawn', user: 'carol' });
    await alice.click('#room-invite-hidden');
    await alice.type('#room-invite-user', 'carol');
    await alice.click('#room-invite-form button[type=submit]');
    await press(carol, 'Accept the invitation to The Club');
    await awaitRoomNotice(alice, 'alice', 'Cara joined');
    await roomAbout(carol, 'carol', 'you are Cara');

    await press(alice, 'Ban Bobby from the room');
    await awaitRoomNotice(bob, 'bob', 'You were banned from The Club');
    await roomAbout(bob, 'bob', 'no longer a member');
    await alice.type('#room-unban-user', 'bob');
    await alice.click('#room-unban-form button[type=submit]');
    await adminStatus(alice, 'alice', 'Lift the ban');

    await alice.click('#close-room');
    await awaitRoomNotice(carol, 'carol', 'The room The Club was closed');
    await roomAbout(carol, 'carol', 'This room was closed.');
    await roomAbout(alice, 'alice', 'This room was closed.');
  },

  /**
   * A room in session mode (MSRP over WebSocket to the focus) beside a pager member: two browsers
   * join the room's session, messages go every way, a private one in session; one leaves the
   * session and is back in pager mode; the focus ends a kicked member's session; one leaves the
   * room and the other sees it.
   */
  async 'room-session'() {
    const alice = await open('alice');
    const bob = await open('bob');
    const carol = await open('carol');
    await signIn(alice, 'alice');
    await signIn(bob, 'bob');
    await signIn(carol, 'carol');
    await createRoom(alice, 'salon', true, 'Alice_A');
    await joinPublic(bob, 'salon', 'Bobby');
    await joinPublic(carol, 'salon', 'Cara');
    await sendTo(alice, 'Said before the sessions');
    await awaitRoomMessage(bob, 'bob', 'Alice_A', 'Said before the sessions');

    for (const [page, who] of [[alice, 'alice'], [bob, 'bob']]) {
      await page.click('#room-session');
      await awaitRoomNotice(page, who, 'In session with the room: its messages come over MSRP.');
      await until(page, `${who} is welcomed`, () => [...document.querySelectorAll('#room-messages .message.notice .body')]
        .some((b) => b.textContent.startsWith('Welcome to salon')));
      log({ event: 'session-button', user: who, text: await page.$eval('#room-session', (b) => b.textContent),
        history: await page.$$eval('#room-messages .message:not(.notice) .body', (b) => b.filter((e) => e.textContent === 'Said before the sessions').length) });
    }

    const hello = 'Hello over MSRP 👋 — grüße, 你好';
    await sendTo(alice, hello);
    await awaitRoomSent(alice, 'alice', hello);
    await awaitRoomMessage(bob, 'bob', 'Alice_A', hello);
    await awaitRoomMessage(carol, 'carol', 'Alice_A', hello);
    await sendTo(bob, 'Reply in session <b>bold</b>');
    await awaitRoomSent(bob, 'bob', 'Reply in session <b>bold</b>');
    await awaitRoomMessage(alice, 'alice', 'Bobby', 'Reply in session <b>bold</b>');
    await awaitRoomMessage(carol, 'carol', 'Bobby', 'Reply in session <b>bold</b>');
    await sendTo(carol, 'From a pager member');
    await awaitRoomMessage(alice, 'alice', 'Cara', 'From a pager member');
    await awaitRoomMessage(bob, 'bob', 'Cara', 'From a pager member');

    await press(bob, 'Write privately to Alice_A');
    await sendTo(bob, 'Only for Alice, in session');
    await awaitRoomSent(bob, 'bob', 'Only for Alice, in session');
    await until(alice, 'the private message', () => [...document.querySelectorAll('#room-messages .message.theirs.private')]
      .some((m) => m.querySelector('.body').textContent === 'Only for Alice, in session'));
    log({ event: 'private-received', user: 'alice', messages: await alice.$$eval('#room-messages .message.private',
      (items) => items.map((m) => `${m.querySelector('.sender').textContent} | ${m.querySelector('.private-mark').textContent} | ${m.querySelector('.body').textContent}`)) });
    await bob.click('#room-private-cancel');
    await shot(alice, 'room-session');

    await bob.click('#room-session');
    await awaitRoomNotice(bob, 'bob', 'You left the room\'s session: its messages come as pager messages again.');
    await sendTo(alice, 'Bob is back in pager mode');
    await awaitRoomMessage(bob, 'bob', 'Alice_A', 'Bob is back in pager mode');
    log({ event: 'elsewhere', user: 'carol', seen: await carol.$$eval('#room-messages .message .body',
      (b) => b.filter((e) => e.textContent.includes('Only for Alice')).length) });

    await carol.click('#room-session');
    await awaitRoomNotice(carol, 'carol', 'In session with the room: its messages come over MSRP.');
    await press(alice, 'Remove Cara from the room');
    await until(carol, 'the focus ends the session', () => [...document.querySelectorAll('#room-messages .message.notice .body')]
      .some((b) => b.textContent.startsWith('The room ended your session')));
    log({ event: 'session-ended', user: 'carol', text: await carol.$$eval('#room-messages .message.notice .body',
      (b) => b.map((e) => e.textContent).find((t) => t.startsWith('The room ended your session'))) });
    await roomAbout(carol, 'carol', 'no longer a member');

    bob.nextPrompt = '';
    await bob.click('#leave-room');
    await awaitRoomNotice(alice, 'alice', 'Bobby left');
  },

  /** A contact request declined in one browser; the requester's page says so. */
  async decline() {
    const alice = await open('alice');
    const carol = await open('carol');
    await signIn(alice, 'alice');
    await signIn(carol, 'carol');
    await carol.type('#add-contact', 'ally');
    await carol.click('#add-form button');
    await awaitContact(carol, 'carol', 'alice', 'Waiting for approval');
    await until(alice, 'request shown', () => document.querySelector('#request-list li') !== null);
    await alice.click('#request-list li button.secondary');
    await until(alice, 'request gone', () => document.getElementById('requests').hidden);
    log({ event: 'declined', user: 'alice', text: await alice.$eval('#add-status', (e) => e.textContent) });
    // a declined request leaves the requester's list; the server's notice says why
    await until(carol, 'alice gone from the list', () => document.querySelector('.contact[data-uri="sip:alice@localhost"]') === null);
    log({ event: 'contacts', user: 'carol', labels: await carol.$$eval('#contact-lists .contact', (b) => b.map((e) => e.getAttribute('aria-label'))) });
    await until(carol, "the server's notice", () => document.querySelector('.contact[aria-label*="Not in your contacts"]') !== null);
    await carol.$eval('.contact[aria-label*="Not in your contacts"]', (b) => b.click());
    await until(carol, 'the notice shown', () => document.querySelector('#messages .message.theirs') !== null);
    log({ event: 'notice', user: 'carol', texts: await theirs(carol) });
  },

  /** The user's data export, downloaded by the browser into the profile's downloads folder. */
  async export() {
    const downloads = `${profile}/downloads`;
    mkdirSync(downloads, { recursive: true });
    const alice = await open('alice', undefined, { contextOptions: { downloadBehavior: { policy: 'allow', downloadPath: downloads } } });
    await signIn(alice, 'alice');
    await alice.click('#open-settings');
    await until(alice, 'settings loaded', () => document.getElementById('settings-status').textContent === '');
    await alice.click('#export');
    await until(alice, 'exported', () => document.getElementById('settings-status').textContent !== '');
    log({ event: 'export', user: 'alice', status: await alice.$eval('#settings-status', (e) => e.textContent) });
    const started = Date.now();
    while (!readdirSync(downloads).includes('parley-alice.json')) {
      if (Date.now() - started > STEP_MS) throw new Error(`no download in ${downloads}: ${readdirSync(downloads)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    log({ event: 'downloaded', user: 'alice', files: readdirSync(downloads) });
  },

  /**
   * A new message while the tab is hidden: a desktop notification. The permission is granted
   * through the DevTools protocol and the browser's own Notification is wrapped before the page
   * loads, so what the test sees is what the browser was asked to show.
   */
  async notify() {
    const watchNotifications = async (page) => {
      await page.browserContext().setPermission(origin, { permission: { name: 'notifications' }, state: 'granted' });
      await page.evaluateOnNewDocument(() => {
        const Native = window.Notification;
        window.shownNotifications = [];
        window.Notification = class extends Native {
          constructor(title, options = {}) {
            super(title, options);
            window.shownNotifications.push({ title, body: options.body || '' });
          }
        };
      });
    };
    const alice = await open('alice');
    const bob = await open('bob', undefined, { beforeLoad: watchNotifications });
    await signIn(alice, 'alice');
    await signIn(bob, 'bob');
    await awaitContact(alice, 'alice', 'bob', 'Available');
    await openConversation(alice, 'bob');
    await send(alice, 'While you look');
    await awaitMine(alice, 'alice', 'While you look', 'Delivered');
    const elsewhere = await bob.browserContext().newPage();
    await elsewhere.bringToFront();
    await until(bob, "bob's tab hidden", () => document.hidden);
    await send(alice, 'While you are away <b>now</b>');
    await awaitMine(alice, 'alice', 'While you are away <b>now</b>', 'Delivered');
    await until(bob, 'a notification', () => window.shownNotifications.length > 0);
    log({ event: 'notifications', user: 'bob', permission: await bob.evaluate(() => Notification.permission),
      shown: await bob.evaluate(() => window.shownNotifications) });
  },

  /** A public room created in the browser, with baresip as a pager member (#join over MESSAGE). */
  async 'room-baresip'() {
    const alice = await open('alice');
    await signIn(alice, 'alice');
    await alice.type('#room-screen-name', 'Alice_A');
    await alice.$eval('#room-form', (f) => { f.closest('details').open = true; });
    await alice.type('#room-new-name', 'pier');
    await alice.click('#room-new-public');
    await alice.click('#room-form button[type=submit]');
    await until(alice, 'alice in the new room', () => !document.getElementById('room-pane').hidden);
    await ask('baresip-join');
    await awaitRoomNotice(alice, 'alice', 'Carol joined');
    await ask('baresip-message');
    await awaitRoomMessage(alice, 'alice', 'Carol', 'Hello pier, from baresip');
    await sendTo(alice, 'Hello baresip, from the browser');
    await awaitRoomSent(alice, 'alice', 'Hello baresip, from the browser');
    await ask('baresip-received');
  },

  /** The server goes away and comes back: the page says so, reconnects, registers, and works again. */
  async restart() {
    const alice = await open('alice');
    await signIn(alice, 'alice');
    await awaitContact(alice, 'alice', 'bob', 'Offline');
    await ask('restart');
    await until(alice, 'the loss is shown', () => !document.getElementById('banner').hidden
      && document.getElementById('banner').textContent.includes('lost'));
    log({ event: 'banner', user: 'alice', text: await alice.$eval('#banner', (e) => e.textContent) });
    await shot(alice, 'reconnecting');
    await ask('started');
    // JsSIP tries again after 2 s, doubling up to 30 s
    await within(60000, alice, 'registered again', () => document.getElementById('connection').textContent === 'Online'
      && document.getElementById('banner').hidden);
    log({ event: 'reconnected', user: 'alice' });
    const bob = await open('bob');
    await signIn(bob, 'bob');
    await awaitContact(alice, 'alice', 'bob', 'Available');
    await openConversation(alice, 'bob');
    await send(alice, 'Back after the restart');
    await awaitMine(alice, 'alice', 'Back after the restart', 'Delivered');
  },

  /** A session whose password was changed elsewhere: the next action ends it with a clear message. */
  async session() {
    const alice = await open('alice');
    await signIn(alice, 'alice');
    await ask('change-password');
    // the page's own background requests (token renewal, a refresh) may meet the 401 first and end the
    // session before the click; the user then sees the same message without clicking
    await alice.evaluate(() => {
      if (document.getElementById('signin-view').hidden) document.getElementById('open-settings').click();
    });
    await until(alice, 'sent back to sign-in', () => !document.getElementById('signin-view').hidden);
    log({ event: 'session-ended', user: 'alice', text: await alice.$eval('#signin-error', (e) => e.textContent) });
  },

  /** Tokens that outlive nothing: the page renews them and the user notices nothing. */
  async renew() {
    const alice = await open('alice');
    await signIn(alice, 'alice');
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await alice.click('#open-settings');
    await until(alice, 'settings loaded', () => document.getElementById('settings-status').textContent === ''
      && !document.getElementById('settings-pane').hidden);
    log({ event: 'settings-loaded', user: 'alice', signedIn: await alice.$eval('#signin-view', (e) => e.hidden) });
  },

  /** Wrong passwords: a clear message each time, then the guard's refusal. */
  async guard() {
    const page = await open('alice');
    for (let i = 0; i < 8; i += 1) {
      const error = await signIn(page, 'alice', `wrong password ${i}`);
      log({ event: 'refused', user: 'alice', text: error });
      await page.$eval('#signin-password', (e) => { e.value = ''; });
      if (error && error.startsWith('Too many')) break;
    }
    await shot(page, 'signin-refused');
  },
};

// chat sessions and file transfer (sessions.mjs), with the helpers above
Object.assign(scenarios, (await import('./sessions.mjs')).default({
  browser, log, ask, open, until, shot, signIn, openConversation, send, awaitMine, awaitTheirs, profile, base,
}));

// group chats (groups.mjs), with the room helpers
Object.assign(scenarios, (await import('./groups.mjs')).default({
  browser, base, log, ask, open, until, shot, signIn, sendTo, awaitRoomMessage, awaitRoomSent, awaitRoomNotice,
}));

let failed = false;
try {
  if (!scenarios[scenario]) throw new Error(`no scenario ${scenario}`);
  await scenarios[scenario]();
  log({ event: 'external-requests', urls: external });
} catch (e) {
  failed = true;
  log({ event: 'error', message: String(e && e.message ? e.message : e) });
} finally {
  input.close();
  await browser.close();
}
process.exit(failed ? 1 : 0);
