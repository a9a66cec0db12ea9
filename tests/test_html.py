"""HTML input: extraction with trafilatura, the rules on top, metadata, explain, CLI, robustness."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
from lxml import etree

import cleaner
from cleaner import html as H
from cleaner.cli import main
from cleaner.document import Action, Result

# A news page with the artifacts extractors leave behind: navigation, a figure caption, a
# newsletter prompt, a tweet embed, a paragraph printed twice, a related-story link, a footer.
PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<title>Council approves new budget for schools - Example News</title>
<link rel="canonical" href="https://news.example.com/2024/03/council-budget">
<meta name="author" content="Jane Doe">
<meta property="og:site_name" content="Example News">
<meta name="description" content="The city council approved a new budget on Monday.">
<meta property="article:published_time" content="2024-03-04">
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Council approves new budget for schools</h1>
<p>The city council approved a new budget on Monday that raises spending on schools by ten percent, after a debate that lasted most of the night.</p>
<p>The mayor said the increase would pay for two hundred new teachers and the repair of twelve buildings, many of which had leaking roofs.</p>
<figure><img src="school.jpg" alt="A school"><figcaption>The school on Main Street. (Photo: Reuters)</figcaption></figure>
<p>Opponents argued that the city could not afford the plan without raising property taxes, which the council had promised not to do this year.</p>
<p>Get the latest updates right in your inbox. Subscribe to our newsletters.</p>
<blockquote class="twitter-tweet"><p>Great news for our schools today! pic.twitter.com/abc123XYZ</p>&mdash; Jane Mayor (@janemayor) March 4, 2024</blockquote>
<p>The mayor said the increase would pay for two hundred new teachers and the repair of twelve buildings, many of which had leaking roofs.</p>
<p>The budget takes effect in July, and the first teachers will be hired over the summer, according to the schools department.</p>
<p>Read more: Mayor announces plan to rebuild the old library</p>
</article>
<footer><p>© 2024 Example News. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>
"""

BODY = [
    "The city council approved a new budget on Monday that raises spending on schools by ten percent, "
    "after a debate that lasted most of the night.",
    "The mayor said the increase would pay for two hundred new teachers and the repair of twelve buildings, "
    "many of which had leaking roofs.",
    "Opponents argued that the city could not afford the plan without raising property taxes, which the "
    "council had promised not to do this year.",
    "The budget takes effect in July, and the first teachers will be hired over the summer, according to the "
    "schools department.",
]

OTHER = """<!DOCTYPE html><html lang="de"><head><title>Rat beschließt Haushalt</title></head><body>
<nav><a href="/">Start</a> <a href="/politik">Politik</a></nav>
<main><h1>Rat beschließt Haushalt</h1>
<p>Nach einer langen Debatte stimmte eine Mehrheit der Mitglieder für den Entwurf der Verwaltung, der zehn Prozent mehr Ausgaben vorsieht.</p>
<p>Die Bürgermeisterin sagte, mit dem Geld würden zweihundert neue Lehrkräfte eingestellt und zwölf Gebäude saniert.</p>
<p>The mayor said the increase would pay for two hundred new teachers and the repair of twelve buildings, many of which had leaking roofs.</p>
</main><footer>Impressum</footer></body></html>
"""


def codes(result: Result) -> set[str]:
    return {d.code for d in result.removed}


# ---------------------------------------------------------------- extraction and rules


def test_article_page_keeps_the_body_once_and_drops_the_rest():
    result = cleaner.clean_html(PAGE)
    assert len(result.articles) == 1
    article = result.articles[0]
    assert article.paragraphs == BODY  # in order, the repeated paragraph once
    text = result.text
    for noise in ("Home", "Photo: Reuters", "Subscribe", "pic.twitter.com", "@janemayor", "Read more", "rights reserved", "Privacy"):
        assert noise not in text


def test_what_the_extractor_dropped_and_what_the_rules_removed_are_told_apart():
    result = cleaner.clean_html(PAGE)
    dropped = {d.text for d in result.dropped if d.code == "E001"}
    assert {"Home", "World", "Sport", "Privacy"} <= dropped
    assert any("(Photo: Reuters)" in t for t in dropped)  # trafilatura drops <figure>
    assert all(d.line == 0 and d.start == d.end == 0 for d in result.dropped)
    by_rule: dict[str, list[str]] = {}
    for d in result.decisions:
        if d.action is Action.REMOVE:
            by_rule.setdefault(d.code, []).append(d.text)
    assert by_rule["K001"] == ["Get the latest updates right in your inbox. Subscribe to our newsletters."]
    assert by_rule["S001"] == ["Great news for our schools today! pic.twitter.com/abc123XYZ", "— Jane Mayor (@janemayor) March 4, 2024"]
    assert by_rule["D001"] == [BODY[1]]  # the duplicated paragraph
    assert by_rule["R001"] == ["Read more: Mayor announces plan to rebuild the old library"]
    # every rule decision is positioned in the extracted text
    ext = result.extraction
    for d in result.decisions:
        if d.action is not Action.SPLIT and d.action is not Action.FLAG and d.action is not Action.EDIT:
            assert ext.text[d.start : d.end] == d.text


