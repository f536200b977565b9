import { describe, expect, it } from 'vitest';
import { type Extraction, extract } from '../src/extract/index.js';

const quoteTexts = (result: Extraction, kind?: string) => result.quotes.filter((q) => !kind || q.kind === kind).map((q) => q.text);
const speakerOf = (result: Extraction, text: string) => result.quotes.find((q) => q.text === text)?.speaker;
const actorNamed = (result: Extraction, name: string) => result.actors.find((a) => a.name === name);
const statements = (body: string) =>
  extract(body)
    .quotes.filter((q) => q.kind === 'INDIRECT')
    .map((q) => [q.text, q.speaker]);

describe('quote spans', () => {
  it.each([
    ['curly double quotes', 'The minister said: “We will not back down.”', 'We will not back down.'],
    ['straight double quotes', 'Anna Berg, a spokeswoman for the council, said: "The bridge stays closed."', 'The bridge stays closed.'],
    ['curly single quotes', 'Police chief Omar Hadi said ‘nobody was hurt’ in the blast.', 'nobody was hurt'],
    ['doubled apostrophes', "''The bridge stays closed,'' said Anna Berg, the council's spokeswoman.", 'The bridge stays closed'],
    ['doubled apostrophes in a second sentence', "''It is closed,'' said Anna Berg. ''It will stay closed.''", 'It will stay closed.'],
  ])('finds quotes in %s', (_, body, text) => {
    expect(quoteTexts(extract(body))).toContain(text);
  });

  it('gives a quotation in doubled apostrophes its speaker and offsets inside the marks', () => {
    const body = "''We were lucky,'' said Tom Marsh, the county engineer. ''Nobody was hurt.''";
    const result = extract(body);
    expect(result.quotes.map((q) => [q.text, q.kind, q.speaker, body.slice(q.startOffset, q.endOffset)])).toEqual([
      ['We were lucky', 'DIRECT', 'Tom Marsh', 'We were lucky'],
      ['Nobody was hurt.', 'DIRECT', 'Tom Marsh', 'Nobody was hurt.'],
    ]);
  });

  it('reports offsets that slice the quote out of the body', () => {
    const body = 'Prime Minister Ellen Park said on Monday that the plan was "dead on arrival".';
    const [quote] = extract(body).quotes.filter((q) => q.kind === 'PARTIAL');
    expect(quote).toBeDefined();
    expect(body.slice(quote?.startOffset, quote?.endOffset)).toBe('dead on arrival');
  });

  it('splits a quotation interrupted by its attribution into two DIRECT quotes of one speaker', () => {
    const result = extract('“We are ready,” said Mayor Linda Okafor, “and we will not wait for the state.”');
    expect(result.quotes.filter((q) => q.kind === 'DIRECT').map((q) => [q.text, q.speaker])).toEqual([
      ['We are ready', 'Linda Okafor'],
      ['and we will not wait for the state.', 'Linda Okafor'],
    ]);
  });

  it('continues a quotation across paragraphs and keeps its speaker', () => {
    const body = 'The minister, Ingrid Solberg, wrote on Twitter: "Nobody wins a long strike.\n\n"We stand ready to mediate."';
    const result = extract(body);
    expect(result.quotes.filter((q) => q.kind === 'DIRECT').map((q) => [q.text, q.speaker, q.channel])).toEqual([
      ['Nobody wins a long strike.', 'Ingrid Solberg', 'Twitter'],
      ['We stand ready to mediate.', 'Ingrid Solberg', 'Twitter'],
    ]);
  });

  it('tells DIRECT statements from PARTIAL fragments', () => {
    const result = extract('"It is over," Senator Tom Alvarez said. Alvarez later called the deal "a disgrace".');
    expect(result.quotes.filter((q) => q.kind !== 'INDIRECT').map((q) => [q.text, q.kind])).toEqual([
      ['It is over', 'DIRECT'],
      ['a disgrace', 'PARTIAL'],
    ]);
  });

  it.each([
    ['a title', 'Reporters read the report titled "Ports in Transition" before the vote, the union said.'],
    ['a title in capitals', 'The exhibition "Light Over Water" opened on Friday.'],
    ['a so-called term', 'The so-called "efficiency plan" would cut 200 jobs.'],
    ['a nickname', 'Workers have dubbed the offer "the Halden squeeze".'],
    ['a scare quote nobody says', 'Many analysts saw the "position paper" as leaning toward Moscow.'],
  ])('does not take %s for a quote', (_, body) => {
    expect(quoteTexts(extract(body)).filter((text) => !text.includes(' said.') && text.split(' ').length < 6)).toEqual([]);
  });

  it('does not mistake apostrophes for quote marks', () => {
    expect(extract('Ukraine’s president and the leaders’ aides met in Kyiv’s old town.').quotes).toEqual([]);
  });
});

