"""Spam link blocks: the seeds, the look-alikes that are not blocks, invariants."""

from __future__ import annotations

import pickle
import re
import socket
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from newsqa.signals import SignalOutput
from newsqa.signals import spam_links as mod
from newsqa.signals.spam_links import MIN_RUN_LINES, spam_links
from tests.strategies import any_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

SEED_003_HOSTS = (
    "bdphone.com",
    "ultraactivation.com",
    "trainingreferral.com",
    "shaplafood.com",
    "bangladeshi.assist",
    "www.forexdhaka.com",
    "uncommunication.com",
    "ultra-sim.com",
    "forexdhaka.com",
    "ultrafxfund.com",
    "ultractivation.com",
    "bdphoneonline.com",
)

NO_LINKS = {"spam_link_blocks": 0, "spam_domains": (), "reference_blocks": 0, "reference_links": 0}

PROSE = (
    "Putin landed in the North Korean capital before dawn on Wednesday, where Kim was waiting "
    "to greet him despite the early hour. The two men shook hands and hugged."
)


def seed(name: str) -> str:
    (path,) = SEEDS.glob(f"{name}_*.txt")
    return path.read_text(encoding="utf-8")


def check_invariants(text: str, out: SignalOutput) -> None:
    assert out.signals["spam_link_blocks"] == len(out.flags)
    prev_end = 0
    for f in out.flags:
        assert f.kind == "spam_links" and f.reason == "link_block"
        assert 0 <= prev_end <= f.start < f.end <= len(text)
        assert 0.0 < f.score <= 1.0
        assert f.extra["n_links"] >= len(f.extra["domains"]) >= 1
        prev_end = f.end
    listed = [d for f in out.flags for d in f.extra["registered_domains"]]
    assert list(out.signals["spam_domains"]) == list(dict.fromkeys(listed))


# --- Seeds ----------------------------------------------------------------


def test_seed_003_has_one_block_with_its_12_domains():
    text = seed("003")
    out = spam_links(text)
    check_invariants(text, out)
    (flag,) = out.flags
    block = text[flag.start : flag.end]
    assert block.startswith("👇Comply with extra 👇\n👉 bdphone.com\n")
    assert block.endswith("👉 bdphoneonline.com")
    assert block.count("\n") == 12  # trigger line + 12 domain lines
    assert flag.extra["domains"] == SEED_003_HOSTS
    assert flag.extra["n_links"] == 12
    assert flag.extra["trigger"] == "comply with extra"
    assert flag.extra["unlisted_domains"] == ("bangladeshi.assist",)
    assert flag.score == 1.0
    # Registered domains: www.forexdhaka.com and forexdhaka.com are one.
    assert out.signals["spam_link_blocks"] == 1
    assert out.signals["spam_domains"] == tuple(dict.fromkeys(h.removeprefix("www.") for h in SEED_003_HOSTS))
    assert len(out.signals["spam_domains"]) == 11
    # The story before and the teaser lines after stay unflagged.
    assert "June 9." not in block and "POCO" not in block


@pytest.mark.parametrize("name", ["000", "001", "002", "004"])
def test_other_seeds_have_no_block(name):
    out = spam_links(seed(name))
    assert out.flags == ()
    assert out.signals == NO_LINKS


# --- Blocks ---------------------------------------------------------------


@pytest.mark.parametrize(
    "block",
    [
        "Follow us\n- alpha-news.com\n- beta-deals.net\n- gamma.co.uk",
        "• alpha-news.com\n• beta-deals.net\n• gamma.co.uk",
        "* alpha-news.com\n* beta-deals.net\n* gamma.co.uk",
        "1. alpha-news.com\n2. beta-deals.net\n3. gamma.co.uk",
        "(1) alpha-news.com\n(2) beta-deals.net\n(3) gamma.co.uk",
        "alpha-news.com\nbeta-deals.net\ngamma.co.uk",
        "✅alpha-news.com 🔥\n✅beta-deals.net 🔥\n✅gamma.co.uk 🔥",
        "https://alpha-news.com/a\nhttps://beta-deals.net/b?x=1\nhttps://gamma.co.uk/",
        "Visit:\n\nalpha-news.com\n\nbeta-deals.net\n\ngamma.co.uk",
        "Check out our partners 👇\n👉 www.alpha-news.com\n👉 beta-deals.net\n👉 gamma.co.uk",
        "Síguenos:\nalpha-news.com\nbeta-deals.net\ngamma.co.uk",
        "Website: alpha-news.com\nShop: beta-deals.net\nForum: gamma.co.uk",
        "ALPHA-NEWS.COM\nBETA-DEALS.NET\nGAMMA.CO.UK",
    ],
)
def test_link_blocks_are_found(block):
    text = f"{PROSE}\n{block}\n{PROSE}"
    out = spam_links(text)
    check_invariants(text, out)
    (flag,) = out.flags
    assert text[flag.start : flag.end] == block
    assert out.signals["spam_domains"] == ("alpha-news.com", "beta-deals.net", "gamma.co.uk")