def test_removed_lists_extraction_decisions_first():
    result = cleaner.clean_html(PAGE)
    removed = result.removed
    assert removed[: len(result.dropped)] == result.dropped
    assert {"E001", "E002", "K001", "S001", "D001", "R001"} <= codes(result)


def test_extract_gives_one_paragraph_a_line_and_blocks_with_kinds():
    ext = H.extract(PAGE)
    assert ext.method == "trafilatura"
    assert ext.text.splitlines()[0] == BODY[0]
    assert all(b.text for b in ext.blocks)
    assert [b.text for b in ext.blocks] == [line for line in ext.text.splitlines() if line]
    assert ext.visible_lines > len(ext.blocks)
    assert ext.title == "Council approves new budget for schools"


# ---------------------------------------------------------------- metadata


def test_page_metadata_goes_to_the_article():
    result = cleaner.clean_html(PAGE)
    article = result.articles[0]
    assert article.title == "Council approves new budget for schools"  # the h1, not "… - Example News"
    meta = article.metadata
    assert meta["byline"] == ["Jane Doe"]
    assert meta["date"] == "2024-03-04"
    assert meta["url"] == "https://news.example.com/2024/03/council-budget"
    assert meta["sitename"] == "Example News"
    assert meta["language"] == "en"
    html_info = result.to_dict()["html"]
    assert html_info["method"] == "trafilatura" and html_info["dropped"] >= 4


def test_declared_language_is_used_when_detection_is_off():
    result = cleaner.clean_html(PAGE, language=False)
    assert result.articles[0].metadata["language"] == "en"  # from <html lang="en-GB">


def test_title_from_metadata_when_the_body_has_no_headline():
    page = PAGE.replace("<h1>Council approves new budget for schools</h1>", "")
    article = cleaner.clean_html(page).articles[0]
    assert article.title == "Council approves new budget for schools"  # the site name is taken off
    assert article.paragraphs[0] == BODY[0]


@pytest.mark.parametrize(
    ("title", "site", "url", "expected"),
    [
        ("Daily Deals: Black Friday - IGN", "IGN", "https://www.ign.com/a", "Daily Deals: Black Friday"),
        ("Winda w chmurach / Obyczaje / dwutygodnik.com", None, "https://www.dwutygodnik.com/a", "Winda w chmurach / Obyczaje"),
        ("Example News | Story about the budget", "Example News", None, "Story about the budget"),
        ("A - B", "B", None, "A - B"),  # too little would be left
        ("Budget passes - Reuters report", None, None, "Budget passes - Reuters report"),
    ],
)
def test_strip_site_name(title, site, url, expected):
    assert H.strip_site_name(title, site, url) == expected


def test_listing_page_gets_no_page_title():
    ext = H.Extraction("x", title="Latest news", author="Someone", date="2024-01-01", url="https://x.test/", method="trafilatura")
    articles = [cleaner.Article(None, ["One."]), cleaner.Article(None, ["Two."])]
    H._attach_metadata(articles, ext)
    assert [a.title for a in articles] == [None, None]
    assert all(a.metadata == {"url": "https://x.test/"} for a in articles)


# ---------------------------------------------------------------- determinism


def test_cleaning_a_page_again_gives_the_same_result():
    # trafilatura's deduplicate=True keeps a process-wide cache: a second pass would drop text.
    first = cleaner.clean_html(PAGE).to_dict(explain=True)
    second = cleaner.clean_html(PAGE).to_dict(explain=True)
    assert first == second


@pytest.mark.parametrize(
    "variant",
    [
        # the headline printed again as the body's first paragraph
        lambda page: page.replace(
            "<h1>Council approves new budget for schools</h1>",
            "<h1>Council approves new budget for schools</h1><p>Council Approves New Budget For Schools</p>",
        ),
        # a description that is the headline again is not a lead to restore
        lambda page: page.replace(
            'content="The city council approved a new budget on Monday."',
            'content="Council approves new budget for schools"',
        ),
    ],
    ids=["repeated-in-body", "description-is-headline"],
)
def test_html_output_cleaned_again_as_text_is_the_same(variant):
    page = variant(PAGE)
    result = cleaner.clean_html(page)
    assert result.articles[0].title == "Council approves new budget for schools"
    assert result.articles[0].paragraphs == BODY
    assert cleaner.clean(result.text).text == result.text


