"""Propose the commitments (toezeggingen) made in a transcript's speeches.

A commitment, for the register, is a promise made *to the parliament*: to send a document, report
back, come and explain, invite someone to the committee, put something on the agenda, publish, or
evaluate and report. A minister announcing policy ("we zullen de middelen verhogen") promises the
parliament nothing it can chase, so it is not proposed. Only ministers, the chair and other officials
make commitments; nothing a member says is ever a candidate, though a member's request becomes one
when a minister or the chair accepts it.

The detector reads Dutch, not our examples. Every sentence of an eligible speech is checked for

* an agent: "ik", "we", the government or administration, the minister (when the chair relays), or a
  recipient as subject ("u krijgt", "de commissie ontvangt"), a passive ("zal worden bezorgd") or an
  impersonal "er komt … naar het parlement";
* a deliverable: a verb of sending, informing, coming back, inviting, scheduling, publishing — Dutch
  splits many of them ("ik stuur u de lijst door", "leg … voor"), so particles are matched apart from
  their verbs;
* a commitment mood: future or modal ("zal", "ga", "kan u … bezorgen", "ben bereid"), a performative
  ("ik beloof", "ik zeg u toe", "ik engageer mij"), a best effort ("we doen alles om …"), or the
  present tense, which in Dutch is future enough for a strong verb ("ik bezorg u de lijst") and for any
  verb with a time ("die cijfers geef ik u volgende week");

and rejected when it is a question, negated, hedged ("misschien", "ik sluit niet uit", "we bekijken
of"), conditional ("zou"), reported or past ("u hebt toegezegd", "ik heb u de lijst bezorgd"), or an
announcement about the speech itself ("ik kom daar straks op terug", "ik kan u meegeven dat …").

Acceptances ("Dat doen we zeker.", "Dat zal ik doen.") have no content of their own: they become a
candidate only when a member's request is pending, and take their kind and deadline from it.

Everything here is a bounded regular expression over one sentence at a time: the cost is linear in
the text and no input makes a pattern backtrack for long.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from .dates import DueInfo, resolve_due
from .types import Candidate, Speech, Transcript

__all__ = ["detect_commitments", "detect_in_speeches"]

_ELIGIBLE = frozenset({"minister", "chair", "other"})
_I = re.IGNORECASE
NO_DUE = DueInfo("", None, False)


def _rx(pattern: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# --------------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n[ \t]*\n")
_ABBREVIATIONS = frozenset(
    "bv bvb bijv nr nrs art blz p pp o.a e.a m.b.t i.v.m d.w.z a.s t.e.m t.o.v incl excl ca vgl resp cf "
    "dhr mevr mr dr drs prof ir ing st vs min max enz etc jl jr sr z.g.a.n n.a.v m.a.w i.p.v o.m".split()
)
_WORD_BEFORE = re.compile(r"([\w.]{1,12})$")


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def _split_sentences(text: str) -> list[_Sentence]:
    """Sentences with their offsets; a blank line always ends one, a single newline never does."""
    spans: list[_Sentence] = []
    start = 0
    paragraph = 0
    length = len(text)

    def add(begin: int, end: int) -> None:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end > begin:
            spans.append(_Sentence(begin, end, text[begin:end], paragraph))

    for match in _BOUNDARY.finditer(text):
        if match.group(0)[0] == "\n":
            add(start, match.start())
            start = match.end()
            paragraph += 1
            continue
        end = match.end()
        if match.group(0)[0] == ".":
            before = _WORD_BEFORE.search(text, max(0, match.start() - 12), match.start())
            word = before.group(1).lower().strip(".") if before else ""
            # An abbreviation or an initial ("J. Peeters") does not end a sentence.
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        following = end
        while following < length and text[following] in " \t\n" and text[following : following + 2] != "\n\n":
            following += 1
        if following < length and text[following].islower():
            continue  # "bv. de", "enz. en": the sentence goes on
        add(start, end)
        start = end
    add(start, length)
    return spans


# --------------------------------------------------------------------------------------------------
# Vocabulary. Dutch separable verbs split ("ik stuur u de lijst door"), so a particle is matched on
# its own, after a finite form of its verb, as well as in the joined infinitive and participle.
# --------------------------------------------------------------------------------------------------

# Quick test: a sentence without any of these words cannot hold a commitment.
_TRIGGER = _rx(
    r"bezorg|stuur|stuurt|sturen|zend|maak|maakt|maken|geworden|toekomen|geef|geeft|geven|geven|"
    r"beschikking|deel|delen|krijg|ontvang|terug|koppel|hoogte|informeer|informeren|inlicht|in te lichten|"
    r"rapport|verslag|weten|antwoord|stand van zaken|toelicht|licht|presente|voorstel|stel|voorleg|leg|"
    r"uitnodig|nodig|hoorzitting|agend|plan|regeling|bespre|publice|bekend|openbaar|online|website|"
    r"beloof|belooft|beloven|toe|engag|verbind|garandeer|bereid|doen|doe |gebeur|komt|komen|akkoord|"
    r"zeker|uiteraard|natuurlijk|graag|prima|goed|probleem|afgesproken|genoteerd|meenemen|neem|nemen"
)

# (kind, pattern, strength): "strong" verbs promise a delivery in any tense; "soft" ones ("geven",
# "toelichten") need a future, a time or a place in the parliament before they promise anything;
# "place" ones (inviting, scheduling) need a place in the parliament unless the chair speaks.
_SEND_STRONG = _rx(
    r"\b(?:bezorg|bezorgen|bezorgt|bezorgd(?=\s+(?:worden|wordt|zal|zullen)|$|[.,;])|"
    r"overmaken|over\s+te\s+maken|overgemaakt|overmaak|(?:maak|maakt|maken)\b[^.;:?!]{1,80}\bover\b(?!\s+(?:de|het|een)\b)|"
    r"doorsturen|door\s+te\s+sturen|doorgestuurd|toesturen|toe\s+te\s+sturen|toegestuurd|opsturen|op\s+te\s+sturen|"
    r"meesturen|mee\s+te\s+sturen|meegestuurd|nasturen|(?:stuur|stuurt|sturen)\b(?:[^.;:?!]{0,80}\b"
    r"(?:door|toe|op|mee|na)\b(?!\s+(?:de|het|een|die|dat)\b))?|"
    r"toezenden|toe\s+te\s+zenden|toegezonden|zenden|verzenden|zend|zendt|gezonden|"
    r"geworden|toekomen|overhandigen|overhandig|overhandigd|"
    r"ter\s+beschikking\s+(?:stellen|te\s+stellen|gesteld|stel|stelt)|(?:stel|stelt|stellen)\b[^.;:?!]{1,60}"
    r"\bter\s+beschikking|"
    r"(?:voorleggen|voor\s+te\s+leggen|voorgelegd|(?:leg|legt|leggen)\b[^.;:?!]{1,100}\bvoor(?=\s*$|\s*[,.;]|\s+"
    r"(?:zodra|wanneer|als|na|tegen|in|op|aan|nog|en|om)\b)))\b"
)
_SEND_SOFT = _rx(
    r"\b(?:geef|geeft|geven|gegeven|meegeven|mee\s+te\s+geven|(?:geef|geeft|geven)\b[^.;:?!]{1,80}\bmee\b|"
    r"delen|deel|deelt|gedeeld)\b"
)
_REPORT_STRONG = _rx(
    r"\b(?:terugkomen|terug\s+te\s+komen|terugkom|(?:kom|komt|komen)\b[^.;:?!]{0,60}\bterug\b|"
    r"terugkoppelen|terug\s+te\s+koppelen|(?:koppel|koppelt|koppelen)\b[^.;:?!]{0,60}\bterug\b|"
    r"op\s+de\s+hoogte\s+(?:houden|te\s+houden|brengen|te\s+brengen|stellen|te\s+stellen|gehouden|gebracht|gesteld)|"
    r"(?:hou|houd|houdt|houden|breng|brengt|brengen|stel|stelt|stellen)\b[^.;:?!]{0,60}\bop\s+de\s+hoogte|"
    r"informeren|informeer|informeert|geïnformeerd|inlichten|in\s+te\s+lichten|ingelicht|"
    r"rapporteren|rapporteer|rapporteert|gerapporteerd|"
    r"verslag\s+(?:uitbrengen|uit\s+te\s+brengen|uitgebracht)|(?:breng|brengt|brengen)\b[^.;:?!]{0,60}"
    r"\bverslag\b[^.;:?!]{0,60}\buit\b|"
    r"(?:laat|laten|late)\b[^.;:?!]{0,60}\bweten\b(?!\s*(?:dat|:))|schriftelijk\s+(?:antwoorden|beantwoorden)|"
    r"schriftelijk\s+antwoord)\b"
)
_REPORT_SOFT = _rx(
    r"\b(?:meedelen|mee\s+te\s+delen|(?:deel|deelt|delen)\b[^.;:?!]{0,60}\bmee\b|"
    r"toelichten|toe\s+te\s+lichten|toegelicht|(?:licht|lichten)\b[^.;:?!]{0,60}\btoe\b|"
    r"presenteren|te\s+presenteren|presenteer|gepresenteerd|uitleggen|uit\s+te\s+leggen|"
    r"voorstellen|voor\s+te\s+stellen|voorgesteld|(?:stel|stellen)\b[^.;:?!]{1,60}\bvoor(?=\s*$|\s*[,.;]|\s+(?:in|aan|zodra|na)\b)|"
    r"antwoord|antwoorden|stand\s+van\s+zaken|update|overzicht|terugkoppeling|rapportering)\b"
)
_HEARING = _rx(
    r"\b(?:uitnodigen|uit\s+te\s+nodigen|uitgenodigd|uitnodiging|(?:nodig|nodigt|nodigen)\b[^.;:?!]{0,80}\buit\b|"
    r"hoorzitting(?:en)?|gedachtewisseling|laten\s+komen|(?:horen|te\s+horen)(?=\s+in\s+de(?:ze)?\s+commissie))\b"
)
_AGENDA = _rx(
    r"\b(?:agenderen|te\s+agenderen|agendeer|agendeert|geagendeerd|agendering|op\s+de\s+agenda|"
    r"inplannen|in\s+te\s+plannen|ingepland|(?:plan|plannen)\b[^.;:?!]{0,40}\bin\b(?=\s*$|\s*[,.;])|"
    r"regeling\s+van\s+(?:de\s+)?werkzaamheden|bespreken|te\s+bespreken|bespreking|besproken)\b"
)
_PUBLISH = _rx(
    r"\b(?:publiceren|te\s+publiceren|publiceer|publiceert|gepubliceerd|publicatie|"
    r"bekendmaken|bekend\s+te\s+maken|bekendgemaakt|(?:maak|maakt|maken)\b[^.;:?!]{0,60}\b(?:bekend|openbaar|publiek)\b|"
    r"openbaar\s+(?:maken|te\s+maken|gemaakt)|publiek\s+(?:maken|te\s+maken|gemaakt)|"
    r"online\s+(?:zetten|te\s+zetten|gezet|plaatsen|geplaatst|zet|plaats|staan|komen)|"
    r"(?:zet|zetten|plaats|plaatsen|komt|komen|verschijnt|verschijnen)\b[^.;:?!]{0,60}\b(?:online|op\s+de\s+website))\b"
)
_EVALUATION = _rx(r"\b(?:evaluat\w*|evalueer\w*|evalueren|geëvalueerd|doorlichting\w*|effectmeting\w*)")
_DOCUMENT = _rx(
    r"\w*(?:lijst|lijsten|lijstje|nota|nota's|cijfers|cijfermateriaal|gegevens|data|overzicht|overzichten|"
    r"tabel|tabellen|rapport|rapporten|verslag|verslagen|studie|studies|tekst|teksten|brief|kopie|document|"
    r"documenten|documentatie|plan|plannen|planning|info|informatie|analyse|analyses|evaluatie|advies|adviezen|"
    r"antwoord|antwoorden|resultaten|presentatie|raming|ramingen|berekening|berekeningen|simulatie|simulaties|"
    r"inventaris|inventarisatie|kalender|timing|tijdspad|details|stukken|ontwerp|bijlage|bijlagen|kaart|"
    r"stand\s+van\s+zaken|update|opsomming|namen|bedragen|conclusies|bevindingen|ontwerptekst|verdeling)\b"
)

# The parliament as recipient or audience.
_TO_PARLIAMENT = _rx(
    r"\b(?:jullie|(?:de|deze|uw|onze|die|dezelfde)\s+commissie|commissieleden|(?:het|dit|ons|uw)\s+(?:vlaams\s+)?"
    r"parlement|(?:de|uw)\s+(?:eerste\s+|tweede\s+)?kamer|(?:de|alle)\s+(?:leden|collega's|parlementsleden|"
    r"volksvertegenwoordigers|fracties|commissieleden)|iedereen\s+hier|het\s+secretariaat|de\s+griffie)\b"
)
_YOU = _rx(r"\b(?:u|uw|jou|jullie)\b")
_COMMITTEE_PLACE = _rx(
    r"\b(?:(?:in|naar|voor|op|aan|binnen)\s+(?:de|deze|uw|onze|een|die)\s+(?:volgende\s+|latere\s+|"
    r"eerstvolgende\s+)?(?:commissie(?:vergadering)?|vergadering|zitting)|hier\s+in\s+de\s+commissie|"
    r"(?:in|naar|aan)\s+(?:het|dit)\s+(?:vlaams\s+)?parlement|(?:in|naar|aan)\s+de\s+kamer|hoorzitting|"
    r"regeling\s+van\s+(?:de\s+)?werkzaamheden|hier\s+(?:komen|te\s+komen|toelichten|toe\s+te\s+lichten|"
    r"voorstellen|voor\s+te\s+stellen|presenteren))\b"
)
_THIRD_PARTY = _rx(
    r"\baan\s+(?:de|het|alle|onze|mijn|haar|zijn|hun)\s+(?!commissie|parlement|kamer|leden|collega|secretariaat|"
    r"griffie|volksvertegenwoordigers|fracties|hand\b|orde\b|slag\b|gang\b|beurt\b)\w+"
)
_CHAIR_SELF = _rx(r"\b(?:mij|me|ons)\b")

# Agents.
_FIRST_SG = _rx(r"\b(?:ik|mij|me|mijn|m'n)\b")
_FIRST_PL = _rx(r"\b(?:we|wij|ons|onze)\b")
_GOVERNMENT = _rx(
    r"\b(?:de\s+(?:vlaamse\s+)?regering|het\s+kabinet|mijn\s+(?:kabinet|administratie|diensten|departement|"
    r"medewerkers|agentschap|mensen)|de\s+administratie|het\s+departement|het\s+agentschap|de\s+diensten|"
    r"het\s+secretariaat|de\s+griffie)\b"
)
_RELAYED = _rx(
    r"\b(?:de\s+(?:vlaamse\s+)?(?:minister|staatssecretaris|regering|minister-president)|"
    r"het\s+kabinet|(?:minister|staatssecretaris)\s+[A-Z][\w'’-]+|zijn\s+kabinet|haar\s+kabinet)\b"
)
_RECIPIENT_SUBJECT = _rx(
    r"\b(?:(?:u|jullie|de\s+commissie|het\s+parlement|de\s+kamer|de\s+leden)\s+(?:krijgt|krijgen|ontvangt|ontvangen|"
    r"zal|zult|zullen|mag|mogen)\b[^.;:?!]{0,120}\b(?:krijgen|krijgt|ontvangen|ontvangt|verwachten|tegemoet\s+zien)|"
    r"(?:krijgt|krijgen|ontvangt|ontvangen)\s+(?:u|jullie|de\s+commissie|het\s+parlement|de\s+kamer|de\s+leden)|"
    r"(?:u|jullie|de\s+commissie|het\s+parlement|de\s+kamer|de\s+leden)\s+(?:krijgt|krijgen|ontvangt|ontvangen))\b"
)
_IMPERSONAL = _rx(
    r"\ber\s+(?:komt|komen|zal|zullen)\b[^.;:?!]{0,80}\b(?:naar|voor|aan)\s+(?:het\s+parlement|de\s+commissie|"
    r"u|jullie|de\s+kamer|de\s+leden)\b|\b(?:komt|komen)\s+er\b[^.;:?!]{0,80}\b(?:naar|voor|aan)\s+"
    r"(?:het\s+parlement|de\s+commissie|u|jullie|de\s+kamer|de\s+leden)\b"
)
_PASSIVE = _rx(
    r"\b(?:wordt|worden|zal|zullen)\b[^.;:?!]{0,120}\b(?:bezorgd|overgemaakt|doorgestuurd|toegestuurd|opgestuurd|"
    r"toegezonden|gezonden|voorgelegd|meegedeeld|gepubliceerd|bekendgemaakt|geagendeerd|ingepland|uitgenodigd|"
    r"geïnformeerd|ingelicht|gerapporteerd|toegelicht|gepresenteerd|voorgesteld|besproken|online\s+gezet|"
    r"ter\s+beschikking\s+gesteld|openbaar\s+gemaakt)\b"
)

# Mood.
_FUTURE = _rx(r"\b(?:zal|zullen|zult|ga|gaan|gaat)\b")
_OFFER = _rx(r"\b(?:kan|kunnen|wil|willen|wens|wensen)\b")
_READY = _rx(r"\bbereid\b")
_PERFORMATIVE = _rx(
    r"\b(?:beloof|belooft|beloven|zeg\b[^.;:?!]{0,40}\btoe|zeggen\b[^.;:?!]{0,40}\btoe|toezeggen|toe\s+te\s+zeggen|"
    r"engageer|engageren|verbind\s+(?:mij|me|ons)|verbinden\s+ons|neem\s+het\s+engagement|"
    r"geef\s+u\s+de\s+garantie|garandeer)\b"
)
_BEST_EFFORT = _rx(
    r"\b(?:(?:doe|doen)\s+(?:al(?:les|\s+het\s+mogelijke)|ons\s+best|mijn\s+best)|(?:mijn|ons)\s+best\s+doen|"
    r"alles\s+in\s+het\s+werk|probeer|proberen|streef|streven)\b"
)
_CHAIR_DECISION = _rx(r"\b(?:ik\s+stel\s+voor\s+(?:dat\s+we|om)|stel\s+ik\s+voor\s+(?:dat\s+we|om))\b")

# Blockers.
_CONDITIONAL = _rx(r"\b(?:zou|zouden|zoudt)\b")
_REPORTED = _rx(
    r"\b(?:toegezegd|beloofd|beloofde|beloofden|zegde|zegden|zei|zeiden|gezegd|aangekondigd|kondigde|kondigden|"
    r"engageerde|geëngageerd|verklaarde|vroeg|vroegen|gevraagd)\b"
)
_AS_PROMISED = _rx(
    r"\bzoals\s+(?:(?:ik|we|wij|u|al|eerder|reeds|vorige\s+keer|toen)\s+){0,3}"
    r"(?:toegezegd|beloofd|gezegd|aangekondigd|gevraagd)(?:\s+(?:heb|hebben|hebt|had|werd|is))?\b"
)
_PERFECT = _rx(r"\b(?:heb|hebt|heeft|hebben|had|hadden|was|waren|werd|werden|is|zijn)\b")
_PAST_PARTICIPLE = _rx(
    r"\b(?:bezorgd|overgemaakt|doorgestuurd|toegestuurd|opgestuurd|meegestuurd|gestuurd|toegezonden|gezonden|"
    r"verzonden|meegedeeld|gepubliceerd|bekendgemaakt|geagendeerd|ingepland|uitgenodigd|geïnformeerd|ingelicht|"
    r"gerapporteerd|toegelicht|gepresenteerd|voorgesteld|voorgelegd|besproken|gedeeld|gegeven|teruggekomen|"
    r"teruggekoppeld|gehouden|gebracht|overhandigd|bezorgde|stuurde|stuurden|gaf|gaven|kwam|legde)\b"
)
_PAST_TIME = _rx(
    r"\b(?:vorig(?:e)?\s+(?:week|maand|jaar|keer|legislatuur|vergadering)|gisteren|eergisteren|destijds|"
    r"toen|in\s+het\s+verleden|reeds|al\s+eerder|onlangs|intussen|ondertussen)\b"
)
_NEGATION = _rx(r"\b(?:niet|geen|nooit|niets|niemand|nergens|allerminst|evenmin|noch)\b")
_NOT_NEGATION = _rx(
    r"\b(?:niet\s+(?:alleen|enkel|uitsluitend|nalaten|vergeten|later\s+dan|na)|geen\s+(?:enkel\s+)?"
    r"(?:probleem|bezwaar|twijfel)|zonder\s+twijfel)\b"
)
_HEDGE = _rx(
    r"\b(?:misschien|eventueel|eventuele|wellicht|mogelijk(?:erwijs)?|hopelijk|hoop|hopen|hoopt|"
    r"(?:sluit|sluiten)\b[^.;:?!]{0,30}\bniet\s+uit|niet\s+uit\s+te\s+sluiten|"
    r"(?:kan|kunnen)\s+(?:u\s+|jullie\s+)?niets\s+beloven|geen\s+beloft\w*|"
    r"(?:bekijken|bekijk|bekijkt|nagaan|ga\s+na|gaan\s+na|onderzoeken|onderzoek|onderzoekt|kijken|kijk|kijkt|"
    r"zien|zie|overwegen|overweeg|overweegt|nadenken|denk|denken|afwegen|weeg\s+af)\s+(?:\w+\s+){0,4}?of\b|"
    r"overwegen|overweeg|overweegt|(?:weet|weten)\s+(?:\w+\s+){0,3}?niet|weet\s+ik\s+niet|ik\s+twijfel)\b"
)
_BENIGN_POSSIBLE = _rx(
    r"\b(?:zo\s+(?:snel|spoedig|vlug|gauw|rap|goed|veel|kort|volledig|nauwkeurig|precies|concreet|vroeg|"
    r"duidelijk|transparant|ruim|breed)\s+mogelijk|zoveel\s+mogelijk|indien\s+mogelijk|waar\s+mogelijk|"
    r"als\s+(?:het|dat)\s+mogelijk\s+is|mogelijkheden|mogelijkheid|mogelijk\s+maken)\b"
)
_IN_SPEECH = _rx(
    r"\b(?:straks|zo\s+dadelijk|dadelijk|zo\s+meteen|nu|hierna|hieronder|eerst|kort|kortweg|even|vervolgens|"
    r"in\s+(?:mijn|dit)\s+antwoord|verderop|tot\s+slot|hierbij|bij\s+deze|in\s+het\s+kort|"
    r"dat|wat|hoe|welke|waarom|volgende\s+(?:voorbeelden|cijfers|elementen))\s*$|"
    r"\b(?:straks|zo\s+dadelijk|dadelijk|zo\s+meteen|hierna|hieronder|verderop|in\s+mijn\s+antwoord|"
    r"nog\s+even|in\s+het\s+tweede\s+deel|bij\s+de\s+volgende\s+vraag|hierbij|bij\s+deze|kort|kortweg)\b"
)
_SAYS_THAT = _rx(
    r"\b(?:meegeven|mee\s+te\s+geven|geef\b[^.;:?!]{0,40}\bmee|meedelen|mee\s+te\s+delen|deel\b[^.;:?!]{0,40}"
    r"\bmee|zeggen|weten|melden|toelichten|toe\s+te\s+lichten|licht\b[^.;:?!]{0,40}\btoe|antwoorden)\s*(?:dat|:|,\s*dat)"
)
_SUBORDINATOR = frozenset(
    "die dat waar waarin waarop waarvan welke omdat als zodra wanneer indien tenzij zolang hoewel terwijl "
    "zodat opdat nadat voordat alvorens of wat".split()
)
_FUNCTION_FOLLOW = frozenset(
    "de het een ik we wij u jullie ze zij hij men er nog al niet geen in op aan ook momenteel vandaag dan wel "
    "zich deze die dit mijn onze uw hun haar zijn nu reeds pas".split()
)

# Acceptances of a member's request.
_VOCATIVE = re.compile(
    r"^(?:(?:[Bb]este\s+)?(?:[Cc]ollega(?:'s)?|[Mm]evrouw|[Mm]ijnheer|[Mm]eneer|[Dd]e\s+heer|[Mm]inister|"
    r"[Vv]oorzitter)(?:\s+(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en)?\s*[A-ZÀ-Þ][\w'’-]*){0,3}|"
    r"[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+)?)\s*,\s*"
)
_ACCEPT_ANAPHORIC = _rx(
    r"^(?:(?:ja|jazeker|zeker|uiteraard|natuurlijk|absoluut|akkoord|prima|goed|oké|ok|graag|met\s+plezier|"
    r"geen\s+(?:enkel\s+)?probleem|dat\s+is\s+(?:goed|prima|afgesproken|genoteerd|een\s+goed\s+idee|"
    r"een\s+goede\s+suggestie|een\s+goed\s+voorstel)|afgesproken|genoteerd|goed\s+idee)\s*[,.!]\s*)?"
    r"(?:(?:dat|dit|het)\s+(?:doen|doe|zal|zullen|ga|gaan|wil|willen|kan|kunnen|nemen|neem|plannen|plan|"
    r"agenderen|agendeer|regelen|regel)\s+(?:ik|we|wij)\b|"
    r"(?:ik|we|wij)\s+(?:zal|zullen|ga|gaan|wil|willen|kan|kunnen)\s+(?:dat|dit|het)\s+(?:\w+\s+){0,3}?"
    r"(?:doen|regelen|meenemen|agenderen|inplannen|organiseren)\b|"
    r"(?:ik|we|wij)\s+(?:doe|doen|neem|nemen|plan|plannen|agendeer|agenderen|regel|regelen)\s+(?:dat|dit|het)\b|"
    r"(?:dat|dit|het)\s+(?:zal|zullen)\s+(?:zeker\s+|dan\s+|ook\s+)*(?:gebeuren|geregeld\s+worden|in\s+orde\s+komen)|"
    r"(?:dat|dit|het)\s+(?:gebeurt|komt\s+in\s+orde|wordt\s+(?:geagendeerd|ingepland|geregeld|meegenomen))|"
    r"(?:ik|we|wij)\s+(?:ben|zijn)\s+(?:\w+\s+){0,2}?bereid\b|"
    r"(?:daar|hier)\s+(?:ga|gaan|wil|willen)\s+(?:ik|we|wij)\s+(?:graag\s+|zeker\s+|gerust\s+)*(?:op\s+in|mee\s+akkoord)|"
    r"(?:ik|we|wij)\s+(?:ga|gaan)\s+(?:\w+\s+){0,2}?in\s+op\s+(?:uw|die|dat|deze|dit|jullie)|"
    r"(?:ik|we|wij)\s+(?:neem|nemen)\s+(?:uw|die|dat|deze|dit)\s+(?:suggestie|voorstel|vraag|verzoek)\s+"
    r"(?:graag\s+|zeker\s+)*(?:over|mee\s+naar))"
)
_ACCEPT_YES = _rx(
    r"^(?:ja|jazeker|zeker|uiteraard|natuurlijk|absoluut|akkoord|prima|oké|ok|graag|met\s+plezier|"
    r"geen\s+(?:enkel\s+)?probleem|dat\s+is\s+(?:goed|prima|afgesproken|genoteerd|geen\s+probleem)|"
    r"afgesproken|genoteerd|dat\s+kan|dat\s+spreekt\s+vanzelf)(?:\s*,?\s*(?:minister|voorzitter|collega|mevrouw|"
    r"mijnheer|[A-ZÀ-Þ][\w'’-]*|\s)*)?[.!]?$"
)

# Requests in members' speeches.
_REQUEST = _rx(
    r"\b(?:(?:kunt|kan|zult|wilt|zou|gaat|zal)\s+u|(?:kan|zal|wil)\s+de\s+(?:minister|regering|staatssecretaris|"
    r"voorzitter|commissie)|bent\s+u\s+bereid|is\s+het\s+mogelijk|kunnen\s+we|zullen\s+we|mogen\s+we|"
    r"(?:ik\s+)?vraag\s+(?:ik\s+)?(?:u|de\s+minister|de\s+voorzitter|om|of)|ik\s+(?:zou\s+)?(?:wil|willen|wou)\s+"
    r"(?:u\s+)?(?:vragen|voorstellen)|(?:ik\s+)?stel\s+(?:ik\s+)?voor|ik\s+zou\s+voorstellen|(?:mijn|het)\s+voorstel|"
    r"voorstel\s+om|lijkt\s+(?:mij|me|ons)\b|zou\s+(?:het\s+)?(?:goed|nuttig|interessant|handig|zinvol)|"
    r"hoop\s+dat\s+(?:jullie|u|de\s+commissie|we|de\s+minister|de\s+voorzitter)|misschien\s+kan|graag|verzoek|"
    r"dring\s+(?:erop\s+)?aan|pleit\s+ervoor|(?:kan|kunnen|moet|moeten)\s+(?:de\s+commissie|we|wij)\b|"
    r"kan\s+dat\s+worden|(?:dat|het)\s+meenemen|toezeggen)"
)
_TURN_GIVING = _rx(
    r"heeft\s+(?:nu\s+|opnieuw\s+|thans\s+|dan\s+|eerst\s+|ook\s+)?het\s+woord|het\s+woord\s+is\s+aan|"
    r"(?:ik\s+geef|dan\s+geef\s+ik|ik\s+verleen)\s+(?:nu\s+|dan\s+)?het\s+woord|^(?:dank\s+u|dank\s+je|bedankt|merci)\b"
)
_ANAPHORIC_REQUEST = _rx(r"\b(?:dat|dit|het|die)\s+(?:mee\s*nemen|meenemen|agenderen|doen|organiseren|regelen)\b")

_NAMED = re.compile(
    r"\b(?:[Cc]ollega|[Mm]evrouw|[Mm]ijnheer|[Mm]eneer|[Dd]e\s+heer|[Hh]et\s+lid)\s+"
    r"((?:(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en)\s+){0,3}[A-ZÀ-Þ][\w'’]*(?:-[\w'’]+)*"
    r"(?:\s+(?:(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en)\s+){0,3}[A-ZÀ-Þ][\w'’]*(?:-[\w'’]+)*){0,2})"
)
_TOPIC_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}|[A-Z]{2,}")
_GENERIC_WORDS = frozenset(
    "commissie minister voorzitter collega collega's vraag vragen jullie deze dat die dit ook eens graag zeker "
    "worden wordt zijn hebben heeft kunnen zullen zouden willen moeten misschien eventueel even nog wel niet "
    "hier daar waar alle heel goed interessant handig nuttig bereid regeling werkzaamheden lijkt mij hoop".split()
)

_KIND_ORDER = ("hearing", "agenda", "evaluate", "send_document", "publish", "report_back", "other")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c.isalnum()).casefold()


# --------------------------------------------------------------------------------------------------
# Analysis of one sentence
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Hit:
    kind: str
    rule: str
    confidence: float
    promiser: str
    due: DueInfo
    to_committee: bool
    names: tuple[str, ...] = ()
    request: _Request | None = None


@dataclass(slots=True)
class _Request:
    speech: Speech
    start: int
    end: int
    kind: str
    due: DueInfo
    topics: frozenset[str]


@dataclass(slots=True)
class _Context:
    """What a speech needs to know about its item: who can be promised something, and open requests."""

    members: dict[str, str]  # folded surname → normalised name
    askers: tuple[str, ...]
    reference_date: date | None
    requests: list[_Request] = field(default_factory=list)  # all members' requests so far, in order
    pending_from: int = 0  # requests[pending_from:] arrived after the last substantive answer


def _clauses(text: str) -> list[str]:
    """Main clauses joined by "maar", "want" or a semicolon promise or refuse separately."""
    return [c for c in re.split(r";|:\s|,?\s+(?:maar|want|doch)\s+", text) if c.strip()]


def _negated(clause: str) -> bool:
    cleaned = _NOT_NEGATION.sub(" ", clause)
    for match in _NEGATION.finditer(cleaned):
        # A negation inside a relative or subordinate clause ("de scholen die nog niet gestart zijn")
        # does not negate the promise.
        words = re.findall(r"[\w'’]+", cleaned[: match.start()].lower())
        following = re.findall(r"[\w'’]+", cleaned[: match.start()].lower())
        subordinate = False
        for i, word in enumerate(words[1:], start=1):
            if word in _SUBORDINATOR:
                nxt = following[i + 1] if i + 1 < len(following) else "niet"
                if word not in ("die", "dat") or nxt in _FUNCTION_FOLLOW:
                    subordinate = True
                    break
        if not subordinate:
            return True
    return False


def _hedged(text: str) -> bool:
    return _HEDGE.search(_BENIGN_POSSIBLE.sub(" ", text)) is not None


def _kinds(clause: str, *, chair: bool) -> list[tuple[str, str]]:
    """(kind, strength) of the deliverables a clause names."""
    found: list[tuple[str, str]] = []
    place = _COMMITTEE_PLACE.search(clause) is not None
    if _HEARING.search(clause) and (place or chair):
        found.append(("hearing", "strong"))
    if _AGENDA.search(clause) and (place or chair):
        found.append(("agenda", "strong"))
    if _SEND_STRONG.search(clause):
        found.append(("send_document", "strong"))
    if _PUBLISH.search(clause):
        found.append(("publish", "strong"))
    if _REPORT_STRONG.search(clause):
        found.append(("report_back", "strong"))
    if _SEND_SOFT.search(clause) and _DOCUMENT.search(clause) and not _SAYS_THAT.search(clause):
        found.append(("send_document", "place" if not place else "strong"))
    if _REPORT_SOFT.search(clause) and not _SAYS_THAT.search(clause):
        found.append(("report_back", "strong" if place else "soft"))
    return found


def _best_kind(kinds: Sequence[str], text: str) -> str:
    if not kinds:
        return "other"
    if _EVALUATION.search(text) and any(k in ("send_document", "report_back", "publish") for k in kinds):
        kinds = [*kinds, "evaluate"]
    return min(kinds, key=_KIND_ORDER.index)


def _analyse(sentence: str, speech: Speech, ctx: _Context) -> _Hit | None:
    text = sentence.strip()
    if not text or text.endswith("?") or not _TRIGGER.search(text):
        return None
    chair = speech.role == "chair"
    if _TURN_GIVING.search(text):
        return None
    masked = _AS_PROMISED.sub(" ", text)
    if _REPORTED.search(masked):
        return None
    if _hedged(masked):
        return None

    first_sg = _FIRST_SG.search(text) is not None
    first_pl = _FIRST_PL.search(text) is not None
    government = _GOVERNMENT.search(text) is not None
    relayed = chair and _RELAYED.search(text) is not None
    recipient_subject = _RECIPIENT_SUBJECT.search(text) is not None
    impersonal = _IMPERSONAL.search(text) is not None
    passive = _PASSIVE.search(text) is not None

    future = _FUTURE.search(text) is not None
    offer = _OFFER.search(text) is not None
    ready = _READY.search(text) is not None
    performative = _PERFORMATIVE.search(text) is not None and (first_sg or first_pl)
    best_effort = _BEST_EFFORT.search(text) is not None
    decision = chair and _CHAIR_DECISION.search(text) is not None
    if _CONDITIONAL.search(text) and not future and not ready:
        return None  # "het zou nuttig zijn", "ik zou kunnen": a wish, not a promise

    due = resolve_due(text, ctx.reference_date)
    has_time = bool(due.due_text)

    kinds: list[str] = []
    strong = False
    soft_ok = False
    rule = ""
    for clause in _clauses(text):
        if _negated(clause):
            continue
        for kind, strength in _kinds(clause, chair=chair):
            in_speech = _IN_SPEECH.search(clause) is not None
            if strength == "strong":
                kinds.append(kind)
                strong = True
            elif not in_speech and (future or offer or ready or has_time or best_effort):
                # "ik zal u de cijfers geven": a soft verb needs a future, an offer or a time.
                if strength == "place" and not (_YOU.search(clause) or _TO_PARLIAMENT.search(clause)):
                    continue
                kinds.append(kind)
                soft_ok = True
    negated_everywhere = all(_negated(c) for c in _clauses(text))
    if negated_everywhere:
        return None

    to_parliament = _TO_PARLIAMENT.search(text) is not None
    to_you = _YOU.search(text) is not None
    recipient = to_parliament or to_you or (chair and _CHAIR_SELF.search(text) is not None)

    if kinds:
        past = (
            _PERFECT.search(text)
            and _PAST_PARTICIPLE.search(text)
            and not future
            and not offer
            and not passive_future(text)
        )
        if past:
            return None
        if "send_document" in kinds and not recipient and _THIRD_PARTY.search(text):
            kinds = [k for k in kinds if k != "send_document"]
            if not kinds:
                return None

    # Who promises?
    agent = first_sg or first_pl or government
    if relayed and not first_sg and not first_pl:
        promiser, base_rule = "government", "chair_relay"
    elif first_sg:
        promiser, base_rule = "speaker", "first_person"
    elif first_pl or government:
        promiser, base_rule = ("committee" if chair else "government"), "first_person"
    elif recipient_subject or impersonal or passive:
        promiser = "committee" if chair else ("government" if speech.role == "minister" else "speaker")
        base_rule = "recipient_receives" if recipient_subject else ("impersonal" if impersonal else "passive")
    else:
        return None

    if performative and not kinds and not _negated(text):
        return _hit("other", "performative", 0.8, promiser, due, text, ctx)
    if not kinds:
        return None
    kind = _best_kind(kinds, text)

    if base_rule == "chair_relay":
        if not recipient:
            return None
        mood_ok = future or has_time or strong
        if not mood_ok:
            return None
        return _hit(kind, "chair_relay", 0.7, promiser, due, text, ctx)
    if base_rule in ("recipient_receives", "impersonal", "passive"):
        if not (future or has_time or base_rule != "passive"):
            return None
        if base_rule == "passive" and not (recipient or _COMMITTEE_PLACE.search(text) or kind == "publish"):
            return None
        return _hit(kind, base_rule, 0.65 if has_time else 0.55, promiser, due, text, ctx)

    # First person or government.
    if not agent:
        return None
    needs_recipient = kind in ("send_document", "report_back") and not strong
    if needs_recipient and not recipient:
        return None
    if kind == "send_document" and not recipient and not _DOCUMENT.search(text):
        return None
    if performative:
        return _hit(kind, "performative", 0.9, promiser, due, text, ctx)
    if ready:
        return _hit(kind, "ready", 0.8, promiser, due, text, ctx)
    if best_effort:
        return _hit(kind, "best_effort", 0.6, promiser, due, text, ctx)
    if decision:
        return _hit(kind, "chair_decision", 0.6, promiser, due, text, ctx)
    if future:
        conf = 0.85 if recipient else 0.65
        return _hit(kind, "future_deliverable", conf + (0.05 if has_time else 0.0), promiser, due, text, ctx)
    if offer:
        return _hit(kind, "offer_deliverable", 0.6 if recipient else 0.45, promiser, due, text, ctx)
    if has_time and not due.event_bound:
        return _hit(kind, "present_with_time", 0.75, promiser, due, text, ctx)
    if strong or soft_ok:
        if kind in ("hearing", "agenda") and not chair:
            return None
        if _IN_SPEECH.search(text) and kind == "report_back":
            return None
        return _hit(kind, "present_deliverable", 0.6 if recipient else 0.45, promiser, due, text, ctx)
    return None


def passive_future(text: str) -> bool:
    return _FUTURE.search(text) is not None and _PASSIVE.search(text) is not None


def _hit(kind: str, rule: str, confidence: float, promiser: str, due: DueInfo, text: str, ctx: _Context) -> _Hit:
    to_committee = _TO_PARLIAMENT.search(text) is not None
    return _Hit(kind, rule, round(min(confidence, 0.95), 2), promiser, due, to_committee)


# --------------------------------------------------------------------------------------------------
# Requests and acceptances
# --------------------------------------------------------------------------------------------------


def _topics(text: str) -> frozenset[str]:
    return frozenset(
        w.lower() for w in _TOPIC_WORD.findall(text) if w.lower() not in _GENERIC_WORDS and (len(w) > 4 or w.isupper())
    )


def _requests_in(speech: Speech, sentences: list[_Sentence], ref: date | None) -> list[_Request]:
    """A member's requests: a request form plus something the parliament can be given or can do."""
    found: list[_Request] = []
    for i, s in enumerate(sentences):
        text = s.text
        if not _REQUEST.search(text):
            continue
        kinds = [k for k, _ in _kinds(text, chair=True)]
        start = s.start
        if not kinds or _ANAPHORIC_REQUEST.search(text):
            # "… maar ik hoop dat jullie dat meenemen": what to take along is in the sentence before.
            if i > 0:
                prev_kinds = [k for k, _ in _kinds(sentences[i - 1].text, chair=True)]
                if prev_kinds:
                    kinds = prev_kinds + kinds
                    start = sentences[i - 1].start
        if not kinds:
            continue
        span = speech.text[start : s.end]
        found.append(
            _Request(speech, start, s.end, _best_kind(kinds, span), resolve_due(span, ref), _topics(span))
        )
    return found