describe('attribution patterns', () => {
  it.each([
    ['a name before "said"', '"We need more time," Maria Lindqvist said.', 'We need more time', 'Maria Lindqvist'],
    ['"said" before a name', '"We need more time," said Maria Lindqvist.', 'We need more time', 'Maria Lindqvist'],
    ['a speech verb before the quote', 'Xu Ming emphasised "talks and negotiation" on Friday.', 'talks and negotiation', 'Xu Ming'],
    ['"told reporters"', 'Coach Dana Ruiz told reporters the season was "far from over".', 'far from over', 'Dana Ruiz'],
    [
      'an apposition between name and verb',
      'Tom Reyes, a spokesman for the Halden Port Authority, said the offer was "fair and final".',
      'fair and final',
      'Tom Reyes',
    ],
    [
      'a spokesperson named after the organization',
      '"Two trains collided," said a spokesman for the Cumbria Fire and Rescue squad, Brian Hale.',
      'Two trains collided',
      'Brian Hale',
    ],
    [
      'an unnamed spokeswoman, who speaks for her organization',
      '"The line is closed," said a spokeswoman for the British Transport Police.',
      'The line is closed',
      'British Transport Police',
    ],
    [
      'an unnamed official',
      '"Several people are hurt," said an unnamed ambulance official.',
      'Several people are hurt',
      'Unnamed ambulance official',
    ],
    [
      'a name followed by its title after the quote',
      '"We will not let this corridor close," Turkish President Recep Tayyip Erdogan said.',
      'We will not let this corridor close',
      'Recep Tayyip Erdogan',
    ],
  ])('finds the speaker through %s', (_, body, text, speaker) => {
    expect(speakerOf(extract(body), text)).toBe(speaker);
  });

  it('reports a claim whose source is unnamed without inventing a speaker', () => {
    const body = 'Police fired tear gas at the crowd, according to local media.';
    expect(extract(body).quotes.map((q) => [q.kind, q.speaker])).toEqual([['INDIRECT', null]]);
  });

  it('takes the outlet of an interview as the channel, and as an actor', () => {
    const result = extract('"Households are already stretched," Wanjiru Kamau said in an interview with the Daily Nation.');
    expect(result.quotes.map((q) => [q.speaker, q.channel])).toEqual([['Wanjiru Kamau', 'Daily Nation']]);
    expect(actorNamed(result, 'Daily Nation')?.kind).toBe('MEDIA');
  });

  it('reads past a time phrase between subject and verb', () => {
    const result = extract("Kenya's parliament on Tuesday approved the bill.");
    expect(result.actors.map((a) => a.name)).toEqual(['Kenya', "Kenya's parliament"]);
  });

  it('leaves a "-based" place modifier out of the name it precedes', () => {
    const result = extract('Wanjiru Kamau, an economist at the Nairobi-based Institute of Fiscal Studies, said prices would rise.');
    expect(actorNamed(result, 'Wanjiru Kamau')?.affiliation).toBe('Institute of Fiscal Studies');
  });

  it('attributes "according to" statements to their source', () => {
    const result = extract('Services will resume on Monday, according to the Halden Port Authority.');
    expect(result.quotes.map((q) => [q.kind, q.speaker])).toEqual([['INDIRECT', 'Halden Port Authority']]);
  });

  it('lets organizations speak, with the channel they used', () => {
    const result = extract("Norway's transport ministry said in a statement that it was monitoring the strike.");
    expect(result.quotes.map((q) => [q.kind, q.speaker, q.channel])).toEqual([['INDIRECT', "Norway's transport ministry", 'a statement']]);
  });

  it('names the outlet that reports a statement as its channel', () => {
    const result = extract('Chinese state broadcaster CCTV reported Xi Jinping emphasised "talks and negotiation".');
    expect(result.quotes.find((q) => q.kind === 'PARTIAL')).toMatchObject({ speaker: 'Xi Jinping', channel: 'CCTV' });
  });

  it('takes the main clause, not an "although" clause, as the speaker of a statement', () => {
    const body = 'Although Anna Berg repeatedly asked for talks, the Halden Port Authority questioned "the sincerity" of the union.';
    expect(speakerOf(extract(body), 'the sincerity')).toBe('Halden Port Authority');
  });

  it('takes the first of coordinated subjects as the speaker', () => {
    const body = 'Meanwhile, the European Commission and French officials welcomed the dialogue and encouraged further talks.';
    expect(extract(body).quotes.map((q) => q.speaker)).toEqual(['European Commission']);
  });
});