def test_no_state_leaks_between_documents():
    alone = cleaner.clean_html(OTHER).to_dict(explain=True)
    cleaner.clean_html(PAGE)  # shares a paragraph with OTHER
    after = cleaner.clean_html(OTHER).to_dict(explain=True)
    assert after == alone
    assert any("two hundred new teachers" in a["text"] for a in after["articles"])


# ---------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "page",
    [
        "",
        "   \n\t ",
        "<",
        "<html>",
        "<html><body></body></html>",
        "<html><head><script>var x = 1;</script></head><body><style>p{}</style></body></html>",
        "<html><body><div><p>Unclosed <b>bold <i>text</p></div><table><tr><td>cell</table></body",
        "<!DOCTYPE html><html><body><p>Text with \x00 NUL, \x0c form feed and \x1b escape.</p></body></html>",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>An XML declaration before the page.</p></body></html>",
        "<html>" + "".join(chr(i) for i in range(1, 2000)) + "</html>",
        "\ufeff<html><body><p>A byte-order mark first.</p></body></html>",
        "<html><body><p>Lone surrogate \ud800 inside.</p></body></html>",
    ],
)
def test_bad_pages_never_raise(page):
    result = cleaner.clean_html(page)
    assert isinstance(result, Result)
    json.dumps(result.to_dict(explain=True), ensure_ascii=True)
    assert "\f" not in "".join(p for a in result.articles for p in a.paragraphs)


def test_empty_page_is_flagged():
    result = cleaner.clean_html("")
    assert result.articles == [] and result.flags == [H.FLAG_EMPTY]


def test_deeply_nested_page_falls_back_to_the_text_between_tags():
    words = "Deep paragraph of text, with enough words in it to be a sentence of an article."
    page = "<html><body>" + "<div>" * 50_000 + f"<p>{words}</p>" + "</div>" * 50_000 + "</body></html>"
    result = cleaner.clean_html(page)
    assert result.extraction is not None
    assert result.extraction.method in ("trafilatura", "visible-text", "markup-stripped")
    if result.extraction.method == "markup-stripped":
        assert result.extraction.text == words
        assert H.FLAG_STRIPPED in result.flags


def test_strip_markup_is_the_text_between_tags():
    page = "<div><script>var a = '<p>no</p>';</script><p>One &amp; two</p><!-- c --><br>three<span>four</span></div>"
    assert H.strip_markup(page) == ["One & two", "threefour"]


@pytest.mark.slow
def test_huge_page():
    # An ordinary article padded to about 20 MB with an inline script and an inline image.
    pad = "<script>var data = [" + ",".join(["'" + "A" * 1000 + "'"] * 5_000) + "];</script>"
    pad += "<img src='data:image/png;base64," + "QUJD" * 3_800_000 + "'>"
    page = PAGE.replace("</article>", "</article>" + pad)
    assert len(page) > 20_000_000
    result = cleaner.clean_html(page)
    assert result.articles[0].paragraphs == BODY


def test_page_over_the_size_guard_passes_through():
    result = cleaner.clean_html(PAGE, max_bytes=1000)
    assert any(f.startswith("oversize") for f in result.flags)
    assert not hasattr(result, "extraction")


def test_text_with_html_forced_is_cleaned_as_text():
    dump = "All news\n\nA headline here\n\nThe body of the story, which is prose and long enough to stay."
    result = cleaner.clean_html(dump)
    assert H.FLAG_NOT_HTML in result.flags
    assert result.articles[0].paragraphs == cleaner.clean(dump).articles[0].paragraphs


def test_bytes_use_the_declared_charset():
    page = "<html><head><meta charset='iso-8859-1'></head><body><p>Café crème brûlée, naïve façade and déjà vu in a sentence.</p></body></html>"
    result = cleaner.clean_html(page.encode("latin-1"))
    assert result.articles[0].paragraphs == ["Café crème brûlée, naïve façade and déjà vu in a sentence."]
    assert result.warnings == []  # the page said what it is: nothing was guessed


# ---------------------------------------------------------------- decoding bytes

SENTENCE = "Café crème brûlée, naïve façade and déjà vu in a sentence: “quoted” — 5 €."


def _page(head: str, body: str = SENTENCE) -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>T</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    "head, encoding",
    [
        ('<meta charset="windows-1252">', "cp1252"),
        ("<meta charset=iso-8859-1>", "cp1252"),  # browsers read latin-1 labels as Windows-1252 (“ ” €)
        ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15">', "iso8859-15"),
        ("<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=Windows-1252'>", "cp1252"),
    ],
)
def test_html_bytes_are_decoded_in_the_declared_charset(head, encoding):
    body = SENTENCE if encoding != "iso8859-15" else SENTENCE.replace("“", '"').replace("”", '"').replace("—", "-")
    text, warnings = H.decode_html(_page(head, body).encode(encoding))
    assert f"<p>{body}</p>" in text
    assert warnings == []