@pytest.mark.parametrize(
    "trigger", ["Follow more", "👇Comply with extra 👇", "Follow us:", "Visit", "Check out", "Suivez-nous"]
)
def test_a_trigger_makes_two_links_a_block(trigger):
    block = f"{trigger}\n👉 alpha-news.com\n👉 beta-deals.net"
    text = f"{PROSE}\n{block}\n{PROSE}"
    (flag,) = spam_links(text).flags
    assert text[flag.start : flag.end] == block
    assert flag.extra["trigger"] is not None


def test_two_links_without_trigger_are_not_a_block():
    text = f"{PROSE}\nalpha-news.com\nbeta-deals.net\n{PROSE}"
    assert spam_links(text).flags == ()


def test_one_flag_per_block_and_prose_splits_blocks():
    block = "👉 alpha-news.com\n👉 beta-deals.net\n👉 gamma.co.uk"
    text = f"{block}\n{PROSE}\n{block}\n\n\n{PROSE}\nFollow us\n👉 delta.org\n👉 alpha-news.com"
    out = spam_links(text)
    check_invariants(text, out)
    assert len(out.flags) == 3
    assert [text[f.start : f.end] for f in out.flags] == [block, block, "Follow us\n👉 delta.org\n👉 alpha-news.com"]
    assert out.signals["spam_domains"] == ("alpha-news.com", "beta-deals.net", "gamma.co.uk", "delta.org")


def test_blank_lines_do_not_split_a_block():
    text = "a-one.com\n\n  \nb-two.com\r\n\nc-three.com\n"
    (flag,) = spam_links(text).flags
    assert text[flag.start : flag.end] == "a-one.com\n\n  \nb-two.com\r\n\nc-three.com"


def test_deep_url_lists_are_citations_not_farms():
    urls = "https://a-one.com/story/1\nhttps://b-two.com/story/2\nhttps://c-three.com/story/3"
    bare = "a-one.com\nb-two.com\nc-three.com"
    out = spam_links(urls)
    assert out.flags == ()
    assert (out.signals["reference_blocks"], out.signals["reference_links"]) == (1, 3)
    (b,) = spam_links(bare).flags
    assert b.score == 1.0


@pytest.mark.parametrize(
    "block",
    [
        "Sources:\nhttps://www.reuters.com/world/asia/kim-meets-putin-2023-09-13/\n"
        "https://www.bloomberg.com/news/articles/2023-09-13/putin-kim\nhttps://apnews.com/article/8a1b2c3d4e5f",
        "Sources include: WSJ.com, Bloomberg.com, Reuters.com, CNBC.com",
        "Quellen:\n- spiegel.de\n- faz.net\n- tagesschau.de",
        "Fuentes:\nelpais.com/internacional/2023-09-13/kim.html\nelmundo.es/internacional/2023/09/13/abc.html",
        "[1] https://www.nknews.org/2023/09/kim-putin-summit\n[2] https://example.org/reports/arms-trade-2023\n"
        "[3] https://www.38north.org/2023/09/analysis",
        "References\n1. https://doi.org/10.1000/xyz123\n2. https://arxiv.org/abs/2309.01234\n3. https://www.nature.com/articles/d41586",
    ],
)
def test_citation_lists_get_no_flag_and_count_as_references(block):
    text = f"{PROSE} Bloomberg and Reuters reported it.\n{block}\n{PROSE}"
    out = spam_links(text)
    check_invariants(text, out)
    assert out.flags == (), block
    assert out.signals["reference_blocks"] == 1
    assert out.signals["reference_links"] >= 2