def _pending(ctx: _Context) -> list[_Request]:
    return ctx.requests[ctx.pending_from :]


def _earlier_due(ctx: _Context, request: _Request) -> DueInfo:
    """A deadline stated with the same request earlier in the item ("zodra die studie is opgeleverd")."""
    for other in reversed(ctx.requests):
        if other is request or not other.due.due_text:
            continue
        if other.kind == request.kind and (other.topics & request.topics):
            return other.due
    return NO_DUE


# --------------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------------


def _known_members(speeches: Sequence[Speech], askers: Sequence[str]) -> dict[str, str]:
    members: dict[str, str] = {}
    for name in askers:
        surname = _surname_of(name)
        if surname:
            members.setdefault(_fold(surname), name)
    for s in speeches:
        if s.role == "member" and s.surname:
            members.setdefault(_fold(s.surname), s.name or s.surname)
    return members


_PARTICLES = frozenset("van von de den der des ten ter te vande vanden vander d' in 't".split())


def _surname_of(name: str) -> str:
    tokens = name.split()
    if not tokens:
        return ""
    start = len(tokens) - 1
    while start > 0 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(tokens[start:])


def _names_in(text: str, members: dict[str, str]) -> list[str]:
    names: list[str] = []
    if not members:
        return names
    for match in _NAMED.finditer(text):
        folded = _fold(match.group(1))
        for key, name in members.items():
            if key and folded.endswith(key) and name not in names:
                names.append(name)
    return names


