/**
 * Unicode bidirectional controls (LRE…RLO, LRI…PDI, LRM/RLM/ALM) and other control characters: in a
 * name a client chose for itself they can make the consent page read differently from what it says
 * ("Trusted App" ending in a reversed "moc.live"), so they are removed before the name is stored or shown.
 */
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text a client supplied, made safe to show: hidden controls removed, whitespace trimmed, length capped. */
export function displayText(s: string, max: number): string {
  return s.replace(HIDDEN, '').trim().slice(0, max);
}