def test_a_farm_after_a_citation_header_with_look_alikes_and_emoji_is_still_a_farm():
    text = f"{PROSE}\n👇 Follow more 👇\n👉 bdphone.com\n👉 bdphoneonline.com\n👉 ultra-sim.com\n👉 ultra-fx.com\n{PROSE}"
    out = spam_links(text)
    (flag,) = out.flags
    assert flag.extra["n_links"] == 4
    assert out.signals["reference_links"] == 0


# --- Not blocks -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Read the report at https://example.org/report.",
        "The figures are in two reports (https://example.org/a and https://example.net/b), both from 2023.",
        "See https://example.org/a and https://example.net/b for the full data.",
        "Sources:\nhttps://example.org/a\nhttps://example.net/b",
        "Contact: press@example.org\nTips: tips@example.org\nJobs: jobs@example.org",
        "press@example.org\ntips@example.org\njobs@example.org",
        "mailto:press@example.org\nmailto:tips@example.org\nmailto:jobs@example.org",
        "U.S.\nU.S.\nU.S.\nU.S. officials said e.g. this.",
        "e.g.\ni.e.\netc.\nvs.",
        "No. 10\nNo. 11\nNo. 12",
        "3.14\n2.718\n1.618\n0.5",
        "v1.2.3\nv1.2.4\n2.0.0-rc1\nv10.0.1",
        "192.168.0.1\n10.0.0.1\n127.0.0.1",
        "notes.txt\nsetup.cfg\nreadme.rst\nimage.jpeg",
        "Putin.In\nKim.It\nRussia.De",
        "Kim Il Sung Sq.\nSt. Petersburg\nMt. Paektu",
        "The U.S. and S. Korea held talks on Jan. 5, at 3.30 p.m., in Washington, D.C.",
        PROSE + " Amazon.com and Booking.com were named. " + PROSE,
    ],
)
def test_look_alikes_are_not_blocks(text):
    out = spam_links(f"{PROSE}\n{text}\n{PROSE}")
    assert out.flags == (), text
    assert out.signals["spam_link_blocks"] == 0


def test_a_trigger_word_in_prose_is_not_a_block():
    text = f"Visit the museum at example.org, open daily.\n{PROSE}\nFollow us\n{PROSE}"
    assert spam_links(text).flags == ()


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\t \r\n", "😀", ".", "a.b", "://", "http://"])
def test_degenerate_inputs(text):
    out = spam_links(text)
    assert out.flags == ()
    assert out.signals == NO_LINKS


# --- Adversarial sizes (must finish; no timing assertions) -----------------


def test_5mb_single_line():
    text = ("lorem.ipsum dolor sit-amet " * 200_000)[: 5 * 1024 * 1024]
    check_invariants(text, spam_links(text))
    text = "a" * (5 * 1024 * 1024) + ".com"
    check_invariants(text, spam_links(text))
    text = "." * (5 * 1024 * 1024)
    check_invariants(text, spam_links(text))
    text = "https://" + "a." * (2 * 1024 * 1024) + "com"
    check_invariants(text, spam_links(text))


def test_100k_emoji():
    for text in ("😀" * 100_000, "👉 " * 100_000, "👉\n" * 100_000, "👇Follow more👇\n" + "👉" * 100_000):
        out = spam_links(text)
        check_invariants(text, out)
        assert out.flags == ()


def test_50k_urls_on_one_line():
    text = " ".join(f"https://site{i}.example.com/p/{i}" for i in range(50_000))
    out = spam_links(text)
    check_invariants(text, out)
    assert out.flags == ()  # one line, no trigger: not a run
    out = spam_links("Follow us\n" + text)
    check_invariants("Follow us\n" + text, out)
    assert len(out.flags) == 1 and out.flags[0].extra["n_links"] == 50_000


def test_50k_url_lines():
    text = "\n".join(f"👉 site{i}.com" for i in range(50_000))
    out = spam_links(text)
    check_invariants(text, out)
    (flag,) = out.flags
    assert (flag.start, flag.end) == (0, len(text))
    assert len(out.signals["spam_domains"]) == 50_000
    # Alternating with prose: 25k runs of one line, none a block.
    text = "\n".join(f"site{i}.com\n{PROSE}" for i in range(25_000))
    assert spam_links(text).flags == ()


# --- Properties -----------------------------------------------------------

