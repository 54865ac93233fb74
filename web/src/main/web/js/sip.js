// The page's SIP user agent: JsSIP over SIP WebSocket (RFC 7118) to the server the page came
// from, registered with the same user name and password as the REST sign-in. JsSIP reconnects by
// itself when the connection drops (every 2 s, backing off to 30 s) and registers again once it is
// back; the presence publication and the list subscription are then made again too, since a
// restarted server has lost both (they are soft state, RFC 3903, RFC 6665).
import JsSIP from 'jssip';
import SIPMessage from 'jssip/lib/SIPMessage.js';
import RequestSender from 'jssip/lib/RequestSender.js';
import Transactions from 'jssip/lib/Transactions.js';
import Dialog from 'jssip/lib/Dialog.js';
import DigestAuthentication from 'jssip/lib/DigestAuthentication.js';
import { newTag } from 'jssip/lib/Utils.js';

const PUBLISH_EXPIRES = 600;

/** A MESSAGE's final answer as {status, reason}; JsSIP reports a timeout or a dropped connection as 408 / 503. */
function outcome(response, cause) {
  if (response) return { status: response.status_code, reason: response.reason_phrase };
  return { status: cause === JsSIP.C.causes.REQUEST_TIMEOUT ? 408 : 503, reason: cause || 'no answer' };
}

const ALLOW = 'INVITE, ACK, CANCEL, BYE, MESSAGE, OPTIONS, NOTIFY';

/**
 * JsSIP's user agent with two additions: an INVITE offering MSRP (RFC 4975 §8: m=message) is a chat
 * session of the page's own (sessions.js), not one of JsSIP's WebRTC calls, which would refuse it.
 * It gets JsSIP's INVITE server transaction and a dialog of JsSIP's, so retransmissions, ACK,
 * BYE and CANCEL are matched by JsSIP as for any call. And the NOTIFYs of a REFER the page sent
 * (RFC 3515 §2.4.4, the implicit subscription) go to that REFER, which JsSIP does not know.
 */
class ParleyUA extends JsSIP.UA {
  receiveRequest(request) {
    const refer = request.method === 'NOTIFY' && request.to_tag && this.referOf ? this.referOf(request) : null;
    if (refer) {
      if (Transactions.checkTransaction(this, request)) return;
      new Transactions.NonInviteServerTransaction(this, this._transport, request); // eslint-disable-line no-new
      request.reply(200);
      refer(request);
      return;
    }
    if (request.method === 'INVITE' && !request.to_tag && this.onMsrpOffer && /^m=message /m.test(request.body || '')) {
      if (Transactions.checkTransaction(this, request)) return;
      new Transactions.InviteServerTransaction(this, this._transport, request); // eslint-disable-line no-new
      request.to_tag = newTag();
      this.onMsrpOffer(request);
      return;
    }
    super.receiveRequest(request);
    // JsSIP answered the CANCEL itself (200); the INVITE it cancels is the page's to end (487)
    if (request.method === 'CANCEL' && this.onMsrpCancel) this.onMsrpCancel(request);
  }
}

/** The Contact of a session's dialog, as JsSIP's own calls write it: the GRUU Parley gave at registration (RFC 5627), ";ob" without one. */
function dialogContact(ua) {
  return ua.contact.toString({ outbound: true });
}

/** The owner JsSIP's Dialog wants: requests within the dialog go to `handler`. */
function dialogOwner(ua, handler) {
  return { _ua: ua, receiveRequest: handler };
}

export class SipClient {
  /**
   * @param events {onConnection(state, detail), onMessage(from, contentType, body, display), onListNotify(body, contentType),
   *   onSessionOffer(request), onSessionCancel(request)}
   */
  constructor(events) {
    this.events = events;
    this.ua = null;
    this.list = null;
    this.listUri = null;
    this.publication = { etag: null, body: null, timer: null };
    this.publishing = Promise.resolve();
    /** The REFERs sent, by Call-ID and From tag: what their NOTIFYs report goes to each one's handler. */
    this.refers = new Map();
  }

