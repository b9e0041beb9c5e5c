// Literal spelling as torch.jit.save prints it (python_print.cpp), so saved archives read like PyTorch's.

/**
 * A double with max_digits10 (17) significant digits in C++ stream style (`%.17g`), plus a trailing
 * '.' when it would otherwise read as an int: 0.1 -> "0.10000000000000001", 1e-5 ->
 * "1.0000000000000001e-05", 6 -> "6.".
 */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.' : '0.';
  const [mantissa, expText] = v.toExponential(16).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 17) {
    const digits = stripZeros(mantissa);
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${digits}e${exp < 0 ? '-' : '+'}${e}`;
  }
  const fixed = stripZeros(v.toFixed(16 - exp));
  return fixed.includes('.') ? fixed : fixed + '.';
}

// `%g` drops trailing zeros of the fraction; the '.' goes too when nothing follows it.
function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
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