domain_labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
suffixes = st.sampled_from(["com", "net", "org", "co.uk", "com.bd", "info", "de", "blogspot.com"])
hosts = st.builds(
    lambda label, suffix, www: ("www." if www else "") + f"{label}.{suffix}", domain_labels, suffixes, st.booleans()
)
bullets = st.sampled_from(["", "👉 ", "- ", "• ", "* ", "✅", "→ ", "1. ", "[2] "])
link_lines = st.builds(lambda b, h, path: f"{b}{h}{path}", bullets, hosts, st.sampled_from(["", "/", "/page?id=1"]))


@given(any_text)
def test_never_raises_and_stays_in_bounds(text):
    out = spam_links(text)
    check_invariants(text, out)
    assert spam_links(text) == out  # deterministic


@given(st.text(alphabet=st.sampled_from(list("ab.c/:\n w👉-\ud800\udfff@1")), max_size=300))
def test_never_raises_on_link_like_text_with_surrogates(text):
    out = spam_links(text)
    check_invariants(text, out)
    assert spam_links(text) == out


@given(st.lists(link_lines, min_size=MIN_RUN_LINES, max_size=30), any_text.filter(lambda t: "\n" not in t))
def test_a_generated_block_is_one_flag(lines, noise):
    # A domain the prose names ("00" before "00.com") is citation evidence,
    # so the noise around the block may not name the block's domains.
    labels = {m.group(1) for line in lines for m in [re.search(r"(?:www\.)?([a-z0-9]+)\.", line)] if m}
    assume(not labels & {w.casefold() for w in re.findall(r"\w+", noise)})
    block = "\n".join(lines)
    text = f"{noise} {PROSE}\n{block}\n{PROSE} {noise}"
    out = spam_links(text)
    check_invariants(text, out)
    (flag,) = out.flags
    assert text[flag.start : flag.end] == block
    assert flag.extra["n_links"] == len(lines)


def test_lone_surrogates():
    for text in [
        "\ud800.com\n\ud800.com\n\ud800.com",
        "a\udc80b.com\nx.com\ny.com\nz.com",
        "👉 a.com\ud800\n👉 b.com\n👉 c.com",
    ]:
        check_invariants(text, spam_links(text))


# --- Offline, picklable ---------------------------------------------------


def test_suffix_list_is_read_offline(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("spam_links tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for var in ("HOME", "XDG_CACHE_HOME", "TLDEXTRACT_CACHE"):
        monkeypatch.setenv(var, str(tmp_path))
    monkeypatch.setenv("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "https://publicsuffix.org/list/public_suffix_list.dat")
    monkeypatch.setattr(mod, "_EXTRACTOR", None)  # force a fresh build under the block
    out = spam_links(seed("003"))
    assert out.signals["spam_link_blocks"] == 1
    assert mod._EXTRACTOR is not None
    assert mod._EXTRACTOR.suffix_list_urls == ()
    assert list(tmp_path.iterdir()) == []  # no disk cache written either


def test_function_pickles_by_reference_and_extractor_is_rebuilt(monkeypatch):
    assert pickle.loads(pickle.dumps(spam_links)) is spam_links
    text = seed("003")
    before = spam_links(text)
    monkeypatch.setattr(mod, "_EXTRACTOR", None)
    monkeypatch.setattr(mod, "_TRIGGERS", None)
    assert spam_links(text) == before


def test_trigger_file_loads():
    triggers = mod._triggers()
    assert {"follow more", "follow us", "visit", "check out", "comply with extra"} <= triggers
    assert all(t == mod._norm_phrase(t) and t for t in triggers)
    assert max(len(t.split()) for t in triggers) <= mod.MAX_TRIGGER_WORDS


# --- Farms vs citations on generated articles (benchmarks/bench_links.py) ---


def _bench_links():
    import importlib.util
    import sys

    name = "_newsqa_bench_links"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_links.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_generated_farms_are_found_and_citations_are_not_flagged():
    recall, false_alarms, missed, alarms = _bench_links().rates(300, seed=7)
    assert recall >= 0.95, [c.text[c.span[0] : c.span[1]] for c in missed[:3]]
    assert false_alarms <= 0.01, [c.text[c.span[0] : c.span[1]] for c in alarms[:3]]


def test_generated_citations_are_counted_as_references():
    _, cites = _bench_links().generate(50, seed=3)
    for c in cites:
        out = spam_links(c.text)
        assert out.signals["reference_links"] >= 1 or out.signals["reference_blocks"] == 0
        assert out.signals["reference_blocks"] <= 1


def test_generator_is_deterministic():
    bench = _bench_links()
    assert bench.generate(20, seed=5) == bench.generate(20, seed=5)
