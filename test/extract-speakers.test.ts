import { describe, expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';
import { inflect } from '../src/extract/lexicon.js';

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
    ['Ramires criticized the “reckless” levy.', 'Ramires'],
    ['Okafor pledged to “fix the roads first”.', 'Okafor'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });
});

describe('a name after "the" does not speak as a person', () => {
  it('The Hague ruled … leaves no person named Hague', () => {
    const result = extract('The Hague ruled that the claim was void.');
    expect(result.actors.filter((actor) => actor.kind === 'PERSON')).toEqual([]);
  });
});

describe('titles, roles and party tags between the quote and the name', () => {
  it.each([
    ['“The bill is dead,” said Sen. Jane Roe (D-N.C.).', 'Jane Roe'],
    ['“We have the votes,” Rep. Carl Ibsen said.', 'Carl Ibsen'],
    ['Sen. Jane Roe (D-N.C.) said the bill was dead.', 'Jane Roe'],
    ['“Turnout will be high,” campaign pollster Ida Marek said.', 'Ida Marek'],
    ['Vermont Sen. Alma Brice says the tariff hurts dairy farmers.', 'Alma Brice'],
    ['“The count is over,” said Republican Gov. Neil Ostrander.', 'Neil Ostrander'],
    ['Halvorsen Bank Chief Executive Ruth Amsel said the bank would cut fees.', 'Ruth Amsel'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });
});

describe('names with inner capitals, initials and suffixes', () => {
  it.each([
    ['“The budget is a mess,” said Colin McTavish.', 'Colin McTavish'],
    ['Nora O’Rourke said the vote would be close.', 'Nora O’Rourke'],
    ['“We will appeal,” said Marcus T. Hale II.', 'Marcus T. Hale II'],
    ['Walter J. Brandt Jr. told reporters that the mill would reopen.', 'Walter J. Brandt Jr.'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });
});

describe('verbs that tag a quotation', () => {
  it.each([
    ['“We will not fold,” Ostrowski declared.', 'Ostrowski'],
    ['“Nobody listened to us,” remembered Petra Lind, the former plant manager.', 'Petra Lind'],
    ['“The audit is late,” Vasko stated.', 'Vasko'],
    ['“Vote them out!” Halloran wrote in a letter to members.', 'Halloran'],
    ['“Get out of my office!” Marta Ilves shouted.', 'Marta Ilves'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });
});

describe('a long description before the name in a tag', () => {
  it.each([
    ['“The plan is dead,” county party chairman Ivo Renner said.', 'Ivo Renner'],
    ['“We are disappointed,” the NSU said in a statement.', 'NSU'],
    ['“Turnout will be high,” Halden Party press officer Ada Quist told reporters.', 'Ada Quist'],
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

describe('a speaker named in the paragraph before', () => {
  const lastSpeakerOf = (body: string) => {
    const quotes = extract(body).quotes.filter((q) => q.kind === 'DIRECT');
    expect(quotes.length).toBeGreaterThan(0);
    return quotes.at(-1)?.speaker;
  };
  it.each([
    ['Police chief Mara Quist said at the briefing:\n\n“We will find whoever did this.”', 'Mara Quist'],
    ['Mara Quist said the inquiry would be quick.\n\n“We will find whoever did this.”', 'Mara Quist'],
    ['“The dam is safe,” Ivo Brenner said.\n\n“Nobody downstream needs to leave.”', 'Ivo Brenner'],
    ['“The dam is safe,” said Ivo Brenner, “and it will stay safe.”', 'Ivo Brenner'],
  ])('%s → %s', (body, speaker) => {
    expect(lastSpeakerOf(body)).toBe(speaker);
  });
});

describe('cue verbs in all their forms', () => {
  it.each([
    ['“Who pays for the bridge?” Mira Tolland asked.', 'Mira Tolland'],
    ['“We slept in the car for a week,” Jonas Ekberg recalled.', 'Jonas Ekberg'],
    ['“The road will reopen,” Hana Vitez continued.', 'Hana Vitez'],
    ['Judge Ruth Calder ruled that the levy was lawful.', 'Ruth Calder'],
    ['Selma Aro agreed that the vote should wait.', 'Selma Aro'],
    ['Owen Pratt compared the plan to “a house without doors”.', 'Owen Pratt'],
    ['Lena Moro is stressing that the schools stay open.', 'Lena Moro'],
    ['Kofi Adjei conceded that the count was close.', 'Kofi Adjei'],
    ['Omar Lind points out that the law is forty years old.', 'Omar Lind'],
    ['Omar Lind talked about “a new start” for the port.', 'Omar Lind'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });

  it.each([
    ['stress', ['stress', 'stresses', 'stressed', 'stressing']],
    ['deny', ['deny', 'denies', 'denied', 'denying']],
    ['argue', ['argue', 'argues', 'argued', 'arguing']],
    ['admit/admitted', ['admit', 'admits', 'admitted', 'admitting']],
    ['say/said', ['say', 'says', 'said', 'saying']],
  ])('inflects %s', (entry, forms) => {
    expect(inflect(entry)).toEqual(forms);
  });
});

describe('unnamed and collective sources speak as groups', () => {
  it.each([
    ['Sources said the deal was close.', 'Sources'],
    ['Officials acknowledged that the speech ran long.', 'Officials'],
    ['Many residents say the plan is too timid.', 'Residents'],
  ])('%s → %s (GROUP)', (body, speaker) => {
    const result = extract(body);
    expect(result.quotes[0]?.speaker).toBe(speaker);
    expect(result.actors.find((a) => a.name === speaker)?.kind).toBe('GROUP');
  });
});

describe('a participle of a reporting verb reports for the subject of the sentence', () => {
  it.each([
    ['Governor Ana Holt ended her campaign on Friday, telling supporters she had “no regrets at all”.', 'Ana Holt'],
    ['Farah Osei left the hall early, saying the vote was “a sham”.', 'Farah Osei'],
  ])('%s → %s', (body, speaker) => {
    expect(extract(body).quotes.map((q) => q.speaker)).toEqual([speaker, speaker]);
  });
});

describe('quotations introduced by a colon or tagged after an apposition', () => {
  it.each([
    ['Senator Ada Quist delivered a blunt message to the board: “Stop the sale now.”', 'Ada Quist'],
    ['“We will win this,” Sorensen, 71, told the crowd.', 'Sorensen'],
    ['“The deal is off,” the port spokesman, Ivo Renner, said on Thursday.', 'Ivo Renner'],
    ['“Where did the money go?” Halloran questioned.', 'Halloran'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });
});

describe('choosing among several names in a sentence', () => {
  it.each([
    ['“Who pays for this?” said Murphy, using a phrase Ada Quist once used of Tom Marsh.', 'Murphy'],
    ['Rep. Ida Marek said Holt called on members to be “closely coordinated”.', 'Ida Marek'],
    ['Halden Radio reported Mayor Tom Marsh stressed “calm and patience” at the meeting.', 'Tom Marsh'],
    ['Mark Cuban said the team would stay. “We are not selling,” Cuban added.', 'Mark Cuban'],
    ['“Nobody asked you,” Bennett shot back.', 'Bennett'],
  ])('%s → %s', (body, speaker) => {
    expect(extract(body).quotes.find((q) => q.kind !== 'INDIRECT')?.speaker).toBe(speaker);
  });
});

describe('a quotation closed by a dash and a name', () => {
  it.each([
    ['“The port must stay open.” ― Ada Quist', 'Ada Quist'],
    ['“We will not pay.”  —  Tom K. Berg.', 'Tom K. Berg'],
    ['“Nobody asked us.” ― Lena Park, a nurse from Halden', 'Lena Park'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });

  it('gives each quotation of a list of reactions its own byline', () => {
    const body = '“The levy is fair.” ― Ada Quist\n“The levy is a tax on work.” ― Tom Berg';
    expect(extract(body).quotes.map((q) => [q.text, q.speaker])).toEqual([
      ['The levy is fair.', 'Ada Quist'],
      ['The levy is a tax on work.', 'Tom Berg'],
    ]);
  });
});

describe('a fragment whose speaker was quoted in the sentence before', () => {
  it('gives the fragment the speaker of the quotation before it, in its paragraph', () => {
    const body = '“We will appeal,” Ida Lund said. The ruling, in her words, was “a disgrace to the court”.';
    expect(
      extract(body)
        .quotes.filter((q) => q.kind === 'PARTIAL')
        .map((q) => [q.text, q.speaker]),
    ).toEqual([['a disgrace to the court', 'Ida Lund']]);
  });

  it('leaves a fragment with nobody quoted nearby out', () => {
    const body = 'Ida Lund said the council would vote again. The levy was called “a tax on work”.';
    expect(extract(body).quotes.filter((q) => q.kind === 'PARTIAL')).toEqual([]);
  });
});

describe('a headline that opens on a name and a colon', () => {
  it('Dr. Ada Quist: Levy ‘Not Fit For Purpose Anymore’ → Ada Quist', () => {
    expect(speakerOf('Dr. Ada Quist: Levy ‘Not Fit For Purpose Anymore.’')).toBe('Ada Quist');
  });
});

describe('a reporting clause later in the sentence than the fragment', () => {
  it('Critics of the “quiet zone” plan around the old school grounds were wrong, Tom Marsh argued → Tom Marsh', () => {
    const result = extract('Critics of the “quiet zone” plan around the old school grounds were wrong, Tom Marsh argued.');
    expect(result.quotes.find((q) => q.text === 'quiet zone')?.speaker).toBe('Tom Marsh');
  });
});

describe('a tag separated from its quotation or its name by a description', () => {
  it.each([
    // A description of any length between commas, after the name that follows the quotation.
    ['“We will not back down,” Ms. Ruth Harlow, now 64 and living in Tacoma, Wash., said by phone.', 'Ruth Harlow'],
    ['“The tariffs are a tax on farmers,” Ada Okafor, who has opposed the plan for two years, said on Tuesday.', 'Ada Okafor'],
    // The quoted sentence goes on outside the marks before an inverted tag.
    ['“The numbers do not add up” if turnout falls, said Ida Brenner, a pollster at Civic Data.', 'Ida Brenner'],
    ['“Nobody expected it” before the storm came, says Piet Vandermolen, who runs the harbour office.', 'Piet Vandermolen'],
    // A party tag between the name and the colon that introduces the quotation.
    ['Rep. Alan Gorsky (R-Ohio): “I have not heard anyone cite that figure before today.”', 'Alan Gorsky'],
    // A participle after a clause whose verb the clauses do not know, in a sentence a person opens.
    ['Mayor Ruth Okoye then appears in a clip from a rally, saying, “Nobody will close this port.”', 'Ruth Okoye'],
    // Verbs that tag a quotation without being verbs of speech elsewhere.
    ['“You have my word on it,” Governor Lena Marsh assured the crowd.', 'Lena Marsh'],
    ['“What difference does it make now?” chided Senator Dale Price.', 'Dale Price'],
  ])('%s → %s', (body, speaker) => {
    expect(speakerOf(body)).toBe(speaker);
  });
});