def test_declared_charsets_beyond_latin():
    ru = "Городской совет утвердил новый бюджет школ в понедельник вечером."
    text, _ = H.decode_html(_page('<meta charset="windows-1251">', ru).encode("cp1251"))
    assert ru in text
    text, _ = H.decode_html(_page('<meta charset="koi8-r">', ru).encode("koi8-r"))
    assert ru in text
    ja = "市議会は月曜日、学校の新しい予算を承認した。"
    text, _ = H.decode_html(_page('<meta charset="Shift_JIS">', ja).encode("shift_jis"))
    assert ja in text
    text, _ = H.decode_html(('<?xml version="1.0" encoding="windows-1251"?>' + _page("", ru)).encode("cp1251"))
    assert ru in text  # an XHTML page's XML declaration


def test_byte_order_mark_wins_over_the_declaration():
    page = _page('<meta charset="windows-1251">')
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        text, warnings = H.decode_html(bom + page.encode(encoding))
        assert text == page and warnings == []


def test_utf8_without_declaration_and_mislabelled_utf8():
    text, warnings = H.decode_html(_page("").encode("utf-8"))
    assert SENTENCE in text and warnings == []
    # Declared Windows-1252 but written in UTF-8: read as declared it would be "CafÃ©".
    text, warnings = H.decode_html(_page('<meta charset="windows-1252">').encode("utf-8"))
    assert SENTENCE in text and "Ã" not in text
    assert any("UTF-8" in w for w in warnings)
    # Declared UTF-8 but the bytes are not: the documented fallback, Windows-1252, with a warning.
    text, warnings = H.decode_html(_page('<meta charset="utf-8">').encode("cp1252"))
    assert SENTENCE in text
    assert any("cp1252" in w for w in warnings)


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="no-such-charset">',
        '<meta charset="">',
        "<meta charset=base64>",  # a Python codec, but not a text encoding
        '<meta http-equiv="Content-Type" content="text/html; charset=">',
        '<meta charset="\x00\xff">',
        "<meta charset='utf-8",  # unterminated
    ],
)
def test_malformed_charset_declarations_fall_back_without_error(head):
    text, warnings = H.decode_html(_page(head).encode("utf-8"))
    assert SENTENCE in text
    text, warnings = H.decode_html(_page(head).encode("cp1252"))
    assert SENTENCE in text  # not UTF-8, nothing usable declared: Windows-1252
    assert warnings
    result = cleaner.clean_html(_page(head).encode("cp1252"))
    assert result.articles[0].paragraphs == [SENTENCE]


def test_strict_refuses_only_a_guess():
    from cleaner.textio import InputError

    assert SENTENCE in H.decode_html(_page('<meta charset="windows-1252">').encode("cp1252"), strict=True)[0]
    with pytest.raises(InputError):
        H.decode_html(_page("").encode("cp1252"), strict=True)


def test_cli_honours_the_charset_a_page_declares(tmp_path, capsys):
    ru = "Городской совет утвердил новый бюджет школ в понедельник вечером после долгих споров."
    path = tmp_path / "page.html"
    path.write_bytes(_page('<meta http-equiv="content-type" content="text/html; charset=windows-1251">', ru).encode("cp1251"))
    status, out, err = run_cli([str(path)], capsys)
    assert status == 0 and ru in out and "warning" not in err
    status, out, _ = run_cli(["--html", str(path)], capsys)
    assert status == 0 and ru in out
    status, out, err = run_cli(["--strict", str(path)], capsys)
    assert status == 0 and ru in out  # declared: not a guess
    # Detection off: the file is a text dump, decoded by the text policy (Windows-1252 line by line).
    status, out, err = run_cli(["--no-html-detect", str(path)], capsys)
    assert ru not in out and "Windows-1252" in err


def test_cli_input_dir_honours_the_declared_charset(tmp_path, capsys):
    ru = "Городской совет утвердил новый бюджет школ в понедельник вечером после долгих споров."
    src, dst = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "page.html").write_bytes(_page('<meta charset="koi8-r">', ru).encode("koi8-r"))
    status, _, _ = run_cli(["--input-dir", str(src), "--output-dir", str(dst)], capsys)
    assert status == 0
    assert ru in "".join(p.read_text(encoding="utf-8") for p in dst.rglob("*") if p.is_file())


def test_trafilatura_failure_falls_back_to_the_visible_text(monkeypatch):
    monkeypatch.setattr(H, "_trafilatura", lambda tree, favor, fast=False: None)
    result = cleaner.clean_html(PAGE)
    assert result.extraction.method == "visible-text"
    assert H.FLAG_FALLBACK in result.flags
    assert result.articles and BODY[0] in result.articles[0].paragraphs


