"""The words and patterns of Dutch that the detector looks for: lexicons, apart from the logic.

Every list here names a category of phrasing (sending, coming back, inviting, refusing, hedging …),
never one example sentence. The detector (`detector.py`) and the scorer's features (`features.py`)
decide what they mean; this module only says how Dutch writes them. Patterns run on lower-cased text
behind a gate of the words they need (`_Feature`), so most sentences cost a set test.
"""

from __future__ import annotations

import re


class _Feature:
    """A pattern over lower-cased text that runs only when one of its gate words occurs in the sentence.

    Gates are whole words, or substrings when written with a leading "~". Most sentences contain none
    of a pattern's words, and a set test costs far less than a regular expression.
    """

    __slots__ = ("pattern", "substrings", "tokens")

    def __init__(self, gates: str, pattern: str) -> None:
        parts = gates.split()
        self.tokens = frozenset(p for p in parts if not p.startswith("~"))
        self.substrings = tuple(p[1:] for p in parts if p.startswith("~"))
        self.pattern = re.compile(pattern)

    def search(self, low: str, words: frozenset[str]) -> re.Match[str] | None:
        if words.isdisjoint(self.tokens) and not (self.substrings and any(map(low.__contains__, self.substrings))):
            return None  # the usual case, called hundreds of times per transcript: no call to any()
        return self.pattern.search(low)


class _Words:
    """A feature that is only a list of words: a set test, no pattern."""

    __slots__ = ("tokens",)

    def __init__(self, words: str) -> None:
        self.tokens = frozenset(words.split())

    def search(self, _low: str, words: frozenset[str]) -> bool | None:
        # None, like a failed re search: callers test "is not None".
        return True if not words.isdisjoint(self.tokens) else None


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --------------------------------------------------------------------------------------------------
# Deliverables. "strong" verbs deliver to someone in any tense ("bezorgen"); "soft" ones ("geven",
# "toelichten") are as often about the speech itself and need a future, a time or a place in the
# parliament; inviting and scheduling need a place in the parliament unless the chair speaks.
# --------------------------------------------------------------------------------------------------

_G = r"[^.;:?!]"  # a gap inside one clause


class _Lexeme:
    """One way of naming a deliverable: a word from `words`, also one from `also` (a split particle), and,
    where word order matters, a pattern. The word tests come first: they are set operations."""

    __slots__ = ("also", "kind", "modal_ok", "pattern", "strength", "words")

    def __init__(
        self,
        kind: str,
        strength: str,
        words: str,
        also: str = "",
        pattern: str = "",
        *,
        modal_ok: bool = False,
    ) -> None:
        self.kind = kind
        self.strength = strength
        self.modal_ok = modal_ok  # a soft verb that a bare "zal"/"kan" already makes a promise
        self.words = frozenset(words.split())
        self.also = frozenset(also.split())
        self.pattern = re.compile(pattern) if pattern else None

    def matches(self, low: str, words: frozenset[str]) -> bool:
        if words.isdisjoint(self.words) or (self.also and words.isdisjoint(self.also)):
            return False
        return self.pattern is None or self.pattern.search(low) is not None