def _addressee(sentence: str, members: dict[str, str]) -> list[str]:
    match = _VOCATIVE.match(sentence)
    if not match:
        return []
    head = match.group(0)
    folded = _fold(head)
    return [name for key, name in members.items() if key and folded.endswith(key)]


def _substantive(speech: Speech, sentences: list[_Sentence]) -> bool:
    return any(not _TURN_GIVING.search(s.text) for s in sentences)


def detect_commitments(transcript: Transcript, *, reference_date: date | None = None) -> list[Candidate]:
    """Candidates for every agenda item, in speech order.

    Relative deadlines ("volgende week") get a date only when a reference date is known: the one given
    here, or else the meeting date in the transcript's header.
    """
    ref = reference_date if reference_date is not None else transcript.header.date
    found: list[Candidate] = []
    for item in transcript.items:
        found.extend(detect_in_speeches(item.speeches, askers=item.askers, reference_date=ref))
    return found


def detect_in_speeches(
    speeches: Sequence[Speech], *, askers: Sequence[str] = (), reference_date: date | None = None
) -> list[Candidate]:
    """Candidates in the speeches of one agenda item; `askers` are the members who put the question."""
    ctx = _Context(_known_members(speeches, askers), tuple(askers), reference_date)
    candidates: list[Candidate] = []
    for speech in speeches:
        sentences = _split_sentences(speech.text)
        if speech.role == "member":
            ctx.requests.extend(_requests_in(speech, sentences, reference_date))
            continue
        if speech.role not in _ELIGIBLE:
            continue
        candidates.extend(_detect_in_speech(speech, sentences, ctx))
        if _substantive(speech, sentences):
            ctx.pending_from = len(ctx.requests)
    return candidates


