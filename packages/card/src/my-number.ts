/**
 * The 12-digit individual number (個人番号). Its last digit is a check digit: for the first 11
 * digits P(n) counted from the right (n = 1..11) with weights Q(n) = n + 1 (n ≤ 6) or n - 5 (n ≥ 7),
 * the check digit is 0 when Σ P(n)·Q(n) mod 11 ≤ 1, else 11 minus that remainder.
 */
export function myNumberCheckDigit(first11: string): number {
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const digit = first11.charCodeAt(11 - n) - 48;
    sum += digit * (n <= 6 ? n + 1 : n - 5);
  }
  const remainder = sum % 11;
  return remainder <= 1 ? 0 : 11 - remainder;
}

export function isValidMyNumber(value: string): boolean {
  return /^[0-9]{12}$/.test(value) && myNumberCheckDigit(value.slice(0, 11)) === value.charCodeAt(11) - 48;
}
