// Formatting of money held as integer minor units (the API's `*_minor` fields).
// Amounts stay integers (BigInt for products) until the last step, where they
// become an exact decimal string that Intl.NumberFormat formats without ever
// passing through a binary floating-point number.

const digitsCache = new Map<string, number>();

// How many minor-unit digits a currency has (EUR 2, JPY 0, BHD 3), per ISO 4217
// as Intl knows it.
export function minorDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    digitsCache.set(currency, d);
  }
  return d;
}

// "12345" minor units of a 2-digit currency -> "123.45"; exact for any integer size.
export function minorToDecimalString(minor: bigint | number, digits: number): string {
  const v = typeof minor === 'bigint' ? minor : BigInt(Math.trunc(minor));
  const neg = v < 0n;
  const abs = neg ? -v : v;
  if (digits === 0) return `${neg ? '-' : ''}${abs}`;
  const s = abs.toString().padStart(digits + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

export function formatMoney(minor: bigint | number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  const text = minorToDecimalString(minor, digits);
  try {
    const nf = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    // Intl.NumberFormat v3 formats a decimal string exactly.
    return nf.format(text as Intl.StringNumericLiteral);
  } catch {
    return `${text} ${currency}`;
  }
}

// price × count, in integer arithmetic.
export function multiplyMinor(priceMinor: number, count: number): bigint {
  return BigInt(Math.trunc(priceMinor)) * BigInt(Math.trunc(count));
}