_PARTICLE_END = r"(?=\s*$|\s*[,.;]|\s+(?:zodra|wanneer|als|na|tegen|in|op|aan|nog|en|om)\b)"
# Deliverables. "strong" verbs deliver to someone in any tense ("bezorgen"); "soft" ones ("geven",
# "toelichten") are as often about the speech itself and need a future, a time or a place in the
# parliament; "place" ones (inviting, scheduling) need a place in the parliament unless the chair speaks.
_LEXICON = (
    _Lexeme("send_document", "strong", "bezorg bezorgen bezorgt"),
    _Lexeme(
        "send_document",
        "strong",
        "bezorgd",
        pattern=r"(?<!ben )(?<!bent )(?<!is )(?<!zijn )(?<!erg )(?<!zeer )(?<!heel )(?<!wat )\bbezorgd\b"
        r"(?!\s+(?:over|om|dat|voor|zijn|ben|is)\b)",  # "ik ben bezorgd over": worried, not delivered
    ),
    _Lexeme(
        "send_document",
        "strong",
        "overmaken overgemaakt overmaak doorsturen doorgestuurd toesturen toegestuurd opsturen opgestuurd "
        "meesturen meegestuurd nasturen toezenden toegezonden zenden verzenden zend zendt gezonden geworden "
        "toekomen overhandigen overhandig overhandigd voorleggen voorgelegd",
    ),
    _Lexeme(
        "send_document",
        "strong",
        "maak maakt maken",
        "over",
        rf"\b(?:maak|maakt|maken)\b{_G}{{0,80}}\bover\b(?!\s+(?:de|het|een|die|dit|deze)\b)|\bover\s+te\s+maken\b",
    ),
    # "ik stuur u de lijst (door)"; "sturen aan op" steers.
    _Lexeme("send_document", "strong", "stuur stuurt sturen", pattern=r"^(?!.*\baan\s+op\b)"),
    _Lexeme("send_document", "strong", "beschikking", "stel stelt stellen gesteld", r"\bter\s+beschikking\b"),
    _Lexeme(
        "send_document",
        "strong",
        "leg legt leggen",
        "voor",
        rf"\b(?:leg|legt|leggen)\b{_G}{{1,100}}\bvoor{_PARTICLE_END}|\bvoor\s+te\s+leggen\b",
    ),
    # "ik kan u … meegeven", "ik zal die nota met de commissie delen": giving along, sharing.
    _Lexeme("send_document", "soft_document", "meegeven", modal_ok=True),
    _Lexeme("send_document", "soft_document", "geef geeft geven", "mee", modal_ok=True),
    _Lexeme("send_document", "soft_document", "delen deel deelt gedeeld", "met", modal_ok=True),
    # "ik zal u een overzicht geven" usually announces what follows in the speech: it needs a time.
    _Lexeme("send_document", "soft_document", "geef geeft geven gegeven"),
    _Lexeme(
        "report_back",
        "strong",
        "terugkomen terugkom terugkoppelen informeren informeer informeert geïnformeerd inlichten ingelicht "
        "rapporteren rapporteer rapporteert gerapporteerd",
    ),
    _Lexeme("report_back", "strong", "kom komt komen koppel koppelt koppelen", "terug"),
    _Lexeme(
        "report_back",
        "strong",
        "hoogte",
        "hou houd houdt houden breng brengt brengen stel stelt stellen gehouden gebracht gesteld",
        r"\bop\s+de\s+hoogte\b",
    ),
    _Lexeme("report_back", "strong", "lichten", "in", r"\bin\s+te\s+lichten\b"),
    _Lexeme(
        "report_back",
        "strong",
        "verslag",
        "uitbrengen uitgebracht uit",
        rf"\bverslag\s+(?:uitbrengen|uit\s+te\s+brengen|uitgebracht)\b|\b(?:breng|brengt|brengen)\b{_G}{{0,60}}"
        rf"\bverslag\b{_G}{{0,60}}\buit\b",
    ),
    _Lexeme(
        "report_back",
        "strong",
        "weten",
        "laat laten late",
        rf"\b(?:laat|laten|late)\b{_G}{{0,60}}\bweten\b(?!\s*(?:dat|:))",
    ),
    _Lexeme("report_back", "strong", "schriftelijk", "antwoorden beantwoorden antwoord"),
    _Lexeme(
        "report_back",
        "soft",
        "meedelen toelichten toegelicht presenteren presenteer gepresenteerd uitleggen voorstellen antwoord "
        "antwoorden update overzicht terugkoppeling rapportering",
    ),
    _Lexeme("report_back", "soft", "deel deelt delen", "mee"),
    _Lexeme("report_back", "soft", "licht lichten", "toe"),
    _Lexeme("report_back", "soft", "stand", "zaken", r"\bstand\s+van\s+zaken\b"),
    _Lexeme(
        "report_back",
        "soft",
        "stel stellen leggen",
        "voor uit",
        rf"\b(?:stel|stellen)\b{_G}{{1,60}}\bvoor(?=\s*$|\s*[,.;]|\s+(?:in|aan|zodra|na)\b)|"
        r"\bvoor\s+te\s+stellen\b|\buit\s+te\s+leggen\b",
    ),
    _Lexeme(
        "hearing",
        "place",
        "uitnodigen uitgenodigd uitnodiging hoorzitting hoorzittingen gedachtewisseling",
    ),
    _Lexeme("hearing", "place", "bezoek werkbezoek plaatsbezoek"),  # a visit by the committee
    _Lexeme("hearing", "place", "nodig nodigt nodigen", "uit"),
    _Lexeme("hearing", "place", "komen", "laten", r"\blaten\s+komen\b"),
    _Lexeme("hearing", "place", "horen", "commissie", r"\bhoren\s+in\s+de(?:ze)?\s+commissie\b"),
    _Lexeme(
        "agenda",
        "place",
        "agenderen agendeer agendeert geagendeerd agendering inplannen ingepland",
    ),
    _Lexeme("agenda", "place", "bespreken bespreking besproken"),
    _Lexeme("agenda", "place", "agenda", pattern=r"\bop\s+de\s+agenda\b"),
    _Lexeme(
        "agenda",
        "place",
        "plan plannen",
        "in",
        rf"\b(?:plan|plannen)\b{_G}{{0,40}}\bin\b(?=\s*$|\s*[,.;])|\bin\s+te\s+plannen\b",
    ),
    _Lexeme("agenda", "place", "regeling", "werkzaamheden"),
    _Lexeme("publish", "strong", "publiceren publiceer publiceert gepubliceerd bekendmaken bekendgemaakt"),
    _Lexeme(
        "publish",
        "strong",
        "bekend openbaar publiek",
        "maak maakt maken gemaakt",
        rf"\b(?:maak|maakt|maken)\b{_G}{{0,60}}\b(?:bekend|openbaar|publiek)\b|"
        r"\b(?:bekend|openbaar|publiek)\s+(?:te\s+maken|maken|gemaakt)\b",
    ),
    _Lexeme(
        "publish",
        "strong",
        "online website",
        "zetten zet gezet plaatsen plaats geplaatst staan komen komt verschijnt verschijnen",
        r"\bonline\s+(?:zetten|te\s+zetten|gezet|plaatsen|te\s+plaatsen|geplaatst|zet|plaats|staan|komen)\b|"
        rf"\b(?:zet|zetten|plaats|plaatsen|komt|komen|verschijnt|verschijnen)\b{_G}{{0,60}}"
        r"\b(?:online|op\s+de\s+website)\b",
    ),
)
# An evaluation that is itself delivered ("de resultaten van die evaluatie", "evalueren en rapporteren"),
# not one that only names a time ("zodra de evaluatie is afgerond") or a body ("de stuurgroep van de
# evaluatie").
_EVALUATION = _Feature(
    "~evalu ~doorlicht ~effectmeting",
    r"\b(?:(?:resultaten|uitkomsten|conclusies|bevindingen|rapport|verslag|stand\s+van\s+zaken)\s+van\s+"
    r"(?:de|die|deze|het|dat)\s+(?:\w+\s+)?|(?<!van\s)(?:de|het|die|deze|een|dat|mijn|onze)\s+(?:\w+\s+)?)"
    r"(?:evaluatie|doorlichting|effectmeting)\w*|\bevalu\w+\s+en\b|\bgeëvalueerd\b|\bevaluatierapport",
)
# Things that can be sent, as word endings: "lijst", "evaluatierapport", "achtergrondinfo".
_DOCUMENT_ENDINGS = tuple(
    _wordset(
        "lijst lijsten lijstje nota nota's cijfers cijfermateriaal gegevens data overzicht overzichten "
        "tabel tabellen rapport rapporten verslag verslagen studie studies tekst teksten brief kopie "
        "document documenten documentatie plan plannen planning info informatie analyse analyses "
        "evaluatie advies adviezen resultaten presentatie raming ramingen berekening berekeningen "
        "simulatie simulaties inventaris inventarisatie kalender timing tijdspad details stukken ontwerp "
        "bijlage bijlagen kaart opsomming namen bedragen conclusies bevindingen verdeling totalen "
        "aantallen statistieken overeenkomst akkoord update uitkomst uitkomsten resultaat cijfer toelichting "
        "memo verantwoording voorstel voorstellen decreet schema slides"
    )
)


