// @ts-nocheck
// 
// In a browser the token arrives once in the URL fragment (`#token=…`, never sent to the
// server), moves to sessionStorage, and leaves the address bar so it is not bookmarked,
// shared in a screenshot or kept in history.
export const TOKEN_KEY = 'cmdop-scheduler.token';

export function takeToken(
  location: Pick<Location, 'hash' | 'pathname' | 'search'> = window.location,
  storage: Pick<Storage, 'getItem' | 'setItem'> = window.sessionStorage,
  history: Pick<History, 'replaceState'> = window.history,
): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  }
  return storage.getItem(TOKEN_KEY);
}

export function storeToken(token: string, storage: Pick<Storage, 'setItem'> = sessionStorage) {
  storage.setItem(TOKEN_KEY, token);
}

export function forgetToken(storage: Pick<Storage, 'removeItem'> = sessionStorage) {
  storage.removeItem(TOKEN_KEY);
}