  get aor() {
    return `sip:${this.user}@${this.domain}`;
  }

  /** Starts the user agent; resolves on the first registration, rejects when it is refused. */
  start({ domain, wsPort, wssPort }, user, password) {
    this.domain = domain;
    this.user = user;
    // the MSRP relay takes the same credentials (RFC 4976 §5, AUTH with the account digest)
    this.password = password;
    const secure = location.protocol === 'https:';
    const url = `${secure ? 'wss' : 'ws'}://${location.hostname}:${secure ? wssPort : wsPort}`;
    this.ua = new ParleyUA({
      sockets: [new JsSIP.WebSocketInterface(url)],
      uri: this.aor, password, register: true, register_expires: 300,
      user_agent: 'Parley Web (JsSIP)',
      connection_recovery_min_interval: 2, connection_recovery_max_interval: 30,
    });
    const ua = this.ua;
    ua.on('connected', () => this.events.onConnection('connected'));
    ua.on('disconnected', () => {
      if (this.ua !== ua) return;
      this.lost = true;
      this.events.onConnection('disconnected');
    });
    ua.on('registered', () => {
      this.events.onConnection('registered');
      if (this.lost) {
        // the server may have restarted and forgotten both: publish and subscribe afresh
        this.lost = false;
        this.publication.etag = null;
        this.republish();
        this.subscribeList();
      }
    });
    ua.on('registrationFailed', (e) => this.events.onConnection('failed', e.cause));
    ua.onMsrpOffer = (request) => this.events.onSessionOffer(request);
    ua.referOf = (request) => this.refers.get(`${request.call_id};${request.to_tag}`) || null;
    ua.onMsrpCancel = (request) => this.events.onSessionCancel(request);
    ua.on('newMessage', (e) => {
      if (e.originator !== 'remote') return;
      const request = e.request;
      this.events.onMessage(request.from.uri.toAor ? request.from.uri.toAor() : request.from.uri.toString(),
        (request.getHeader('Content-Type') || 'text/plain').toLowerCase(), request.body || '', request.from.display_name || '');
    });
    const first = new Promise((resolve, reject) => {
      ua.once('registered', resolve);
      ua.once('registrationFailed', (e) => reject(new Error(e.cause)));
    });
    ua.start();
    return first;
  }

  /** Unpublishes, ends the list subscription and unregisters; the page is offline at once for the others. */
  async stop() {
    const ua = this.ua;
    if (!ua) return;
    this.ua = null;
    clearTimeout(this.publication.timer);
    if (this.list) this.list.terminate();
    this.list = null;
    if (this.publication.etag && ua.isConnected()) {
      await this.sendPublish(ua, null, 0).catch(() => {});
    }
    this.publication = { etag: null, body: null, timer: null };
    await new Promise((resolve) => {
      if (!ua.isRegistered()) return resolve();
      ua.once('unregistered', resolve);
      setTimeout(resolve, 3000);
      ua.unregister();
    });
    ua.stop();
  }

  /** A MESSAGE (RFC 3428); resolves with its final answer, whatever it is. */
  send(target, body, contentType) {
    return new Promise((resolve) => {
      if (!this.ua) {
        resolve({ status: 503, reason: 'signed out' });
        return;
      }
      this.ua.sendMessage(target, body, {
        contentType,
        eventHandlers: {
          succeeded: (e) => resolve(outcome(e.response)),
          failed: (e) => resolve(outcome(e.response, e.cause)),
        },
      });
    });
  }