@dataclass(slots=True)
class _Found:
    first: int  # sentence indexes, inclusive
    last: int
    hit: _Hit


def _detect_in_speech(speech: Speech, sentences: list[_Sentence], ctx: _Context) -> list[Candidate]:
    found: list[_Found] = []
    addressee: list[str] = []
    accepted = False
    first_content = True
    for i, sentence in enumerate(sentences):
        text = sentence.text
        named = _addressee(text, ctx.members)
        if named:
            addressee = named
        if _TURN_GIVING.search(text):
            continue
        body = text[_VOCATIVE.match(text).end() :] if _VOCATIVE.match(text) else text
        hit = None
        if not accepted:
            hit = _acceptance(body, speech, ctx, first=first_content)
            if hit is not None:
                accepted = True
        first_content = False
        if hit is None:
            hit = _analyse(body, speech, ctx)
            if hit is not None:
                _attach_request(hit, ctx)
        if hit is None:
            continue
        names = list(_names_in(text, ctx.members))
        if hit.request is not None:
            requester = hit.request.speech.name or hit.request.speech.surname
            if requester and requester not in names:
                names.insert(0, requester)
        for name in addressee or (list(ctx.askers) if not names else []):
            if name not in names:
                names.append(name)
        hit.names = tuple(names)
        previous = found[-1] if found else None
        if (
            previous is not None
            and previous.last == i - 1
            and sentences[previous.last].paragraph == sentence.paragraph
            and previous.hit.kind == hit.kind
            and previous.hit.request is None
            and hit.request is None
        ):
            _merge(previous, i, hit)
            continue
        found.append(_Found(i, i, hit))

    for f in found:
        _extend_with_time(f, sentences, ctx)
    return [_candidate(speech, sentences, f) for f in found]