describe('reported statements', () => {
  it.each([
    ['a that-clause', 'Mayor Erik Dahl maintained that the port would reopen soon.'],
    ['"said" after the statement', 'The port will reopen soon, Mayor Erik Dahl said.'],
    ['a stance verb', 'Mayor Erik Dahl praised the workers for their patience.'],
    ['a group as source', 'Witnesses said that the roof collapsed first.'],
  ])('reports a sentence with %s as INDIRECT', (_, body) => {
    const result = extract(body);
    expect(result.quotes.map((q) => [q.kind, q.text])).toEqual([['INDIRECT', body]]);
  });

  it.each([
    ['an action announced without a that-clause', 'On Sunday, China announced the attachment of the final panel.'],
    ['a passive verb with no speaker', 'The alliance was strongly emphasised during the visit.'],
    ['reports without a source', 'First reports suggested that the train hit something on the track.'],
    ['a sentence that introduces a quotation', 'Zelensky announced on Twitter…'],
  ])('does not report %s', (_, body) => {
    expect(extract(body).quotes.filter((q) => q.kind === 'INDIRECT')).toEqual([]);
  });
});

describe('pronoun and title resolution', () => {
  it('resolves "he" to the person who spoke last', () => {
    const body = 'Senator Tom Alvarez said the bill was dead. He told reporters that he would vote against it.';
    expect(extract(body).quotes.map((q) => q.speaker)).toEqual(['Tom Alvarez', 'Tom Alvarez']);
  });

  it('resolves "she" past an organization to the person', () => {
    const body = 'Council member Priya Nair called the plan "rushed". She argued that the Brookfield Council had ignored flood warnings.';
    expect(
      extract(body)
        .quotes.filter((q) => q.kind === 'INDIRECT')
        .map((q) => q.speaker),
    ).toEqual(['Priya Nair', 'Priya Nair']);
  });

  it('resolves "the minister" to the minister introduced earlier', () => {
    const body =
      'Norway\'s transport minister, Ingrid Solberg, visited the port. The minister wrote on Twitter: "Nobody wins a long strike."';
    expect(speakerOf(extract(body), 'Nobody wins a long strike.')).toBe('Ingrid Solberg');
  });

  it('resolves "It said" to the organization or country that spoke before', () => {
    const body =
      'The Chinese government opposed the decision, calling it "ill-founded". It said "China neither accepts nor recognizes" the decision.';
    const result = extract(body);
    expect([speakerOf(result, 'ill-founded'), speakerOf(result, 'China neither accepts nor recognizes')]).toEqual(['China', 'China']);
  });

  it('resolves "the ministry" to the ministry named earlier', () => {
    const body = "Norway's transport ministry said it was monitoring the strike. The ministry added that ferries would run.";
    expect(extract(body).quotes.map((q) => q.speaker)).toEqual(["Norway's transport ministry", "Norway's transport ministry"]);
  });
});

