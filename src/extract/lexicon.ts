/**
 * The extractor's word lists. Every rule in src/extract reads its vocabulary from here, so extending
 * the extractor to a new reporting verb or a new kind of spokesperson is a one-line change.
 * All entries are lower case.
 */

const words = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/));

/**
 * A verb's forms from its base: "stress" gives stress, stresses, stressed, stressing. An irregular
 * or consonant-doubling past follows a slash ("say/said", "admit/admitted").
 */
export function inflect(entry: string): string[] {
  const [base = entry, irregularPast] = entry.split('/');
  const third = /(s|sh|ch|x|z)$/.test(base) ? `${base}es` : /[^aeiou]y$/.test(base) ? `${base.slice(0, -1)}ies` : `${base}s`;
  const past = irregularPast ?? (base.endsWith('e') ? `${base}d` : /[^aeiou]y$/.test(base) ? `${base.slice(0, -1)}ied` : `${base}ed`);
  const doubled = irregularPast?.endsWith(`${base.slice(-1)}${base.slice(-1)}ed`) ? irregularPast.slice(0, -2) : undefined;
  const progressive = doubled ? `${doubled}ing` : /[^e]e$/.test(base) ? `${base.slice(0, -1)}ing` : `${base}ing`;
  return [base, third, past, progressive];
}

const verbs = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/).flatMap(inflect));

/**
 * Verbs that report what someone said or claimed. A sentence whose subject is an actor and whose
 * verb is one of these is a reported statement (INDIRECT), and quoted fragments in it belong to
 * that subject. Base forms; `inflect` makes the rest.
 */
export const REPORTING_VERBS = verbs(`
  say/said tell/told state claim confirm deny insist maintain assert argue warn add note explain
  mention emphasise emphasize stress report indicate suggest conclude acknowledge admit/admitted
  write/wrote tweet reply respond reiterate believe predict estimate allege accuse promise pledge
  vow urge question criticise criticize condemn denounce praise welcome appreciate reject oppose
  scold express encourage describe highlight call refer/referred deem advocate dismiss blame
  ask recall continue rule agree compare concede caution complain contend observe remark recount
  testify
`);

/**
 * Verbs of belief and intention: a sentence whose subject thinks, hopes or plans something reports
 * that actor's view as much as one that says it ("Marsh thinks the levy is unfair", "The union
 * hopes to settle by May"), so it is a reported statement too, though nothing is said aloud.
 */
export const ATTITUDE_VERBS = verbs(`
  think/thought want hope expect plan/planned fear feel/felt doubt worry intend wish prefer/preferred
  seek/sought suspect
`);

/** Nouns for published evidence that "shows" or "found" something ("A Courier poll shows that …"). */
export const EVIDENCE_NOUNS = words(`
  poll polls survey surveys study studies report analysis research review audit data figures
  statistics average transcript documents records video footage
`);

/** Verbs by which evidence states something ("the study found", "polls show"). */
export const EVIDENCE_VERBS = verbs(`show/showed find/found suggest indicate reveal`);

/** Verbs that report speech with their particle: "points out", "talked about", "spoke of". */
export const PHRASAL_CUES: ReadonlyMap<string, string> = new Map(
  [
    ['point', 'out'],
    ['talk', 'about'],
    ['speak/spoke', 'about'],
    ['weigh', 'in'],
    ['lash', 'out'],
  ].flatMap(([verb = '', particle = '']) => inflect(verb).map((form) => [form, particle] as const)),
);

/** The verbs of speech proper, after which or before which a bare name is a person ("Marsh said", "said Okoro"). */
export const SPEECH_VERBS = verbs(`
  say/said tell/told add note explain insist argue warn write/wrote tweet reply recall ask continue
  agree acknowledge respond concede complain contend observe recount testify admit/admitted assert
  emphasize emphasise suggest predict
`);

/**
 * The verbs that report a statement even when their subject names nobody the extractor knows
 * ("Nearly half said they would stay home", "…, the rights group says"): unambiguous verbs only,
 * since a noun such as "state" or "plan" must not start a statement.
 */
export const UNNAMED_SOURCE_VERBS: ReadonlySet<string> = new Set(
  `say/said tell/told think/thought believe expect argue insist warn`
    .split(/\s+/)
    .flatMap(inflect)
    .filter((form) => !form.endsWith('ing')),
);

/**
 * Verbs that name an action ("announced the plan", "remembered the war") but report speech when
 * they tag a quotation: `"…," Gorka declared`, `"…," remembered Roy Verley`.
 */