# Cheap evidence of a time expression; resolve_due decides what it is.
_TIME_WORD = re.compile(
    r"\b(?:volgende|komende|tegen|voor|binnen|eind|begin|morgen|vandaag|vanmiddag|zodra|na|in\s+(?:het|de)\s+"
    r"(?:voorjaar|najaar|zomer|loop))\b"
)
_INFORMATION = _Feature(
    "antwoord antwoorden stand update informatie info",
    r"\b(?:antwoord|antwoorden|stand\s+van\s+zaken|update|informatie|info)\b",
)
_ANSWER = _Feature("antwoord antwoorden stand update hoogte", r"antwoord|stand\s+van\s+zaken|update|hoogte")

# The parliament as recipient or audience.
_TO_PARLIAMENT = _Feature(
    "jullie commissie parlement kamer leden collega parlementsleden volksvertegenwoordigers fracties "
    "commissieleden iedereen secretariaat griffie",
    r"\b(?:jullie|(?:de|deze|uw|onze|die|dezelfde)\s+commissie|commissieleden|(?:het|dit|ons|uw)\s+"
    r"(?:vlaams\s+)?parlement|(?:de|uw)\s+(?:eerste\s+|tweede\s+)?kamer|(?:de|alle)\s+(?:leden|collega's|"
    r"parlementsleden|volksvertegenwoordigers|fracties|commissieleden)|iedereen\s+hier|het\s+secretariaat|"
    r"de\s+griffie)\b",
)
_YOU = _Words("u uw jou jullie")
_COMMITTEE_PLACE = _Feature(
    "commissie commissievergadering vergadering zitting parlement kamer hoorzitting regeling hier",
    r"\b(?:(?:in|naar|voor|op|aan|binnen)\s+(?:de|deze|uw|onze|een|die)\s+(?:volgende\s+|latere\s+|"
    r"eerstvolgende\s+)?(?:commissie(?:vergadering)?|vergadering|zitting)|hier\s+in\s+de\s+commissie|"
    r"(?:in|naar|aan)\s+(?:het|dit)\s+(?:vlaams\s+)?parlement|(?:in|naar|aan)\s+de\s+kamer|hoorzitting|"
    r"regeling\s+van\s+(?:de\s+)?werkzaamheden|hier\s+(?:komen|te\s+komen|toelichten|toe\s+te\s+lichten|"
    r"voorstellen|voor\s+te\s+stellen|presenteren))\b",
)
_THIRD_PARTY = _Feature(
    "aan naar",
    r"\b(?:aan|naar)\s+(?:de|het|alle|onze|mijn|haar|zijn|hun)\s+(?!commissie|parlement|kamer|leden|collega|"
    r"secretariaat|griffie|volksvertegenwoordigers|fracties|hand\b|orde\b|slag\b|gang\b|beurt\b)\w+",
)
# Parties outside the parliament as the ones who receive: "de burgemeester een brief sturen".
_OTHER_PARTY = _Feature(
    "burgemeester burgemeesters gemeenten gemeente steden scholen school sector sectoren ouders bedrijven "
    "ondernemingen ziekenhuizen besturen ocmw's provincies provincie federale betrokkenen aanvragers burgers "
    "gezinnen organisaties partners koepels vakbonden werkgevers zorgkassen netwerken instellingen "
    "voorzieningen bevolking bewoners buurtbewoners landbouwers huurders eigenaars gebruikers",
    r"(?<!van )(?<!voor )(?<!over )\b(?:de|het|alle|onze|die|deze|haar|zijn|hun)\s+(?:[^\W\d_]+\s+)?"
    r"(?:burgemeesters?|gemeenten?|steden|scholen|school|sectoren|sector|ouders|bedrijven|ondernemingen|"
    r"ziekenhuizen|lokale\s+besturen|besturen|ocmw's|provincies|provincie|federale\s+\w+|betrokkenen|"
    r"aanvragers|burgers|gezinnen|organisaties|partners|koepels|vakbonden|werkgevers|zorgkassen|netwerken|"
    r"instellingen|voorzieningen|bevolking|bewoners|buurtbewoners|landbouwers|huurders|eigenaars|gebruikers)\b",
)
# "ik kom dat graag toelichten": coming to explain is a promise to appear.
_COMES_TO = _Feature(
    "kom komt komen",
    rf"\b(?:kom|komt|komen)\b{_G}{{0,60}}\b(?:toelichten|presenteren|uitleggen|voorstellen|vertellen|"
    r"toe\s+te\s+lichten|te\s+presenteren)\b",
)
# "ik zal de zorgkassen vragen om hun cijfers door te sturen": someone else is to deliver.
_ASKS_OTHERS = _Feature(
    "vraag vragen vroeg verzoek verzoeken roep roepen oproepen aanmanen aansporen verplicht verplichten",
    rf"\b(?:vraag|vragen|vroeg|verzoek|verzoeken|roep|roepen|oproepen|aanmanen|aansporen|verplicht|verplichten)\b"
    rf"{_G}{{0,80}}\bom\b{_G}{{0,80}}\bte\b",
)
_CHAIR_SELF = _Words("mij me ons")