describe('alias merging', () => {
  const body = [
    'Chinese President Xi Jinping spoke with NATO chief Jens Stoltenberg on Monday.',
    'President Xi said that Beijing wanted peace. Xi later praised the talks.',
    "Russia's foreign ministry questioned the talks, and Chinese officials welcomed them.",
  ].join('\n');
  const result = extract(body);

  it('merges a full name, its titled forms and the bare surname into one person', () => {
    const people = result.actors.filter((a) => a.kind === 'PERSON' && a.name.includes('Xi'));
    expect(people.map((a) => [a.name, a.affiliation])).toEqual([['Xi Jinping', 'China']]);
    expect(people[0]?.aliases).toEqual(expect.arrayContaining(['Chinese President Xi Jinping', 'President Xi']) as unknown);
    expect(result.quotes.map((q) => q.speaker)).toEqual(['Xi Jinping', 'Xi Jinping', "Russia's foreign ministry"]);
  });

  it('maps demonyms and capitals to their country', () => {
    expect(actorNamed(result, 'China')?.kind).toBe('COUNTRY');
    expect(actorNamed(result, 'China')?.aliases).toEqual(expect.arrayContaining(['Chinese', 'Beijing']) as unknown);
  });

  it('records the affiliation the text states', () => {
    expect(actorNamed(result, 'Jens Stoltenberg')).toMatchObject({ kind: 'PERSON', affiliation: 'North Atlantic Treaty Organization' });
    expect(actorNamed(result, "Russia's foreign ministry")).toMatchObject({ kind: 'ORGANIZATION', affiliation: 'Russia' });
  });

  it.each([
    ["IG Metall, the German metalworkers' union, called the closures a scandal.", 'IG Metall', 'ORGANIZATION'],
    ['Norland Motors, the carmaker, said sales fell.', 'Norland Motors', 'ORGANIZATION'],
    ["Maria Lindqvist, the union's general secretary, said the deal was fair.", 'Maria Lindqvist', 'PERSON'],
    ['Peter Quist, an auto analyst at Halvorsen Bank, said the cuts were overdue.', 'Peter Quist', 'PERSON'],
  ])('reads the kind of an unknown name from its apposition: %s', (body, name, kind) => {
    expect(actorNamed(extract(body), name)?.kind).toBe(kind);
  });

  it('leaves out places named in passing', () => {
    const trip = extract('Mayor Erik Dahl, who flew in from Switzerland, said the Glasgow Central station would reopen.');
    expect(trip.actors.map((a) => a.name)).toEqual(['Erik Dahl']);
  });
});

