/** Whether the terminal's locale can show characters outside ASCII (spinner frames, box drawing). */

/**
 * True when the locale's character set is UTF-8. The first of LC_ALL, LC_CTYPE and LANG that is
 * set decides, as in POSIX; none set is the C locale, which is ASCII. Windows terminals take
 * UTF-8 whatever these say.
 */
export function isUtf8Locale(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return true;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}