# Agents.
_I = _Words("ik")
_WE = _Words("we wij")
_GOVERNMENT = _Feature(
    "regering kabinet administratie diensten departement agentschap medewerkers secretariaat griffie "
    "minister staatssecretaris minister-president",
    r"\b(?:de\s+(?:vlaamse\s+)?(?:regering|minister|staatssecretaris|minister-president)|het\s+kabinet|"
    r"mijn\s+(?:kabinet|administratie|diensten|departement|"
    r"medewerkers|agentschap)|de\s+administratie|het\s+departement|het\s+agentschap|de\s+diensten|"
    r"het\s+secretariaat|de\s+griffie)\b",
)
_RELAYED = _Feature(
    "minister staatssecretaris regering kabinet minister-president",
    r"\b(?:de\s+(?:vlaamse\s+)?(?:minister|staatssecretaris|regering|minister-president)|het\s+kabinet|"
    r"(?:minister|staatssecretaris)\s+(?!van\b|voor\b|heeft\b|is\b)[^\W\d_][\w'’-]+|zijn\s+kabinet|haar\s+kabinet)\b",
)
# "uw Kamer" is how Dutch ministers address the Tweede and Eerste Kamer.
_RECIPIENTS = r"(?:u|jullie|(?:de|uw)\s+commissie|het\s+parlement|(?:de|uw)\s+(?:eerste\s+|tweede\s+)?kamer|de\s+leden)"
_RECIPIENT_SUBJECT = _Feature(
    "krijgt krijgen ontvangt ontvangen verwachten horen vernemen",
    rf"\b(?:{_RECIPIENTS}\s+(?:zal|zult|zullen|mag|mogen|kan|kunt|kunnen)\b{_G}{{0,120}}"
    rf"\b(?:krijgen|ontvangen|verwachten|tegemoet\s+zien|horen|vernemen)|(?:krijgt|krijgen|ontvangt|ontvangen)\s+{_RECIPIENTS}|"
    rf"{_RECIPIENTS}\s+(?:krijgt|krijgen|ontvangt|ontvangen)|(?:de\s+commissie|het\s+parlement|de\s+kamer|"
    rf"de\s+leden)\b{_G}{{0,80}}\b(?:krijgt|krijgen|ontvangt|ontvangen))\b",
)
# "tegen de volgende vergadering heeft u een antwoord": the parliament has it, by a time.
_RECIPIENT_HAS = _Feature(
    "heeft hebt hebben",
    r"\b(?:(?:heeft|hebt)\s+u|u\s+(?:heeft|hebt)|hebben\s+jullie|jullie\s+hebben|heeft\s+de\s+commissie|"
    r"de\s+commissie\s+heeft|heeft\s+de\s+kamer|de\s+kamer\s+heeft)\b",
)
_IMPERSONAL = _Feature(
    "er",
    rf"\b(?:er\s+(?:komt|komen|zal|zullen)|(?:komt|komen)\s+er)\b{_G}{{0,80}}\b(?:naar|voor|aan)\s+"
    r"(?:het\s+(?:vlaams\s+)?parlement|de\s+commissie|u|jullie|de\s+kamer|de\s+leden)\b",
)
# A document that travels to the parliament: "het verslag gaat uw richting uit", "komt naar de commissie".
_MOVES_TO_PARLIAMENT = _Feature(
    "komt komen gaat gaan vertrekt vertrekken",
    rf"\b(?:komt|komen|gaat|gaan|vertrekt|vertrekken)\b{_G}{{0,80}}(?:\bnaar\s+(?:(?:de|uw)\s+commissie|"
    r"het\s+(?:vlaams\s+)?parlement|u|jullie|(?:de|uw)\s+kamer|de\s+leden)\b|\b(?:uw|jullie)\s+(?:richting|kant)\b)",
)
_PASSIVE = _Feature(
    "wordt worden zal zullen",
    rf"\b(?:wordt|worden|zal|zullen)\b{_G}{{0,120}}\b(?:bezorgd|overgemaakt|doorgestuurd|toegestuurd|"
    r"opgestuurd|toegezonden|gezonden|voorgelegd|meegedeeld|gepubliceerd|bekendgemaakt|geagendeerd|ingepland|"
    r"uitgenodigd|geïnformeerd|ingelicht|gerapporteerd|toegelicht|gepresenteerd|voorgesteld|besproken|"
    r"online\s+gezet|ter\s+beschikking\s+gesteld|openbaar\s+gemaakt)\b",
)

# Mood.
_FUTURE = _Words("zal zullen zult ga gaan gaat")
_OFFER = _Words("kan kunnen wil willen wens wensen")
_READY = _Words("bereid")
_PERFORMATIVE = _Feature(
    "beloof belooft beloven toe toezeggen engageer engageren verbind verbinden engagement garantie garandeer",
    rf"\b(?:beloof|belooft|beloven|zeg\b{_G}{{0,40}}\btoe|zeggen\b{_G}{{0,40}}\btoe|toezeggen|toe\s+te\s+zeggen|"
    r"engageer|engageren|verbind\s+(?:mij|me|ons)|verbinden\s+ons|neem\s+het\s+engagement|"
    r"geef\s+u\s+de\s+garantie|garandeer)\b",
)
_BEST_EFFORT = _Feature(
    "doe doen best werk probeer proberen streef streven",
    r"\b(?:(?:doe|doen)\s+(?:al(?:les|\s+het\s+mogelijke)|ons\s+best|mijn\s+best)|(?:mijn|ons)\s+best\s+doen|"
    r"alles\s+in\s+het\s+werk|probeer|proberen|streef|streven)\b",
)
_CHAIR_DECISION = _Feature("stel", r"\b(?:ik\s+stel\s+voor|stel\s+ik\s+voor)\s+(?:dat\s+we|om)\b")

