// The parts of received files whose transfer broke (RFC 5547 §6: the sender may resume them), in
// the browser's IndexedDB so that a reload of the page after the break does not lose them: one
// record per user and file, found by the SHA-1 of the whole file. They go when the file is
// completed, when the user signs out, and after a day. Where the browser refuses the storage (a
// private window may), a part is simply not kept and a resumed offer is refused like any the page
// cannot join. What arrives while the page itself is being left is not kept: browsers abort
// storage writes begun as a page unloads.
const DATABASE = 'parley-web';
const STORE = 'kept-parts';
const KEEP_MS = 24 * 3600 * 1000;

function openDatabase() {
  return new Promise((resolve) => {
    try {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
    } catch {
      resolve(null); // no IndexedDB here (an opaque origin): nothing is kept
    }
  });
}

function transact(db, mode, work, commitNow) {
  return new Promise((resolve) => {
    try {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result === undefined ? null : request.result);
      tx.onerror = () => resolve(null);
      tx.onabort = () => resolve(null);
      if (commitNow && tx.commit) tx.commit(); // one record: no need to wait for the end of the task
    } catch {
      resolve(null); // the database was closed under us (another tab upgraded it, the browser cleared it)
    }
  });
}

export class KeptParts {
  constructor() {
    this.db = null;
    this.opening = openDatabase().then((db) => {
      this.db = db;
      return db;
    });
  }

  /** One transaction on the store; resolves with the last request's result, null when it failed. */
  run(mode, work, commitNow = false) {
    if (this.db) return transact(this.db, mode, work, commitNow);
    return this.opening.then((db) => (db ? transact(db, mode, work, commitNow) : null));
  }

  /** Keeps {from, file: {name, type, size, hash}, bytes} for `owner`, replacing an earlier part of the same file. */
  put(owner, part) {
    return this.run('readwrite', (s) => s.put({ ...part, key: `${owner} ${part.file.hash}`, owner, keptAt: Date.now() }), true);
  }

  /** The part of the file with this SHA-1 kept for `owner`, or null (none, or older than a day: then dropped). */
  async get(owner, hash) {
    const part = await this.run('readonly', (s) => s.get(`${owner} ${hash}`));
    if (part && Date.now() - part.keptAt > KEEP_MS) {
      this.delete(owner, hash);
      return null;
    }
    return part;
  }

  delete(owner, hash) {
    return this.run('readwrite', (s) => s.delete(`${owner} ${hash}`), true);
  }

  /** Drops every part kept for `owner` (signing out: nothing of theirs stays in the browser). */
  forget(owner) {
    return this.run('readwrite', (s) => {
      const cursor = s.openCursor();
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at) return;
        if (at.value.owner === owner) at.delete();
        at.continue();
      };
      return cursor;
    });
  }
}
