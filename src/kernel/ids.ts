/** Source of identifiers and secrets; injected so tests can make them predictable. */
export interface Ids {
  /** A random UUID (v4). */
  uuid(): string;
  /** `bytes` random bytes as URL-safe base64 without padding. */
  token(bytes?: number): string;
}

const toBase64Url = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** Ids from the platform's cryptographic random source (Web Crypto, present in Node 20). */
export const randomIds: Ids = {
  uuid: () => globalThis.crypto.randomUUID(),
  token: (bytes = 32) => toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(bytes))),
};

/** Deterministic ids for tests: uuid-like counters and repeatable tokens. */
export function sequentialIds(prefix = 'id'): Ids {
  let n = 0;
  return {
    uuid: () => {
      n += 1;
      return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    },
    token: () => {
      n += 1;
      return `${prefix}${n.toString(36).padStart(8, '0')}`;
    },
  };
}
