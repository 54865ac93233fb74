// A new message while the tab is hidden: a desktop notification (once the user allowed them)
// and a short tone made on the spot with Web Audio (no sound file to fetch).

let audio = null;

/** Called from a user's gesture (the sign-in): browsers only let a page ask, and play, then. */
export function prepare() {
  if ('Notification' in window && Notification.permission === 'default') {
    Notification.requestPermission().catch(() => {});
  }
  try {
    audio = audio || new AudioContext();
  } catch {
    audio = null;
  }
}

function tone() {
  if (!audio) return;
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.3);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start();
  oscillator.stop(audio.currentTime + 0.3);
}

/** Tells the user of a new message when they are not looking at the page. */
export function newMessage(from, text) {
  if (!document.hidden) return;
  tone();
  if ('Notification' in window && Notification.permission === 'granted') {
    // the notification shows text only; the tag folds a burst from one sender into one
    const notification = new Notification(from, { body: text.slice(0, 140), tag: from });
    notification.onclick = () => window.focus();
  }
}
