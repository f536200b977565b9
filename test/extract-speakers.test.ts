import { describe, expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';

const speakerOf = (body: string) => {
  const quote = extract(body).quotes[0];
  expect(quote).toBeDefined();
  return quote?.speaker;
};

describe('a bare name that speaks is a speaker', () => {
  it.each([
    ['“The levee held,” Marsh said.', 'Marsh'],
    ['“We will appeal the ruling,” said Okoro.', 'Okoro'],
    ['The ferry will run again on Monday, according to Brandt.', 'Brandt'],
    ['Tom Lynch said the count was fair. “Every vote was checked,” Lynch said.', 'Tom Lynch'],
    ['Vera Holm added that the school would stay open.', 'Vera Holm'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });
});

describe('titles, roles and party tags between the quote and the name', () => {
  it.each([
    ['“The bill is dead,” said Sen. Jane Roe (D-N.C.).', 'Jane Roe'],
    ['“We have the votes,” Rep. Carl Ibsen said.', 'Carl Ibsen'],
    ['Sen. Jane Roe (D-N.C.) said the bill was dead.', 'Jane Roe'],
    ['“Turnout will be high,” campaign pollster Ida Marek said.', 'Ida Marek'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });
});

describe('a speaker named outside the sentence', () => {
  it.each([
    ['Dana Pell said on Sunday that the levy was unfair.\n\n“PELL: We will not back down on the levy.”', 'Dana Pell'],
    ['“OKAFOR: The plant stays open.”', 'Okafor'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });
});
