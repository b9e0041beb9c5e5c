// Literal spelling as torch.jit.save prints it (python_print.cpp), so saved archives read like PyTorch's.
import { formatG } from '../printer.js';

/**
 * A double with max_digits10 (17) significant digits in C++ stream style (`%.17g`), plus a trailing
 * '.' when it would otherwise read as an int: 0.1 -> "0.10000000000000001", 1e-5 ->
 * "1.0000000000000001e-05", 6 -> "6.".
 */
export function formatFloat(v: number): string {
  const s = formatG(v, 17);
  return /^-?\d+$/.test(s) ? `${s}.` : s;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\', '\'': '\\\'', '"': '\\"', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n',
  '\r': '\\r', '\t': '\\t', '\v': '\\v',
};

/**
 * A double-quoted string literal escaped like c10::printQuotedString: both quote characters and the
 * backslash escaped, named control escapes, other control characters as 3-digit octal. Non-ASCII
 * text is kept as is (PyTorch moves such strings to the constant table; our files are UTF-8).
 */
export function quoteString(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c in ESCAPES) out += ESCAPES[c];
    else if (code < 0x20 || code === 0x7f) out += '\\' + code.toString(8).padStart(3, '0');
    else out += c;
  }
  return out + '"';
}
