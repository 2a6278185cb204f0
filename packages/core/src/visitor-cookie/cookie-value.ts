/**
 * The value of one cookie in a cookie string — a request's `Cookie` header or the browser's
 * `document.cookie` (the first, if the name repeats). One reader for the server and the browser, so
 * both find Candor's cookie the same way.
 */
export function cookieValue(cookies: string, name: string): string | undefined {
  for (const part of cookies.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