export const QUOTE_TAG_VERBS = verbs(`
  declare announce proclaim remember yell shout exclaim quip joke boast muse wonder scoff snap/snapped
  state claim stress remark shoot/shot
  retort counter plead demand laugh chuckle sigh cry post write/wrote begin/began
  assure chide interject lament marvel gush sing/sang
`);

/**
 * Reporting verbs that also name plain actions ("China announced the attachment of the final
 * panel"); they report a statement only when a that-clause follows.
 */
export const THAT_CLAUSE_VERBS = words(`
  announce announces announced proclaim proclaims proclaimed propose proposes proposed declare
  declares declared reveal reveals revealed show shows showed
`);

/** Verbs (of REPORTING_VERBS) that give the stance of their subject toward their object. */
export const STANCE_VERBS: ReadonlyMap<string, 'SUPPORT' | 'OPPOSE'> = new Map([
  ...[
    ...words(`praise praises praised welcome welcomes welcomed appreciate appreciates appreciated support supports supported`),
    ...words(`back backs backed endorse endorses endorsed advocate advocates advocated highlight highlights highlighted`),
    ...words(`encourage encourages encouraged`),
  ].map((verb) => [verb, 'SUPPORT'] as const),
  ...[
    ...words(`oppose opposes opposed reject rejects rejected condemn condemns condemned denounce denounces denounced`),
    ...words(`criticise criticises criticised criticize criticizes criticized question questions questioned`),
    ...words(`scold scolds scolded dismiss dismisses dismissed`),
  ].map((verb) => [verb, 'OPPOSE'] as const),
]);

/** Nouns that, after an actor, make it the source of a claim: "Russian claims that", "Hospital reports indicate". */
export const SOURCE_NOUNS = words(`claims claim reports report statements statement sources`);

/** Words that may sit between a subject and its verb without breaking the link. */
export const ADVERBS = words(`
  also repeatedly later previously reportedly then further strongly earlier once again publicly
  recently consistently already still has have had is was were are will would could may might
  should must can did does do not never just only first initially subsequently allegedly
  separately immediately quickly firmly clearly openly personally himself herself itself yesterday
  today tonight
`);

/** Auxiliaries and frequent irregular verbs, so that "Taiwan and Vietnam have also done so" has a verb. */
export const COMMON_VERBS = words(`
  is are was were has have had will would can could may might must shall should did does do
  took take takes made make makes came come comes gave give gives sent send sends won win wins
  lost lose loses met meet meets led lead leads built build builds sought seek seeks thought think
  thinks found find finds began begin begins became become becomes spoke speak speaks went go goes
  saw see sees knew know knows left leave leaves kept keep keeps brought bring brings put puts set
  sets ran run runs held hold holds got get gets paid pay pays sold sell sells bought buy buys
  struck strike strikes fought fight fights fell fall falls rose rise rises cut cuts hit hits
`);

/**
 * Role nouns: the words news text puts before or after a name ("NATO chief Jens Stoltenberg",
 * "a spokesman for the ministry", "Tom Reyes, a spokesman for the ministry").
 */
export const ROLE_NOUNS = words(`
  president vice-president prime premier minister chancellor secretary secretary-general
  spokesman spokeswoman spokesperson official officer chief director head leader chairman
  chairwoman chair ceo executive founder owner driver engineer lady man woman teenager teenagers
  father mother son daughter wife husband brother sister professor doctor dr ambassador envoy
  governor mayor senator representative general commander king queen prince princess pope deputy
  analyst expert lawyer attorney judge journalist reporter correspondent editor manager coach
  captain inspector sergeant constable detective superintendent commissioner student resident
  witness victim passenger missionary scientist researcher diplomat activist campaigner economist
  mr mr. mrs mrs. ms ms. sir dame lord senior party state national security foreign defence defense
  interior finance health justice health police fire rescue ambulance press civil military army
  navy deputy acting former ex top spokespeople aide adviser advisor advisers negotiator
  broadcaster agency newspaper member councillor councilor lawmaker legislator mp
  sen. rep. gov. rev. dr. lt. gen. col. candidate nominee strategist pollster author co-author
  campaign operative consultant surrogate host anchor columnist commentator
`);

/** Role nouns that make a name a person even when nothing else does ("Mr Branson", "President Xi"). */
export const PERSON_TITLES = words(`
  president prime minister chancellor secretary spokesman spokeswoman spokesperson official chief
  director chairman chairwoman ceo executive founder owner driver engineer lady teenager teenagers
  father mother son daughter wife husband professor dr dr. doctor ambassador envoy governor mayor
  senator general commander king queen prince princess pope premier mr mr. mrs mrs. ms ms. sir
  dame lord analyst expert lawyer judge journalist reporter editor manager coach captain member
  councillor councilor lawmaker legislator mp
  inspector detective superintendent commissioner aide adviser advisor negotiator
  sen. rep. gov. rev. lt. gen. col. candidate nominee strategist pollster author co-author
  columnist commentator
`);