def test_trafilatura_raising_is_a_fallback_not_a_traceback(monkeypatch):
    import trafilatura

    def boom(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    result = cleaner.clean_html(PAGE)
    assert result.extraction.method == "visible-text"


def test_page_rules_run_only_on_the_fallbacks():
    ext = H.Extraction("x", method="trafilatura")
    names = {rule.name for rule in H.engine_for(ext).rules}
    assert not names & set(H.PAGE_RULES)
    fallback = H.Extraction("x", method="visible-text")
    assert {rule.name for rule in H.engine_for(fallback).rules} == {rule.name for rule in cleaner.make_engine().rules}


# ---------------------------------------------------------------- structure steps


def _fake_doc(body_xml: str, **meta):
    return SimpleNamespace(body=etree.fromstring(body_xml), **{k: meta.get(k) for k in
                           ("title", "author", "date", "url", "sitename", "description")})  # fmt: skip


def test_blocks_from_body_kinds_breaks_and_rows():
    body = etree.fromstring(
        "<body><head rend='h2'>Sub</head><p>One<lb/>two <hi>bold</hi></p><list><item>a</item><item>b</item></list>"
        "<quote><p>Said.</p></quote><table><row><cell>x</cell><cell>y</cell></row></table></body>"
    )
    blocks = H.blocks_from_body(body)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Sub"), ("paragraph", "One"), ("paragraph", "two bold"), ("item", "a"), ("item", "b"),
        ("paragraph", "Said."), ("row", "x | y"),
    ]  # fmt: skip
    assert blocks[0].level == 2


def test_title_heading_leaves_the_body_and_blocks_above_it_go(monkeypatch):
    body = (
        "<body><p>A teaser of another story that sits above the headline of this page.</p>"
        "<head rend='h1'>Council approves budget</head><p>The council approved the budget on Monday, after a long debate.</p></body>"
    )
    monkeypatch.setattr(H, "_trafilatura", lambda tree, favor, fast=False: _fake_doc(body, title="Council approves budget - Site"))
    result = cleaner.clean_html(PAGE)
    assert result.articles[0].title == "Council approves budget"
    assert result.articles[0].paragraphs == ["The council approved the budget on Monday, after a long debate."]
    assert [d.code for d in result.dropped if d.code != "E001"] == ["E003", "E002"]


def test_lead_dropped_by_the_extractor_is_restored_when_it_is_the_page_description(monkeypatch):
    lead = "The city council approved a new budget on Monday that raises spending on schools by ten percent."
    page = PAGE.replace("<article>", f"<div class='intro'>{lead}</div><article>")
    body = f"<body><p>{BODY[1]}</p><p>{BODY[2]}</p><p>{BODY[3]}</p></body>"
    monkeypatch.setattr(H, "_trafilatura", lambda tree, favor, fast=False: _fake_doc(body, description=lead))
    result = cleaner.clean_html(page)
    assert result.articles[0].paragraphs == [lead, BODY[1], BODY[2], BODY[3]]
    # The lead first; the page's full first paragraph (article template) is put back too, and the
    # duplicate rule then removes it as a repeat of the lead.
    assert result.extraction.restored == (lead, BODY[0])
    assert lead not in {d.text for d in result.dropped if d.code == "E001"}
    assert [(d.code, d.action, d.text) for d in result.dropped if d.code == "E005"][0] == ("E005", Action.FLAG, lead)


# An article split over two containers (an advertisement between them), then comments and a footer.
PARAS = [
    "The river rose by two metres overnight, and the town's lower streets were under water by dawn on Sunday.",
    "Volunteers filled sandbags in the market square while the fire brigade pumped water out of the school.",
    "The mayor said the new flood wall had held, but that the old quay had not been built for such a storm.",
    "Engineers will inspect the bridge on Monday before it is opened again to cars and the morning buses.",
    "Residents who lost power can collect blankets and hot meals at the sports hall until the end of the week.",
]
SPLIT_PAGE = f"""<!DOCTYPE html><html><head><title>Flood in the valley - The Gazette</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Flood in the valley</h1>
<div class="body-part"><p class="para">{PARAS[0]}</p><p class="para">{PARAS[1]}</p></div>
<div class="ad"><p>Advertisement</p></div>
<div class="body-part"><p class="para">{PARAS[2]}</p><p class="para">{PARAS[3]}</p></div>
<div class="body-part"><p class="para">{PARAS[4]}</p></div>
</article>
<section class="comments"><div class="comment"><p>I live near the quay and the water came into our cellar at three in the morning, it was awful.</p></div>
<div class="comment"><p>Thanks to all the volunteers who worked through the night to fill the sandbags in the square.</p></div></section>
<footer><p>The Gazette is published by a company that publishes many other newspapers in the region and beyond.</p></footer>
</body></html>"""


