/**
 * The page state (indicator, year, level, area, …) lives in the URL's query
 * string, so that a copied link reproduces the view.
 */
export type UrlState = Record<string, string>;

/** Reads the given keys from location.search, with defaults. */
export function readUrlState<T extends UrlState>(defaults: T, search: string = globalThis.location?.search ?? ""): T {
  const params = new URLSearchParams(search);
  const state = {...defaults};
  for (const key of Object.keys(defaults)) {
    const value = params.get(key);
    if (value !== null && value !== "") (state as UrlState)[key] = value;
  }
  return state;
}

/** Query string for a state, leaving out values equal to the defaults. */
export function stateToSearch(state: UrlState, defaults: UrlState = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) if (value !== undefined && value !== defaults[key]) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Replaces the query string in the address bar without reloading or adding history entries. */
export function writeUrlState(state: UrlState, defaults: UrlState = {}): void {
  if (typeof history === "undefined") return;
  const search = stateToSearch(state, defaults);
  if (search !== location.search) history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
}