/** Heads of a spokesperson phrase: "a spokeswoman for the British Transport Police" speaks for the police. */
export const SPOKESPERSON_NOUNS = words(`spokesman spokeswoman spokesperson spokespeople representative`);

/** Plural nouns for collective speakers ("Witnesses said", "Scientists have described", "Authorities are concerned"). */
export const GROUP_NOUNS = words(`
  witnesses officials authorities residents scientists experts analysts investigators critics
  protesters protestors demonstrators doctors researchers activists diplomats observers lawmakers
  economists campaigners villagers survivors relatives families students workers unions
  inhabitants locals neighbours neighbors passengers engineers leaders nations governments
  countries police medics rescuers firefighters opponents supporters sources aides advisers advisors
  allies voters democrats republicans conservatives liberals progressives delegates donors members
  staffers insiders specialists respondents americans organizers strategists operatives prosecutors
  senators legislators governors mayors candidates colleagues backers confidants
`);

/** Plural group nouns that stand for the government of the country named before them ("French officials"). */
export const GOVERNMENT_NOUNS = words(`government officials authorities administration leadership`);

/** Last words of organization names. */
export const ORGANIZATION_WORDS = words(`
  ministry department office agency police service services commission council committee
  parliament congress senate assembly court tribunal bank fund union alliance organization
  organisation association federation institute institution university college school
  laboratory laboratories observatories academy foundation trust party army navy force forces
  guard corporation corp corp. company co co. inc inc. ltd ltd. plc group holdings airlines
  airways railways railway rail trains branch authority board bureau administration government
  cabinet squad brigade rescue enquiries enquires network centre center programme program
  secretariat church mission motors industries systems technologies pharmaceuticals partners
  capital ventures labs enterprises logistics
`);

/** Words for a company that "the company said" and "Norland, the carmaker," use. */
export const COMPANY_WORDS = words(`
  company firm carmaker automaker developer manufacturer maker operator retailer insurer lender
  group conglomerate startup supplier airline bank broadcaster publisher union charity
`);

/** Last words of media outlets. */
export const MEDIA_WORDS = words(`
  post times news herald journal gazette tribune telegraph guardian television tv radio press
  broadcasting broadcaster wire daily weekly magazine chronicle observer independent mail express
  standard review
`);

/** Last words of places, buildings, documents and things: names that are never actors. */
export const NON_ACTOR_WORDS = words(`
  city town village county province state region district neighborhood neighbourhood street
  road avenue square sea ocean river lake mountain mountains island islands peninsula bay gulf
  strait coast valley desert karst wall bridge station airport port hospital infirmary hotel
  stadium park palace tower building square telescope observatory museum cathedral temple
  convention treaty act agreement protocol charter accord declaration resolution article part
  section chapter paper plan programme line zone war crisis moon sun earth mars day week month
  year summit conference games cup championship olympics prize award festival central
`);

/** International organizations and offices that act in the news (a gazetteer, like the countries). */
export const ORGANIZATIONS: readonly { name: string; aliases: string[]; description?: string }[] = [
  { name: 'United Nations', aliases: ['UN', 'U.N.'] },
  { name: 'North Atlantic Treaty Organization', aliases: ['NATO'] },
  { name: 'European Union', aliases: ['EU'] },
  { name: 'European Commission', aliases: [] },
  { name: 'European Parliament', aliases: [] },
  { name: 'World Health Organization', aliases: ['WHO'] },
  { name: 'International Monetary Fund', aliases: ['IMF'] },
  { name: 'World Bank', aliases: [] },
  { name: 'World Trade Organization', aliases: ['WTO'] },
  { name: 'African Union', aliases: ['AU'] },
  { name: 'Association of Southeast Asian Nations', aliases: ['ASEAN'] },
  { name: 'Group of Seven', aliases: ['G7'] },
  { name: 'Group of Twenty', aliases: ['G20'] },
  { name: 'International Atomic Energy Agency', aliases: ['IAEA'] },
  { name: 'International Criminal Court', aliases: ['ICC'] },
  { name: 'International Court of Justice', aliases: ['ICJ'] },
  { name: 'Red Cross', aliases: ['International Committee of the Red Cross', 'ICRC'] },
  { name: 'Amnesty International', aliases: [] },
  { name: 'Human Rights Watch', aliases: [] },
  { name: 'White House', aliases: [] },
  { name: 'Kremlin', aliases: [] },
  { name: 'Pentagon', aliases: [] },
  { name: 'Organization of the Petroleum Exporting Countries', aliases: ['OPEC'] },
];

