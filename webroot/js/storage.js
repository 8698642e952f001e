/** localStorage that never throws: with storage disabled or full the page still works, it just forgets. */
export function readStorage(key) {
  try {
    return localStorage.getItem(key);
  } catch (err) {
    return null;
  }
}

export function writeStorage(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch (err) {
    /* storage full or disabled */
  }
}

export function readJson(key, fallback) {
  try {
    const value = JSON.parse(readStorage(key) || 'null');
    return value ?? fallback;
  } catch (err) {
    return fallback;
  }
}
