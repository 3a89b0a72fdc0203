/**
 * Text from outside (file names, paths, server messages) made safe for one line of a terminal:
 * control characters are shown escaped (`\n`, `\x1b`), so a name holding a newline cannot split a
 * line and one holding ESC cannot send the terminal a command.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export const printable = (text: string): string =>
  text.replace(
    CONTROL,
    (char) =>
      NAMED[char] ??
      (char.charCodeAt(0) > 0xff
        ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
        : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`),
  );