def test_paragraphs_of_the_article_template_dropped_by_the_extractor_are_restored(monkeypatch):
    body = f"<body><head rend='h1'>Flood in the valley</head><p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[3]}</p></body>"
    monkeypatch.setattr(H, "_trafilatura", lambda tree, favor, fast=False: _fake_doc(body, title="Flood in the valley"))
    result = cleaner.clean_html(SPLIT_PAGE)
    assert result.articles[0].paragraphs == PARAS  # in page order: one inside the kept span, one after it
    assert result.extraction.restored == (PARAS[2], PARAS[4])
    restored = [d for d in result.dropped if d.code == "E005"]
    assert [d.text for d in restored] == [PARAS[2], PARAS[4]] and all(d.action is Action.FLAG for d in restored)
    dropped = {d.text for d in result.dropped if d.code == "E001"}
    assert not dropped & set(PARAS)
    assert any("cellar" in t for t in dropped) and any("published by" in t for t in dropped)  # other templates


def test_restored_paragraphs_need_two_kept_paragraphs_of_their_template(monkeypatch):
    body = f"<body><p>{PARAS[0]}</p></body>"  # one kept paragraph is no template
    monkeypatch.setattr(H, "_trafilatura", lambda tree, favor, fast=False: _fake_doc(body))
    result = cleaner.clean_html(SPLIT_PAGE)
    assert result.articles[0].paragraphs == [PARAS[0]]
    assert result.extraction.restored == ()


def test_restored_paragraphs_are_explained(monkeypatch, tmp_path, capsys):
    body = f"<body><p>{PARAS[0]}</p><p>{PARAS[1]}</p></body>"
    monkeypatch.setattr(H, "_trafilatura", lambda tree, favor, fast=False: _fake_doc(body))
    path = tmp_path / "page.html"
    path.write_text(SPLIT_PAGE, encoding="utf-8")
    status, out, _ = run_cli(["--explain", str(path)], capsys)
    assert status == 0
    assert f"page.html: E005 html-restored flag: a paragraph of the article's own template, which trafilatura dropped | {PARAS[2][:60]}" in out


# A paragraph with a person's name whose hover card (a photo, the full name, links to other
# stories, a "MORE" link) is nested in the paragraph and shown only on hover.
CARD = (
    '<span class="person-rollover"><img src="doe.jpg" alt=""><a class="name" href="/people/jane-doe">Jane Ann Doe</a>'
    '<a href="/news/1">Mayor opens the new bridge over the river</a> <a href="/news/2">City hall to close for repairs</a>'
    '<a class="more" href="/people/jane-doe">MORE</a></span>'
)
CARD_PAGE = f"""<!DOCTYPE html><html><head><title>Mayor defends budget - The Gazette</title></head><body>
<article><h1>Mayor defends budget</h1>
<p>Mayor <span class="person"><a href="/people/jane-doe">Jane Doe</a>{CARD}</span> (D) defended the budget on Monday, saying it would pay for new teachers.</p>
<p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p>
</article></body></html>"""


def test_hover_card_inside_a_paragraph_is_not_glued_into_it():
    result = cleaner.clean_html(CARD_PAGE)
    paragraphs = result.articles[0].paragraphs
    assert paragraphs[0] == "Mayor Jane Doe (D) defended the budget on Monday, saying it would pay for new teachers."
    assert paragraphs[1:] == PARAS[:3]
    popups = [d for d in result.dropped if d.code == "E006"]
    assert [d.text for d in popups] == ["Jane Ann Doe Mayor opens the new bridge over the river City hall to close for repairs MORE"]
    assert popups[0].action is Action.REMOVE and popups[0].rule == "html-popup"
    assert "Jane Ann Doe" not in result.extraction.text


@pytest.mark.parametrize(
    "inner",
    [
        '<span class="tooltip">A word used for a person who lives in the valley all year round.</span>',  # a definition
        '<span class="tooltip"><a href="/people/jane-doe">Jane Ann Doe</a></span>',  # one link: a trigger, not a card
        '<span class="tooltip">See <a href="/a">one story</a> and <a href="/b">another story</a> here</span>',  # own text
    ],
)
def test_tooltips_with_text_of_their_own_or_one_link_stay(inner):
    tree = H._parse(f"<html><body><p>Residents {inner} met on Monday to discuss the new flood wall.</p></body></html>")
    assert H._popup_cards(tree) == []


def test_popup_outside_paragraphs_is_left_to_the_extractor():
    tree = H._parse(f"<html><body><div>{CARD}</div><p>Residents met on Monday to discuss the new flood wall.</p></body></html>")
    assert H._popup_cards(tree) == []


