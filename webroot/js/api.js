/** The page's HTTP calls. Tokens travel in the X-Task-Token header, never in a URL. */
import { t, hasText } from './i18n.js';
export async function getJson(url, init) {
  const response = await fetch(url, Object.assign({ cache: 'no-store', headers: { Accept: 'application/json' } }, init));
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    /* not JSON */
  }
  return { status: response.status, ok: response.ok, body };
}

/**
 * Why the server refused: its own words (written for users, in English), or the page's text for
 * the error code where the page's language has one.
 */
export function errorMessage(result) {
  const code = result.body && result.body.error;
  if (code && hasText('error.' + code)) return t('error.' + code);
  return (result.body && (result.body.message || code)) || ('HTTP ' + result.status);
}

export function taskUrl(taskId, suffix = '') {
  return '/api/tasks/' + encodeURIComponent(taskId) + suffix;
}

export function cancelTask(task) {
  return getJson(taskUrl(task.task_id), { method: 'DELETE', headers: { 'X-Task-Token': task.token, Accept: 'application/json' } });
}

/** POST /api/tasks/{id}/pause or /resume with the owner's token. */
export function pauseOrResumeTask(task, action) {
  return getJson(taskUrl(task.task_id, '/' + action), { method: 'POST', headers: { 'X-Task-Token': task.token, Accept: 'application/json' } });
}

/**
 * Fetches the result with the token in a header and hands the browser the bytes to save, so the
 * token never lands in the address bar, the history or a proxy's access log.
 */
export function downloadResult(task, filename) {
  return downloadWithToken(taskUrl(task.task_id, '/result'), task.token, filename);
}

/** A batch's "download all" zip, with the batch token in the header. */
export function downloadBatch(batch, filename) {
  return downloadWithToken('/api/batches/' + encodeURIComponent(batch.batch_id) + '/result', batch.token, filename);
}

async function downloadWithToken(url, token, filename) {
  const response = await fetch(url, { cache: 'no-store', headers: { 'X-Task-Token': token } });
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      /* not JSON */
    }
    throw new Error(errorMessage({ status: response.status, body }));
  }
  const blob = await response.blob();
  const objectUrl = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 60000);
}
