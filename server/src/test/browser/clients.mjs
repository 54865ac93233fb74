// Two users of one SIP library (JsSIP or SIP.js) in the system's headless Chromium, each in its
// own page: both register with Parley over WebSocket (RFC 7118), alice sends bob a MESSAGE
// (RFC 3428), bob answers with one. Every step is printed as one JSON line for the Java test
// (BrowserClientsTest) to check; the exit status is 0 only when every step succeeded.
//
//   node clients.mjs <jssip|sipjs> <ws://...|wss://...> <profile-dir> <alice-password> <bob-password>
//
// The Chromium binary is /usr/bin/chromium (Debian) unless CHROMIUM names another; puppeteer-core
// never downloads a browser.
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';

const [library, server, profile, alicePassword, bobPassword] = process.argv.slice(2);
const DOMAIN = 'localhost';
const STEP_MS = 15000;

function log(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

// The libraries ship as modules (JsSIP as CommonJS); one self-contained script for the page.
async function bundle() {
  const entry = library === 'jssip'
    ? "import JsSIP from 'jssip'; window.JsSIP = JsSIP;"
    : "import * as SIP from 'sip.js'; window.SIP = SIP;";
  const result = await build({
    stdin: { contents: entry, resolveDir: process.cwd() },
    bundle: true, format: 'iife', write: false, logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

// Runs in the page: a user agent that registers and keeps what it receives in window.received.
function registerInPage(library, server, domain, user, password, stepMs) {
  window.received = [];
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('no answer to REGISTER')), stepMs));
  if (library === 'jssip') {
    const ua = new window.JsSIP.UA({
      sockets: [new window.JsSIP.WebSocketInterface(server)],
      uri: `sip:${user}@${domain}`, password, register: true,
    });
    window.agent = {
      send: (to, body) => new Promise((resolve, reject) => ua.sendMessage(to, body, {
        eventHandlers: { succeeded: (e) => resolve(e.response.status_code), failed: (e) => reject(new Error(e.cause)) },
      })),
      stop: () => ua.stop(),
    };
    ua.on('newMessage', (e) => {
      if (e.originator === 'remote') {
        window.received.push({ from: e.request.from.uri.toString(), body: e.request.body });
      }
    });
    const registered = new Promise((resolve, reject) => {
      ua.on('registered', (e) => resolve(e.response.status_code));
      ua.on('registrationFailed', (e) => reject(new Error(`registration failed: ${e.cause}`)));
    });
    ua.start();
    return Promise.race([registered, timeout]);
  }
  const SIP = window.SIP;
  const ua = new SIP.UserAgent({
    uri: SIP.UserAgent.makeURI(`sip:${user}@${domain}`),
    transportOptions: { server },
    authorizationUsername: user, authorizationPassword: password,
    logLevel: 'error',
    delegate: {
      onMessage: (message) => {
        window.received.push({ from: message.request.from.uri.toString(), body: message.request.body });
        message.accept();
      },
    },
  });
  const registerer = new SIP.Registerer(ua);
  window.agent = {
    send: (to, body) => new Promise((resolve, reject) => {
      new SIP.Messager(ua, SIP.UserAgent.makeURI(to), body).message({
        requestDelegate: {
          onAccept: (response) => resolve(response.message.statusCode),
          onReject: (response) => reject(new Error(`MESSAGE refused: ${response.message.statusCode}`)),
        },
      }).catch(reject);
    }),
    stop: () => registerer.unregister().catch(() => {}).then(() => ua.stop()),
  };
  const registered = ua.start().then(() => new Promise((resolve, reject) => {
    registerer.register({
      requestDelegate: {
        onAccept: (response) => resolve(response.message.statusCode),
        onReject: (response) => reject(new Error(`registration failed: ${response.message.statusCode}`)),
      },
    }).catch(reject);
  }));
  return Promise.race([registered, timeout]);
}

async function awaitReceived(page, user, from, body) {
  const deadline = Date.now() + STEP_MS;
  while (Date.now() < deadline) {
    const got = await page.evaluate(() => window.received);
    const match = got.find((m) => m.from === from && m.body === body);
    if (match) {
      log({ event: 'received', user, from: match.from, body: match.body });
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${user} never received "${body}" from ${from}`);
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  userDataDir: profile,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // the test server's certificate is self-signed; only this throw-away profile trusts it
    '--ignore-certificate-errors'],
});
let failed = false;
try {
  const script = await bundle();
  const pages = {};
  for (const [user, password] of [['alice', alicePassword], ['bob', bobPassword]]) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => log({ event: 'page-error', user, message: String(e) }));
    await page.addScriptTag({ content: script });
    const status = await page.evaluate(registerInPage, library, server, DOMAIN, user, password, STEP_MS);
    log({ event: 'registered', user, status });
    pages[user] = page;
  }
  const hello = `Hello bob, from ${library} through Parley`;
  log({ event: 'sent', user: 'alice', status: await pages.alice.evaluate((b) => window.agent.send('sip:bob@localhost', b), hello) });
  await awaitReceived(pages.bob, 'bob', 'sip:alice@localhost', hello);
  const reply = 'Hi alice, got it';
  log({ event: 'sent', user: 'bob', status: await pages.bob.evaluate((b) => window.agent.send('sip:alice@localhost', b), reply) });
  await awaitReceived(pages.alice, 'alice', 'sip:bob@localhost', reply);
  for (const page of Object.values(pages)) {
    await page.evaluate(() => window.agent.stop());
  }
} catch (e) {
  failed = true;
  log({ event: 'error', message: String(e && e.message ? e.message : e) });
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