# Blockers.
_CONDITIONAL = _Words("zou zouden zoudt")
_REPORTED = _Feature(
    "toegezegd beloofd beloofde beloofden zegde zegden zei zeiden gezegd aangekondigd kondigde kondigden "
    "engageerde geëngageerd verklaarde",
    r"\b(?:toegezegd|beloofd|beloofde|beloofden|zegde|zegden|zei|zeiden|gezegd|aangekondigd|kondigde|kondigden|"
    r"engageerde|geëngageerd|verklaarde)\b",
)
# "Mevrouw Bromet vroeg wanneer de Kamer de doelen krijgt": a question restated, not answered.
_INDIRECT_QUESTION = _Feature(
    "vroeg vroegen vraagt vragen weten informeerde",
    rf"\b(?:vroeg|vroegen|vraagt|vragen|wil\s+weten|wou\s+weten|wilde\s+weten|informeerde)\b{_G}{{0,60}}"
    r"\b(?:wanneer|of|hoe|waarom|welke|wat|hoeveel|waar)\b",
)
_REAFFIRMED = _Feature(
    "doen doe hou houd blijft",
    r"\b(?:en|maar)\s+dat\s+(?:zal|zullen|ga|gaan)\s+(?:ik|we|wij)\s+(?:\w+\s+){0,2}?doen\b|"
    r"\b(?:en|maar)\s+dat\s+(?:doe|doen)\s+(?:ik|we|wij)\b|\bdaar\s+(?:hou|houd|houden)\s+(?:ik|we)\s+"
    r"(?:mij|me|ons)\s+aan\b|\bdat\s+engagement\s+blijft\b",
)
_AS_PROMISED = _Feature(
    "zoals",
    r"\bzoals\s+(?:(?:ik|we|wij|u|al|eerder|reeds|vorige\s+keer|toen)\s+){0,3}"
    r"(?:toegezegd|beloofd|gezegd|zei|aangekondigd|gevraagd)(?:\s+(?:heb|hebben|hebt|had|werd|is))?\b",
)
_PERFECT = _Words("heb hebt heeft hebben had hadden was waren werd werden is zijn")
_PAST_FORM = _Words(
    "bezorgd overgemaakt doorgestuurd toegestuurd opgestuurd meegestuurd gestuurd toegezonden gezonden "
    "verzonden meegedeeld gepubliceerd bekendgemaakt geagendeerd ingepland uitgenodigd geïnformeerd "
    "ingelicht gerapporteerd toegelicht gepresenteerd voorgesteld voorgelegd besproken gedeeld gegeven "
    "teruggekomen teruggekoppeld gehouden gebracht overhandigd bezorgde bezorgden stuurde stuurden gaf "
    "gaven kwam legde"
)
_PAST_TIME = re.compile(r"\b(?:vorig|vorige|gisteren|eergisteren|destijds|toen|al|reeds|intussen)\b")
_NEGATION = _Feature(
    "niet geen nooit niets niemand nergens allerminst evenmin noch",
    r"\b(?:niet|geen|nooit|niets|niemand|nergens|allerminst|evenmin|noch)\b",
)
_NOT_NEGATION = _Feature(
    "niet geen zonder",
    r"\b(?:niet\s+(?:alleen|enkel|uitsluitend|nalaten|vergeten|later\s+dan|na)|geen\s+(?:enkel\s+)?"
    r"(?:probleem|bezwaar|twijfel)|zonder\s+twijfel)\b",
)
_HEDGE = _Feature(
    "misschien eventueel eventuele wellicht mogelijk mogelijkerwijs hopelijk hoop hopen hoopt uit beloven "
    "belofte beloftes of overwegen overweeg overweegt weet weten twijfel verwacht verwachten garanderen",
    r"\b(?:misschien|eventueel|eventuele|wellicht|mogelijk(?:erwijs)?|hopelijk|hoop|hopen|hoopt|"
    rf"(?:sluit|sluiten)\b{_G}{{0,30}}\bniet\s+uit|niet\s+uit\s+te\s+sluiten|"
    r"(?:kan|kunnen)\s+(?:u\s+|jullie\s+)?(?:niets|niet)\s+beloven|geen\s+beloft\w*|"
    r"(?:bekijken|bekijk|bekijkt|nagaan|ga\s+na|gaan\s+na|onderzoeken|onderzoek|onderzoekt|kijken|kijk|kijkt|"
    r"zien|zie|nadenken|denk|denken|afwegen|weeg\s+af|verkennen)\s+(?:\w+\s+){0,4}?of\b|"
    r"overwegen|overweeg|overweegt|(?:weet|weten)\s+(?:\w+\s+){0,3}?niet|ik\s+twijfel|"
    r"(?:verwacht|verwachten)\s+(?:\w+\s+){0,2}?dat|ga\s+ervan\s+uit\s+dat|"
    r"(?:kan|kunnen)\s+(?:\w+\s+){0,2}?niet\s+garanderen)\b",
)
_BENIGN_POSSIBLE = _Feature(
    "mogelijk",
    r"\b(?:zo\s+(?:snel|spoedig|vlug|gauw|rap|goed|veel|kort|volledig|nauwkeurig|precies|concreet|vroeg|"
    r"duidelijk|transparant|ruim|breed|vlot)\s+mogelijk|zoveel\s+mogelijk|indien\s+mogelijk|waar\s+mogelijk|"
    r"als\s+(?:het|dat)\s+mogelijk\s+is|mogelijk\s+maken)\b",
)
_IN_SPEECH = _Feature(
    "straks dadelijk meteen hierna hieronder verderop antwoord deel vraag hierbij deze even zo",
    r"\b(?:straks|zo\s+dadelijk|dadelijk|zo\s+meteen|hierna|hieronder|verderop|in\s+(?:mijn|dit)\s+antwoord|"
    r"(?:daar|er|hier)\s+zo\s+(?:dadelijk\s+|meteen\s+)?op\s+terug|"
    r"in\s+het\s+(?:tweede|volgende|laatste)\s+deel|bij\s+de\s+volgende\s+vraag|hierbij|bij\s+deze|nog\s+even)\b",
)
_IN_SPEECH_SOFT = _Feature(
    "nu even kort kortweg eerst vervolgens slot voorbeeld voorbeelden",
    r"\b(?:nu|even|kort|kortweg|eerst|vervolgens|tot\s+slot|voorbeeld|voorbeelden)\b",
)
# "ik kan mij voorstellen dat …" imagines, "ik stel voor dat …" proposes: neither presents anything.
_IMAGINE = _Feature(
    "voorstellen voorstel",
    r"\b(?:mij|me|ons|zich)\s+(?:\w+\s+){0,2}?voorstellen\b|\bvoorstellen\s+(?:dat|om)\b|"
    r"\bstel\s+(?:\w+\s+){0,2}?voor\s+(?:dat|om)\b",
)
_SAYS_THAT = _Feature(
    "dat ~:",
    rf"\b(?:meegeven|mee\s+te\s+geven|geef\b{_G}{{0,40}}\bmee|meedelen|mee\s+te\s+delen|deel\b{_G}{{0,40}}"
    rf"\bmee|toelichten|toe\s+te\s+lichten|licht\b{_G}{{0,40}}\btoe|antwoorden)"
    r"\s*(?:dat|:|,\s*dat)",
)
_SUBORDINATORS = _wordset(
    "die dat waar waarin waarop waarvan welke omdat als zodra wanneer indien tenzij zolang hoewel terwijl "
    "zodat opdat nadat voordat alvorens of wat"
)
_FUNCTION_FOLLOW = _wordset(
    "de het een ik we wij u jullie ze zij hij men er nog al niet geen in op aan ook momenteel vandaag dan "
    "wel zich deze die dit mijn onze uw hun haar zijn nu reeds pas"
)
_WORDS = re.compile(r"[\w'’]+")
_TURN_GIVING = _Feature(
    "woord dank bedankt merci",
    r"heeft\s+(?:nu\s+|opnieuw\s+|thans\s+|dan\s+|eerst\s+|ook\s+)?het\s+woord|het\s+woord\s+is\s+aan|"
    r"(?:ik\s+geef|dan\s+geef\s+ik|ik\s+verleen)\s+(?:nu\s+|dan\s+)?het\s+woord|"
    r"^(?:dank\s+u|dank\s+je|bedankt|merci)\b(?!.{0,40}\b(?:ik|we)\s+(?:zal|zullen))",
)

