"""Unit tests for weiquan.terms — the one definition of search terms."""

from weiquan.zh import terms as T


def groups(q):
    return [g for g in T.query_groups(T.query_terms(q)) if not g.startswith("@")]


def test_to_simplified():
    assert T.to_simplified("婦女權益保護令") == "妇女权益保护令"
    assert T.to_simplified("妇女abc") == "妇女abc"


def test_normalize_tones_fullwidth_v():
    assert T.normalize_query("jiātíng bàolì") == "jiating baoli"
    assert T.normalize_query("fùnǚ") == "funv"
    assert T.normalize_query("FÙNÜ") == "funv"
    assert T.normalize_query("ＪＴＢＬ") == "jtbl"
    assert T.normalize_query("bao4li4") == "baoli"
    assert T.normalize_query("  家庭\u3000暴力 ") == "家庭 暴力"


def test_normalize_article_numbers():
    for q in ("第23条", "23条", "第二十三条", "二十三条", "23", "第23"):
        assert T.normalize_query(q) == "#23", q
    assert T.normalize_query("第一百二十条之一") == "#120-1"
    assert T.normalize_query("反家暴法23条") == "反家暴法 #23"
    assert T.normalize_query("12338") == "12338"          # phone numbers are not articles


def test_hanzi_bigrams_and_substring():
    idx = T.index_terms("中华人民共和国反家庭暴力法")
    assert all(g in idx for g in groups("暴力"))
    assert all(g in idx for g in groups("家庭暴力"))
    assert groups("婚") == ["婚*"]                         # single char: bigram prefix


def test_traditional_query():
    assert groups("婦女權益") == groups("妇女权益")
    assert groups("保護令") == ["保护", "护令"]


def test_full_pinyin_forms_agree():
    want = ["jia ting", "ting bao", "bao li*"]
    for q in ("jiatingbaoli", "jia ting bao li", "jiātíng bàolì", "JiaTingBaoLi"):
        assert T.query_terms(q)["runs"][0][0] == want, q
    idx = T.index_terms("家庭暴力")
    assert {"jia ting", "ting bao", "bao li"} <= set(idx)


def test_v_for_u_umlaut():
    assert T.query_terms("funv")["runs"][0][0] == ["fu nv*"]
    assert T.query_terms("fünü")["runs"] == T.query_terms("fvnv")["runs"]
    assert "fu nv" in T.index_terms("妇女")


def test_prefix_typing():
    assert T.query_terms("jiat")["runs"][0][0] == ["jia t*"]
    assert groups("rsaq") == ["=rsaq"]
    assert "=rsaq" in T.index_terms("人身安全保护令")


def test_initials():
    assert groups("jtbl") == ["=jtbl"]
    assert groups("rsaqbhl") == ["=rsaq", "=saqb", "=aqbh", "=qbhl"]
    idx = T.index_terms("人身安全保护令")
    assert all(g in idx for g in groups("rsaqbhl"))
    assert "=fjb" in T.index_terms("反家暴法", grams3=True)       # 3-grams for titles/keywords
    assert "=fjb" not in T.index_terms("反家暴法")
    assert groups("jt") == [] and groups("zh") == []               # too short / partial


def test_zh_ch_sh_initials_alternative():
    assert ["=zhrm", "=hrmg", "=rmgh", "=mghg"] in T.query_terms("zhrmghg")["runs"][0]
    assert "=zhrm" in T.index_terms("中华人民共和国")
    runs = T.query_terms("zhfhchx")["runs"][0]            # 住房和城乡 typed with zh/ch
    assert ["=zfhc", "=fhcx"] in runs
    assert {"=zfhc", "=fhcx"} <= set(T.index_terms("住房和城乡"))


def test_ambiguous_syllables():
    alts = T.query_terms("xian")["runs"][0]
    assert ["xian *"] in alts and ["xi an*"] in alts
    assert "xi an" in T.index_terms("西安")


def test_mixed_forms():
    q = T.query_terms("人身aqbhl")
    assert q["runs"] == [[["人身"]], [["=aqbh", "=qbhl"]]]
    q = T.query_terms("jiating暴力")
    assert q["runs"][0][0] == ["jia ting*"] and q["runs"][1] == [["暴力"]]
    assert q["hl"] == ["暴力"]


def test_article_tokens_and_flags():
    assert T.index_terms("第二十三条") == {"#23": T.START | T.END}
    assert T.segments("依照本法第二十三条规定，第120条之一") == ["依照本法", "#23", "规定", "#120-1"]
    assert groups("反家暴法 23条") == ["反家", "家暴", "暴法", "#23"]
    idx = T.index_terms("反家暴法")
    assert idx["反家"] == T.START and idx["暴法"] == T.END and idx["=fjbf"] == T.START | T.END


def test_score_exact_title_beats_mention():
    qt = T.query_terms("反家暴法")
    exact = {g: {1 * 4 + f} for g, f in zip(groups("反家暴法"), (T.START, 0, T.END))}
    body = {g: {0} for g in groups("反家暴法")}
    assert T.score_doc(qt, exact, set(), "law") > T.score_doc(qt, body, set(), "law")


def test_truncated_group_is_unknown_not_missing():
    qt = T.query_terms("东华门 妇女")
    hits = {"东华": {8 | T.START}, "华门": {8}}
    assert T.score_doc(qt, hits, {"妇女"}, "station")[0] == 1.0
    assert T.score_doc(qt, hits, set(), "station")[0] == 0.5


def test_client_tables_are_generated():
    tb = T.client_tables()
    syl = tb["syl"].split()
    assert "zhuang" in syl and "nv" in syl and "lve" in syl and "ng" not in syl
    assert "ǚ" in tb["tones"]
    pairs = T.t2s_pairs()
    assert "婦妇" in pairs and "權权" in pairs and len(pairs) % 2 == 0
