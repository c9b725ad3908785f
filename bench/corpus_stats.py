"""Corpus composition: the counts the datasheet reports and the tests assert."""

from collections import Counter


def describe(corpus, splits=None) -> dict:
    constructed = corpus.where(provenance="constructed")
    sentences = constructed.sentences
    docs = constructed.documents
    parties = Counter(p for d in docs.values() for p in d["parties"])
    lengths = Counter(s["doc_id"] for s in sentences)
    out = {
        "documents": len(docs),
        "sentences": len(sentences),
        "rhetoric": dict(Counter(s["rhetoric"] for s in sentences).most_common()),
        "domains": dict(Counter(d for s in sentences for d in s["domains"]).most_common()),
        "no_domain_share": sum(not s["domains"] for s in sentences) / max(1, len(sentences)),
        "phenomena_share": sum(bool(s.get("phenomena")) for s in sentences) / max(1, len(sentences)),
        "phenomena": dict(Counter(p for s in sentences for p in s.get("phenomena", [])).most_common()),
        "genres": dict(Counter(d["genre"] for d in docs.values()).most_common()),
        "regions": dict(Counter(d["region"] for d in docs.values()).most_common()),
        "tones": dict(Counter(d.get("tone") for d in docs.values()).most_common()),
        "house_styles": dict(Counter(d.get("house_style") for d in docs.values()).most_common()),
        "parties": len(parties),
        "length_min": min(lengths.values(), default=0),
        "length_max": max(lengths.values(), default=0),
    }
    if splits:
        out["splits"] = dict(Counter(splits["documents"][d] for d in docs).most_common())
    contrast = corpus.where(provenance="contrast")
    if contrast.documents:
        out["contrast"] = {"groups": len(contrast.documents), "sentences": len(contrast.sentences),
                           "kinds": dict(Counter(m["kind"] for m in contrast.documents.values()).most_common()),
                           "rhetoric": dict(Counter(s["rhetoric"] for s in contrast.sentences).most_common())}
    return out


def to_markdown(stats: dict) -> str:
    lines = [f"Constructed corpus: {stats['documents']} documents, {stats['sentences']} sentences, "
             f"{stats['parties']} distinct parties, document length {stats['length_min']}–{stats['length_max']} "
             f"sentences; {stats['no_domain_share']:.1%} of sentences have no domain; "
             f"{stats['phenomena_share']:.1%} carry a challenge tag.", ""]
    for key in ("rhetoric", "domains", "phenomena", "genres", "regions", "tones", "house_styles", "splits"):
        if key in stats:
            lines += [f"| {key} | count |", "|---|---:|"]
            lines += [f"| {k} | {v} |" for k, v in stats[key].items()] + [""]
    if "contrast" in stats:
        c = stats["contrast"]
        lines += [f"Contrast set: {c['groups']} minimal-pair groups, {c['sentences']} sentences; by kind: "
                  + ", ".join(f"{k} {v}" for k, v in c["kinds"].items()) + "; by gold rhetoric: "
                  + ", ".join(f"{k} {v}" for k, v in c["rhetoric"].items()) + ".", ""]
    return "\n".join(lines)
