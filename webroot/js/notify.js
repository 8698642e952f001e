/** "Notify me when done": a browser notification when one of the user's tasks finishes, if opted in. */
import { $ } from './dom.js';
import { t, stageLabel } from './i18n.js';
import { readStorage, writeStorage } from './storage.js';

const NOTIFY_KEY = 'translive.notify';

function enabled() {
  return readStorage(NOTIFY_KEY) === 'on' && 'Notification' in window && Notification.permission === 'granted';
}

export async function toggleNotifications() {
  if (!('Notification' in window)) return renderNotifyButton();
  if (readStorage(NOTIFY_KEY) === 'on') {
    writeStorage(NOTIFY_KEY, 'off');
  } else {
    const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
    writeStorage(NOTIFY_KEY, permission === 'granted' ? 'on' : 'off');
  }
  return renderNotifyButton();
}

export function renderNotifyButton() {
  const button = $('notify-toggle');
  let key = 'notify.off';
  if (!('Notification' in window)) key = 'notify.unsupported';
  else if (Notification.permission === 'denied') key = 'notify.denied';
  else if (enabled()) key = 'notify.on';
  button.textContent = t(key);
  button.setAttribute('aria-pressed', String(key === 'notify.on'));
  button.disabled = key === 'notify.unsupported' || key === 'notify.denied';
}

export function notifyFinished(view) {
  if (!enabled()) return;
  try {
    new Notification(t('notification.title'), { body: t('announce.finished', { name: view.filename, status: stageLabel(view.status) }) });
  } catch (err) {
    /* some browsers only allow notifications from a service worker */
  }
}
