import json

from bench import paths
from bench.segment import split_sentences


def test_seed_readout_segments_into_its_twelve_gold_sentences():
    gold = [json.loads(line)["text"] for line in (paths.CORPORA / "seed" / "sentences.jsonl").open(encoding="utf-8")]
    assert split_sentences(paths.SEED_RAW.read_text(encoding="utf-8")) == gold
    assert len(gold) == 12


def test_closing_quote_after_full_stop_stays_with_its_sentence():
    text = 'He said, "We must act now." The talks ended.'
    assert split_sentences(text) == ['He said, "We must act now."', "The talks ended."]
    curly = "Rashid emphasized, “States must act.” The meeting closed."
    assert split_sentences(curly) == ["Rashid emphasized, “States must act.”", "The meeting closed."]


def test_full_stops_inside_a_closed_quotation_do_not_split():
    text = '"We will respond. Our patience has limits," the minister said. Talks resume Monday.'
    assert split_sentences(text) == ['"We will respond. Our patience has limits," the minister said.',
                                     "Talks resume Monday."]


def test_unbalanced_quote_falls_back_to_ordinary_splitting():
    text = 'He said "we will respond. The talks ended.'
    assert split_sentences(text) == ['He said "we will respond.', "The talks ended."]


def test_abbreviations_initials_and_numbers():
    text = ("Dr. Amara Dileku met Gen. K. Osei at 3.5 km from the border. "
            "The U.S. delegation arrived on Jan. 4 and left. Talks ended at 5 p.m. Next came dinner.")
    assert split_sentences(text) == [
        "Dr. Amara Dileku met Gen. K. Osei at 3.5 km from the border.",
        "The U.S. delegation arrived on Jan. 4 and left.",
        "Talks ended at 5 p.m.",
        "Next came dinner.",
    ]


def test_paragraphs_are_hard_boundaries_and_line_wraps_are_not():
    text = "First paragraph without a stop\n\nSecond one wraps\nacross lines. Third!"
    assert split_sentences(text) == ["First paragraph without a stop", "Second one wraps across lines.", "Third!"]


def test_lowercase_after_full_stop_does_not_split_and_empty_text_gives_nothing():
    assert split_sentences("The sides met, i.e. the ministers met. Done.") == [
        "The sides met, i.e. the ministers met.", "Done."]
    assert split_sentences("   \n\n ") == []


def test_honorifics_do_not_end_a_sentence():
    text = "The President received H.E. Mr Arlen Castell, Foreign Minister of Aldoria. They discussed trade."
    assert split_sentences(text) == ["The President received H.E. Mr Arlen Castell, Foreign Minister of Aldoria.",
                                     "They discussed trade."]
    assert len(split_sentences("H.R.H. the Crown Prince met the delegation. Talks followed.")) == 2
