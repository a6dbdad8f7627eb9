"""Names of countries, US states and continents: what "which country" or "which state" asks for.

A generic place pattern ("in the White House") cannot tell a country from a building; a short
gazetteer can. A sentence answers "which country" when it names a country the question does not.
"""

from __future__ import annotations

import re

COUNTRIES = (
    "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Argentina", "Armenia", "Australia", "Austria",
    "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium", "Belize", "Benin", "Bhutan",
    "Bolivia", "Bosnia", "Botswana", "Brazil", "Brunei", "Bulgaria", "Burkina Faso", "Burundi", "Cambodia",
    "Cameroon", "Canada", "Cape Verde", "Central African Republic", "Chad", "Chile", "China", "Colombia", "Comoros",
    "Congo", "Costa Rica", "Croatia", "Cuba", "Cyprus", "Czech Republic", "Czechia", "Denmark", "Djibouti",
    "Dominica", "Dominican Republic", "Ecuador", "Egypt", "El Salvador", "Equatorial Guinea", "Eritrea", "Estonia",
    "Eswatini", "Ethiopia", "Fiji", "Finland", "France", "Gabon", "Gambia", "Georgia", "Germany", "Ghana", "Greece",
    "Grenada", "Guatemala", "Guinea", "Guyana", "Haiti", "Honduras", "Hungary", "Iceland", "India", "Indonesia",
    "Iran", "Iraq", "Ireland", "Israel", "Italy", "Ivory Coast", "Jamaica", "Japan", "Jordan", "Kazakhstan", "Kenya",
    "Kiribati", "Kosovo", "Kuwait", "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Lesotho", "Liberia", "Libya",
    "Liechtenstein", "Lithuania", "Luxembourg", "Madagascar", "Malawi", "Malaysia", "Maldives", "Mali", "Malta",
    "Mauritania", "Mauritius", "Mexico", "Micronesia", "Moldova", "Monaco", "Mongolia", "Montenegro", "Morocco",
    "Mozambique", "Myanmar", "Namibia", "Nauru", "Nepal", "Netherlands", "New Zealand", "Nicaragua", "Niger",
    "Nigeria", "North Korea", "North Macedonia", "Norway", "Oman", "Pakistan", "Palau", "Palestine", "Panama",
    "Papua New Guinea", "Paraguay", "Peru", "Philippines", "Poland", "Portugal", "Qatar", "Romania", "Russia",
    "Rwanda", "Samoa", "San Marino", "Saudi Arabia", "Senegal", "Serbia", "Seychelles", "Sierra Leone", "Singapore",
    "Slovakia", "Slovenia", "Somalia", "South Africa", "South Korea", "South Sudan", "Spain", "Sri Lanka", "Sudan",
    "Suriname", "Sweden", "Switzerland", "Syria", "Taiwan", "Tajikistan", "Tanzania", "Thailand", "Togo", "Tonga",
    "Trinidad", "Tunisia", "Turkey", "Turkmenistan", "Tuvalu", "Uganda", "Ukraine", "United Arab Emirates",
    "United Kingdom", "Britain", "England", "Scotland", "Wales", "United States", "Uruguay", "Uzbekistan",
    "Vanuatu", "Vatican", "Venezuela", "Vietnam", "Yemen", "Zambia", "Zimbabwe",
)
US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma",
    "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)
# The adjectives of peoples and places most often met in news questions ("Which American chain ...").
PEOPLES = (
    "American", "British", "English", "Scottish", "Welsh", "Irish", "Canadian", "Mexican", "Chinese", "Japanese",
    "Korean", "Indian", "Pakistani", "Afghan", "Russian", "Ukrainian", "French", "German", "Italian", "Spanish",
    "Portuguese", "Dutch", "Belgian", "Swiss", "Austrian", "Swedish", "Norwegian", "Danish", "Finnish", "Polish",
    "Greek", "Turkish", "Israeli", "Palestinian", "Iranian", "Iraqi", "Syrian", "Lebanese", "Saudi", "Egyptian",
    "Nigerian", "Kenyan", "Ethiopian", "Brazilian", "Argentine", "Argentinian", "Colombian", "Venezuelan",
    "Chilean", "Peruvian", "Cuban", "Haitian", "Australian", "Taiwanese", "Filipino", "Vietnamese", "Thai",
    "Indonesian", "Hungarian", "Czech", "Romanian", "Serbian", "European", "African", "Asian", "Latin American",
    # a people's own name where it is not the adjective ("Brits", "Britons": a report says "in the UK")
    "Brit", "Briton", "Swede", "Spaniard", "Aussie",
)
CONTINENTS = ("Africa", "Antarctica", "Asia", "Australia", "Europe", "North America", "South America", "Oceania")


def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # "North Korea" also in "North Korean"; longest names first so "West Virginia" beats "Virginia"
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})")


_KINDS = {"country": _pattern(COUNTRIES), "nation": _pattern(COUNTRIES), "state": _pattern(US_STATES + COUNTRIES),
          "continent": _pattern(CONTINENTS)}
# "what" asks as "which" does when the kind follows at once or after one describing word ("What US
# state", "What NFL star", "in what city"), not "what is the state of …", "what do officials believe"
# nor "what state of emergency" (a kind followed by "of" is left to the caller)
# a word between "which" and the kind asked for: "major", "NFL", and initials with their full stops ("U.S.")
# (never an auxiliary: in "which title did King Charles give" the kind is "title", not "King")
_AUXILIARY = r"(?:do|does|did|is|are|was|were|has|have|had|will|would|can|could|should)\b"
ASKED_WORD = rf"(?:(?:[A-Za-z]\.){{2,}}|(?!{_AUXILIARY})[\w’'-]+)"
WHAT_KIND = rf"\bwhat (?:{ASKED_WORD} )?"
_ASKS_KIND = re.compile(rf"\bwhich (?:{ASKED_WORD} ){{0,2}}?(country|nation|state|continent)\b|"
                        rf"{WHAT_KIND}(country|nation|state|continent)\b(?!\s+of\b)", re.I)


def names_a_people(entity: str) -> bool:
    """Is ``entity`` a people's adjective ("American", "North Korean")? In a question it describes
    the subject rather than naming it: a report about an American chain seldom says "American"."""
    words = entity.split()
    return " ".join(words[1:] if words[0] in ("North", "South") and len(words) > 1 else words) in PEOPLES


def asks_for_region(question: str) -> str | None:
    """"country", "nation", "state" or "continent" when the question asks which one; else None."""
    match = _ASKS_KIND.search(question)
    return (match.group(1) or match.group(2)).lower() if match else None


def regions_named(kind: str, sentence: str) -> list[str]:
    """The places of ``kind`` ("country") that ``sentence`` names, in order."""
    return [m.group(0) for m in _KINDS[kind].finditer(sentence)]


def names_region(kind: str, sentence: str, question: str) -> bool:
    """Does ``sentence`` name a ``kind`` of place ("country") that ``question`` does not?"""
    asked = question.lower()
    return any(name.lower() not in asked for name in regions_named(kind, sentence))
