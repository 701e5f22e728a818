import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync, chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../kernel/errors.js';

const PREFIX = 'enc:v1:';

/**
 * Encrypts secrets stored in the database (channel tokens, signing keys, probe passwords) with
 * AES-256-GCM. Output is `enc:v1:<iv>:<tag>:<ciphertext>` (base64), so an encrypted value is
 * recognisable and the format can evolve.
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.key = key;
  }

  /** A 32-byte key for `purpose` (HKDF-SHA256), so the secret key itself signs nothing directly. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `watchpost:${purpose}`, 32));
  }

  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + [iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64')).join(':');
  }

  /** Throws `unavailable` when the value was sealed with another key or tampered with. */
  open(sealed: string, context = ''): string {
    if (!sealed.startsWith(PREFIX)) throw new DomainError('invalid', 'value is not an encrypted secret');
    const [iv, tag, ct] = sealed
      .slice(PREFIX.length)
      .split(':')
      .map((s) => Buffer.from(s, 'base64'));
    if (!iv || !tag || !ct) throw new DomainError('invalid', 'encrypted secret is malformed');
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, iv);
      d.setAAD(Buffer.from(context));
      d.setAuthTag(tag);
      return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
    } catch {
      throw new DomainError(
        'unavailable',
        'a stored secret cannot be decrypted: the secret key differs from the one it was encrypted with (check WATCHPOST_SECRET_KEY or <data_dir>/secret.key)',
      );
    }
  }
}

export const isSealed = (v: string): boolean => v.startsWith(PREFIX);

/**
 * Parses a key given as 32 bytes in base64 or as 64 hex digits. Anything else is rejected with the
 * command that makes a good key, rather than stretched from a weak passphrase.
 */
export function parseSecretKey(text: string, source: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t, 'base64');
  if (b.length === 32 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return b;
  throw new DomainError(
    'invalid',
    `${source}: the secret key must be 32 random bytes as base64 or 64 hex digits; make one with: openssl rand -base64 32`,
    { details: [{ path: source, message: 'must be 32 bytes, base64 or hex' }] },
  );
}

export interface LoadedKey {
  key: Buffer;
  /** `env` when WATCHPOST_SECRET_KEY was set, otherwise the key file's path. */
  source: string;
  created: boolean;
}

/**
 * The key from WATCHPOST_SECRET_KEY, else from `<dataDir>/secret.key`, generating that file (mode
 * 0600) on first start. A key file readable by others is refused.
 */
export function loadSecretKey(envKey: string | null, dataDir: string): LoadedKey {
  if (envKey) return { key: parseSecretKey(envKey, 'WATCHPOST_SECRET_KEY'), source: 'env', created: false };
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077)
      throw new DomainError(
        'invalid',
        `${file} is readable by other users (mode ${mode.toString(8)}): run chmod 600 ${file}`,
      );
    return { key: parseSecretKey(readFileSync(file, 'utf8'), file), source: file, created: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, source: file, created: true };
}