# Acceptances of a member's request, matched at the start of a sentence (after any vocative).
_VOCATIVE = re.compile(
    r"^(?:(?:[Bb]este\s+)?(?:[Cc]ollega(?:'s)?|[Mm]evrouw|[Mm]ijnheer|[Mm]eneer|[Dd]e\s+heer|[Mm]inister|"
    r"[Vv]oorzitter)(?:\s+(?:[Vv]an\s+|[Dd]e\s+|[Dd]er\s+|[Dd]en\s+|[Tt]er\s+|[Tt]en\s+){0,3}[A-ZÀ-Þ][\w'’-]*){0,3}|"
    r"[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+)?)\s*,\s*"
)
_YES = (
    r"(?:ja|jazeker|zeker|uiteraard|natuurlijk|absoluut|akkoord|prima|goed|oké|ok|graag|met\s+plezier|"
    r"geen\s+(?:enkel\s+)?probleem|dat\s+is\s+(?:goed|prima|afgesproken|genoteerd|geen\s+probleem|een\s+goed\s+idee|"
    r"een\s+goede\s+suggestie|een\s+goed\s+voorstel)|afgesproken|genoteerd|goed\s+idee)"
)
_ACCEPT_ANAPHORIC = re.compile(
    rf"(?:{_YES}\s*[,.!]\s*)?(?:"
    r"(?:dat|dit|het)\s+(?:doen|doe|zal|zullen|ga|gaan|wil|willen|kan|kunnen|nemen|neem|plannen|plan|"
    r"agenderen|agendeer|regelen|regel)\s+(?:ik|we|wij)\b|"
    r"(?:ik|we|wij)\s+(?:zal|zullen|ga|gaan|wil|willen|kan|kunnen)\s+(?:dat|dit|het)\s+(?:\w+\s+){0,3}?"
    r"(?:doen|regelen|meenemen|agenderen|inplannen|organiseren)\b|"
    r"(?:ik|we|wij)\s+(?:doe|doen|neem|nemen|plan|plannen|agendeer|agenderen|regel|regelen)\s+(?:dat|dit|het)\b|"
    r"(?:dat|dit|het)\s+(?:zal|zullen)\s+(?:zeker\s+|dan\s+|ook\s+)*(?:gebeuren|geregeld\s+worden|in\s+orde\s+komen)|"
    r"(?:dat|dit|het)\s+(?:gebeurt|komt\s+in\s+orde|wordt\s+(?:geagendeerd|ingepland|geregeld|meegenomen))|"
    r"(?:ik|we|wij)\s+(?:ben|zijn)\s+(?:\w+\s+){0,2}?bereid\b|"
    r"(?:daar|hier)\s+(?:ga|gaan|wil|willen)\s+(?:ik|we|wij)\s+(?:graag\s+|zeker\s+|gerust\s+)*"
    r"(?:op\s+in|mee\s+akkoord)|"
    r"(?:ik|we|wij)\s+(?:ga|gaan)\s+(?:\w+\s+){0,2}?in\s+op\s+(?:uw|die|dat|deze|dit|jullie)|"
    r"(?:ik|we|wij)\s+(?:neem|nemen)\s+(?:uw|die|dat|deze|dit)\s+(?:suggestie|voorstel|verzoek)\s+"
    r"(?:graag\s+|zeker\s+)*(?:over\s*[.!]?$|mee\s+naar)|"
    r"(?:die|deze|dat|de)\s+(?:toezegging|belofte)\s+(?:doe|geef|maak)\s+(?:ik|we)\b|"
    r"(?:ik|we)\s+(?:doe|geef|maak)\s+(?:die|deze|de|graag\s+de)\s+(?:toezegging|belofte)\b|"
    r"(?:dat|dit)\s+(?:zeg|zeggen)\s+(?:ik|we)\s+(?:\w+\s+){0,2}?toe\b|(?:dat|dit)\s+(?:beloof|beloven)\s+(?:ik|we)\b)"
)
# A bare yes; "dat is een goed idee" alone welcomes a proposal without taking it on.
_ACCEPT_YES = re.compile(
    r"(?:ja|jazeker|zeker|uiteraard|natuurlijk|absoluut|akkoord|prima|oké|ok|graag|met\s+plezier|"
    r"geen\s+(?:enkel\s+)?probleem|dat\s+is\s+(?:goed|prima|afgesproken|genoteerd|geen\s+probleem)|afgesproken|"
    r"genoteerd|dat\s+kan|dat\s+spreekt\s+(?:voor\s+zich|vanzelf))"
    r"(?:\s*,?\s*(?:minister|voorzitter|collega|mevrouw|mijnheer|[^\W\d_]+))?\s*[.!]?$"
)

