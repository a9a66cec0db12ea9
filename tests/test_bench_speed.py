"""``python -m cleaner.bench speed`` runs end to end on a tiny bench folder and reports its figures.

It asserts what is printed and recorded, never how fast anything was: speed is a benchmark
figure (docs/performance.md), not a unit-test verdict.
"""

import json

from conftest import SEEDS

from cleaner.bench.__main__ import main


def _bench(tmp_path):
    bench = tmp_path / "bench"
    bench.mkdir()
    with (bench / "scrapinghub-dev.jsonl").open("w", encoding="utf-8") as fh:
        for k, seed in enumerate(SEEDS[:3]):
            raw = seed.read_text(encoding="utf-8")
            fh.write(json.dumps({"id": f"p{k}", "url": "", "raw": raw, "truth": raw}) + "\n")
    return bench


def test_speed_reports_every_figure(tmp_path, capsys):
    out_json = tmp_path / "speed.json"
    status = main(["speed", "--bench-dir", str(_bench(tmp_path)), "--scale", "2", "--no-peers", "--quick",
                   "--jobs", "2", "--profile", "5", "--repeat", "2", "--json", str(out_json)])  # fmt: skip
    assert status == 0
    text = capsys.readouterr().out
    for expected in ("MB/cpu-s", "cleaner, 1 core, in process", "clean --jsonl --jobs 1 (end to end)",
                     "clean --jsonl --jobs 2 (end to end)", "linearity", "peak memory", "ncalls"):  # fmt: skip
        assert expected in text
    figures = json.loads(out_json.read_text(encoding="utf-8"))
    assert figures["documents"] == 3
    assert set(figures["linearity"]) == {"in_process", "end_to_end", "one_document"}
    one = figures["one_document_cpu_s"]  # the seconds printed are those recorded (a clean each)
    assert f"{one['small']:.2f} -> {one['large']:.2f} CPU s" in text
    assert figures["linearity_repeat"] == 2 and "every pass the median of 2" in text  # said where it is read
    for key in ("clean-jsonl-j1", "clean-jsonl-jN"):  # the end-to-end rows too, each said so
        assert figures["figures"][key]["note"] == "median of 2"
    assert figures["figures"]["clean-jsonl-j1"]["peak_rss_mb"] > 0
    assert set(figures["start_up_cpu_s"]) == {"off", "first", "later"}
    assert all(cpu > 0 for cpu in figures["start_up_cpu_s"].values()) and "clean page.txt (start-up" in text
    assert all(f["mbytes"] > 0 and f["cpu"] >= 0 for f in figures["figures"].values())
    # the smallest and the largest quarter of the dumps (one seed each of the three)
    small, large = figures["figures"]["cleaner-smallest"], figures["figures"]["cleaner-largest"]
    assert small["documents"] == large["documents"] == 1 and small["mbytes"] < large["mbytes"]
    assert "cleaner, in process, smallest quarter" in text and small["note"].endswith("kB; median of 2")


def test_speed_without_bench_data_says_where_it_looked(tmp_path, capsys):
    assert main(["speed", "--bench-dir", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "benchmark data not found" in err and "Traceback" not in err


def test_speed_without_quick_reports_language_detection(tmp_path, capsys):
    out_json = tmp_path / "speed.json"
    status = main(["speed", "--bench-dir", str(_bench(tmp_path)), "--scale", "2", "--no-peers", "--jobs", "1",
                   "--repeat", "1", "--json", str(out_json)])  # fmt: skip
    assert status == 0
    text = capsys.readouterr().out
    assert "cleaner, 1 core, in process, + language" in text and "clean --jsonl --jobs 1 --language" in text
    figures = json.loads(out_json.read_text(encoding="utf-8"))["figures"]
    assert {"cleaner+language", "clean-jsonl-j1+language"} <= set(figures)
    assert figures["clean-jsonl-j1+language"]["peak_rss_mb"] > 0
