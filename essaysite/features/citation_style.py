"""How a citation and an essay's list of sources look: author and year.

Two styles, registered through the public plugin registries of pybtex and
sphinxcontrib-bibtex (nothing of theirs replaced):

- ``author_year_round`` (``bibtex_reference_style``): sphinxcontrib-bibtex's
  author-year citations with round brackets, as essays write them:
  ``{cite:p}`` gives "(Turing, 1950)", ``{cite:t}`` "Turing (1950)", several
  works "(Turing, 1950; Weizenbaum, 1966)".
- ``essays`` (``bibtex_default_style``): pybtex's ``plain`` list (sorted by
  author, year and title; DOIs and URLs as links) labelled "Turing 1950",
  "Weizenbaum 1966a" and "Weizenbaum 1966b" when an author has two works
  of one year in the same list.

Each is registered when the site uses sphinxcontrib-bibtex
(``essaysite.features.citations``), so that a site without citations never
imports pybtex.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from string import ascii_lowercase

STYLE = "essays"
REFERENCE_STYLE = "author_year_round"


def last_names(person) -> str:
    from pybtex.richtext import Text

    return Text.from_latex(" ".join(person.prelast_names + person.last_names)).render_as("text")


def author_year(entry) -> str:
    """``Turing 1950``, ``Dreyfus and Dreyfus 1986``, ``Russell et al. 2021``."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [last_names(p) for p in persons]
    if not names:
        from pybtex.richtext import Text

        who = Text.from_latex(entry.fields.get("title", entry.key)).render_as("text")
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who} {entry.fields.get('year', 'n.d.')}"


def register() -> None:
    """Both styles, once per process."""
    import pybtex.plugin
    from pybtex.style.formatting.plain import Style as PlainStyle
    from pybtex.style.labels import BaseLabelStyle
    from sphinxcontrib.bibtex.plugin import register_plugin
    from sphinxcontrib.bibtex.style.referencing import BracketStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            labels = [author_year(entry) for entry in sorted_entries]
            counts, seen = Counter(labels), Counter()
            for label in labels:
                if counts[label] > 1:
                    seen[label] += 1
                    yield label + ascii_lowercase[(seen[label] - 1) % 26]
                else:
                    yield label

    class EssaysStyle(PlainStyle):
        default_label_style = AuthorYearLabels

    def round_brackets() -> BracketStyle:
        return BracketStyle(left="(", right=")", sep="; ")

    @dataclass
    class RoundAuthorYear(AuthorYearReferenceStyle):
        bracket_parenthetical: BracketStyle = field(default_factory=round_brackets)
        bracket_textual: BracketStyle = field(default_factory=round_brackets)

    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE, EssaysStyle, force=True)
    register_plugin("sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE, RoundAuthorYear, force=True)