/** News organizations that report (speak as a channel or a source). */
export const MEDIA: readonly string[] = [
  'BBC',
  'CNN',
  'CCTV',
  'Reuters',
  'Associated Press',
  'AP',
  'AFP',
  'Agence France-Presse',
  'Xinhua',
  'TASS',
  'RIA Novosti',
  'Al Jazeera',
  'Bloomberg',
  'Wikinews',
  'NPR',
  'ABC',
  'NBC',
  'CBS',
  'Fox News',
  'Sky News',
  'Politico',
  'Axios',
  'Interfax',
  'Kyodo',
  'Yonhap',
  'NHK',
  'Deutsche Welle',
  'Le Monde',
];

/** Platforms through which people speak: a channel, never an actor. */
export const PLATFORMS = words(`twitter facebook instagram youtube telegram weibo tiktok linkedin threads bluesky x wechat`);

/** Words that open a quoted span that names something rather than quoting someone. */
export const NAMING_CUES = words(`so-called dubbed nicknamed titled entitled named termed labelled labeled branded`);

/** Capitalized words that start sentences or dates and are never part of a name. */
export const NEVER_NAMES = words(`
  the a an this that these those many some other others such it its there here they them their he
  she his her we our you your i my me us meanwhile however although though while during on in at
  as so first early late after before since until when where whether if but and or nor yet also
  both each every all any most more several few no not one two three four five six seven eight
  nine ten monday tuesday wednesday thursday friday saturday sunday january february march april
  may june july august september october november december today yesterday tomorrow last next
  mr mrs ms dr of for to from with by about against between into over under again further then
  once what which who whom whose why how despite amid among according various further instead
  still even just only because even following
`);

/** Words that end a person's name after the surname ("Joseph R. Biden Jr.", "Marcus T. Hale II"). */
export const NAME_SUFFIXES = words(`jr jr. sr sr. ii iii iv`);

/** Words that pair inside organization names joined by "and" ("Cumbria Fire and Rescue"). */
export const PAIRED_WORDS = words(`
  fire search trade science research technology health safety security food drug customs border
  development culture commerce industry energy environment arts
`);

/** Words that open a subordinate clause, whose subject is not the sentence's speaker ("Although X said …, Y said"). */
export const SUBORDINATORS = words(`although though while whereas because if unless after before when since where which who`);

/** Conjunctions that join a second verb to its sentence's subject ("Osei toured the port and said …"). */
export const COORDINATORS = words(`and but then`);

/** Conjunctions after a comma that open a clause with a subject of its own ("…, while Osei says …"). */
export const CLAUSE_JOINERS = words(`while whereas but and as though although`);

/** Marks after which a participle carries on its sentence's subject (", saying …", "— arguing …"). */
export const CONTINUING_MARKS: ReadonlySet<string> = new Set([',', '—', '–', ';']);

/** Pronouns that open a relative clause about a speaker ("Cole, who said …"). */
export const RELATIVE_PRONOUNS = words(`who which`);

/** Verbs by which a person heads an organization ("Daniel Weiss, who leads the Riverside Residents Association"). */
export const LEADS = words(`leads led heads headed runs ran chairs chaired founded directs represents owns`);

/** Prepositions that tie a person's role to an organization in an apposition ("an analyst at Halvorsen Bank"). */
export const AFFILIATION_PREPOSITIONS = words(`at for of with`);

/** Words before a speech verb that show it has no subject of its own ("to say", "That said", "which says"). */
export const NOT_SUBJECT_ENDS = words(`to that who which and or but not never as than`);

/** Abbreviations whose full stop ends no sentence ("Mr.", "Sen.", "No."), lower case and without the stop. */
export const ABBREVIATIONS = words(`mr mrs ms dr st jr sr prof gen lt col sen rep gov rev no vs mt`);

/** Prepositions of place between a group and its verb ("Protesters outside city hall chanted"). */
export const PLACE_PREPOSITIONS = words(`at in outside inside near from across around on`);

/** Forms of "be" that make a following participle passive ("was strongly emphasised"). */
export const BE_FORMS = words(`is are was were be been being`);

/** A time phrase that may sit between a subject and its verb ("Kenya's parliament on Tuesday approved"). */
export const TIME_LEADS = words(`on last this earlier late in`);
export const TIME_WORDS = words(`
  monday tuesday wednesday thursday friday saturday sunday january february march april may june
  july august september october november december week month year night morning evening weekend
`);