_MAX_ACCEPTANCE_WORDS = 16

# Requests in members' speeches.
_REQUEST = re.compile(
    r"\b(?:(?:kunt|kan|zult|wilt|zou|gaat|zal)\s+u|(?:kan|zal|wil)\s+de\s+(?:minister|regering|staatssecretaris|"
    r"voorzitter|commissie)|bent\s+u\s+bereid|is\s+het\s+mogelijk|kunnen\s+we|zullen\s+we|mogen\s+we|"
    r"(?:ik\s+)?vraag\s+(?:ik\s+)?(?:u|de\s+minister|de\s+voorzitter|om|of)|ik\s+(?:zou\s+)?(?:wil|willen|wou)\s+"
    r"(?:u\s+)?(?:vragen|voorstellen)|(?:ik\s+)?stel\s+(?:ik\s+)?voor|ik\s+zou\s+voorstellen|(?:mijn|het)\s+voorstel|"
    r"voorstel\s+om|lijkt\s+(?:mij|me|ons)\b|zou\s+(?:het\s+)?(?:goed|nuttig|interessant|handig|zinvol)|"
    r"hoop\s+dat\s+(?:jullie|u|de\s+commissie|we|de\s+minister|de\s+voorzitter)|misschien\s+kan|graag|verzoek|"
    r"dring\s+(?:erop\s+)?aan|pleit\s+ervoor|(?:kan|kunnen|moet|moeten)\s+(?:de\s+commissie|we|wij)\b|"
    r"(?:dat|het)\s+meenemen|toezeggen)"
)
# A promise that says it answers a request ("op uw vraag", "zoals gevraagd") accepts that request.
_ANSWERS_REQUEST = _Feature(
    "vraag vraagt verzoek voorstel suggestie gevraagd vroeg vraagt wenst wilt",
    r"\b(?:uw\s+(?:vraag|verzoek|voorstel|suggestie)|u\s+(?:vraagt|vroeg|wenst|wilt|stelt\s+voor)|"
    r"zoals\s+(?:u\s+)?(?:gevraagd|gevraagd\s+hebt|vroeg))\b",
)
_ANAPHORIC_REQUEST = re.compile(
    r"\b(?:dat|dit|het|die)\s+(?:mee\s*nemen|meenemen|agenderen|doen|organiseren|regelen)\b"
)

_NAME_PART = r"(?:(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en)\s+){0,3}[A-ZÀ-Þ][\w'’]*(?:-[\w'’]+)*"
_NAMED = re.compile(
    rf"\b(?:[Cc]ollega|[Mm]evrouw|[Mm]ijnheer|[Mm]eneer|[Dd]e\s+heer|[Hh]et\s+lid)\s+({_NAME_PART}(?:\s+{_NAME_PART}){{0,2}})"
)
_TOPIC_WORD = re.compile(r"[^\W\d_][\w'’-]{4,}|\b[A-Z]{2,}\b")
_GENERIC_WORDS = _wordset(
    "commissie minister voorzitter collega collega's vraag vragen jullie graag zeker worden wordt hebben "
    "heeft kunnen zullen zouden willen moeten misschien eventueel alle interessant handig nuttig bereid "
    "regeling werkzaamheden hoop eerst vooral echter eigenlijk natuurlijk belangrijk"
)

_KIND_ORDER = ("hearing", "agenda", "evaluate", "send_document", "publish", "report_back", "other")


# --------------------------------------------------------------------------------------------------
# What the scorer's features look for (features.py)
# --------------------------------------------------------------------------------------------------

