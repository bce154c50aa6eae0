"""Package data is read one way (marsad.data)."""

from __future__ import annotations

from importlib import resources

import pytest

from marsad.data import load_gzip_text, load_json, load_text, load_toml


def test_load_text_reads_the_packaged_file() -> None:
    expected = resources.files("marsad.data").joinpath("stopwords_ar.txt").read_text("utf-8")
    assert load_text("stopwords_ar.txt") == expected
    assert load_text("stopwords_ar.txt") is load_text("stopwords_ar.txt")  # read once


def test_parsed_data_is_fresh_per_call() -> None:
    first = load_json("agencies.json")
    first.clear()
    assert load_json("agencies.json"), "a caller's change does not leak into the next"
    assert load_toml("outlets.toml")


def test_gzip_text_is_decompressed() -> None:
    text = load_gzip_text("stem_df_ar.tsv.gz")
    assert "\t" in text.splitlines()[1]


def test_a_missing_file_says_so() -> None:
    with pytest.raises(FileNotFoundError):
        load_text("no_such_file.txt")
