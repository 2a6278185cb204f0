// Trusted Types (CSP `require-trusted-types-for 'script'`): the browser then refuses plain strings
// at script-URL and HTML sinks. Candor has exactly two: the UI chunk's `<script src>` and the inert
// `<template>` its sanitiser parses variant HTML in. Both go through one named policy, 'candor',
// which a page that also restricts policy names lists in its CSP: `trusted-types candor`.

/** The policy's name, for a page's `trusted-types` directive. */
export const POLICY_NAME = 'candor';

interface Policy {
  createHTML(input: string): unknown;
  createScriptURL(input: string): unknown;
}

let policy: Policy | null | undefined;

function candorPolicy(win: Window | null): Policy | null {
  if (policy !== undefined) return policy;
  const factory = (win as (Window & { trustedTypes?: { createPolicy(name: string, rules: Policy): Policy } }) | null)
    ?.trustedTypes;
  try {
    policy =
      factory?.createPolicy(POLICY_NAME, {
        // Only ever fed to a detached <template>, whose content never runs or loads, and then
        // rebuilt element by element from the sanitiser's allowlist.
        createHTML: (input) => input,
        // Only ever called with the UI chunk's URL, which the script tag's own attributes chose.
        createScriptURL: (input) => input,
      }) ?? null;
  } catch {
    // The page's CSP does not allow the name: sinks get plain strings, and where the browser
    // refuses them the caller's fallback (default content, UI_LOAD_FAILED) applies.
    policy = null;
  }
  return policy;
}

/** HTML for the sanitiser's inert template, as a TrustedHTML where the page enforces Trusted Types. */
export function templateHtml(win: Window | null, html: string): string {
  return (candorPolicy(win)?.createHTML(html) as string | undefined) ?? html;
}

/** The UI chunk's URL, as a TrustedScriptURL where the page enforces Trusted Types. */
export function scriptUrl(win: Window | null, url: string): string {
  return (candorPolicy(win)?.createScriptURL(url) as string | undefined) ?? url;
}