def _merge(previous: _Found, index: int, hit: _Hit) -> None:
    previous.last = index
    old = previous.hit
    if not old.due.due_text and hit.due.due_text:
        old.due = hit.due
    old.confidence = max(old.confidence, hit.confidence)
    old.to_committee = old.to_committee or hit.to_committee
    old.names = tuple(dict.fromkeys(old.names + hit.names))
    if old.rule != hit.rule:
        old.rule = f"{old.rule}+{hit.rule}"


_TIME_FOLLOW_UP = _rx(r"^(?:dat|dit|die|het|ze|zij)\b")


def _extend_with_time(found: _Found, sentences: list[_Sentence], ctx: _Context) -> None:
    """"… bezorgen zodra het klaar is. Dat zou voor het zomerreces moeten lukken.": the time belongs to it."""
    nxt = found.last + 1
    if nxt >= len(sentences):
        return
    sentence = sentences[nxt]
    if sentence.paragraph != sentences[found.last].paragraph or sentence.text.endswith("?"):
        return
    if not _TIME_FOLLOW_UP.match(sentence.text) or len(sentence.text) > 160:
        return
    if any(_negated(c) for c in _clauses(sentence.text)) or _kinds(sentence.text, chair=False):
        return
    due = resolve_due(sentence.text, ctx.reference_date)
    if not due.due_text or due.event_bound:
        return
    found.last = nxt
    if not found.hit.due.due_text:
        found.hit.due = due


