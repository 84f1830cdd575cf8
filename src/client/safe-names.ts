/** File names from a server are untrusted: these make them safe to create inside a destination. */
import { MlBatchUsageError } from './errors.js';
import { safeText, UNSAFE_TEXT_CLASS } from '../text/safe-text.js';

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Control characters (C0, DEL, C1), bidirectional controls (a name "\u202etxt.exe" lists as
// "exe.txt") and characters Windows refuses in names; separators are handled apart.
const BAD_CHARS = new RegExp(`[${UNSAFE_TEXT_CLASS}<>:"|?*]`, 'g');
const HAS_BAD_CHAR = new RegExp(`[${UNSAFE_TEXT_CLASS}<>:"|?*]`);
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const MAX_NAME_BYTES = 200;

/** Why a server's file name was refused, or undefined when it is safe as is. */
export function unsafeReason(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.includes('\u0000')) return 'it contains a NUL byte';
  if (/^[a-zA-Z]:/.test(name) || name.startsWith('/') || name.startsWith('\\')) return 'it is an absolute path';
  if (/[/\\]/.test(name)) return 'it contains a path separator';
  if (name === '.' || name === '..') return 'it names a directory';
  if (WINDOWS_DEVICE.test(name)) return 'it is a Windows device name';
  if (BIDI.test(name)) return 'it contains a bidirectional control character';
  if (HAS_BAD_CHAR.test(name)) return 'it contains control or reserved characters';
  if (/[. ]$/.test(name)) return 'it ends with a dot or space';
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return 'it is too long';
  return undefined;
}

/**
 * A name safe to create in one directory: only the last path component is kept, reserved and
 * control characters become `_`, device names get a `_` prefix. Never empty, never
 * `.`/`..`, never containing a separator.
 */
export function safeFileName(name: string): string {
  let base = name.replace(/\u0000/g, '').split(/[/\\]/).filter((p) => p !== '').pop() ?? '';
  base = base.replace(/^[a-zA-Z]:/, '').replace(BAD_CHARS, '_').replace(/[. ]+$/, '');
  if (base === '' || base === '.' || base === '..') base = '_';
  if (WINDOWS_DEVICE.test(base)) base = `_${base}`;
  while (Buffer.byteLength(base) > MAX_NAME_BYTES) base = base.slice(0, -1);
  return base;
}

/** Returns `name` when safe; otherwise throws (strict) or returns its safe form. */
export function checkFileName(name: string, mode: 'strict' | 'sanitize'): string {
  const reason = unsafeReason(name);
  if (reason === undefined) return name;
  if (mode === 'sanitize') return safeFileName(name);
  throw new MlBatchUsageError(`refused the server's file name ${safeText(JSON.stringify(name))}: ${reason}`);
}