  /**
   * An INVITE with an SDP offer of the page's own (an MSRP session), or another body carrying it
   * (`contentType`, `headers`: an RFC 5366 URI list beside the SDP); `onRequest` gets the requests
   * within the dialog (BYE...). Returns {done: a promise of the final answer {status, reason,
   * warning, body, contact, dialog}, cancel()}; on a 2xx the ACK has gone and `dialog` is JsSIP's.
   */
  invite(target, body, onRequest, { contentType = 'application/sdp', headers = [] } = {}) {
    const ua = this.ua;
    if (!ua) return { done: Promise.resolve({ status: 503, reason: 'signed out' }), cancel: () => {} };
    const request = new SIPMessage.OutgoingRequest('INVITE', ua.normalizeTarget(target), ua, { from_tag: newTag() },
      [`Contact: ${dialogContact(ua)}`, `Allow: ${ALLOW}`, `Content-Type: ${contentType}`, ...headers], body);
    let sender = null;
    let dialog = null;
    const done = new Promise((resolve) => {
      sender = new RequestSender(ua, request, {
        onRequestTimeout: () => resolve({ status: 408, reason: 'no answer' }),
        onTransportError: () => resolve({ status: 503, reason: 'the connection to the server was lost' }),
        onReceiveResponse: (response) => {
          if (response.status_code < 200 || dialog) return; // a provisional answer, or a 2xx again (ACKed already)
          if (response.status_code < 300) {
            dialog = new Dialog(dialogOwner(ua, onRequest), response, 'UAC');
            dialog.sendRequest('ACK');
          }
          resolve({ status: response.status_code, reason: response.reason_phrase, warning: response.getHeader('Warning') || '',
            body: response.body || '', contact: response.getHeader('Contact') || '', dialog });
        },
      });
    });
    sender.send();
    return { done, cancel: () => sender.clientTransaction.cancel() };
  }

  /** Accepts an offered session with the SDP answer; returns JsSIP's dialog, whose requests go to `onRequest`. */
  accept(request, sdp, onRequest) {
    // JsSIP writes the Content-Type of a reply's body itself (application/sdp)
    request.reply(200, null, [`Contact: ${dialogContact(this.ua)}`, `Allow: ${ALLOW}`], sdp);
    return new Dialog(dialogOwner(this.ua, onRequest), request, 'UAS');
  }

  /** The Authorization answering a Digest challenge to another protocol's request with the account's credentials (MSRP AUTH, RFC 4976 §5). */
  authorize(method, uri, challenge) {
    const digest = new DigestAuthentication({ username: this.user, password: this.password, realm: challenge.realm });
    return digest.authenticate({ method, ruri: uri, body: null }, challenge) ? digest.toString() : null;
  }

  /**
   * A REFER outside any dialog (RFC 3515; RFC 4579 §5.5: a conference's participant asks the focus
   * to invite `referTo`). Resolves with the final answer {status, reason}; `onNotify(sipfrag)` then
   * gets the status line of each NOTIFY of the implicit subscription, until one says terminated.
   */
  refer(target, referTo, onNotify) {
    return new Promise((resolve) => {
      const ua = this.ua;
      if (!ua) {
        resolve({ status: 503, reason: 'signed out' });
        return;
      }
      const fromTag = newTag();
      const request = new SIPMessage.OutgoingRequest('REFER', ua.normalizeTarget(target), ua, { from_tag: fromTag },
        [`Refer-To: <${referTo};method=INVITE>`, `Contact: ${dialogContact(ua)}`, `Allow: ${ALLOW}`]);
      const key = `${request.call_id};${fromTag}`;
      this.refers.set(key, (notify) => {
        onNotify((notify.body || '').split(/\r?\n/)[0]);
        if (/^\s*terminated/i.test(notify.getHeader('Subscription-State') || '')) this.refers.delete(key);
      });
      const settle = (answer) => {
        if (answer.status >= 300) this.refers.delete(key);
        resolve(answer);
      };
      new RequestSender(ua, request, {
        onRequestTimeout: () => settle({ status: 408, reason: 'no answer' }),
        onTransportError: () => settle({ status: 503, reason: 'the connection to the server was lost' }),
        onReceiveResponse: (response) => {
          if (response.status_code >= 200) settle({ status: response.status_code, reason: response.reason_phrase });
        },
      }).send();
    });
  }

