/**
 * The Chromium host hands each page its token in the URL fragment (`#token=…`): a fragment never
 * travels in a request, so the token reaches neither a server log nor a Referer header. It is taken
 * out of the address at once, and kept in this tab's session storage so that a reload of the page
 * (the tab's storage dies with Chromium's throw-away profile) can still connect.
 */
/** The page's `window`; a parameter so that the unit tests can hand in an address and a storage. */
export type TokenPage = Pick<Window, 'location' | 'history' | 'sessionStorage'>;

const TOKEN_IN_FRAGMENT = /(?:^#|&)token=([A-Za-z0-9_-]{16,128})(?:&|$)/;

export function takeFragmentToken(page: TokenPage, storageKey: string): string | null {
  const match = TOKEN_IN_FRAGMENT.exec(page.location.hash);
  if (match?.[1]) {
    page.history.replaceState(null, '', page.location.pathname + page.location.search);
    try {
      page.sessionStorage.setItem(storageKey, match[1]);
    } catch {
      // Storage switched off: the page still works until it is reloaded.
    }
    return match[1];
  }
  try {
    return page.sessionStorage.getItem(storageKey);
  } catch {
    return null;
  }
}
