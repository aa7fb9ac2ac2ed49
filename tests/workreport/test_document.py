from yuanqu.workreport.document import TABLE, Block, Column, Document, Field, Section, link


def a_field(key: str, text: str, *, enterprise: bool = False) -> Field:
    return Field(key=key, label=key, text=text, value="1", enterprise_level=enterprise)


def test_it_links_numbers_in_order_and_keeps_the_sentence_word_for_word() -> None:
    text = "签约项目41个，其中百亿元以上项目4个、技改项目44个。"
    fields = [a_field("a", "41个"), a_field("b", "4个"), a_field("c", "44个")]
    segments = link(text, fields)
    assert segments == [
        "签约项目",
        {"field": "a"},
        "，其中百亿元以上项目",
        {"field": "b"},
        "、技改项目",
        {"field": "c"},
        "。",
    ]
    document = Document("t", "z", "z", "2023-01~06", "2023年上半年", "", fields={f.key: f for f in fields})
    assert document.text_of(segments) == text


def test_it_does_not_find_a_number_inside_a_longer_one() -> None:
    segments = link("重点城建项目44个。", [a_field("a", "4个")])
    assert segments == ["重点城建项目44个。"]


def test_a_document_survives_its_json_form() -> None:
    table = Block(
        id="s.t1",
        kind=TABLE,
        title="表",
        columns=[Column("指标"), Column("值", "rate")],
        rows=[["产值", {"field": "a"}]],
        total=["合计", {"field": "a"}],
        name="表",
    )
    document = Document(
        "题",
        "yz",
        "扬州",
        "2023-01~06",
        "2023年上半年",
        "2023-07-01T00:00:00+08:00",
        sections=[
            Section("s", "一", "节", [Block(id="s.p1", kind="paragraph", segments=["产值", {"field": "a"}]), table])
        ],
        fields={"a": a_field("a", "1.0亿元")},
    )
    assert Document.from_data(document.to_data()) == document


def test_the_aggregate_audience_loses_enterprise_tables_and_their_fields() -> None:
    document = Document(
        "题",
        "yz",
        "扬州",
        "2023-01~06",
        "2023年上半年",
        "",
        sections=[
            Section(
                "s",
                "一",
                "节",
                [
                    Block(id="s.p1", kind="paragraph", segments=[{"field": "a"}]),
                    Block(
                        id="s.t1",
                        kind=TABLE,
                        title="企业",
                        columns=[Column("x")],
                        rows=[[{"field": "e"}]],
                        enterprise_level=True,
                    ),
                ],
            )
        ],
        fields={"a": a_field("a", "1个"), "e": a_field("e", "2个", enterprise=True)},
    )
    shown = document.for_audience(enterprise=False)
    assert [block.id for block in shown.blocks()] == ["s.p1"]
    assert set(shown.fields) == {"a"}
    assert shown.audience == "aggregate"
    assert set(document.for_audience(enterprise=True).fields) == {"a", "e"}


def test_a_sentence_is_kept_with_adjacent_texts_joined() -> None:
    from yuanqu.workreport.document import merged

    assert merged(["到", "2025年", "", {"field": "a"}, "，", "。"]) == ["到2025年", {"field": "a"}, "，。"]
