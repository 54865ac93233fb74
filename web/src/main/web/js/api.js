// The user REST API (/api/v1) and XCAP (/xcap-root) of the server the page came from, with a
// bearer token (RFC 6750) from POST /api/v1/tokens. The token is renewed before it runs out and
// after a 401 (a server restart ends every token) with the credentials the SIP stack holds for
// the session anyway; when that fails too, the session is over and onSessionEnded says why.

/**
 * Credentials go in the Authorization header the page sets itself. Without "omit", a 401 with
 * Basic and Digest challenges makes the browser stop and ask for a password in a dialog of its
 * own instead of handing the answer to the page (Fetch standard, HTTP-network-or-cache fetch).
 */
const NO_PROMPT = { credentials: 'omit', cache: 'no-store' };

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Status → what the user is told when a problem document says nothing better. */
function describe(status) {
  switch (status) {
    case 401: return 'Wrong user name or password.';
    case 429: return 'Too many failed sign-ins from here. Wait a little and try again.';
    case 413: return 'Too large for the server.';
    case 404: return 'Not found.';
    default: return status >= 500 ? 'The server could not do this just now.' : `Refused (${status}).`;
  }
}

async function failure(response) {
  let detail = '';
  try {
    const problem = await response.json();
    detail = problem.detail || problem.title || '';
  } catch {
    // not a problem document (a proxy's page): the status says enough
  }
  if (response.status === 401 || response.status === 429) {
    // the guard's words are for operators; the user gets the plain meaning (and never learns
    // whether the name or the password was wrong)
    return new ApiError(response.status, describe(response.status));
  }
  return new ApiError(response.status, detail || describe(response.status));
}

function basic(username, password) {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

export class Api {
  constructor(onSessionEnded) {
    this.onSessionEnded = onSessionEnded;
    this.credentials = null;
    this.token = null;
    this.renewTimer = null;
  }

  /** Trades the SIP credentials for a token; throws ApiError (401 wrong credentials, 429 guard). */
  async signIn(username, password) {
    let response;
    try {
      response = await fetch('/api/v1/tokens', {
        method: 'POST', headers: { Authorization: basic(username, password) }, ...NO_PROMPT,
      });
    } catch {
      throw new ApiError(0, 'The server cannot be reached. Check the network and try again.');
    }
    if (!response.ok) throw await failure(response);
    const issued = await response.json();
    this.credentials = { username, password };
    this.token = issued.access_token;
    clearTimeout(this.renewTimer);
    // a minute before it runs out (or half-way through a short one)
    const renewIn = Math.max(1, Math.min(issued.expires_in - 60, issued.expires_in / 2)) * 1000;
    this.renewTimer = setTimeout(() => this.renew().catch(() => {}), renewIn);
  }

  async renew() {
    if (!this.credentials) throw new ApiError(401, 'Signed out.');
    try {
      await this.signIn(this.credentials.username, this.credentials.password);
    } catch (e) {
      if (e.status === 401) {
        this.signOut();
        this.onSessionEnded('Your session has ended (the password was changed?). Sign in again.');
      }
      throw e;
    }
  }

  signOut() {
    clearTimeout(this.renewTimer);
    this.credentials = null;
    this.token = null;
  }

  /** A request with the token; renews it once on 401. Returns the Response (ok) or throws ApiError. */
  async request(method, path, { body, type, headers = {} } = {}, retried = false) {
    if (!this.token) throw new ApiError(401, 'Signed out.');
    const init = { method, headers: { ...headers, Authorization: `Bearer ${this.token}` }, ...NO_PROMPT };
    if (body !== undefined) {
      init.body = type ? body : JSON.stringify(body);
      init.headers['Content-Type'] = type || 'application/json';
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch {
      throw new ApiError(0, 'The server cannot be reached.');
    }
    if (response.status === 401 && !retried) {
      await this.renew();
      return this.request(method, path, { body, type, headers }, true);
    }
    if (!response.ok && response.status !== 304) throw await failure(response);
    return response;
  }

  async json(method, path, body) {
    const response = await this.request(method, path, body === undefined ? {} : { body });
    return response.status === 204 ? null : response.json();
  }
}
