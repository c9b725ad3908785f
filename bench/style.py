"""Register figures of a corpus beside the target ranges of real readouts (``make style``).

The constructed corpus v1 read nothing like real readouts: short even sentences,
no named leaders, no stock phrases, few third-party crises, many negations.
Each figure below is a surface measure (a regular expression or a count) with a
target range drawn from real, openly licensed official readouts; see
``corpora/DATASHEET.md`` for the measurements behind them. The measures are
proxies, deliberately simple so that anyone can recompute them: they say
whether text is in the register, not what it means.

Figures that need labels (two acts decided by precedence, label floors) are
computed only when the sentences carry gold labels.
"""

import re
import statistics
from collections import Counter
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")

_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|without|cannot)\b|n[’']t\b", re.I)

_OFFICE = (r"(?:Prime\s+Minister|Deputy\s+Prime\s+Minister|President|Vice[\s-]President|Chancellor|"
           r"(?:Foreign|Defence|Defense|Trade|Finance|Interior|Health|Energy|Deputy|State|Cabinet)\s+"
           r"(?:Minister|Secretary)|Minister|Secretary(?:-General)?|Foreign\s+Secretary|King|Queen|Emir|"
           r"Amir|Crown\s+Prince|Sultan|Premier|Taoiseach|Spokes(?:person|man|woman)|Ambassador|"
           r"Chair(?:person|man|woman)?|High\s+Representative|Commissioner|Governor[\s-]General|"
           r"Sheikh|Director[\s-]General|Majesty|Highness|Excellency|Leader|Speaker|Envoy|"
           r"National\s+Security\s+Advisor|Chief\s+of\s+Staff)")
_OPENS_WITH_OFFICE = re.compile(
    r"^[\"“‘(]?(?:(?:The|His|Her|Their)\s+)?(?:[A-Z][\w’'\-]+\s+){0,3}?" + _OFFICE + r"\b")
_NAMED_LEADER = re.compile(_OFFICE + r"\s+([A-Z][a-z’'\-]+)|\b(?:Mr|Ms|Mrs|Dr|H\.E\.)\.?\s+([A-Z][a-z’'\-]+)")
_NOT_A_NAME_WORDS = frozenset("""Republic Kingdom Government Federation Commission Council Union State States
    Ministry Office Minister Ministers President Secretary General Affairs Assembly Emirates Islamic Arab
    People Democratic United Federal Sultanate Principality Confederation Grand Duchy Royal Cabinet
    National Foreign Defence Defense Trade Prime""".split())
_NOT_A_NAME = re.compile(r"^(?:of|the|and|for|on|in|to|said|also|will|has|had|was|is|welcomed|"
                         r"expressed|noted|stressed|called|thanked|agreed)$", re.I)
_FRAME = re.compile(r"\b(?:importance|need|needs|value|significance|necessity|centrality|urgency)\s+"
                    r"(?:of|to|for)\b", re.I)
_STOCK = re.compile(
    r"\b(?:bilateral\s+(?:relations|ties|relationship|cooperation|agenda|issues)|strategic\s+partnership|"
    r"comprehensive\s+(?:strategic\s+)?partnership|issues\s+of\s+mutual\s+(?:interest|concern)|"
    r"regional\s+and\s+international\s+(?:issues|developments|matters)|mutually\s+beneficial|"
    r"people[\s-]to[\s-]people|rules[\s-]based\s+(?:international\s+)?order|"
    r"(?:warm|friendly|cordial|constructive|frank|candid)\s+(?:and\s+\w+\s+)?atmosphere|"
    r"(?:remain|stay|keep)\s+in\s+(?:close\s+)?(?:touch|contact)|long[\s-]standing\s+(?:friendship|ties|relations)|"
    r"traditional(?:ly)?\s+friendly|all[\s-]weather|win[\s-]win|shared\s+values|"
    r"(?:sovereignty|independence)\s+and\s+territorial\s+integrity|close\s+coordination|"
    r"(?:high|highest)[\s-]level\s+(?:exchanges|visits|dialogue)|deepen(?:ing)?\s+(?:the\s+)?(?:ties|relations))",
    re.I)
_CRISIS = re.compile(
    r"\b(?:wars?|ceasefires?|cease-fire|conflicts?|crisis|crises|situation\s+in|invasion|hostilities|coup|"
    r"insurgen\w*|escalation|aggression|violence|tensions|hostages?|occupation|fighting|missiles?|"
    r"drone\s+(?:attacks?|strikes?)|terrorist\s+attacks?|famine|humanitarian\s+situation|peace\s+process|"
    r"nuclear\s+programme|nuclear\s+program|airstrikes?|shelling|militias?|armed\s+groups?|unrest|"
    r"blockade|incursion|provocations?)\b", re.I)


def words(text: str) -> int:
    return len(_WORD.findall(text))


def opens_with_office(text: str) -> bool:
    return bool(_OPENS_WITH_OFFICE.match(text))


def names_leader(text: str) -> bool:
    """An office or honorific followed by a capitalised name ("Foreign Minister Oduya", "Ms Tan")."""
    for match in _NAMED_LEADER.finditer(text):
        name = match.group(1) or match.group(2)
        if name not in _NOT_A_NAME_WORDS and not _NOT_A_NAME.match(name):
            return True
    return False


@dataclass(frozen=True)
class Target:
    """One register figure: what it measures, and the range real readouts put it in."""
    key: str
    what: str
    low: float | None = None
    high: float | None = None
    unit: str = "%"

    def ok(self, value) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def range_text(self) -> str:
        unit = "" if self.unit == "words" else self.unit
        if self.low is not None and self.high is not None:
            return f"{self.low:g}–{self.high:g}{unit}"
        return f"≥ {self.low:g}{unit}" if self.low is not None else f"≤ {self.high:g}{unit}"


# Targets stated by the kit (issue #7's measurement of real readouts; see DATASHEET.md).
TARGETS = (
    Target("length_sd", "sentence length sd (words)", low=10, unit="words"),
    Target("over_40", "sentences over 40 words", low=7, high=15),
    Target("under_12", "sentences under 12 words", low=5),
    Target("negation", "sentences with a negation", high=7),
    # Our office pattern is broader than the count (v1: 14.8% here, 7.6% there): target raised.
    Target("opens_office", "opening with an office or a named leader", low=25),
    Target("named_leader", "naming a leader or official", low=20),
    Target("frames", "importance / need / value frames", low=10),
    Target("stock", "stock diplomatic phrases", low=10),
    Target("crisis", "mentioning a conflict or crisis", low=20),
    Target("multi_topic", "naming three or more domains (gold)", low=5),
    Target("two_acts", "two acts decided by precedence (adjudicated flag)", low=20),
)
LABEL_FLOORS = {"rhetoric": 300, "warning_threat": 200, "domain": 400}


def figures(sentences) -> dict:
    """Register figures (percentages of sentences, and the length sd) of ``sentences``.

    ``sentences`` are dicts with ``text`` and, when labelled, ``domains``,
    ``rhetoric`` and ``phenomena``. Label-based figures are ``None`` without labels.
    The two-acts figure is the share of gold ``precedence`` tags: set by both blind
    annotators, or by one and confirmed by an adjudicator.
    """
    texts = [s["text"] for s in sentences]
    n = len(texts)
    if n == 0:
        raise ValueError("no sentences to measure")
    lengths = [words(t) for t in texts]
    pct = lambda count: 100.0 * count / n  # noqa: E731
    labelled = all("rhetoric" in s for s in sentences)
    out = {
        "sentences": n,
        "mean_length": statistics.fmean(lengths),
        "length_sd": statistics.pstdev(lengths),
        "over_40": pct(sum(x > 40 for x in lengths)),
        "under_12": pct(sum(x < 12 for x in lengths)),
        "negation": pct(sum(bool(_NEGATION.search(t)) for t in texts)),
        "opens_office": pct(sum(opens_with_office(t) for t in texts)),
        "named_leader": pct(sum(names_leader(t) for t in texts)),
        "frames": pct(sum(bool(_FRAME.search(t)) for t in texts)),
        "stock": pct(sum(bool(_STOCK.search(t)) for t in texts)),
        "crisis": pct(sum(bool(_CRISIS.search(t)) for t in texts)),
        "multi_topic": pct(sum(len(s.get("domains", ())) >= 3 for s in sentences)) if labelled else None,
        "two_acts": pct(sum("precedence" in s.get("phenomena", ()) for s in sentences)) if labelled else None,
    }
    if labelled:
        out["rhetoric_counts"] = dict(Counter(s["rhetoric"] for s in sentences).most_common())
        out["domain_counts"] = dict(Counter(d for s in sentences for d in s["domains"]).most_common())
    return out


def label_floor_rows(fig: dict, schema) -> list[tuple[str, int, int, bool]]:
    """(label, count, floor, ok) for every label of both axes."""
    rows = []
    for label in schema.rhetoric:
        floor = LABEL_FLOORS.get(label, LABEL_FLOORS["rhetoric"])
        count = fig["rhetoric_counts"].get(label, 0)
        rows.append((f"rhetoric/{label}", count, floor, count >= floor))
    for label in schema.domains:
        count = fig["domain_counts"].get(label, 0)
        rows.append((f"domain/{label}", count, LABEL_FLOORS["domain"], count >= LABEL_FLOORS["domain"]))
    return rows


def render(fig: dict, title: str = "corpus") -> str:
    """A plain-text table: figure, value, target, ok."""
    lines = [f"Register of {title}: {fig['sentences']} sentences, mean length {fig['mean_length']:.1f} words",
             f"{'figure':<52} {'value':>8}  {'target':<10} ok"]
    for t in TARGETS:
        value = fig.get(t.key)
        if value is None:
            lines.append(f"{t.what:<52} {'–':>8}  {t.range_text():<10} (needs labels)")
            continue
        shown = f"{value:.1f}" + ("" if t.unit == "words" else "%")
        lines.append(f"{t.what:<52} {shown:>8}  {t.range_text():<10} {'yes' if t.ok(value) else 'NO'}")
    return "\n".join(lines)


def failures(fig: dict) -> list[str]:
    return [t.key for t in TARGETS if fig.get(t.key) is not None and not t.ok(fig[t.key])]
