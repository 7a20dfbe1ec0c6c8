"""The pledge room: what a pledge is, its targets, their follow-through, the ledger and the gold scorer, in one place.

    reading   which sentences commit the speaker (ingest reads pledges through it)     ground floor: qa.core only
    targets   a pledge's targets: a figure with its bound, or a measure, and its subject  ground floor: qa.core only
    lookup    what a speaker or body pledged, by words and meaning (the answer path routes pledge questions here)
    follow    落实追踪: what later documents said of each target, with a status and its reason
    ledger    督办台账: pledges as tasks, to Excel or Word
    gold      scoring follow-through against hand-labelled targets

Nothing is imported here: ingest reads `qa.pledges.reading` without loading the rooms above it.
"""