  /** Ends a session's dialog with BYE (RFC 3261 §15.1.1); the session is over whatever the answer. */
  bye(dialog) {
    if (this.ua && this.ua.isConnected()) dialog.sendRequest('BYE');
    dialog.terminate();
  }

  /** Watches a resource list (RFC 4662): one subscription for every contact. */
  watch(listUri) {
    this.listUri = listUri;
    if (this.ua && this.ua.isRegistered()) this.subscribeList();
  }

  subscribeList() {
    if (!this.listUri || !this.ua) return;
    if (this.list) this.list.terminate();
    const list = this.ua.subscribe(this.listUri, 'presence', 'application/rlmi+xml, multipart/related, application/pidf+xml', {
      expires: 600, extraHeaders: ['Supported: eventlist'],
    });
    list.on('notify', (isFinal, request, body, contentType) => {
      // the last NOTIFY of a subscription replaced by a new one says "terminated" for everybody: not news
      if (this.list === list) this.events.onListNotify(body || '', contentType || '');
    });
    list.on('terminated', () => {
      // the server ended it (restart, expiry): subscribe again while registered
      if (this.list === list) {
        this.list = null;
        setTimeout(() => {
          if (!this.list && this.ua && this.ua.isRegistered()) this.subscribeList();
        }, 5000);
      }
    });
    this.list = list;
    list.subscribe();
  }

  /** Publishes the page's presence (RFC 3903), refreshed before it expires. */
  async publish(body) {
    this.publication.body = body;
    return this.republish();
  }

  /**
   * One PUBLISH at a time: two in flight would carry the same entity tag, the second would get
   * 412 and start a second publication beside the first, whose note and state would live on.
   */
  republish() {
    const next = this.publishing.then(() => this.publishNow());
    this.publishing = next.catch(() => null);
    return next;
  }

  async publishNow() {
    const { body } = this.publication;
    if (!body || !this.ua || !this.ua.isRegistered()) return null;
    clearTimeout(this.publication.timer);
    let answer = await this.sendPublish(this.ua, body, PUBLISH_EXPIRES);
    if (answer.status === 412) {
      // the server no longer knows our entity tag (it restarted): publish afresh
      this.publication.etag = null;
      answer = await this.sendPublish(this.ua, body, PUBLISH_EXPIRES);
    }
    if (answer.status >= 200 && answer.status < 300) {
      const expires = Number(answer.expires) || PUBLISH_EXPIRES;
      this.publication.timer = setTimeout(() => this.refreshPublication(), Math.max(10, expires - 30) * 1000);
    }
    return answer;
  }

  async refreshPublication() {
    if (!this.ua || !this.publication.etag) return;
    await this.publishing;
    const answer = await this.sendPublish(this.ua, null, PUBLISH_EXPIRES);
    if (answer.status >= 200 && answer.status < 300) {
      this.publication.timer = setTimeout(() => this.refreshPublication(), Math.max(10, (Number(answer.expires) || PUBLISH_EXPIRES) - 30) * 1000);
    } else {
      this.publication.etag = null;
      this.republish();
    }
  }

  /** JsSIP has no PUBLISH of its own: a request through its request sender, which answers digest challenges. */
  sendPublish(ua, body, expires) {
    return new Promise((resolve) => {
      const headers = ['Event: presence', `Expires: ${expires}`];
      if (this.publication.etag) headers.push(`SIP-If-Match: ${this.publication.etag}`);
      if (body) headers.push('Content-Type: application/pidf+xml');
      const request = new SIPMessage.OutgoingRequest('PUBLISH', ua.normalizeTarget(this.aor), ua, null, headers, body || undefined);
      new RequestSender(ua, request, {
        onRequestTimeout: () => resolve({ status: 408 }),
        onTransportError: () => resolve({ status: 503 }),
        onReceiveResponse: (response) => {
          if (response.status_code < 200) return;
          if (response.status_code < 300) {
            this.publication.etag = expires === 0 ? null : response.getHeader('SIP-ETag');
          }
          resolve({ status: response.status_code, expires: response.getHeader('Expires') });
        },
      }).send();
    });
  }
}
