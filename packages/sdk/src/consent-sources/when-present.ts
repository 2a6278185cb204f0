/** How often, and how long, an adapter looks for a CMP that loads after Candor (ms). */
const POLL_MS = 100;
const GIVE_UP_MS = 30_000;

/**
 * Calls `attach` with the CMP's API once `find` returns it: at once when the CMP already loaded,
 * else by polling (a CMP script loads async and announces itself in no standard way). Returns the
 * function that stops looking and detaches.
 */
export function whenPresent<T>(win: Window, find: () => T | undefined, attach: (api: T) => () => void): () => void {
  let detach: (() => void) | undefined;
  const found = find();
  if (found !== undefined) {
    detach = attach(found);
    return () => detach?.();
  }
  let waited = 0;
  const timer = win.setInterval(() => {
    waited += POLL_MS;
    const api = find();
    if (api !== undefined) {
      win.clearInterval(timer);
      detach = attach(api);
    } else if (waited >= GIVE_UP_MS) win.clearInterval(timer);
  }, POLL_MS);
  return () => {
    win.clearInterval(timer);
    detach?.();
  };
}