def test_restore_lead_needs_the_description():
    visible = ["Menu", "A lead paragraph that the page also gives as its description, in full.", "First body paragraph here."]
    dropped = [True, True, False]
    blocks = [H.Block("paragraph", "First body paragraph here.")]
    assert H._restore_lead(visible, dropped, blocks, visible[1]) == 1
    assert H._restore_lead(visible, dropped, blocks, "A lead paragraph that the page also gives…") == 1
    assert H._restore_lead(visible, dropped, blocks, "Something else entirely, said in other words.") is None
    assert H._restore_lead(visible, dropped, blocks, None) is None


def test_heading_tail_of_teaser_cards_goes():
    para = H.Block("paragraph", "The last paragraph of the article is long enough to be a sentence of the story.")
    cards = [H.Block("heading", f"Other story {i}", 3) for i in range(3)] + [H.Block("heading", "Its dek line", 4)]
    blocks = [para, *cards]
    assert H._heading_tail(blocks) == 1
    assert H._heading_tail([para, *cards[:2]]) == 3  # two headings are not enough
    assert H._heading_tail(cards) == len(cards)  # never the whole page


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PAGE, True),
        ("  \n<html><body><p>x</p></body></html>", True),
        ("<!-- c --><body><p>x</p></body>", True),
        ("<p>Hello</p>", False),  # a fragment: only with --html
        ("A dump with a leftover <a href='x'>anchor</a> in it.\n<html> later", False),
        ("Plain text.", False),
        ("", False),
    ],
)
def test_looks_like_html(text, expected):
    assert H.looks_like_html(text) is expected


# ---------------------------------------------------------------- CLI


@pytest.fixture()
def page_file(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def run_cli(args, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_detects_html_files(page_file, capsys):
    status, out, _ = run_cli([str(page_file)], capsys)
    assert status == 0
    assert out == "\n\n".join(["Council approves new budget for schools", *BODY]) + "\n"


def test_cli_detection_can_be_turned_off(page_file, capsys):
    status, out, _ = run_cli(["--no-html-detect", str(page_file)], capsys)
    assert status == 0
    assert "Get the latest updates" not in out or "Council approves" in out  # the text pipeline ran
    assert out != "\n\n".join(["Council approves new budget for schools", *BODY]) + "\n"


def test_cli_html_from_standard_input(capsys, monkeypatch):
    status, out, _ = run_cli(["--html", "--format", "json"], capsys, stdin=PAGE, monkeypatch=monkeypatch)
    assert status == 0
    doc = json.loads(out)
    assert doc["articles"][0]["text"] == "\n".join(BODY)
    assert doc["html"]["method"] == "trafilatura"


def test_cli_html_forced_on_a_fragment(tmp_path, capsys):
    path = tmp_path / "fragment.html"
    path.write_text("<p>A fragment paragraph with enough words to make an article of its own.</p>", encoding="utf-8")
    status, out, _ = run_cli(["--html", "--format", "json", str(path)], capsys)
    assert status == 0
    assert json.loads(out)["articles"][0]["text"] == "A fragment paragraph with enough words to make an article of its own."


def test_cli_explain_lists_extraction_then_rules(page_file, capsys):
    status, out, _ = run_cli(["--explain", str(page_file)], capsys)
    assert status == 0
    lines = out.splitlines()
    first_rule = next(i for i, line in enumerate(lines) if " K001 " in line or " S001 " in line)
    extraction = [i for i, line in enumerate(lines) if " E001 html-extraction remove" in line]
    assert extraction and max(extraction) < first_rule
    assert any(": E002 html-title title: the page's headline | Council approves" in line for line in lines)
    assert lines[-1].endswith("characters kept")


def test_cli_json_explain_has_extraction_decisions(page_file, capsys):
    status, out, _ = run_cli(["--explain", "--format", "json", str(page_file)], capsys)
    doc = json.loads(out)
    removed = doc["removed"]
    assert removed[0]["code"] == "E001" and removed[0]["line"] == 0
    assert {"E001", "E002", "K001", "S001", "D001"} <= {d["code"] for d in removed}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_jsonl_with_html(tmp_path, capsys, jobs):
    records = [
        {"id": "page", "text": PAGE},
        {"id": "dump", "text": "Home\n\nA plain text dump line that is prose, about the council budget and the schools."},
        {"id": "missing"},
    ] * 70  # several chunks: the worker processes see HTML too
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    status, out, err = run_cli(["--jsonl", "-j", jobs, str(path)], capsys)
    assert status == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == len(records)
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    page = rows[0]
    assert page["text"] == PAGE and page["articles"][0]["text"] == "\n".join(BODY)
    assert page["articles"][0]["title"] == "Council approves new budget for schools"
    assert rows[1]["articles"][0]["text"].startswith("A plain text dump line")
    assert "html" not in rows[1]
    assert "error" in rows[2]
    assert rows[3] == page


def test_cli_jsonl_html_forced_on_every_record(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"html": "<p>A fragment paragraph with enough words to be kept as an article.</p>"}) + "\n")
    status, out, _ = run_cli(["--jsonl", "--html", "--text-field", "html", str(path)], capsys)
    row = json.loads(out)
    assert row["articles"][0]["text"] == "A fragment paragraph with enough words to be kept as an article."
    assert row["html"]["method"] == "trafilatura"