describe('positions', () => {
  it('reads a stance from the verb, with the quote as evidence', () => {
    const result = extract('The Chinese government opposed the decision, calling it "ill-founded".');
    expect(result.positions).toEqual([
      expect.objectContaining({ actor: 'China', topic: 'Decision', stance: 'OPPOSE', quote: 'ill-founded' }),
    ]);
    expect(result.topics).toEqual(['Decision']);
  });

  it('reads a stance from an attitude noun', () => {
    const result = extract("NATO chief Jens Stoltenberg expressed his scepticism about China's neutrality.");
    expect(result.positions.map((p) => [p.actor, p.stance, p.topic])).toEqual([['Jens Stoltenberg', 'OPPOSE', "China's neutrality"]]);
  });

  it('gives every proposal a confidence between 0 and 1', () => {
    const result = extract('Mayor Erik Dahl praised the workers. "They kept the port safe," he said.');
    for (const item of [...result.quotes, ...result.positions]) {
      expect(item.confidence).toBeGreaterThan(0);
      expect(item.confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('reported statements', () => {
  it.each([
    ['Ines Varga thinks the levy will pass.', 'Ines Varga'],
    ['The union hopes to settle the dispute by May, Karl Dunne said.', 'Karl Dunne'],
    ['Mayor Erik Dahl expects the port to reopen in June.', 'Erik Dahl'],
    ['Governor Petra Lind wants the council to vote again.', 'Petra Lind'],
  ])('a verb of belief or intention reports a view: %s', (body, speaker) => {
    expect(statements(body)).toEqual([[body, speaker]]);
  });

  it('does not take a passive "is thought" or a participle "believed to be" for a statement', () => {
    expect(statements('It is thought that the pipe burst in the spring.')).toEqual([]);
    expect(statements('The dam holds a turbine believed to be fifty years old.')).toEqual([]);
  });

  it.each([
    ['Nearly half said they would stay home on polling day.'],
    ['The bridge will close for a month, the transport group says.'],
    ['Sixty percent told the pollsters that prices were too high.'],
  ])('a speech verb whose subject names nobody still reports a statement: %s', (body) => {
    expect(statements(body)).toEqual([[body, null]]);
  });

  it('does not take nouns such as "state" or "plan" for a speech verb', () => {
    expect(statements('Farah Osei won her home state by a wide margin.')).toEqual([]);
    expect(statements('The council plan failed in the end.')).toEqual([]);
  });

  it('gives a statement that opens with "according to" the source it names', () => {
    const body = 'According to the Halden Courier, the developer, Norvik Homes, has agreed to build a park.';
    expect(statements(body)).toEqual([[body, 'Halden Courier']]);
  });

  it('does not join a phrase before a comma to the subject ("In an interview with the Courier, Osei said")', () => {
    const body = 'In an interview with the Halden Courier, Farah Osei said the port would reopen.';
    expect(statements(body)).toEqual([[body, 'Farah Osei']]);
  });
});

describe('several reported statements in one sentence', () => {
  it.each([
    [
      'a participle after a comma',
      'Tom Marsh praised the crews, saying the repairs would finish by June.',
      [
        ['Tom Marsh praised the crews,', 'Tom Marsh'],
        ['saying the repairs would finish by June.', 'Tom Marsh'],
      ],
    ],
    [
      'a speech verb after "and"',
      'Ida Lund criticised the levy and said the council would vote again.',
      [
        ['Ida Lund criticised the levy and', 'Ida Lund'],
        ['said the council would vote again.', 'Ida Lund'],
      ],
    ],
    [
      'a second reporting clause after "but"',
      'Ida Lund said the levy was fair, but Tom Marsh argued it would hurt small shops.',
      [
        ['Ida Lund said the levy was fair, but', 'Ida Lund'],
        ['Tom Marsh argued it would hurt small shops.', 'Tom Marsh'],
      ],
    ],
    [
      'a relative clause of a named speaker',
      'The plan was drafted by Tom Marsh, who said it would save money.',
      [['The plan was drafted by Tom Marsh, who said it would save money.', 'Tom Marsh']],
    ],
  ])('%s starts a statement of its own: %s', (_, body, expected) => {
    expect(statements(body)).toEqual(expected);
  });

  it('gives a sentence whose first clause reports nothing the speaker of the verb "and" joins to it', () => {
    const body = 'Mayor Ida Lund toured the harbour and said it would reopen in June.';
    expect(statements(body)).toEqual([[body, 'Ida Lund']]);
  });

  it('keeps a trailing tag and an apposition in the statement they belong to', () => {
    const tag = 'The bridge will reopen in May, and the ferry will run again, a council spokeswoman said.';
    expect(statements(tag)).toHaveLength(1);
    const apposition = 'According to the Halden Courier, the developer, Norvik Homes, has agreed to build a park.';
    expect(statements(apposition)).toEqual([[apposition, 'Halden Courier']]);
  });

  it('reports what the tag of a DIRECT quotation adds, and the relative clause of its speaker', () => {
    expect(statements('“We are ready,” Ida Lund said, adding that the port would reopen in June.')).toEqual([
      ['adding that the port would reopen in June.', 'Ida Lund'],
    ]);
    expect(statements('“It will cost jobs,” said Tom Marsh, who argued that the levy came too soon.')).toEqual([
      ['who argued that the levy came too soon.', 'Tom Marsh'],
    ]);
  });

  it('reports a relative clause whose antecedent names nobody, unnamed', () => {
    const body = 'The levy was opposed by shop owners who say it will drive customers away.';
    expect(statements(body)).toEqual([[body, null]]);
  });
});

describe('a statement whose speaker is named after its verb or after a long description', () => {
  it.each([
    ['The port will reopen soon, said Tom Marsh.', 'Tom Marsh'],
    ['The port will reopen soon, said several observers.', 'Observers'],
    ['Tom Marsh, 58, who lives near the port, says the levy is unfair.', 'Tom Marsh'],
    ['Ida Lund — a nurse from Halden — says she voted for the levy.', 'Ida Lund'],
    ['Rep. Ida Lund of Ostland, an ally of the mayor, said the levy was fair.', 'Ida Lund'],
  ])('%s → %s', (body, speaker) => {
    expect(statements(body)).toEqual([[body, speaker]]);
  });
});

describe('published evidence with a named source', () => {
  it.each([
    ['A Halden Courier poll shows that most voters back the levy.', 'Halden Courier'],
    ['A 2019 study by Ostland University found that the levy cut traffic.', 'Ostland University'],
  ])('%s → %s', (body, speaker) => {
    expect(statements(body)).toEqual([[body, speaker]]);
  });

  it('does not report evidence whose source goes unnamed', () => {
    expect(statements('A new poll shows that most voters back the levy.')).toEqual([]);
  });
});

describe('groups named with their modifiers', () => {
  it.each([
    ['Ostland election officials said turnout was the highest in decades.', 'Ostland election officials'],
    ['Cyber security experts believe the breach began in March.', 'Cyber security experts'],
    ['Osei aides said the speech would be short.', 'Osei aides'],
    ['Many Democrats say the primary was unfair.', 'Democrats'],
  ])('%s → %s (GROUP)', (body, speaker) => {
    const result = extract(body);
    expect(result.quotes.map((q) => [q.kind, q.speaker])).toEqual([['INDIRECT', speaker]]);
    expect(result.actors.find((a) => a.name === speaker)?.kind).toBe('GROUP');
  });
});
