"""The distributed-engine adapters: Dask (on a real local cluster) and a datatrove step.

Each test skips, saying why, when its optional dependency is not installed. CI installs the
``dask`` extra (see .ci/run), so the Dask test runs there.
"""

import json

import pytest
from conftest import SEEDS

from cleaner import cli
from cleaner.api import make_engine


def _lines() -> list[str]:
    out = [json.dumps({"id": k, "raw": seed.read_text(encoding="utf-8")}, ensure_ascii=False) for k, seed in enumerate(SEEDS)]
    out += [json.dumps({"id": "x", "raw": "Share this article\nThe meeting took place on Monday, officials said."}), "not json"]
    return out


def _cli_output(lines: list[str]) -> list[str]:
    engine = make_engine(None, [], "balanced", False)
    return [out.decode().rstrip("\n") for out, _ in cli.process_jsonl([line.encode() for line in lines], engine, "raw", False)]


def test_dask_bag_on_a_local_cluster_matches_clean_jsonl():
    pytest.importorskip("dask.bag", reason="the dask extra is not installed (pip install '.[dask]')")
    distributed = pytest.importorskip("dask.distributed", reason="the dask extra is not installed (pip install '.[dask]')")
    import dask.bag as db

    from cleaner.adapters.dask import clean_bag, clean_jsonl_bag

    lines = _lines()
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster):
        bag = db.from_sequence(lines, npartitions=1)
        got = clean_jsonl_bag(bag, text_field="raw").compute()
        records = [json.loads(line) for line in lines[:-1]]
        dicts = clean_bag(db.from_sequence(records, npartitions=3), text_field="raw").compute()
        texts = clean_bag(db.from_sequence([r["raw"] for r in records], npartitions=2)).compute()
    assert got == _cli_output(lines)  # one partition: even the error line numbers agree
    assert [d["id"] for d in dicts] == [r["id"] for r in records]
    for d, t, line in zip(dicts, texts, got):
        expected = json.loads(line)
        assert d["articles"] == expected["articles"] == t["articles"]


def test_dask_bag_reports_bad_records_without_losing_them():
    pytest.importorskip("dask.bag", reason="the dask extra is not installed (pip install '.[dask]')")
    import dask
    import dask.bag as db

    from cleaner.adapters.dask import clean_bag

    items = [{"text": "Body of the article, long enough to be kept as a paragraph."}, {"other": 1}, {"text": 5}]
    with dask.config.set(scheduler="synchronous"):
        out = clean_bag(db.from_sequence(items, npartitions=2)).compute()
    assert len(out) == 3
    assert "articles" in out[0] and "error" in out[1] and "error" in out[2]


def test_datatrove_step_cleans_text_and_records_removals():
    pytest.importorskip("datatrove", reason="datatrove is not installed (pip install '.[datatrove]')")
    from datatrove.data import Document

    from cleaner.adapters.datatrove import CleanerStep

    step = CleanerStep()
    seed = SEEDS[3].read_text(encoding="utf-8")
    docs = [
        Document(text=seed, id="seed"),
        Document(text="Share this article\nPrint", id="furniture-only"),
    ]
    out = list(step.run(iter(docs)))
    assert [d.id for d in out] == ["seed"]  # the page with nothing left is dropped
    assert out[0].text == make_engine(None, [], "balanced", False).clean(seed).text
    info = out[0].metadata["cleaner"]
    assert info["articles"] == 9 and info["removed_chars"] > 0 and info["removed_by_rule"]
    stats = step.stats.to_dict()["stats"]
    assert stats["total"] == 2 and stats["dropped_no_article"] == 1 and stats["forwarded"] == 1
    assert any(key.startswith("removed_chars_") for key in stats)
    kept = list(CleanerStep(drop_empty=False, keep_articles=True).run(iter([Document(text="Print", id="p")])))
    assert kept[0].text == "" and kept[0].metadata["cleaner"]["articles_data"] == []


def test_datatrove_step_pickles_without_its_engine():
    pytest.importorskip("datatrove", reason="datatrove is not installed (pip install '.[datatrove]')")
    import pickle

    from cleaner.adapters.datatrove import CleanerStep

    step = CleanerStep(disable=["D001"])
    _ = step.engine
    clone = pickle.loads(pickle.dumps(step))
    assert clone._engine is None and clone.disable == ("D001",)
