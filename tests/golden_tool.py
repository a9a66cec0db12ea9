"""Golden files of the seeds: write them from reviewed decisions, or write candidates for review.

    python tests/golden_tool.py write-from-decisions   # golden/<seed>.txt/.json from golden/decisions.json
    python tests/golden_tool.py candidates             # golden/candidates/<seed>.* from the cleaner, for review

The first command uses only the seeds and the hand-made decisions (never the cleaner).
The second never touches the reviewed golden files: a person diffs the candidates against
them and, when the change is right, edits golden/decisions.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "golden"
META_FIELDS = ("byline", "author_bio", "credits")
SEPARATOR = "\n\n\f\n\n"


def seed_lines(seed: str) -> list[str]:
    return (SEEDS / f"{seed}.txt").read_text(encoding="utf-8").split("\n")


def from_decisions(seed: str, spec: dict) -> dict:
    lines = seed_lines(seed)
    repairs = {int(k): v for k, v in spec.get("repairs", {}).items()}

    def line(n: int) -> str:
        text = lines[n - 1]
        if n in repairs:
            old, new = repairs[n]
            assert old in text, (seed, n)
            text = text.replace(old, new)
        return text.strip()

    articles = []
    for art in spec["articles"]:
        record = {"title": line(art["title"]) if art.get("title") else None,
                  "text": "\n".join(line(n) for n in art["body"])}
        for f in META_FIELDS:
            if art.get(f):
                record[f] = [line(n) for n in art[f]]
        articles.append(record)
    return {"articles": articles}


def as_text(doc: dict) -> str:
    blocks = []
    for a in doc["articles"]:
        parts = ([a["title"]] if a["title"] else []) + a["text"].split("\n")
        blocks.append("\n\n".join(parts))
    return SEPARATOR.join(blocks) + "\n"


def comparable(doc: dict) -> dict:
    """The fields golden files fix: title, text and the metadata fields the policy names."""
    return {"articles": [
        {k: a[k] for k in ("title", "text", *META_FIELDS) if k in a and a[k] is not None or k == "title"}
        for a in doc["articles"]
    ]}


def main(argv: list[str]) -> int:
    cmd = argv[1] if len(argv) > 1 else ""
    decisions = json.loads((GOLDEN / "decisions.json").read_text(encoding="utf-8"))
    if cmd == "write-from-decisions":
        for seed, spec in decisions.items():
            doc = from_decisions(seed, spec)
            (GOLDEN / f"{seed}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            (GOLDEN / f"{seed}.txt").write_text(as_text(doc), encoding="utf-8")
        return 0
    if cmd == "candidates":
        sys.path.insert(0, str(ROOT))
        from cleaner import clean

        out = GOLDEN / "candidates"
        out.mkdir(exist_ok=True)
        for seed in decisions:
            result = clean((SEEDS / f"{seed}.txt").read_text(encoding="utf-8"))
            (out / f"{seed}.txt").write_text(result.text + "\n", encoding="utf-8")
            doc = comparable(result.to_dict())
            (out / f"{seed}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"candidates written to {out}; review them with: diff -r golden golden/candidates")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