def _candidate(speech: Speech, sentences: list[_Sentence], f: _Found) -> Candidate:
    start = sentences[f.first].start
    end = sentences[f.last].end
    hit = f.hit
    request = hit.request
    due = hit.due
    # due_text must be words of the quote or the request; resolve_due returns exact substrings.
    return Candidate(
        speech_index=speech.index,
        speaker=speech.name,
        role=speech.role,
        quote=speech.text[start:end],
        start=start,
        end=end,
        kind=hit.kind,
        promiser=hit.promiser,
        promised_to=hit.names,
        to_committee=hit.to_committee,
        due_text=due.due_text,
        due_date=due.due_date,
        event_bound=due.event_bound,
        confidence=hit.confidence,
        rule=hit.rule,
        request_speech_index=request.speech.index if request else None,
        request_quote=request.speech.text[request.start : request.end] if request else "",
    )


def _acceptance(text: str, speech: Speech, ctx: _Context, *, first: bool) -> _Hit | None:
    """"Dat doen we zeker.": a yes to the member's request that is still open."""
    pending = _pending(ctx)
    if not pending:
        return None
    if text.endswith("?") or any(_negated(c) for c in _clauses(text)) or _hedged(text):
        return None
    anaphoric = _ACCEPT_ANAPHORIC.search(text) is not None
    yes = first and _ACCEPT_YES.search(text) is not None
    if not (anaphoric or yes):
        return None
    request = pending[-1]
    if _REPORTED.search(_AS_PROMISED.sub(" ", text)):
        return None
    chair = speech.role == "chair"
    we = _FIRST_PL.search(text) is not None and _FIRST_SG.search(text) is None
    promiser = ("committee" if chair else "government") if we else "speaker"
    if not we and not _FIRST_SG.search(text):
        promiser = "committee" if chair else ("government" if speech.role == "minister" else "speaker")
    due = resolve_due(text, ctx.reference_date)
    if not due.due_text:
        due = request.due if request.due.due_text else _earlier_due(ctx, request)
    request_text = request.speech.text[request.start : request.end]
    to_committee = _TO_PARLIAMENT.search(text) is not None or _TO_PARLIAMENT.search(request_text) is not None
    rule = "accepted_request" if anaphoric else "accepted_request_yes"
    hit = _Hit(request.kind, rule, 0.8 if anaphoric else 0.65, promiser, due, to_committee)
    hit.request = request
    return hit


def _attach_request(hit: _Hit, ctx: _Context) -> None:
    """A promise that answers an open request of the same kind accepts it: keep the link, and its time."""
    for request in reversed(_pending(ctx)):
        if request.kind == hit.kind:
            hit.request = request
            if not hit.due.due_text:
                hit.due = request.due if request.due.due_text else _earlier_due(ctx, request)
            return
