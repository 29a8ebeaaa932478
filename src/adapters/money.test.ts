import { describe, expect, it } from 'vitest';
import { money, parseMoneyText } from './money';

describe('money', () => {
  it('reads the contract examples', () => {
    expect(parseMoneyText('£12.50')).toBe(12.5);
    expect(parseMoneyText('$99.00')).toBe(99);
    expect(parseMoneyText('1,250.00')).toBe(1250);
    expect(parseMoneyText('12,50 €')).toBe(12.5);
    expect(parseMoneyText('1.234.56')).toBe(1234.56);
    expect(parseMoneyText('2.0')).toBe(2);
  });

  it('takes the rightmost of "." and "," as the decimal separator when both appear', () => {
    expect(parseMoneyText('1.234,56')).toBe(1234.56);
    expect(parseMoneyText('1.234.567,8')).toBe(1234567.8);
    expect(parseMoneyText('1,234,567.89')).toBe(1234567.89);
    // The rightmost decides even when three digits follow it.
    expect(parseMoneyText('1.234,567')).toBe(1234.567);
  });

  it('reads a lone comma before one or two digits as decimal, other commas as thousands', () => {
    expect(parseMoneyText('12,5')).toBe(12.5);
    expect(parseMoneyText('0,99')).toBe(0.99);
    expect(parseMoneyText('1,250')).toBe(1250);
    expect(parseMoneyText('1,250,000')).toBe(1250000);
    expect(parseMoneyText('1,25,0')).toBe(1250);
  });

  it('keeps a minus sign and drops every other character', () => {
    expect(parseMoneyText('-5.00 USD')).toBe(-5);
    expect(parseMoneyText('JPY 4980')).toBe(4980);
    expect(parseMoneyText(' 4 980 ')).toBe(4980);
    expect(Object.is(parseMoneyText('-0'), 0)).toBe(true);
  });

  it('reads what does not parse as absent', () => {
    for (const text of ['', 'free', '-', '.', '12-5', '1.2-3', '--5', ',']) expect(parseMoneyText(text)).toBeUndefined();
    expect(parseMoneyText('9'.repeat(400))).toBeUndefined();
  });

  it('takes finite numbers as they are, objects by their amount, and nothing else', () => {
    expect(money(24.9)).toBe(24.9);
    expect(money(-3)).toBe(-3);
    expect(money('24,90')).toBe(24.9);
    expect(money({ amount: 42.99, currencyCode: 'INR' })).toBe(42.99);
    expect(money({ amount: '42.99' })).toBe(42.99);
    for (const v of [Number.NaN, Infinity, null, undefined, true, {}, [], { amount: null }, { amount: { amount: 1 } }, 5n]) expect(money(v)).toBeUndefined();
  });
});
