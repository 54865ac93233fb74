// Scenarios of Parley Web's chat sessions and file transfer over MSRP on WebSocket (issue 10 in
// the browser; ParleyWebSessionTest), run by parley-web.mjs with its helpers: every step through
// the page's own controls, each printed as one JSON line.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

export default function sessionScenarios(h) {
  const { browser, log, ask, open, until, shot, signIn, send, awaitMine, awaitTheirs, profile, base } = h;

  /** Opens the conversation with a contact once the contact lists have loaded. */
  async function openConversation(page, contact) {
    await until(page, `${contact} listed`, (uri) => document.querySelector(`.contact[data-uri="${uri}"]`) !== null, `sip:${contact}@localhost`);
    await h.openConversation(page, contact);
  }

  async function notice(page, who, text) {
    await until(page, `${who} sees "${text}"`, (t) => [...document.querySelectorAll('#messages .message.notice .body')]
      .some((b) => b.textContent.startsWith(t)), text);
    log({ event: 'notice', user: who, text });
  }

  async function offer(page, who, text) {
    await until(page, `${who} is offered "${text}"`, (t) => [...document.querySelectorAll('#session-offer-list li span')]
      .some((s) => s.textContent === t), text);
    log({ event: 'offer', user: who, text });
  }

  async function answerOffer(page, verb, text) {
    await page.$eval(`#session-offer-list button[aria-label="${verb}: ${text}"]`, (b) => b.click());
  }

  /** A file of `size` random bytes in the profile directory, picked with the page's file selector. */
  async function pickFile(page, name, size) {
    const path = `${profile}/${name}`;
    const bytes = randomBytes(size);
    writeFileSync(path, bytes);
    const input = await page.$('#file-pick');
    await input.uploadFile(path);
    return bytes;
  }

  /** Saves a received file through its download link, as a user would, and reads what landed on disk. */
  async function save(page, who, name) {
    const dir = `${profile}/downloads-${who}`;
    mkdirSync(dir, { recursive: true });
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, browserContextId: page.browserContext().id });
    await until(page, `${who} can save ${name}`, (n) => [...document.querySelectorAll('#messages a.download')]
      .some((a) => a.getAttribute('download') === n), name);
    await page.$$eval('#messages a.download', (links, n) => links.find((a) => a.getAttribute('download') === n).click(), name);
    const file = `${dir}/${name}`;
    const deadline = Date.now() + 20000;
    while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
  }

  const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');

  /**
   * The test's hand on a page's MSRP WebSockets (RFC 7977), set before the page loads: it counts
   * the octets of every SEND that arrives (by Byte-Range), and after the page sent its n-th REPORT
   * (msrpTest.cutAfter) it closes that connection.
   */
  const watchMsrp = (page) => page.evaluateOnNewDocument(() => {
    const Native = window.WebSocket;
    window.msrpTest = { octets: 0, reports: 0, cutAfter: 0 };
    const text = (data) => (typeof data === 'string' ? data : new TextDecoder('latin1').decode(data));
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        super(url, protocols);
        if (protocols !== 'msrp') return;
        this.addEventListener('message', (e) => {
          const m = /^MSRP \S+ SEND\r\n[\s\S]*?\r\nByte-Range: (\d+)-(\d+)\/[\s\S]*?\r\nContent-Type: /.exec(text(e.data));
          if (m) window.msrpTest.octets += Number(m[2]) - Number(m[1]) + 1;
        });
      }

      send(data) {
        super.send(data);
        if (this.protocol === 'msrp' && /^MSRP \S+ REPORT\r\n/.test(text(data))
          && ++window.msrpTest.reports === window.msrpTest.cutAfter) this.close();
      }
    };
  });


  return {
    /** Two browsers: a session both ways with typing, files accepted, declined and over the limit, then one ends it. */
    async 'chat-session'() {
      const alice = await open('alice');
      const bob = await open('bob');
      await signIn(alice, 'alice');
      await signIn(bob, 'bob');
      await openConversation(alice, 'bob');
      await alice.click('#session-start');
      await offer(bob, 'bob', 'ally asks for a chat session');
      await answerOffer(bob, 'Accept', 'ally asks for a chat session');
      await notice(bob, 'bob', 'In a session with ally.');
      await notice(alice, 'alice', 'In a session with bob.');
      await alice.type('#composer-text', 'Hel');
      await until(bob, 'bob sees alice typing', () => document.getElementById('typing').textContent.includes('typing'));
      log({ event: 'typing', user: 'bob', text: await bob.$eval('#typing', (e) => e.textContent) });
      const hello = 'Hello bob, in a session 👋 — grüße, 你好';
      await send(alice, hello);
      await awaitTheirs(bob, 'bob', hello);
      await awaitMine(alice, 'alice', hello, 'Delivered');
      await send(bob, 'Session reply <b>bold</b>');
      await awaitTheirs(alice, 'alice', 'Session reply <b>bold</b>');
      await awaitMine(bob, 'bob', 'Session reply <b>bold</b>', 'Delivered');
      log({ event: 'markup', user: 'alice', elements: await alice.$$eval('#messages b', (found) => found.length) });
      await shot(alice, 'session');

      const sent = await pickFile(alice, 'photo of the 🌊.bin', 200000);
      await offer(bob, 'bob', 'ally sends you photo of the 🌊.bin (195.3 KB)');
      await answerOffer(bob, 'Accept', 'ally sends you photo of the 🌊.bin (195.3 KB)');
      const saved = await save(bob, 'bob', 'photo of the 🌊.bin');
      log({ event: 'file-saved', user: 'bob', bytes: saved.length, same: sha(saved) === sha(sent) });
      await awaitMine(alice, 'alice', 'photo of the 🌊.bin (195.3 KB) ', 'Delivered');
      log({ event: 'progress', user: 'alice', value: await alice.$eval('#messages .message.mine progress', (p) => `${p.value}/${p.max}`) });
      await shot(bob, 'file-transfer');

      await pickFile(alice, 'unwanted.txt', 1000);
      await offer(bob, 'bob', 'ally sends you unwanted.txt (1000 bytes)');
      await answerOffer(bob, 'Decline', 'ally sends you unwanted.txt (1000 bytes)');
      await awaitMine(alice, 'alice', 'unwanted.txt (1000 bytes) ', 'bob declined unwanted.txt.');

      await pickFile(alice, 'huge.bin', 400000);
      await until(alice, 'the limit shown', () => [...document.querySelectorAll('#messages .message.mine .status')]
        .some((s) => s.textContent.startsWith('Not accepted')));
      log({ event: 'limit', user: 'alice', text: await alice.$$eval('#messages .message.mine .status.failed', (s) => s.map((e) => e.textContent).pop()) });

      await bob.click('#session-end');
      await notice(bob, 'bob', 'You ended the session.');
      await notice(alice, 'alice', 'bob ended the session.');
      log({ event: 'controls', user: 'alice', start: await alice.$eval('#session-start', (b) => !b.hidden) });
      await send(alice, 'Back to pager mode');
      await awaitTheirs(bob, 'bob', 'Back to pager mode');
    },

    /**
     * A file transfer cut part way and resumed (RFC 5547 §6): the receiver's MSRP WebSocket is
     * closed by the test right after the page sent its third success REPORT; the sender's page
     * offers Resume, which sends only the rest (a=file-range), and the receiver joins it to the part
     * it kept. The receiver's page counts every file octet that reaches it over MSRP.
     */
    async 'file-resume'() {
      const alice = await open('alice');
      const bob = await open('bob', undefined, { beforeLoad: watchMsrp });
      await signIn(alice, 'alice');
      await signIn(bob, 'bob');
      await openConversation(alice, 'bob');
      await bob.evaluate(() => { window.msrpTest.cutAfter = 3; });
      const sent = await pickFile(alice, 'resume me.bin', 200000);
      await offer(bob, 'bob', 'ally sends you resume me.bin (195.3 KB)');
      await answerOffer(bob, 'Accept', 'ally sends you resume me.bin (195.3 KB)');
      await until(bob, 'bob keeps a part', () => document.querySelector('#messages .file.kept') !== null);
      const kept = await bob.$eval('#messages .file.kept', (e) => e.textContent);
      log({ event: 'kept', user: 'bob', text: kept, octets: await bob.evaluate(() => window.msrpTest.octets) });
      await until(alice, 'alice can resume', () => document.querySelector('#messages button.resume') !== null);
      // the receiver's reports confirmed what it kept: the rest starts after it
      await until(alice, 'the kept part confirmed', (n) => document.querySelector('#messages .message.mine progress').value === n,
        await bob.evaluate(() => window.msrpTest.octets));
      await until(alice, 'the line says so', () => document.querySelector('#messages .message.mine .status.failed')?.textContent.includes('48.0 KB'));
      log({ event: 'interrupted', user: 'alice', text: await alice.$eval('#messages .message.mine .status.failed', (e) => e.textContent),
        progress: await alice.$eval('#messages .message.mine progress', (p) => `${p.value}/${p.max}`) });
      await alice.$eval('#messages button.resume', (b) => b.click());
      await notice(bob, 'bob', 'ally resumes resume me.bin after 48.0 KB.');
      const saved = await save(bob, 'bob', 'resume me.bin');
      log({ event: 'file-saved', user: 'bob', bytes: saved.length, same: sha(saved) === sha(sent),
        damaged: await bob.$$eval('#messages .file', (f) => f.some((e) => e.textContent.includes('damaged'))) });
      await awaitMine(alice, 'alice', 'resume me.bin (195.3 KB) ', 'Delivered');
      log({ event: 'octets-received', user: 'bob', octets: await bob.evaluate(() => window.msrpTest.octets) });
    },

    /**
     * The receiver's page is reloaded after a transfer broke (RFC 5547 §6): the part it kept
     * survives the reload; signed in again, it takes the sender's Resume, receives only the rest
     * and saves the file that was sent.
     */
    async 'file-resume-reload'() {
      const alice = await open('alice');
      const bob = await open('bob', undefined, { beforeLoad: watchMsrp });
      await signIn(alice, 'alice');
      await signIn(bob, 'bob');
      await openConversation(alice, 'bob');
      await bob.evaluate(() => { window.msrpTest.cutAfter = 3; });
      const sent = await pickFile(alice, 'reloaded.bin', 200000);
      await offer(bob, 'bob', 'ally sends you reloaded.bin (195.3 KB)');
      await answerOffer(bob, 'Accept', 'ally sends you reloaded.bin (195.3 KB)');
      await until(bob, 'bob keeps a part', () => document.querySelector('#messages .file.kept') !== null);
      const before = await bob.evaluate(() => window.msrpTest.octets);
      await until(alice, 'the kept part confirmed', (n) => document.querySelector('#messages button.resume') !== null
        && document.querySelector('#messages .message.mine progress').value === n, before);
      await until(bob, 'the part stored', () => new Promise((resolve) => {
        const opened = indexedDB.open('parley-web', 1);
        opened.onsuccess = () => {
          const count = opened.result.transaction('kept-parts').objectStore('kept-parts').count();
          count.onsuccess = () => resolve(count.result === 1);
          count.onerror = () => resolve(false);
        };
        opened.onerror = () => resolve(false);
      }));
      await bob.reload({ waitUntil: 'load' });
      await signIn(bob, 'bob');
      await openConversation(bob, 'alice');
      await alice.$eval('#messages button.resume', (b) => b.click());
      await notice(bob, 'bob', 'ally resumes reloaded.bin after 48.0 KB.');
      const saved = await save(bob, 'bob', 'reloaded.bin');
      log({ event: 'file-saved', user: 'bob', bytes: saved.length, same: sha(saved) === sha(sent) });
      await awaitMine(alice, 'alice', 'reloaded.bin (195.3 KB) ', 'Delivered');
      log({ event: 'octets-received', user: 'bob', before, after: await bob.evaluate(() => window.msrpTest.octets) });
    },

    /** A session to a user with no device online: deferred, its messages delivered when the user signs in. */
    async 'session-deferred'() {
      const alice = await open('alice');
      await signIn(alice, 'alice');
      await openConversation(alice, 'bob');
      await alice.click('#session-start');
      await notice(alice, 'alice', 'bob is offline: the messages of this session are delivered when bob comes online.');
      for (const text of ['Kept for later, 1', 'Kept for later, 2 ✓']) {
        await send(alice, text);
        await awaitMine(alice, 'alice', text, 'Sent (waiting until they are online)');
      }
      await shot(alice, 'session-deferred');
      await alice.click('#session-end');
      await notice(alice, 'alice', 'You ended the session.');
      const bob = await open('bob');
      await signIn(bob, 'bob');
      await until(bob, 'the kept messages arrive', () => document.querySelector('.contact[data-uri="sip:alice@localhost"] .unread')?.textContent === '2');
      await openConversation(bob, 'alice');
      log({ event: 'deferred-delivery', user: 'bob', messages: await bob.$$eval('.message.theirs .body', (b) => b.map((e) => e.textContent)) });
    },

    /** The browser and a SIP device with the Python MSRP peer through the relay (the test plays the device). */
    async 'session-peer'() {
      const alice = await open('alice');
      await signIn(alice, 'alice');
      await openConversation(alice, 'bob');
      await alice.click('#session-start');
      await ask('invite');
      await notice(alice, 'alice', 'In a session with bob.');
      await send(alice, 'Hello Python peer 🐍');
      await awaitMine(alice, 'alice', 'Hello Python peer 🐍', 'Delivered');
      await ask('peer-send');
      await awaitTheirs(alice, 'alice', 'Hello browser, from Python');
      await ask('peer-bye');
      await notice(alice, 'alice', 'bob ended the session.');
    },

    /**
     * The page's MSRP parser and SDP and challenge readers in Chromium, fed frames as the server
     * might send them and malformed ones: each prints what it made of its input, none may throw,
     * and the page goes on working.
     */
    async 'msrp-parser'() {
      const { build } = await import('esbuild');
      const web = new URL('../../../../web/src/main/web/js/', import.meta.url).pathname;
      const bundle = await build({
        stdin: {
          contents: "import * as msrp from './msrp.js'; import { parseSdp } from './msrp-sdp.js'; import { digestChallenge } from './msrp-session.js';"
            + " import { cpimAddress } from './room-session.js';"
            + ' window.msrpParsers = { msrp, sessions: { parseSdp, digestChallenge, cpimAddress } };',
          resolveDir: web,
        },
        bundle: true, format: 'iife', write: false, logLevel: 'silent',
      });
      const page = await (await browser.createBrowserContext()).newPage();
      await page.setBypassCSP(true);
      await page.goto(base, { waitUntil: 'load' });
      await page.addScriptTag({ content: bundle.outputFiles[0].text });
      const results = await page.evaluate(() => {
        const { msrp, sessions } = window.msrpParsers;
        const run = (fn) => {
          try {
            return fn();
          } catch (e) {
            return { threw: String(e) };
          }
        };
        const show = (m) => (m.error ? { error: m.error, tid: m.tid, request: m.request }
          : { tid: m.tid, method: m.method || null, status: m.status || null, toPath: m.toPath, fromPath: m.fromPath,
            body: new TextDecoder().decode(m.body), flag: m.flag, range: m.range || null });
        const head = 'To-Path: msrp://a.invalid:9/s1;ws\r\nFrom-Path: msrps://relay:2856/r1;ws msrp://b.invalid:9/s2;ws\r\n';
        const frames = [
          `MSRP a786hjs2 SEND\r\n${head}Message-ID: 87652491\r\nByte-Range: 1-24/24\r\nContent-Type: text/plain\r\n\r\nHey Bob, are you there? \r\n-------a786hjs2$\r\n`,
          `MSRP a786hjs2 200 OK\r\n${head}-------a786hjs2$\r\n`,
          `MSRP dkei38sd REPORT\r\n${head}Message-ID: 12339sdqwer\r\nByte-Range: 1-106/106\r\nStatus: 000 200 OK\r\n-------dkei38sd$\r\n`,
          `MSRP d93kswow SEND\r\n${head}Message-ID: 12339sdqwer\r\nByte-Range: 1-8/*\r\nContent-Type: text/plain\r\n\r\nline\r\n--\r\n-------d93kswow+\r\n`,
          `MSRP a786hjs2 SEND\r\n${head}Message-ID: 1\r\nByte-Range: 1-10/25\r\nContent-Type: text/plain\r\n\r\nHey\r\n-------a786hjs2$\r\n`,
          `MSRP a786hjs2 SEND\r\n${head}Message-ID: 1\r\nContent-Type: text/plain\r\n\r\nno end-line\r\n`,
          `MSRP a786hjs2 SEND\r\n${head}Message-ID: 1\r\nContent-Type: text/plain\r\n\r\nwrong id\r\n-------zzzzzzzz$\r\n`,
          `MSRP a786hjs2 SEND\r\nFrom-Path: msrp://b.invalid:9/s2;ws\r\nTo-Path: msrp://a.invalid:9/s1;ws\r\n-------a786hjs2$\r\n`,
          `MSRP a786hjs2 SEND\r\n${head}no colon here\r\n-------a786hjs2$\r\n`,
          `MSRP a786hjs2 SEND\r\nTo-Path: http://evil/\r\nFrom-Path: msrp://b.invalid:9/s2;ws\r\n-------a786hjs2$\r\n`,
          `MSRP x SEND\r\n${head}-------x$\r\n`,
          'HTTP/1.1 200 OK\r\n\r\n',
          '',
          `MSRP a786hjs2 SEND\r\n${head}Message-ID: 1\r\n\r\nbody without type\r\n-------a786hjs2$\r\n`,
          `MSRP a786hjs2 099 Too small\r\n${head}-------a786hjs2$\r\n`,
        ];
        const binary = new Uint8Array([...new TextEncoder().encode(`MSRP b1nary00 SEND\r\n${head}Message-ID: 2\r\nByte-Range: 1-3/3\r\nContent-Type: application/octet-stream\r\n\r\n`),
          0xff, 0x00, 0xfe, ...new TextEncoder().encode('\r\n-------b1nary00$\r\n')]);
        const badUtf8 = new Uint8Array([...new TextEncoder().encode('MSRP b1nary00 SEND\r\nTo-Path: msrp://a.invalid:9/s;ws\r\nFrom-Path: msrp://b.invalid:9/'),
          0xff, ...new TextEncoder().encode(';ws\r\n-------b1nary00$\r\n')]);
        return {
          frames: frames.map((f) => run(() => show(msrp.parse(f)))),
          binary: run(() => [...msrp.parse(binary).body]),
          badUtf8: run(() => show(msrp.parse(badUtf8))),
          roundTrip: run(() => show(msrp.parse(msrp.serialize({ tid: 'r0undtr1p', start: 'SEND', toPath: ['msrp://a.invalid:9/s;ws'],
            fromPath: ['msrp://b.invalid:9/t;ws'], headers: [['Message-ID', 'm'], ['Byte-Range', '1-8/8']], contentType: 'text/plain', body: 'grüß\r\n' })))),
          sdp: [
            'v=0\r\no=- 1 1 IN IP4 x\r\ns=-\r\nc=IN IP4 x\r\nt=0 0\r\nm=message 9 TCP/TLS/MSRP *\r\na=sendonly\r\na=accept-types:image/png\r\na=file-selector:name:"a%22b.png" type:image/png size:12 hash:sha-1:AB:CD\r\na=path:msrps://r:1/x;ws msrps://y.invalid:9/z;ws\r\n',
            'v=0\r\nm=audio 9 RTP/AVP 0\r\n',
            'm=message 9 TCP/MSRP *\r\na=path:http://nope/\r\n',
            'm=message 9 TCP/MSRP *\r\na=path:msrp://h:1/s;tcp\r\na=file-selector:name:"%E0%A4%A" size:x\r\n',
            ...['49153-*', '1-200000', '9-5', '0-*', '1-x', '-5', '1-2-3'].map((r) => `m=message 9 TCP/MSRP *\r\na=path:msrp://h:1/s;tcp\r\na=file-range:${r}\r\n`),
          ].map((s) => run(() => sessions.parseSdp(s))),
          challenges: ['Digest realm="localhost", nonce="abc", qop="auth", algorithm=MD5', 'Basic realm="x"', 'Digest nonce="n"', '']
            .map((c) => run(() => sessions.digestChallenge(c))),
          // the sender of a room's copy in session mode (RFC 3862 §3.3 From), as the focus writes it and malformed
          cpimAddresses: ['"Bobby [private]" <sip:room_salon@groups.localhost;screen-name=Bobby>', '"A \\"quoted\\" name" <sip:a@x>',
            'Plain Name <sip:a@x>', '<sip:a@x>', 'sip:a@x', '"unterminated <sip:a@x>', '"a" <sip:a@x> trailing', '"a" <sip:a x>', '<>', '', null]
            .map((v) => run(() => sessions.cpimAddress(v))),
        };
      });
      for (const [kind, outcomes] of Object.entries(results)) log({ event: 'parsed', kind, outcomes });
      // the page itself is unharmed: its sign-in form still works
      await page.close();
      const alice = await open('alice');
      await signIn(alice, 'alice');
    },
  };
}