# ---------------------------------------------------------------- API and harness


def test_clean_html_text_is_exported():
    assert cleaner.clean_html_text(PAGE) == "\n\n".join(["Council approves new budget for schools", *BODY])
    assert "clean_html" in cleaner.__all__ and "clean_html_text" in cleaner.__all__


def test_bench_scores_the_body_without_the_title_on_scrapinghub():
    from cleaner.bench.systems import cleaner_html_system

    body_only = cleaner_html_system(cleaner, "scrapinghub")
    assert body_only.fn(PAGE) == "\n".join(BODY)
    with_title = cleaner_html_system(cleaner, "trafilatura")
    assert with_title.fn(PAGE).startswith("Council approves new budget for schools\n\n")


# ---------------------------------------------------------------- quality gate (dev sets, HTML)

#: F1 of the cleaner's HTML mode on the dev sets must stay at or above these (measured 0.9804 and
#: 0.9513 with the text rules of the same session; trafilatura alone: 0.961 and 0.917). See docs/html.md.
HTML_FLOORS = {"scrapinghub": 0.978, "trafilatura": 0.949}


@pytest.mark.bench
@pytest.mark.parametrize("set_name", sorted(HTML_FLOORS))
def test_html_mode_f1_not_below_floor(set_name):
    from cleaner.bench.data import BenchDataError, find_bench_dir, load_html, load_set
    from cleaner.bench.quality import evaluate_set
    from cleaner.bench.systems import build_system

    try:
        bench = find_bench_dir()
        pages = load_set(bench, set_name)
        inputs = load_html(bench, set_name, pages)
    except BenchDataError as exc:
        pytest.skip(f"benchmark data absent: {exc}")
    system = build_system("cleaner", set_name, "html")
    score = evaluate_set(set_name, "html", [system], pages, inputs, strict=True).runs[0].score
    assert score is not None
    assert score.f1 >= HTML_FLOORS[set_name], (
        f"{set_name}: HTML mode F1 {score.f1:.4f} < {HTML_FLOORS[set_name]} "
        f"(P {score.precision:.4f}, R {score.recall:.4f}); see `python -m cleaner.bench quality --input html`"
    )


# ---------------------------------------------------------------- second opinion


def test_a_tiny_extraction_gets_trafilaturas_recall_mode_as_second_opinion(monkeypatch):
    slogan = "<body><p>Your most important touchpoint to the industry.</p></body>"
    article = "<body>" + "".join(f"<p>{p}</p>" for p in BODY) + "</body>"
    asked = []

    def fake(tree, favor, fast=False):
        asked.append(favor)
        return _fake_doc(article if favor == "recall" else slogan)

    monkeypatch.setattr(H, "_trafilatura", fake)
    result = cleaner.clean_html(PAGE)
    assert asked == ["balanced", "recall"]
    assert result.articles[0].paragraphs == BODY
    assert H.FLAG_RECALL in result.flags


def test_no_second_opinion_for_a_real_article_or_a_shorter_one(monkeypatch):
    article = "<body>" + "".join(f"<p>{p}</p>" for p in BODY * 2) + "</body>"  # over 100 words
    asked = []

    def fake(tree, favor, fast=False):
        asked.append(favor)
        return _fake_doc(article)

    monkeypatch.setattr(H, "_trafilatura", fake)
    assert H.extract(PAGE).flags == () and asked == ["balanced"]
    short = "<body><p>One short paragraph that trafilatura found.</p></body>"
    monkeypatch.setattr(H, "_trafilatura", lambda tree, favor, fast=False: _fake_doc(short if favor != "recall" else "<body><p>x</p></body>"))
    ext = H.extract(PAGE)
    assert H.FLAG_RECALL not in ext.flags and ext.blocks[0].text == "One short paragraph that trafilatura found."


def test_the_extractors_loggers_get_one_quiet_handler_however_often_asked():
    import logging

    from cleaner.html import quiet_extractor_logs

    # (trafilatura adds a NullHandler of its own when it is imported: count what the calls add)
    def quiet_handlers() -> list[int]:
        return [sum(isinstance(h, logging.NullHandler) for h in logging.getLogger(name).handlers)
                for name in ("trafilatura", "justext", "courlan")]

    quiet_extractor_logs()
    before = quiet_handlers()
    assert all(before), before
    for _ in range(3):
        quiet_extractor_logs()
    assert quiet_handlers() == before