_TOEZEG = _Feature("toe ~toezeg", r"\btoe\s*(?:te\s+)?zeg\w*|\btoezeg\w*|\bzeg\w*\b[^.;:?!]{0,60}\btoe\b")
_LATER_PLACE = _Feature(
    "volgende later latere nadere aparte schriftelijk brief nota kamerbrief ~voortgangsrapportage voor",
    r"\b(?:volgende|een\s+volgende|later(?:e)?|nadere|aparte)\s+(?:vergadering|commissie\w*|keer|brief|"
    r"overleg|debat|gelegenheid)|\bschriftelijk\b|\bin\s+(?:een|de)\s+(?:brief|nota|kamerbrief)\b|"
    r"\bvoortgangsrapportage|\bvoor\s+(?:het|de)\s+(?:zomer|kerst|reces|einde|eind)\w*",
)
_LATER_TIME = _Feature(
    "binnenkort spoedig snel zodra eerstdaags later ~volgend ~komend zomer voorjaar najaar begin ~eind "
    "januari februari maart april mei juni juli augustus september oktober november december ~20",
    r"\b(?:binnenkort|spoedig|zo\s+snel\s+mogelijk|zodra|eerstdaags|later|volgend\w*|komend\w*|"
    r"na\s+de\s+zomer|voor\s+de\s+zomer|in\s+het\s+voorjaar|in\s+het\s+najaar|begin\s+\w+|eind\w*\s+\w+|"
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|20\d\d)\b",
)
_ON_THE_SPOT = _Feature(
    "straks meteen dadelijk termijn antwoord hierna zeggen meegeven melden",
    r"\b(?:straks|zo\s+meteen|dadelijk|in\s+(?:de|mijn)\s+tweede\s+termijn|in\s+dit\s+antwoord|hierna|"
    r"nu\s+(?:al\s+)?(?:zeggen|meegeven)|kan\s+ik\s+(?:u\s+)?(?:nu\s+)?(?:al\s+)?(?:zeggen|meegeven|melden))\b",
)
_REFUSAL = _Feature(
    "niet geen ~ontraad",
    r"\b(?:kan|kunnen|ga|gaan|zal|zullen|wil|willen)\s+(?:ik|we|wij)\s+(?:\w+\s+){0,3}?(?:niet|geen)\b|"
    r"\b(?:ik|we|wij)\s+(?:kan|kunnen|ga|gaan|zal|zullen|wil|willen)\s+(?:\w+\s+){0,3}?(?:niet|geen)\b|"
    r"\bontraad\w*|\bniet\s+toezeggen|\bgeen\s+toezegging",
)
_POLICY_AGENTS = _Feature(
    "regering kabinet overheid administratie departement agentschap diensten ministerie",
    r"\b(?:de\s+regering|het\s+kabinet|de\s+vlaamse\s+regering|de\s+overheid|mijn\s+administratie|"
    r"het\s+departement|het\s+agentschap|de\s+diensten|mijn\s+diensten|het\s+ministerie)\b",
)
# The offer depends on what the member does first: "indien u een schriftelijke vraag indient, kan ik …".
_MEMBER_CONDITION = _Feature(
    "indien als wanneer mits zodra schriftelijke",
    r"\b(?:indien|als|wanneer|mits|zodra)\s+(?:u|jullie|de\s+heer|mevrouw|het\s+lid|de\s+leden)\b|"
    r"\bschriftelijke\s+vraag\b",
)
# The speaker asks the member for something: "ik vraag u om die studies voor te leggen".
_ASKS_YOU = _Feature(
    "vraag vragen nodig", r"\b(?:ik\s+vraag\s+u|vraag\s+ik\s+u|ik\s+wil\s+u\s+vragen|ik\s+nodig\s+u\s+uit)\b"
)
# Answered later in this debate: "ik kom daar zo op terug", "in mijn tweede termijn".
_LATER_TODAY = _Feature(
    "zo termijn straks vervolg verloop",
    r"\bzo\s+(?:nog\s+|dadelijk\s+|meteen\s+)?(?:op|bij)\b|\btweede\s+termijn\b|\bstraks\b|\bstraks\s+nog\b|"
    r"\bin\s+(?:het\s+)?(?:vervolg|verloop)\s+van\s+(?:mijn|dit)\s+(?:antwoord|betoog|beantwoording)",
)
_REQUEST_WORDS = _Feature(
    "vraag verzoek voorstel vraagt gevraagd vroeg",
    r"\b(?:uw\s+vraag|uw\s+verzoek|uw\s+voorstel|u\s+vraagt|gevraagd|vroeg)\b",
)
_SOFT_DELIVERY = _wordset(
    "informeren informeer geïnformeerd rapporteren rapporteer terugkomen terugkoppelen terugkoppeling "
    "brief kamerbrief nota overzicht cijfers stand update toesturen sturen stuur stuurt doen toekomen "
    "laten weten meedelen melden uitnodigen agenderen evalueren evaluatie publiceren bezorgen bezorg "
    "voorleggen leg toelichten presenteren bespreken overleggen komen kom terug mailen mail mailt e-mailen "
    "delen deel gedeeld beschikbaar meenemen meeneem neem zorgen zorg briefje"
)
_MODAL_FUTURE = _wordset("zal zullen zult ga gaan gaat kan kunnen wil willen bereid zorg zorgen laat")
_PARLIAMENT = _wordset("kamer commissie parlement kamercommissie commissieleden leden")
_AGENTS = _wordset("ik we wij")
_MOOD_OR_HOUSE = _MODAL_FUTURE | _PARLIAMENT | _wordset("komt komen eraan krijgt krijgen")
# Words quoted from a motion or a letter, not promised now: "verzoekt de regering …", "in de brief staat".
_QUOTES_TEXT = _Feature(
    "motie verzoekt gehoord constaterende overwegende brief",
    r"\b(?:de|deze|die|uw|zijn|haar)\s+motie\b|\bverzoekt\s+de\s+regering\b|\bgehoord\s+de\s+beraadslaging\b|"
    r"\bconstaterende\s+dat\b|\boverwegende\s+dat\b|\bin\s+(?:de|mijn|die|deze|onze)\s+brief\s+"
    r"(?:staat|stond|schrijf|schreef|heb|hebben|lees|leest)\w*",
)
